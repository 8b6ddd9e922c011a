// Runs the grounding check over a repository through a SnapshotSource: what the files are and what
// is already known of them. The check first runs on what is at hand; only when it names files whose
// text would settle an open question does the builder read them (a bounded number) and ask again.
// The planner's reader is the usual source (src/orchestrator/planner/grounding-source.ts), over the GitHub API or
// local git alike; it reuses what the planner read.
import { checkGrounding, type GroundingResult } from "../../kernel/core/grounding/check.ts";
import type { RepoSnapshot, SnapshotFile } from "../../kernel/core/grounding/snapshot.ts";
import type { Plan } from "../../kernel/core/plan/plan.ts";

export interface SourceFile extends SnapshotFile {
  path: string;
}

export interface SnapshotSource {
  /** The commit the plan is checked against, when known. */
  commit(): Promise<string | undefined>;
  files(): Promise<SourceFile[]>;
  /** Texts at hand without any request (what the planner already read). */
  known(): Promise<Map<string, string>>;
  /** Reads one file's text; undefined when it cannot be read (too big, binary). */
  read(path: string): Promise<string | undefined>;
}

export interface GroundOptions {
  /** Files the builder may read beyond what the source knows, over all rounds. */
  maxReads?: number;
}

export const DEFAULT_MAX_READS = 30;
const MAX_ROUNDS = 3;

export interface Grounded extends GroundingResult {
  commit?: string;
  /** Files read for the check that the source did not know (each a request on GitHub). */
  reads: string[];
  /** Set when the check could not run (the source failed): nothing was verified. */
  error?: string;
}

export async function groundPlan(
  plan: Plan,
  source: SnapshotSource,
  opts: GroundOptions = {},
): Promise<Grounded> {
  const maxReads = opts.maxReads ?? DEFAULT_MAX_READS;
  const [commit, list, known] = await Promise.all([source.commit(), source.files(), source.known()]);
  const files = new Map(list.map(({ path, ...facts }) => [path, facts]));
  const texts = new Map(known);
  const tried = new Set<string>();
  const reads: string[] = [];
  for (let round = 0; ; round++) {
    const snap: RepoSnapshot = { ...(commit ? { commit } : {}), files, texts };
    const result = checkGrounding(plan, snap);
    const wanted = result.unknown
      .filter((p) => !tried.has(p) && files.has(p))
      .slice(0, maxReads - tried.size);
    if (wanted.length === 0 || round + 1 >= MAX_ROUNDS) return { ...result, commit, reads };
    for (const p of wanted) tried.add(p);
    const got = await Promise.all(wanted.map(async (p) => [p, await source.read(p)] as const));
    for (const [p, text] of got) {
      reads.push(p);
      if (text !== undefined) texts.set(p, text);
    }
  }
}
