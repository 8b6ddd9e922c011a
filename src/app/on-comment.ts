// issue_comment.created: a `/handoff …` command on an issue or a pull request.
import { parseCommand, renderHelp, type Command } from "../kernel/core/commands/commands.ts";
import { permissionAllows } from "../kernel/core/config/config.ts";
import type { GitHubClient } from "../kernel/github/gateway.ts";
import { commandCancel, commandFix, commandGo, commandRetry } from "../orchestrator/commands.ts";
import { commandStatus } from "../orchestrator/status-command.ts";
import type { CommandReply } from "../orchestrator/loaded-plan.ts";
import type { Logger, OrchestratorEnv } from "../kernel/store/env.ts";
import { postNoticeOnce } from "../kernel/store/notices.ts";
import { handlePlanCommand, PlanNotSaved } from "../orchestrator/plan-command.ts";
import { configErrorMessage, loadEnv, type EnvServices } from "./event-env.ts";
import type { KeyedSerial } from "../orchestrator/serial.ts";

export interface CommentEvent {
  repository: { owner: { login: string }; name: string; full_name: string; default_branch?: string };
  issue: { number: number; title: string; body?: string | null; pull_request?: unknown };
  comment: { id: number; body: string; user: { login: string; type: string } | null };
}

export interface CommentDeps extends EnvServices {
  octokit: GitHubClient;
  log: Logger;
  serial: KeyedSerial;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runCommand(
  env: OrchestratorEnv,
  ev: CommentEvent,
  command: Command,
): Promise<CommandReply & { failed?: boolean }> {
  const parent = ev.issue.number;
  const author = ev.comment.user?.login ?? "ghost";
  const onPullRequest = Boolean(ev.issue.pull_request);
  switch (command.kind) {
    case "plan-and-start":
    case "plan": {
      if (onPullRequest)
        return {
          reply:
            "Comment `/handoff` on an issue to plan it; on a handoff pull request use `/handoff fix <feedback>`.",
        };
      const result = await handlePlanCommand(env, {
        parent: { number: parent, title: ev.issue.title, body: ev.issue.body ?? "" },
        trigger: { id: ev.comment.id, author },
        instructions: command.instructions,
        waitForApproval: command.kind === "plan" || env.config.approval.required,
      });
      return { failed: result.outcome === "failed" };
    }
    case "go":
      return commandGo(env, parent);
    case "status":
      return commandStatus(env, parent, { commentId: ev.comment.id, author });
    case "retry":
      return commandRetry(env, parent, command.target, author);
    case "cancel":
      return commandCancel(env, parent, command.target, author);
    case "fix":
      if (!onPullRequest)
        return {
          reply: renderHelp("`/handoff fix <feedback>` works on a handoff pull request, not on an issue."),
        };
      return commandFix(env, env.gw, parent, command.feedback);
    case "help":
      return { reply: renderHelp(command.problem) };
  }
}

export async function onComment(ev: CommentEvent, deps: CommentDeps): Promise<void> {
  const user = ev.comment.user;
  if (!user || user.type === "Bot") return; // never react to bots, ourselves included
  const command = parseCommand(ev.comment.body, { where: ev.issue.pull_request ? "pull_request" : "issue" });
  if (!command) return;

  const loaded = await loadEnv(deps.octokit, ev.repository, deps.log, deps);
  const gw = loaded.ok ? loaded.env.gw : loaded.gw;
  const minimum = loaded.ok ? loaded.env.config.trigger.minPermission : "write";
  const permission = await gw.permissionOf(user.login);
  const issue = ev.issue.number;
  const replyId = `reply:${ev.comment.id}`;
  if (!permissionAllows(permission, minimum)) {
    deps.log.info(
      `${ev.repository.full_name}#${issue}: @${user.login} (${permission}) may not run handoff commands`,
    );
    await postNoticeOnce(
      gw,
      issue,
      replyId,
      `Sorry @${user.login}, handoff commands need ${minimum} access to this repository. A maintainer can run \`/handoff\` for you.`,
    );
    return;
  }

  const eyes = await gw.reactToComment(ev.comment.id, "eyes");
  if (!loaded.ok) {
    await postNoticeOnce(gw, issue, replyId, configErrorMessage(loaded.errors));
    // 👀 means "working on it"; like every other failure, it gives way to 😕.
    await gw.removeCommentReaction(ev.comment.id, eyes);
    await gw.reactToComment(ev.comment.id, "confused");
    return;
  }
  const env = loaded.env;
  try {
    const outcome = await deps.serial.run(`${ev.repository.full_name}#${issue}`, () =>
      runCommand(env, ev, command),
    );
    if (outcome.reply) await postNoticeOnce(gw, issue, replyId, outcome.reply);
    if (outcome.failed) {
      await gw.removeCommentReaction(ev.comment.id, eyes);
      await gw.reactToComment(ev.comment.id, "confused");
    } else if (command.kind === "plan-and-start" || command.kind === "plan" || command.kind === "go") {
      await gw.reactToComment(ev.comment.id, "rocket");
    }
  } catch (e) {
    deps.log.error(`${ev.repository.full_name}#${issue}: /handoff ${command.kind} failed: ${errorText(e)}`);
    await postNoticeOnce(
      gw,
      issue,
      `error:${ev.comment.id}`,
      e instanceof PlanNotSaved
        ? `⚠️ ${e.message}`
        : `⚠️ handoff hit an error while running \`/handoff ${command.kind}\`: ${errorText(e).slice(0, 500)}\n\nNothing is lost: comment \`/handoff status\` to pick up where it stopped.`,
    ).catch(() => undefined);
    await gw.removeCommentReaction(ev.comment.id, eyes).catch(() => undefined);
    await gw.reactToComment(ev.comment.id, "confused").catch(() => undefined);
    throw e;
  }
}
