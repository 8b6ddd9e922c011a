import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputCapture } from "../../action/src/tools/output-capture.ts";
import { decodeText, encodeText, linesOf, numbered } from "../../action/src/tools/text-file.ts";

const textArb = fc
  .array(fc.constantFrom("a", "é", "😀", " ", "\t", "\n", "\r\n", "\r", "x\r\ny"), { maxLength: 40 })
  .map((parts) => parts.join(""));

describe("text files", () => {
  it("round-trips any UTF-8 text byte for byte, BOM and line endings included", () => {
    fc.assert(
      fc.property(textArb, fc.boolean(), (text, bom) => {
        const bytes = Buffer.from((bom ? "\uFEFF" : "") + text, "utf8");
        const file = decodeText(bytes);
        expect(file).toBeDefined();
        expect(encodeText(file!).equals(bytes)).toBe(true);
        expect(file!.text).not.toContain("\uFEFF");
      }),
    );
  });

  it("treats a file as CRLF only when every line break is CRLF", () => {
    expect(decodeText(Buffer.from("a\r\nb\r\n"))).toEqual({ text: "a\nb\n", eol: "\r\n", bom: false });
    expect(decodeText(Buffer.from("a\r\nb\n"))).toEqual({ text: "a\r\nb\n", eol: "\n", bom: false });
    expect(decodeText(Buffer.from("a\nb"))).toEqual({ text: "a\nb", eol: "\n", bom: false });
  });

  it("refuses NUL bytes and invalid UTF-8", () => {
    expect(decodeText(Buffer.from([0x61, 0x00]))).toBeUndefined();
    expect(decodeText(Buffer.from([0xc3, 0x28]))).toBeUndefined();
  });

  it("splits lines without inventing a last empty one, and numbers them like cat -n", () => {
    expect(linesOf("")).toEqual([]);
    expect(linesOf("a\n")).toEqual(["a"]);
    expect(linesOf("a\n\n")).toEqual(["a", ""]);
    expect(linesOf("a\nb")).toEqual(["a", "b"]);
    expect(numbered(["x", "y"], 9)).toBe(" 9\tx\n10\ty");
  });
});

describe("OutputCapture", () => {
  it("keeps everything within the budget and exactly its head and tail beyond it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 200 }),
        (chunks, max) => {
          const capture = new OutputCapture(max);
          for (const c of chunks) capture.push(Buffer.from(c));
          const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
          const kept = Math.min(all.length, max);
          expect(capture.omitted).toBe(all.length - kept);
          // Compare bytes: decoding happens only at the end, on the kept parts.
          const head = all.subarray(0, Math.min(all.length, Math.ceil(max / 2)));
          const tail = all.subarray(all.length - (kept - head.length));
          const expected = capture.omitted
            ? `${head.toString("utf8")}\n… [${capture.omitted} bytes of output omitted] …\n${tail.toString("utf8")}`
            : all.toString("utf8");
          expect(capture.text()).toBe(expected);
        },
      ),
    );
  });
});
