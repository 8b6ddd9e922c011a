// Pure pieces of the GitHub emulator: file commands, pagination, closing keywords,
// expressions, workflow parsing and dispatch inputs.
import { describe, expect, it } from "vitest";
import { interpolate } from "../src/expressions.ts";
import { resolveInputs } from "../src/ops/run-inputs.ts";
import { closingReferences } from "../src/ops/closing-keywords.ts";
import { paginate } from "../src/pagination.ts";
import { inputEnvName, parseFileCommands } from "../src/runner-files.ts";
import { parseWorkflow, triggers } from "../src/workflows.ts";
import { ApiError } from "../src/errors.ts";

describe("parseFileCommands", () => {
  it("reads name=value lines and the name<<DELIMITER form @actions/core writes", () => {
    const text = "a=1\nsummary<<ghadelimiter_42\nline one\nline=two\n\nghadelimiter_42\nb=x=y\n";
    expect(parseFileCommands(text)).toEqual({ a: "1", summary: "line one\nline=two\n", b: "x=y" });
  });

  it("rejects an unterminated heredoc and a line without a value", () => {
    expect(() => parseFileCommands("x<<EOF\nno end\n")).toThrow(/delimiter/);
    expect(() => parseFileCommands("justaname\n")).toThrow(/malformed/);
  });
});

describe("inputEnvName", () => {
  it("upper-cases, turns spaces into underscores and keeps hyphens", () => {
    expect(inputEnvName("github-token")).toBe("INPUT_GITHUB-TOKEN");
    expect(inputEnvName("task id")).toBe("INPUT_TASK_ID");
  });
});

describe("paginate", () => {
  const url = new URL("http://h/api/v3/repos/o/r/issues?state=all&per_page=2");
  const items = [1, 2, 3, 4, 5];

  it("slices pages and links next/last, then prev/first", () => {
    const first = paginate(items, { per_page: 2 }, url);
    expect(first.items).toEqual([1, 2]);
    expect(first.link).toBe(
      '<http://h/api/v3/repos/o/r/issues?state=all&per_page=2&page=2>; rel="next", ' +
        '<http://h/api/v3/repos/o/r/issues?state=all&per_page=2&page=3>; rel="last"',
    );
    const last = paginate(items, { per_page: 2, page: 3 }, url);
    expect(last.items).toEqual([5]);
    expect(last.link).toContain('page=2>; rel="prev"');
    expect(last.link).toContain('page=1>; rel="first"');
    expect(last.link).not.toContain('rel="next"');
  });

  it("defaults to 30 per page, caps at 100, and sends no Link for a single page", () => {
    const many = Array.from({ length: 250 }, (_, i) => i);
    expect(paginate(many, {}, url).items).toHaveLength(30);
    expect(paginate(many, { per_page: 1000 }, url).items).toHaveLength(100);
    expect(paginate([1], {}, url).link).toBeUndefined();
  });
});

describe("closingReferences", () => {
  it("finds GitHub's closing keywords, with or without a repository", () => {
    expect(closingReferences("Closes #12, fixes acme/app#3 and Resolved: #4")).toEqual([
      { number: 12 },
      { owner: "acme", repo: "app", number: 3 },
      { number: 4 },
    ]);
  });

  it("ignores mentions without a keyword", () => {
    expect(closingReferences("See #12; refs #3; prefix#4")).toEqual([]);
  });
});

describe("interpolate", () => {
  const context = {
    inputs: { task: "T1", dry: false },
    github: { token: "ghs_x", event: { inputs: { task: "T1" } } },
    secrets: { API: "s3cret" },
    vars: {},
    env: {},
  };

  it("substitutes inputs, github, secrets and fallbacks", () => {
    expect(interpolate(context, "Task ${{ inputs.task }}")).toBe("Task T1");
    expect(interpolate(context, "${{ github.event.inputs.task }}")).toBe("T1");
    expect(interpolate(context, "${{ secrets.API }}/${{ github.token }}")).toBe("s3cret/ghs_x");
    expect(interpolate(context, "${{ inputs.missing || 'default' }}")).toBe("default");
    expect(interpolate(context, "${{ vars.NOPE }}")).toBe("");
  });
});

describe("parseWorkflow and triggers", () => {
  const file = parseWorkflow(
    ".github/workflows/w.yml",
    [
      "name: Worker",
      "run-name: Task ${{ inputs.task }}",
      "on:",
      "  workflow_dispatch:",
      "    inputs:",
      "      task: { required: true }",
      "  issues:",
      "    types: [labeled]",
      "  pull_request:",
      "permissions:",
      "  contents: write",
      "  pull-requests: write",
      "jobs:",
      "  work:",
      "    timeout-minutes: 5",
      "    steps:",
      "      - uses: ./",
      "        with: { task: '${{ inputs.task }}' }",
    ].join("\n"),
  )!;

  it("reads name, run-name, triggers, permissions and the first job", () => {
    expect(file.name).toBe("Worker");
    expect(file.runName).toBe("Task ${{ inputs.task }}");
    expect(file.on.workflow_dispatch?.inputs?.task).toEqual({ required: true });
    expect(file.permissions).toEqual({ contents: "write", pull_requests: "write" });
    expect(file.job).toMatchObject({ id: "work", timeoutMinutes: 5 });
    expect(file.job.steps[0]?.with).toEqual({ task: "${{ inputs.task }}" });
  });

  it("matches activity types, with GitHub's defaults when types are omitted", () => {
    expect(triggers(file, "issues", "labeled")).toBe(true);
    expect(triggers(file, "issues", "opened")).toBe(false);
    expect(triggers(file, "pull_request", "opened")).toBe(true);
    expect(triggers(file, "pull_request", "closed")).toBe(false);
    expect(triggers(file, "push", undefined)).toBe(false);
  });

  it("returns null for YAML without `on:`", () => {
    expect(parseWorkflow("x.yml", "name: nothing\n")).toBeNull();
    expect(parseWorkflow("x.yml", "on: [push\n")).toBeNull();
  });
});

describe("resolveInputs", () => {
  const declared = {
    task: { required: true },
    mode: { type: "choice", options: ["fast", "slow"], default: "fast" },
    dry: { type: "boolean", default: false },
  };

  it("applies defaults and types", () => {
    expect(resolveInputs(declared, { task: "T1" })).toEqual({ task: "T1", mode: "fast", dry: false });
    expect(resolveInputs(declared, { task: "T1", dry: "true" })).toMatchObject({ dry: true });
  });

  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ApiError ? `${error.status} ${JSON.stringify(error.body())}` : String(error);
    }
    return "no error";
  };

  it("rejects what GitHub rejects with 422", () => {
    expect(message(() => resolveInputs(declared, {}))).toMatch(/^422 .*Required input 'task' not provided/);
    expect(message(() => resolveInputs(declared, { task: "x", extra: "1" }))).toMatch(
      /Unexpected inputs provided: \[\\"extra\\"\]/,
    );
    expect(message(() => resolveInputs(declared, { task: "x", mode: "medium" }))).toMatch(
      /not in the list of allowed values/,
    );
    expect(message(() => resolveInputs(declared, { task: "x", dry: "maybe" }))).toMatch(
      /not a valid boolean/,
    );
  });
});
