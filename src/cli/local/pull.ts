// `handoff pull N`: a GitHub plan (issue N's sub-issues and rollup) becomes a local plan, to run here
// with `handoff run`. The scripts are the sub-issues' bodies as they are on GitHub, the record is the
// rollup's; the plan keeps the issue as its parent, so its task branches have the same names as on
// GitHub (`<prefix>/N-<key>`). Only what handoff itself wrote counts, as everywhere.
import { readTaskMarker } from "../../kernel/core/script/task-marker.ts";
import { isBot, readParentState } from "../../kernel/github/snapshot.ts";
import type { LocalEnv } from "./env.ts";
import { githubRepo, readGateway } from "./github.ts";
import { UsageError } from "./repo.ts";
import type { PlanFile, ScriptFile } from "./store.ts";

export async function pullCommand(
  env: LocalEnv,
  issueArg: string | undefined,
  repoArg?: string,
): Promise<number> {
  const issue = issueArg !== undefined && /^[1-9]\d{0,8}$/.test(issueArg) ? Number(issueArg) : NaN;
  if (!Number.isInteger(issue)) throw new UsageError("say which issue's plan to pull: handoff pull N.");
  const ref = await githubRepo(env, repoArg);
  const where = `${ref.owner}/${ref.repo}#${issue}`;
  for (const id of await env.store.ids()) {
    const local = await env.store.readPlan(id).catch(() => undefined);
    if (
      local?.github?.pulled &&
      local.github.repo === `${ref.owner}/${ref.repo}` &&
      local.github.issue === issue
    )
      throw new UsageError(
        `${where} is here already as plan ${id}; \`handoff clean ${id} --force\` removes it.`,
      );
  }

  const gw = await readGateway(env, ref);
  const parent = await gw.getIssue(issue).catch((e: unknown) => {
    if ((e as { status?: number }).status === 404)
      throw new UsageError(`${where} does not exist (or the token cannot see it).`);
    throw e;
  });
  const state = await readParentState(gw, issue, env.config.branches.prefix);
  const rollup = state.snapshot.rollup?.record;
  if (!rollup || rollup.tasks.length === 0) throw new UsageError(`${where} has no handoff plan.`);

  const scripts = new Map<string, ScriptFile>();
  for (const sub of state.subIssues) {
    const marker = isBot(sub.author) ? readTaskMarker(sub.body) : undefined;
    if (marker?.parent === issue && !scripts.has(marker.key))
      scripts.set(marker.key, { title: sub.title, body: sub.body });
  }
  const missing = rollup.tasks.filter((t) => !scripts.has(t.key)).map((t) => t.key);
  if (missing.length)
    throw new UsageError(
      `${where}'s plan is not complete on GitHub (no sub-issue for ${missing.join(", ")}): comment \`/handoff status\` there first.`,
    );

  const head = await env.repo.revParse("HEAD");
  const plan: PlanFile = {
    v: 1,
    base: env.config.branches.base ?? (await gw.defaultBranch()),
    commit: rollup.grounding?.base ?? head ?? "",
    request: { title: parent.title, body: parent.body },
    rollup: { ...rollup, pending: [] },
    github: { repo: `${ref.owner}/${ref.repo}`, issue, pulled: true },
  };
  await env.store.init();
  const id = await env.store.nextId();
  await env.store.writePlan(id, plan, scripts);
  env.out.say(`Pulled ${where} as plan ${id}: ${scripts.size} tasks in ${env.store.dir(id)}.`);
  for (const t of rollup.tasks) env.out.say(`  ${t.key}  ${scripts.get(t.key)?.title ?? ""}`);
  env.out.say(
    `Next: \`handoff run ${id}\` works them here, on branches ${env.config.branches.prefix}/${issue}-<key>.`,
  );
  return 0;
}
