// The names handoff gives things on GitHub, each beside its parser: task branches and worker run
// titles. A handler finds its plan and task from them without reading anything.

/** Task branch: `<prefix>/<parent>-<key>`. */
export function taskBranch(prefix: string, parent: number, key: string): string {
  return `${prefix}/${parent}-${key}`;
}

/** The plan and task a branch belongs to, or undefined when it is not a task branch. */
export function parseTaskBranch(branch: string, prefix: string): { parent: number; key: string } | undefined {
  if (!branch.startsWith(`${prefix}/`)) return undefined;
  const m = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(branch.slice(prefix.length + 1));
  return m ? { parent: Number(m[1]), key: m[2] as string } : undefined;
}

/**
 * The sub-issue a worker run works on, from its title (`handoff #12`, as the worker workflow's
 * `run-name:` writes it); undefined for other runs.
 */
export function issueOfRunTitle(title: string): number | undefined {
  const n = Number(/#(\d+)\b/.exec(title)?.[1]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
