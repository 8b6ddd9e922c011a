// How a test attaches the Actions runner, and what the runner is given by the emulator.
import type { Actions } from "./ops/actions.ts";
import { type RunUrls } from "./runner-env.ts";
import type { Store } from "./store.ts";

export interface RunnerOptions {
  /** The node script the step runs, e.g. action/dist/index.js. */
  entry: string;
  /** Extra node arguments, e.g. ["--import", "tsx"] for a TypeScript entry. */
  nodeArgs?: string[];
  /** Workflow file names this runner executes (e.g. ["handoff-worker.yml"]); default: all. */
  workflows?: string[];
  /** The step's `with:` map → INPUT_*; values may use ${{ inputs.x }}, ${{ github.token }}, ${{ secrets.X }}. */
  with?: Record<string, string>;
  /**
   * Also take `with:` (and `env:`) from a step of the workflow file: a step id or a `uses:`
   * prefix, or true for the first step that is not an actions/* step. `with` above wins.
   */
  step?: string | true;
  /** An action.yml whose input defaults fill inputs nobody set. */
  actionYml?: string;
  /**
   * Stands for the job's setup steps before the action (actions/setup-node, `npm ci`, …): called
   * with the fresh checkout, e.g. to link a prepared node_modules into it.
   */
  prepareWorkspace?: (workspace: string) => Promise<void>;
  /** Extra environment for the step (e.g. the Anthropic fake's URL). */
  env?: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Runs executing at once (default 4). */
  concurrency?: number;
  /** Per-run wall-clock bound (default 10 minutes; a shorter job timeout-minutes wins). */
  timeoutMs?: number;
  /** Between SIGINT and SIGKILL on cancel or timeout (GitHub waits 7.5 s; default 2 s). */
  cancelGraceMs?: number;
  /** Pass the test process environment through (default: only PATH, HOME, LANG, TZ). */
  inheritEnv?: boolean;
  /**
   * GITHUB_TOKEN permissions when the workflow declares no `permissions:`. GitHub's default for
   * new repositories is "restricted" (contents: read); default here too.
   */
  defaultTokenPermissions?: "restricted" | "permissive";
}

export interface RunnerContext {
  actions: Actions;
  store: Store;
  urls: RunUrls;
  tempRoot: string;
}
