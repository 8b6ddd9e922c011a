import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MASK,
  MIN_SECRET_LENGTH,
  Redactor,
  secretVariants,
  SPLIT_MAX_GAP,
} from "../../action/src/tools/redact.ts";

const TOKEN = "ghs_abcdefghijklmnop1234567890";

describe("Redactor", () => {
  it("masks every occurrence of a secret", () => {
    const r = new Redactor([TOKEN]);
    expect(r.redact(`a ${TOKEN} b ${TOKEN}c`)).toBe(`a ${MASK} b ${MASK}c`);
  });

  it("masks the base64 forms git and HTTP clients send", () => {
    const r = new Redactor([TOKEN]);
    const header = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
    const plain = Buffer.from(TOKEN).toString("base64");
    expect(r.redact(`AUTHORIZATION: basic ${header}`)).toBe(`AUTHORIZATION: basic ${MASK}`);
    expect(r.redact(`b64=${plain}`)).toBe(`b64=${MASK}`);
    expect(r.redact(`unpadded=${plain.replace(/=+$/, "")}!`)).toBe(`unpadded=${MASK}!`);
  });

  it("masks the URL-encoded form", () => {
    const secret = "p@ss/word+with spaces";
    const r = new Redactor([secret]);
    expect(r.redact(`https://u:${encodeURIComponent(secret)}@example.com`)).toBe(
      `https://u:${MASK}@example.com`,
    );
  });

  it("ignores empty and short values, which would wreck the text", () => {
    const r = new Redactor(["", "true", "abcde"]);
    expect(r.size).toBe(0);
    expect(r.add("x".repeat(MIN_SECRET_LENGTH - 1))).toBe(false);
    expect(r.redact("true abcde")).toBe("true abcde");
  });

  it("masks a secret that contains another one whole", () => {
    const r = new Redactor(["secret-inner", "outer-secret-inner-x"]);
    expect(r.redact("[outer-secret-inner-x]")).toBe(`[${MASK}]`);
  });

  it("accepts secrets added later", () => {
    const r = new Redactor();
    r.add(TOKEN);
    expect(r.redact(TOKEN)).toBe(MASK);
    expect(r.contains(`x${TOKEN}`)).toBe(true);
    expect(r.contains("nothing here")).toBe(false);
  });

  it("does not let masking join pieces into a new occurrence", () => {
    const secret = "ab***cd";
    const r = new Redactor([secret]);
    expect(r.redact(`ab${secret}cd`)).not.toContain(secret);
  });

  it("lists variants only as long as the minimum", () => {
    for (const v of secretVariants("abcdef")) expect(v.length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
  });

  it("never lets a registered secret through, whatever surrounds it", () => {
    const secretArb = fc.string({ minLength: MIN_SECRET_LENGTH, maxLength: 24 });
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (secrets, pieces, picks) => {
          // Text interleaving arbitrary pieces with secrets and their encodings.
          const encodings = secrets.flatMap((s) => secretVariants(s));
          const text = pieces
            .map((p, i) => p + (encodings[(picks[i] ?? 0) % encodings.length] ?? ""))
            .join("");
          const out = new Redactor(secrets).redact(text + secrets.join(""));
          for (const s of secrets) expect(out).not.toContain(s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves text without secrets unchanged", () => {
    const r = new Redactor(["never-in-the-text"]);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        fc.pre(!r.contains(text));
        expect(r.redact(text)).toBe(text);
      }),
    );
  });
});

describe("Redactor: reversed and split forms", () => {
  const SECRET = "ghs_Q7fK2mXwP9aLr4ZtB8nVc1YdE6uH";
  const r = new Redactor([SECRET]);
  const reversed = [...SECRET].reverse().join("");

  it("masks the secret reversed and hex-encoded", () => {
    expect(r.redact(`x ${reversed} y`)).toBe(`x ${MASK} y`);
    expect(r.redact(Buffer.from(SECRET).toString("hex"))).toBe(MASK);
  });

  it("masks the secret split by spaces, newlines, quotes or string concatenation, forwards or reversed", () => {
    const pieces = (s: string, size: number) => s.match(new RegExp(`.{1,${size}}`, "g")) as string[];
    for (const text of [
      [...SECRET].join(" "),
      pieces(SECRET, 5).join("\n"),
      pieces(SECRET, 4)
        .map((p) => `"${p}"`)
        .join(" + "),
      [...reversed].join("-"),
    ]) {
      // The span from the first piece to the last is masked; quotes around it may stay.
      expect(r.redact(`before ${text} after`)).toMatch(/^before "?\*\*\*"? after$/);
    }
  });

  it("leaves pieces far apart, and short secrets split, alone (the documented limit)", () => {
    const far = `${SECRET.slice(0, 10)}${" ".repeat(SPLIT_MAX_GAP + 1)}${SECRET.slice(10)}`;
    expect(r.redact(far)).toBe(far);
    const short = new Redactor(["abc123def"]);
    expect(short.redact("a b c 1 2 3 d e f")).toBe("a b c 1 2 3 d e f");
  });

  it("masks every split occurrence without disturbing the text around them", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const text = `${a} ${[...SECRET].join(".")} ${b}`;
        expect(r.redact(text)).not.toMatch(/Q.7.f.K.2/);
      }),
    );
  });
});
