// Text files as the editor sees them: UTF-8 without the BOM, LF line breaks. Encoding puts the file's
// own BOM and CRLF line breaks back, so an edit never rewrites a whole file's line endings.

export interface TextFile {
  /** Content with the BOM removed and, for CRLF files, line breaks as LF. */
  text: string;
  eol: "\n" | "\r\n";
  bom: boolean;
}

const BOM = "\uFEFF";
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes a file; undefined when it is not UTF-8 text (a NUL byte or an invalid sequence). */
export function decodeText(bytes: Uint8Array): TextFile | undefined {
  if (bytes.includes(0)) return undefined;
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const bom = raw.startsWith(BOM);
  if (bom) raw = raw.slice(1);
  // Only a file whose every line break is CRLF is converted; a mixed file is edited as it is.
  const crlf = countOf(raw, "\r\n");
  const isCrlf = crlf > 0 && crlf === countOf(raw, "\n");
  return { text: isCrlf ? raw.replace(/\r\n/g, "\n") : raw, eol: isCrlf ? "\r\n" : "\n", bom };
}

export function encodeText(file: TextFile): Buffer {
  // Every LF in the internal text was a CRLF (or came from the model as a line break); a CR before
  // it is a lone CR of the original, as in `\r\r\n`.
  const body = file.eol === "\r\n" ? file.text.replace(/\n/g, "\r\n") : file.text;
  return Buffer.from((file.bom ? BOM : "") + body, "utf8");
}

/** Text the model sent, in the file's internal form (LF when the file is stored as CRLF). */
export function toInternal(text: string, file: Pick<TextFile, "eol">): string {
  return file.eol === "\r\n" ? text.replace(/\r\n/g, "\n") : text;
}

export function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The file's lines without the final line break (an empty file has none). */
export function linesOf(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

/** 1-based line number of the character at `index`. */
export function lineAt(text: string, index: number): number {
  return countOf(text.slice(0, index), "\n") + 1;
}

/**
 * `cat -n` style: line numbers right-aligned, then a tab. The column is as wide as the largest
 * number shown (not cat's six), which saves the model a few tokens on every line it reads.
 */
export function numbered(
  lines: readonly string[],
  firstLine: number,
  width = String(firstLine + Math.max(lines.length - 1, 0)).length,
): string {
  return lines.map((line, i) => `${String(firstLine + i).padStart(width)}\t${line}`).join("\n");
}
