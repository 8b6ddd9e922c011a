// action.yml, the worker workflow and the code that reads them must agree: a renamed input or an
// output set but not declared would only show up on GitHub otherwise.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INPUT_NAMES, resolveMode } from "../../action/src/inputs.ts";
import { OUTPUT_NAMES } from "../../action/src/outputs.ts";
import { DEFAULT_CONFIG, TRIGGER_LABEL } from "../../src/kernel/core/config/config.ts";
import { workerInputs } from "../../src/kernel/store/dispatch.ts";
import { ROOT } from "../world/index.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, checked field by field below
const load = (rel: string) => parse(readFileSync(path.join(ROOT, rel), "utf8")) as Record<string, any>;
const action = load("action/action.yml");
const worker = load(".github/workflows/handoff-worker.yml");
const orchestrator = load(".github/workflows/handoff-orchestrator.yml");

describe("action.yml", () => {
  it("runs the committed bundle on node24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(path.join(ROOT, "action/dist/index.js"))).toBe(true);
  });

  it("declares exactly the inputs the entry reads; the API key is checked where a model is needed", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUT_NAMES).sort());
    // Optional, so events that need no model (and have no secrets: forks, Dependabot) finish quietly;
    // the worker and planning fail with what to set (test/orchestrator/actions-only.test.ts).
    expect(action.inputs["anthropic-api-key"].required).toBe(false);
    expect(action.inputs["github-token"].default).toBe("${{ github.token }}");
    expect(action.inputs.mode.default).toBe("auto");
  });

  it("declares exactly the outputs the entry sets", () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });
});

describe("the worker workflow", () => {
  it("accepts exactly the inputs the orchestrator dispatches with", () => {
    const dispatched = Object.keys(workerInputs({ issue: 1, base: "main", feedback: "x" })).sort();
    expect(Object.keys(worker.on.workflow_dispatch.inputs).sort()).toEqual(dispatched);
    expect(worker.on.workflow_dispatch.inputs.issue.required).toBe(true);
  });

  it("is the file the orchestrator dispatches by default, and starts on the trigger label only", () => {
    expect(path.basename(".github/workflows/handoff-worker.yml")).toBe(DEFAULT_CONFIG.worker.workflow);
    expect(worker.jobs.work.if).toContain(`github.event.label.name == '${TRIGGER_LABEL}'`);
    expect(DEFAULT_CONFIG.labels.task).not.toContain(TRIGGER_LABEL);
    // The label is named in the workflow only: the configuration has no key that would not reach it.
    expect(Object.keys(DEFAULT_CONFIG.labels)).toEqual(["task"]);
  });

  it("keeps credentials out of the checkout and serializes runs per sub-issue", () => {
    const checkout = worker.jobs.work.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith("actions/checkout"),
    );
    expect(checkout.with).toMatchObject({ "fetch-depth": 0, "persist-credentials": false });
    // At job level, behind the `if:`: see test/world/actions-concurrency.test.ts for why.
    expect(worker.concurrency).toBeUndefined();
    expect(worker.jobs.work.concurrency["cancel-in-progress"]).toBe(false);
    expect(worker.jobs.work.concurrency.group).toContain("inputs.issue");
    expect(worker.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
      issues: "write",
      actions: "write",
    });
  });

  it("passes only declared inputs to the action", () => {
    const step = worker.jobs.work.steps.find((s: { uses?: string }) => s.uses?.includes("handoff"));
    for (const key of Object.keys(step.with)) expect(Object.keys(action.inputs)).toContain(key);
    expect(step.with.mode).toBe("worker");
  });
});

describe("the Actions-only orchestrator workflow", () => {
  it("listens to the events the orchestrator handles and runs it in orchestrator mode", () => {
    expect(Object.keys(orchestrator.on).sort()).toEqual([
      "issue_comment",
      "issues",
      "pull_request",
      "workflow_run",
    ]);
    expect(orchestrator.on.workflow_run.workflows).toEqual([worker.name]);
    const step = orchestrator.jobs.orchestrate.steps[0];
    expect(step.with.mode).toBe("orchestrator");
    for (const key of Object.keys(step.with)) expect(Object.keys(action.inputs)).toContain(key);
  });

  it("auto mode sends starts to the worker and everything else to the orchestrator", () => {
    expect(resolveMode("auto", "workflow_dispatch", undefined)).toBe("worker");
    expect(resolveMode("auto", "issues", "labeled")).toBe("worker");
    expect(resolveMode("auto", "issues", "closed")).toBe("orchestrator");
    expect(resolveMode("auto", "issue_comment", "created")).toBe("orchestrator");
    expect(resolveMode("worker", "issue_comment", "created")).toBe("worker");
  });
});
