// A local plan on disk, `.handoff/<plan-id>/`: what the sub-issues, rollup marker and status comments
// are on GitHub. Task work itself lives in git (task branches and their commits); nothing is kept
// anywhere else, so `handoff run` resumes from these files and the branches alone.
//
//   plan.json            the plan's marker data: base branch and commit, the request, the RollupRecord
//   tasks/<key>.md       one handoff script per task, in the sub-issue format (a person may edit it)
//   status/<key>.json    the task's StatusRecord, as the status comment's marker holds it
//   rollup.md, index.html, mermaid.min.js   written by `handoff status` and `handoff run`
//   worktrees/<key>/     the task's git worktree while it exists
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { RollupRecord, StatusRecord } from "../../kernel/core/plan/records.ts";
import { TaskKey } from "../../kernel/core/plan/plan.ts";
import { UsageError } from "./repo.ts";

export const HANDOFF_DIR = ".handoff";
const PLAN_ID = /^[1-9]\d{0,8}$/;

export const PlanFile = z.object({
  v: z.literal(1),
  /** The branch tasks start from. */
  base: z.string().min(1),
  /** The commit the planner explored. */
  commit: z.string(),
  request: z.object({ title: z.string(), body: z.string() }),
  rollup: RollupRecord,
  /** Set once the plan is on GitHub (published, or pulled from there: `pulled`). */
  github: z
    .object({ repo: z.string(), issue: z.number().int().positive(), pulled: z.literal(true).optional() })
    .optional(),
});
export type PlanFile = z.infer<typeof PlanFile>;

export interface ScriptFile {
  title: string;
  body: string;
}

/** `# <title>` then the body: how a script file reads, and how it is read back. */
export function formatScriptFile(s: ScriptFile): string {
  return `# ${s.title}\n\n${s.body}\n`;
}

export function parseScriptFile(text: string, fallbackTitle: string): ScriptFile {
  const m = /^# (.*)\n\n?/.exec(text);
  if (!m) return { title: fallbackTitle, body: text };
  return { title: (m[1] as string).trim(), body: text.slice(m[0].length).replace(/\n$/, "") };
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export class PlanStore {
  readonly base: string;

  constructor(readonly repoRoot: string) {
    this.base = path.join(repoRoot, HANDOFF_DIR);
  }

  dir(id: number): string {
    return path.join(this.base, String(id));
  }

  worktree(id: number, key: string): string {
    return path.join(this.dir(id), "worktrees", key);
  }

  /** Creates `.handoff/` with a .gitignore, so plans and worktrees never show as changes. */
  async init(): Promise<void> {
    await mkdir(this.base, { recursive: true });
    await writeFile(path.join(this.base, ".gitignore"), "*\n");
  }

  /** Plan ids on disk, ascending. */
  async ids(): Promise<number[]> {
    const names = await readdir(this.base).catch(() => [] as string[]);
    return names
      .filter((n) => PLAN_ID.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  }

  async nextId(): Promise<number> {
    return ((await this.ids()).at(-1) ?? 0) + 1;
  }

  /** Parses a plan id given on the command line; the newest plan when absent. */
  async resolveId(given: string | undefined): Promise<number> {
    const ids = await this.ids();
    if (given === undefined) {
      const last = ids.at(-1);
      if (last === undefined) throw new UsageError("there is no plan here yet: run `handoff plan` first.");
      return last;
    }
    const id = PLAN_ID.test(given) ? Number(given) : NaN;
    if (!ids.includes(id)) {
      const known = ids.length ? `known plans: ${ids.join(", ")}` : "there are no plans yet";
      throw new UsageError(`unknown plan id \`${given}\` (${known}).`);
    }
    return id;
  }

  async readPlan(id: number): Promise<PlanFile> {
    const file = path.join(this.dir(id), "plan.json");
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text === undefined) throw new UsageError(`plan ${id} has no plan.json; it was not finished.`);
    let parsed;
    try {
      parsed = PlanFile.safeParse(JSON.parse(text));
    } catch (e) {
      throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!parsed.success) throw new UsageError(`${file} is damaged: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  /** Writes the scripts first and plan.json last: a plan exists once its plan.json does. */
  async writePlan(id: number, plan: PlanFile, scripts: Map<string, ScriptFile>): Promise<void> {
    for (const [key, script] of scripts) await this.writeScript(id, key, script);
    await this.writeRecord(id, plan);
  }

  async writeRecord(id: number, plan: PlanFile): Promise<void> {
    await writeAtomic(path.join(this.dir(id), "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
  }

  scriptPath(id: number, key: string): string {
    return path.join(this.dir(id), "tasks", `${TaskKey.parse(key)}.md`);
  }

  async writeScript(id: number, key: string, script: ScriptFile): Promise<void> {
    await writeAtomic(this.scriptPath(id, key), formatScriptFile(script));
  }

  async readScript(id: number, key: string): Promise<ScriptFile | undefined> {
    const text = await readFile(this.scriptPath(id, key), "utf8").catch(() => undefined);
    return text === undefined ? undefined : parseScriptFile(text, key);
  }

  async readStatus(id: number, key: string): Promise<StatusRecord | undefined> {
    const text = await readFile(path.join(this.dir(id), "status", `${key}.json`), "utf8").catch(
      () => undefined,
    );
    if (text === undefined) return undefined;
    try {
      const parsed = StatusRecord.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // a torn or hand-edited file: as if absent
    }
  }

  async writeStatus(id: number, record: StatusRecord): Promise<void> {
    await writeAtomic(
      path.join(this.dir(id), "status", `${record.key}.json`),
      `${JSON.stringify(record, null, 2)}\n`,
    );
  }

  async writeFile(id: number, name: string, text: string): Promise<string> {
    const file = path.join(this.dir(id), name);
    await writeAtomic(file, text);
    return file;
  }

  async remove(id: number): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }
}
