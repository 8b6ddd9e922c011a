// The "file commands" a step writes (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE): `name=value`
// lines and the multi-line `name<<DELIMITER` form @actions/core uses.

export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    const eq = line.indexOf("=");
    if (heredoc && (eq < 0 || eq > line.indexOf("<<"))) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      if (i >= lines.length)
        throw new Error(`file command for "${name}": delimiter "${delimiter}" not found`);
      out[name!] = value.join("\n");
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`malformed file command line: ${JSON.stringify(line)}`);
    }
  }
  return out;
}

/** INPUT_<NAME>: upper-cased, spaces to underscores, hyphens kept (as the runner does). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
