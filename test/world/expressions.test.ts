// The emulator's expression evaluator (held to GitHub's "Evaluate expressions" documentation), and
// with it which events handoff's workflows let through to a job: nothing else may show a check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./index.ts";
import { condition, evaluate, interpolate, type ExpressionContext } from "@handoff/github-emulator";

const ctx = (github: Record<string, unknown>, inputs: Record<string, unknown> = {}): ExpressionContext => ({
  inputs,
  github: { repository: "acme/shop", ...github },
  secrets: {},
  vars: {},
  env: {},
});

describe("expressions", () => {
  const c = ctx({
    event_name: "issues",
    event: { issue: { number: 7, labels: [{ name: "Handoff" }, { name: "bug" }] }, label: { name: "x" } },
  });
  it("evaluates operators and functions as GitHub documents them", () => {
    expect(evaluate(c, "github.event.issue.number == '7'")).toBe(true); // compared as numbers
    expect(evaluate(c, "github.event_name == 'ISSUES'")).toBe(true); // strings ignore case
    expect(evaluate(c, "contains(github.event.issue.labels.*.name, 'handoff')")).toBe(true);
    expect(evaluate(c, "contains('Hello /handoff go', '/HANDOFF')")).toBe(true);
    expect(evaluate(c, "startsWith('handoff/12-a', 'handoff/') && !endsWith('a', 'b')")).toBe(true);
    expect(evaluate(c, "github.nothing || 'fallback'")).toBe("fallback");
    expect(evaluate(c, "github.event.issue.number && 'yes'")).toBe("yes");
    expect(evaluate(c, "(1 == 2) || (2 > 1 && null == 0)")).toBe(true);
    expect(evaluate(c, "format('a-{0}-{1}', github.event.issue.number, 'b')")).toBe("a-7-b");
    expect(evaluate(c, "github.event['label'].name != 'y'")).toBe(true);
    expect(interpolate(c, "x-${{ github.event.issue.number }}-${{ github.missing }}")).toBe("x-7-");
  });
  it("takes `if:` with or without ${{ }}, and fails loudly on what it does not know", () => {
    expect(condition(c, "${{ github.event_name == 'issues' }}")).toBe(true);
    expect(condition(c, "github.event_name == 'push'")).toBe(false);
    expect(condition(c, undefined)).toBe(true);
    expect(() => evaluate(c, "hashFiles('x')")).toThrow(/unknown function/);
  });
});

const job = (file: string) =>
  Object.values(parse(readFileSync(join(ROOT, ".github/workflows", file), "utf8")).jobs)[0] as {
    if: string;
  };

describe("the orchestrator workflow runs only for events handoff acts on", () => {
  const ifOf = job("handoff-orchestrator.yml").if;
  const runs = (event_name: string, event: Record<string, unknown>) =>
    condition(ctx({ event_name, event }), ifOf);
  const pr = (ref: string, repo = "acme/shop") => ({
    pull_request: { head: { ref, repo: { full_name: repo } } },
  });
  const commentBy = (body: string, type = "User") => ({ comment: { body, user: { type } } });

  it("runs for a person's /handoff comment, handoff's PRs, its sub-issues and worker runs", () => {
    expect(runs("issue_comment", commentBy("/handoff go"))).toBe(true);
    expect(runs("pull_request", pr("handoff/12-fix-rounding"))).toBe(true);
    expect(runs("issues", { issue: { labels: [{ name: "handoff" }] } })).toBe(true);
    expect(runs("workflow_run", { workflow_run: { id: 5 } })).toBe(true);
  });

  it("skips a stranger's pull request (a fork's, Dependabot's), ordinary comments, bots and other issues", () => {
    expect(runs("pull_request", pr("main", "stranger/shop"))).toBe(false);
    expect(runs("pull_request", pr("handoff/12-fix-rounding", "stranger/shop"))).toBe(false);
    expect(runs("pull_request", pr("dependabot/npm_and_yarn/zod-4.1.0"))).toBe(false);
    expect(runs("issue_comment", commentBy("Thanks!"))).toBe(false);
    expect(runs("issue_comment", commentBy("/handoff status", "Bot"))).toBe(false);
    expect(runs("issues", { issue: { labels: [{ name: "bug" }] } })).toBe(false);
  });
});

describe("the worker workflow runs for dispatches and the trigger label only", () => {
  const ifOf = job("handoff-worker.yml").if;
  it("skips every other label, including handoff's own", () => {
    const labelled = (name: string) =>
      condition(ctx({ event_name: "issues", event: { label: { name } } }), ifOf);
    expect(condition(ctx({ event_name: "workflow_dispatch", event: {} }), ifOf)).toBe(true);
    expect(labelled("handoff-run")).toBe(true);
    expect(labelled("handoff")).toBe(false);
    expect(labelled("bug")).toBe(false);
  });
});
