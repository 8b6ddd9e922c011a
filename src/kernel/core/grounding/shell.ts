// Just enough shell to find the commands in an acceptance command line: words (with quotes),
// split at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses, redirections dropped. Anything it
// cannot read reliably (command substitution, variables) is marked opaque so no one judges it.

export interface SimpleCommand {
  words: string[];
  /** Words built from `$…` or backticks: their value is unknown. */
  opaque: boolean[];
}

const OPERATORS = ["&&", "||", ";;", ";", "|", "&", "\n", "(", ")"];

/** Splits a command line into simple commands. Bounded by the input's length (≤ 500 in a plan). */
export function splitCommands(line: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let cur: SimpleCommand = { words: [], opaque: [] };
  let word = "";
  let inWord = false;
  let opaque = false;
  const endWord = () => {
    if (inWord) {
      cur.words.push(word);
      cur.opaque.push(opaque);
    }
    word = "";
    inWord = false;
    opaque = false;
  };
  const endCommand = () => {
    endWord();
    if (cur.words.length) out.push(cur);
    cur = { words: [], opaque: [] };
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === "\\" && i + 1 < line.length) {
      if (line[i + 1] !== "\n") {
        word += line[i + 1];
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === "\\") j++;
        else if (line[j] === "$" || line[j] === "`") opaque = true;
        j++;
      }
      word += line.slice(i + 1, Math.min(j, line.length)).replace(/\\(.)/g, "$1");
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === "$" || c === "`") {
      opaque = true;
      // `$(…)` and backticks hold commands of their own: skip to the matching close.
      if (c === "`") {
        const end = line.indexOf("`", i + 1);
        word += line.slice(i, end < 0 ? line.length : end + 1);
        inWord = true;
        i = end < 0 ? line.length : end + 1;
        continue;
      }
      if (line[i + 1] === "(") {
        let depth = 0;
        let j = i + 1;
        for (; j < line.length; j++) {
          if (line[j] === "(") depth++;
          else if (line[j] === ")" && --depth === 0) break;
        }
        word += line.slice(i, j + 1);
        inWord = true;
        i = j + 1;
        continue;
      }
    }
    if (c === "#" && !inWord) {
      // A comment runs to the end of its line.
      const nl = line.indexOf("\n", i);
      i = nl < 0 ? line.length : nl;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      endCommand();
      i += op.length;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
      continue;
    }
    // Redirections: `>`, `>>`, `2>&1`, `<`, with or without a target word.
    if (c === ">" || c === "<") {
      if (/^\d+$/.test(word)) {
        word = "";
        inWord = false;
      }
      endWord();
      let j = i + 1;
      while (line[j] === ">" || line[j] === "&" || line[j] === "|") j++;
      if (line[j - 1] === "&" && /\d|-/.test(line[j] ?? "")) j++;
      else {
        while (line[j] === " " || line[j] === "\t") j++;
        while (j < line.length && !/[\s;&|()<>]/.test(line[j] as string)) j++;
      }
      i = j;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endCommand();
  return out;
}
