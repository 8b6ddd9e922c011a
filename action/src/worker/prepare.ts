// Before any work: the run's task read once, who may start it checked, and its base picked (the
// base branch, or the prerequisite's branch it stacks on). Throws Refusal with a reason.
import { permissionAllows } from "../../../src/kernel/core/config/config.ts";
import { taskBranch } from "../../../src/kernel/core/plan/names.ts";
import { parseHandoffScript } from "../../../src/kernel/core/script/script.ts";
import { isBot } from "../../../src/kernel/github/snapshot.ts";
import { readOwnTask } from "../../../src/kernel/store/own-task.ts";
import { readPrerequisites } from "../../../src/kernel/store/prerequisites.ts";
import { readinessOf } from "./prerequisites.ts";

import { Refusal, type TaskContext, type WorkerDeps, type WorkerRequest } from "./types.ts";

/** Reads the task, checks the run should happen, and picks its base. Throws Refusal with a reason. */
export async function prepare(deps: WorkerDeps, req: WorkerRequest): Promise<TaskContext | { skip: string }> {
  const { gw, config } = deps;
  if (deps.refuse) throw new Refusal(deps.refuse);
  const own = await readOwnTask(gw, req.issue);
  if (own === "pull request") throw new Refusal(`#${req.issue} is a pull request, not a handoff script`);
  const issue = own.issue;
  if (issue.state === "closed") return { skip: `#${req.issue} is closed` };
  const trigger = req.trigger;
  if (trigger?.kind === "label") {
    await requirePermitted(deps, trigger.by, "labelled");
    if (issue.body !== trigger.body || issue.title !== trigger.title)
      throw new Refusal(
        `#${req.issue} was edited after @${trigger.by} labelled it, so the text they approved is not the text here. To run the current text, remove the label and add it again.`,
      );
  }
  // A task marker counts only in an issue handoff wrote; in anyone else's, the text is a hand-written script.
  const parsed = parseHandoffScript(issue.body, { title: issue.title, trustMarker: isBot(issue.author) });
  if (!parsed.ok) {
    throw new Refusal(
      `#${req.issue} is not a handoff script handoff can run:\n${parsed.errors.map((e) => `- ${e}`).join("\n")}`,
    );
  }
  const task = parsed.task;
  const handWritten = parsed.meta.source === "lenient";
  // A hand-written script runs only when a permitted person asked: by label (checked above) or dispatch.
  if (handWritten && trigger?.kind === "dispatch") await requirePermitted(deps, trigger.by, "started");
  const parent = parsed.meta.parent ?? (await own.parent());
  // The branch is always handoff's own name for the task; a script cannot choose it. A hand-written
  // script's branch carries its own number, so it can never be a plan's task branch.
  const branch = taskBranch(
    config.branches.prefix,
    handWritten ? req.issue : (parent ?? req.issue),
    task.key,
  );
  if (parsed.meta.branch !== undefined && parsed.meta.branch !== branch)
    deps.log.warn(`the script names branch ${parsed.meta.branch}; handoff works on ${branch}`);
  const status = await own.status();

  // A duplicate dispatch of an attempt that already finished does nothing; a re-run of the same run proceeds.
  if (
    status &&
    ["succeeded", "failed", "cancelled"].includes(status.record.state) &&
    status.record.runId !== deps.run.id
  ) {
    if (status.record.state === "cancelled") return { skip: `#${req.issue} was cancelled` };
    if (!req.feedback)
      return {
        skip: `attempt ${status.record.attempt} of #${req.issue} already ${status.record.state} (run ${status.record.runId ?? "?"}); use \`/handoff retry\``,
      };
  }

  const baseBranch = config.branches.base ?? deps.defaultBranch;
  let base = baseBranch;
  let stackedOn: TaskContext["stackedOn"];
  if (parent !== undefined && !handWritten) {
    const prerequisites = await readPrerequisites(
      gw,
      { parent, branchPrefix: config.branches.prefix },
      task.dependsOn,
    );
    const self = {
      key: task.key,
      state: "pending" as const,
      dependsOn: task.dependsOn,
      files: [],
      independentOf: [],
      branch,
    };
    const readiness = readinessOf([...prerequisites, self], task.key, baseBranch);
    if (!readiness.ready) throw new Refusal(`\`${task.key}\` cannot start yet: ${readiness.reason}`);
    base = readiness.base;
    const on = prerequisites.find((p) => p.key === readiness.stackedOn);
    if (readiness.stackedOn)
      stackedOn = {
        key: readiness.stackedOn,
        ...(on?.issue !== undefined ? { issue: on.issue } : {}),
        ...(on?.pr !== undefined ? { pr: on.pr } : {}),
      };
  } else {
    for (const dep of parsed.meta.dependsOnIssues ?? []) {
      const prerequisite = await gw.getIssue(dep);
      if (prerequisite.state !== "closed")
        throw new Refusal(`this script depends on #${dep}, which is still open`);
    }
    // A stacked base comes only from a plan's state; a hand-written script starts from the base branch.
  }
  if (req.base && req.base !== base)
    deps.log.warn(`dispatched with base ${req.base}; GitHub's state says ${base}`);
  if ([deps.defaultBranch, baseBranch, base].includes(branch))
    throw new Refusal(`the task branch \`${branch}\` is the base branch; check \`branches.prefix\``);
  return {
    task,
    parent,
    branch,
    base,
    stackedOn,
    status,
    script: { title: issue.title, body: issue.body },
    planBase: parsed.meta.grounding?.base,
  };
}

/** Throws a Refusal unless `login` has at least `trigger.minPermission` on the repository. */
async function requirePermitted(deps: WorkerDeps, login: string, did: string): Promise<void> {
  const minimum = deps.config.trigger.minPermission;
  const permission = login ? await deps.gw.permissionOf(login) : "none";
  if (!permissionAllows(permission, minimum))
    throw new Refusal(
      `@${login} ${did} this run, but only people with \`${minimum}\` permission or more may start handoff (they have \`${permission}\`).`,
    );
}
