// What the demo is about to show, and whether the model is replayed or real.
import { PERSON, type Context } from "./context.ts";

export function banner(ctx: Context): void {
  const s = ctx.style;
  ctx.say(s.bold("handoff demo"));
  ctx.say();
  ctx.say(
    `${PERSON}, a collaborator on acme/shop (a small TypeScript shop with three real bugs: \`npm test\` fails),\n` +
      "comments /handoff on an issue. The handoff App explores the repository with Claude, files one\n" +
      'sub-issue per task (a "handoff script") and dispatches a GitHub Actions worker for each ready task;\n' +
      "every worker runs a fresh agent session on its own branch, runs the acceptance commands and opens\n" +
      `a PR. ${PERSON} merges the PRs (the stacked one after its prerequisite) and the rollup ends all done.`,
  );
  ctx.say();
  if (ctx.live) {
    const at = ctx.live.baseUrl ? ` at ${ctx.live.baseUrl}` : "";
    ctx.say(
      s.yellow(
        `${s.bold("LIVE MODEL")}: the planner and the workers call the Anthropic API${at} with your key (this costs\n` +
          "real tokens). GitHub is still a local emulator; nothing leaves this machine except the model calls.",
      ),
    );
  } else {
    ctx.say(
      s.yellow(
        `${s.bold("OFFLINE REPLAY")}: GitHub is a local emulator and the model sessions are scripted (a fake Anthropic\n` +
          "API replays them). The App, the worker action, git, the edits and the test runs are real.\n" +
          "Use --live to plan and work with the real model.",
      ),
    );
  }
  ctx.say();
}
