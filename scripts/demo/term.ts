// Terminal text: styles that vanish when colour is off, and widths that count what a terminal
// draws (emoji take two cells, ANSI codes and joiners none), so in-place redraws never wrap.

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  italic(s: string): string;
  underline(s: string): string;
  strike(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => (s ? `\x1b[${open}m${s}\x1b[${close}m` : s);

export function makeStyle(color: boolean): Style {
  const plain = (s: string) => s;
  if (!color) {
    return {
      bold: plain,
      dim: plain,
      italic: plain,
      underline: plain,
      strike: plain,
      red: plain,
      green: plain,
      yellow: plain,
      blue: plain,
      magenta: plain,
      cyan: plain,
    };
  }
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    italic: sgr(3, 23),
    underline: sgr(4, 24),
    strike: sgr(9, 29),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// eslint-disable-next-line no-control-regex
const ANSI_HERE = /\x1b\[[0-9;?]*[A-Za-z]/y;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}

const MARK = /\p{M}/u;
/** Zero-width spaces, joiners, marks and variation selectors draw nothing of their own. */
const isZeroWidth = (cp: number, ch: string) =>
  (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || MARK.test(ch);
const WIDE =
  /[\p{Emoji_Presentation}\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/** Cells one character occupies. */
export function charWidth(ch: string): number {
  if (isZeroWidth(ch.codePointAt(0) as number, ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** Cells a string occupies on screen (ANSI codes ignored). */
export function width(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s)) w += charWidth(ch);
  return w;
}

/** Cuts plain text to at most `max` cells, ending with … when cut. */
export function truncate(s: string, max: number): string {
  if (width(s) <= max) return s;
  if (max <= 0) return "";
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Cuts a styled line to `max` cells, keeping its ANSI codes and resetting at the end. */
export function truncateStyled(s: string, max: number): string {
  if (width(s) <= max) return s;
  let out = "";
  let w = 0;
  let i = 0;
  while (i < s.length) {
    ANSI_HERE.lastIndex = i;
    const code = ANSI_HERE.exec(s);
    if (code) {
      out += code[0];
      i += code[0].length;
      continue;
    }
    const ch = String.fromCodePoint(s.codePointAt(i) as number);
    const cw = charWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
    i += ch.length;
  }
  return `${out}…\x1b[0m`;
}

export function padEnd(s: string, cells: number): string {
  return s + " ".repeat(Math.max(0, cells - width(s)));
}

export function padStart(s: string, cells: number): string {
  return " ".repeat(Math.max(0, cells - width(s))) + s;
}

export function formatSeconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/** Word-wraps a styled line to `cols` cells; continuation lines start at column `hang`. */
export function wrapStyled(line: string, cols: number, hang: number): string[] {
  if (width(line) <= cols) return [line];
  const lines: string[] = [];
  let current = "";
  for (const word of line.split(/(?<= )/)) {
    if (current.trim() && width(current + word.trimEnd()) > cols) {
      lines.push(current.trimEnd());
      current = " ".repeat(hang);
    }
    current += word;
  }
  lines.push(current.trimEnd());
  return lines;
}
