// A world without the App: the orchestrator workflow is committed and a runner executes the bundled
// action as its step (`uses: handoff-dev/handoff/action@v1`, mode orchestrator), with the workflow's
// GITHUB_TOKEN, its permissions and the event payload GitHub would give it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { ACTION_ENTRY, ROOT, startWorld, type World } from "../world/index.ts";
import { scriptSampleSessions } from "../world/scenarios/sample.ts";

export const ORCHESTRATOR_WORKFLOW = "handoff-orchestrator.yml";
export const ACTIONS_BOT = "github-actions[bot]";
/** A copy of the orchestrator workflow started by workflow_dispatch (see attachReplay). */
export const REPLAY_WORKFLOW = "handoff-orchestrator-replay.yml";

export interface ActionsOnlyOptions {
  /** Run the worker workflow too. */
  workers?: boolean;
  /** Commit the replay copy of the orchestrator workflow. */
  replay?: boolean;
  /** Without the ANTHROPIC_API_KEY secret (as on a fork's or Dependabot's pull request). */
  noKey?: boolean;
}

export async function startActionsOnlyWorld(opts: ActionsOnlyOptions = {}): Promise<World> {
  const workflow = await readFile(path.join(ROOT, ".github/workflows", ORCHESTRATOR_WORKFLOW), "utf8");
  const files: Record<string, string> = { [`.github/workflows/${ORCHESTRATOR_WORKFLOW}`]: workflow };
  if (opts.replay) {
    // The same job and permissions, started by workflow_dispatch (see attachReplay).
    const on = /^on:\n(?: .*\n|\n)*?(?=\S)/m;
    expect(workflow).toMatch(on);
    files[`.github/workflows/${REPLAY_WORKFLOW}`] = workflow
      .replace(on, "on: workflow_dispatch\n\n")
      // Its own job `if:` is about the events it replaces; the replay decides what it replays.
      .replace(/\n {4}if: >-\n(?: {6}.*\n)+/, "\n");
  }
  const world = await startWorld({ orchestrator: false, runner: opts.workers ?? false, files });
  world.gh.attachRunner({
    entry: ACTION_ENTRY,
    workflows: [ORCHESTRATOR_WORKFLOW],
    step: true, // the workflow's handoff step: mode orchestrator
    actionYml: path.join(ROOT, "action/action.yml"),
    secrets: opts.noKey ? {} : { ANTHROPIC_API_KEY: world.anthropic.apiKey },
    with: { "anthropic-base-url": world.anthropic.url },
    env: { HANDOFF_PACING: "fast" },
    timeoutMs: 120_000,
  });
  scriptSampleSessions(world.anthropic);
  return world;
}
