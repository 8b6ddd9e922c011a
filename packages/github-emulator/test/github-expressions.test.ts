// Job `if:` conditions in the emulated runner: the worker workflow's own condition skips the runs
// GitHub starts for labelled issues, as GitHub does.
import { describe, expect, it } from "vitest";
import { condition, type ExpressionContext } from "../src/expressions.ts";

const WORKER_IF = "github.event_name == 'workflow_dispatch' || github.event.label.name == 'handoff-run'";
const context = (github: Record<string, unknown>): ExpressionContext => ({
  inputs: {},
  github,
  secrets: {},
  vars: {},
  env: {},
});

describe("job if: conditions", () => {
  it("run a dispatched job and skip a labelled issue's unless the label is the trigger label", () => {
    expect(condition(context({ event_name: "workflow_dispatch" }), WORKER_IF)).toBe(true);
    const labelled = (name: string) => context({ event_name: "issues", event: { label: { name } } });
    expect(condition(labelled("handoff"), WORKER_IF)).toBe(false);
    expect(condition(labelled("Handoff-Run"), WORKER_IF)).toBe(true);
  });

  it("reads ${{ }} wrappers, && and !=, and runs a job without a condition", () => {
    const ctx = context({ event_name: "push", ref: "refs/heads/main" });
    expect(condition(ctx, undefined)).toBe(true);
    expect(condition(ctx, "${{ github.event_name != 'push' }}")).toBe(false);
    expect(condition(ctx, "github.event_name == 'push' && github.ref == 'refs/heads/main'")).toBe(true);
    expect(condition(ctx, "github.event_name == 'push' && github.ref == 'refs/heads/dev'")).toBe(false);
  });
});
