// What every step of the demo shares: where text goes, how it looks, and what is running (so the
// watchdog and Ctrl-C can close it).
import type { Observer } from "./observer.ts";
import type { ProgressView } from "./progress.ts";
import type { Style } from "./term.ts";
import type { DemoWorld, LiveModel } from "./world.ts";

/** Exit codes: 0 all merged and the rollup all done, 1 the run did not end all done, 2 usage, 3 watchdog, 130 interrupted. */
export const EXIT = { ok: 0, incomplete: 1, usage: 2, watchdog: 3, interrupted: 130 } as const;

export const REPO = { owner: "acme", repo: "shop" };
/** The collaborator who asks for the handoff and merges the PRs. */
export const PERSON = "alice";

export interface Context {
  live?: LiveModel;
  write: (text: string) => void;
  say: (line?: string) => void;
  style: Style;
  tty: boolean;
  columns: number;
  outDir: string;
  world?: DemoWorld;
  observer?: Observer;
  progress?: ProgressView;
}
