// Webhook payloads built from real recorded examples: overrides land where they should, derived
// events (closed issue, merged PR, PR comment, sub-issues) are consistent, and every payload
// conforms at run time to its type in @octokit/openapi-webhooks-types.
import { beforeAll, describe, expect, it } from "vitest";
import { createPayloadChecker, type PayloadChecker } from "../src/webhooks/type-conformance.ts";
import { availableExamples, webhook } from "../src/webhooks/index.ts";

const repo = { owner: "acme", name: "widgets", id: 4242 };
const bot = { login: "handoff-app[bot]", id: 99, type: "Bot" as const };

const built: [schema: string, name: string, payload: object][] = [
  ["webhook-issue-comment-created", "comment on an issue", webhook.issueComment()],
  [
    "webhook-issue-comment-created",
    "comment on a PR, by a bot, elsewhere",
    webhook.issueComment({
      repo,
      installationId: 7,
      issue: { number: 12, pullRequest: true, labels: ["handoff"] },
      comment: { id: 5, body: "/handoff" },
      author: bot,
    }),
  ],
  [
    "webhook-issues-opened",
    "issue opened",
    webhook.issueOpened({ repo, issue: { number: 3, title: "T", body: null, author: { login: "alice" } } }),
  ],
  [
    "webhook-issues-labeled",
    "issue labeled",
    webhook.issueLabeled({ repo, label: { name: "handoff", color: "00ff00" } }),
  ],
  [
    "webhook-issues-closed",
    "issue closed",
    webhook.issueClosed({ repo, issue: { number: 3 }, stateReason: "not_planned" }),
  ],
  [
    "webhook-pull-request-opened",
    "PR opened",
    webhook.pullRequestOpened({
      repo,
      pullRequest: {
        number: 8,
        head: { ref: "handoff/task-1", sha: "a".repeat(40) },
        base: { ref: "main" },
        author: bot,
      },
    }),
  ],
  [
    "webhook-pull-request-closed",
    "PR merged",
    webhook.pullRequestClosed({ repo, merged: true, pullRequest: { number: 8 } }),
  ],
  ["webhook-pull-request-closed", "PR closed unmerged", webhook.pullRequestClosed({ repo })],
  [
    "webhook-pull-request-synchronize",
    "PR synchronized",
    webhook.pullRequestSynchronize({ repo, before: "b".repeat(40), after: "c".repeat(40) }),
  ],
  [
    "webhook-workflow-run-completed",
    "workflow run failed",
    webhook.workflowRunCompleted({
      repo,
      run: {
        id: 31,
        conclusion: "failure",
        path: ".github/workflows/handoff-worker.yml",
        displayTitle: "handoff #3",
        headBranch: "handoff/task-1",
      },
    }),
  ],
  ["webhook-workflow-run-completed", "workflow run default", webhook.workflowRunCompleted()],
  [
    "webhook-installation-created",
    "installation created",
    webhook.installationCreated({
      installationId: 7,
      account: { login: "acme", type: "Organization" },
      repositories: ["acme/widgets"],
    }),
  ],
  [
    "webhook-sub-issues-sub-issue-added",
    "sub-issue added",
    webhook.subIssueAdded({
      repo,
      parent: { number: 3 },
      sub: { number: 4, title: "Task 1", labels: ["handoff:task"] },
    }),
  ],
  [
    "webhook-sub-issues-parent-issue-added",
    "parent issue added",
    webhook.parentIssueAdded({ repo, parent: { number: 3 }, sub: { number: 4 } }),
  ],
];

let checker: PayloadChecker;
beforeAll(() => {
  checker = createPayloadChecker([...new Set(built.map(([schema]) => schema))]);
});

describe("conformance to @octokit/openapi-webhooks-types", () => {
  it.each(built)("%s: %s", (schema, _name, payload) => {
    expect(checker.check(schema, payload)).toEqual([]);
  });

  it("is not vacuous: it catches missing keys, wrong literals and wrong types", () => {
    const p = structuredClone(webhook.pullRequestClosed({ merged: true })) as unknown as {
      action: string;
      pull_request: { merged: unknown; head: { sha?: string }; labels: { archived_at?: unknown }[] };
    };
    p.action = "merged";
    p.pull_request.merged = "yes";
    delete p.pull_request.head.sha;
    const problems = checker.check("webhook-pull-request-closed", p);
    expect(problems).toContain('$.action: expected "closed", got "merged"');
    expect(problems).toContain("$.pull_request.head.sha: required key is missing");
    expect(problems.some((m) => m.startsWith("$.pull_request.merged:"))).toBe(true);
  });

  it("derives exactly the events the package lacks", () => {
    const available = availableExamples();
    expect(available.issues).not.toContain("closed");
    expect(available.sub_issues).toBeUndefined();
    expect(available.issue_comment).toContain("created");
  });
});

describe("overrides", () => {
  it("points every URL and the repository at the overridden repo", () => {
    const p = webhook.issueComment({
      repo,
      issue: { number: 12 },
      comment: { id: 5, body: "/handoff plan" },
      author: bot,
    });
    expect(p.repository).toMatchObject({
      id: 4242,
      name: "widgets",
      full_name: "acme/widgets",
      owner: { login: "acme" },
    });
    expect(p.issue).toMatchObject({
      number: 12,
      url: "https://api.github.com/repos/acme/widgets/issues/12",
      html_url: "https://github.com/acme/widgets/issues/12",
    });
    expect(p.comment).toMatchObject({
      id: 5,
      body: "/handoff plan",
      user: { login: "handoff-app[bot]", id: 99, type: "Bot" },
    });
    expect(p.sender).toMatchObject({ login: "handoff-app[bot]", type: "Bot" });
    expect(p.installation).toEqual({ id: 1, node_id: expect.any(String) });
    expect(JSON.stringify(p)).not.toContain("Codertocat/Hello-World");
  });

  it("marks a comment on a pull request the way GitHub does", () => {
    const onIssue = webhook.issueComment();
    const onPr = webhook.issueComment({ issue: { number: 9, pullRequest: true } });
    expect(onIssue.issue.pull_request).toBeUndefined();
    expect(onPr.issue.pull_request).toMatchObject({
      url: expect.stringMatching(/\/pulls\/9$/),
      html_url: expect.stringMatching(/\/pull\/9$/),
    });
  });

  it("leaves the installation out when asked", () => {
    expect("installation" in webhook.issueOpened({ installationId: null })).toBe(false);
  });

  it("builds a merged PR with its merge fields, and an unmerged close without them", () => {
    const merged = webhook.pullRequestClosed({
      merged: true,
      mergeCommitSha: "d".repeat(40),
      pullRequest: { number: 8, head: { ref: "handoff/t1" } },
    });
    expect(merged.pull_request).toMatchObject({
      number: 8,
      state: "closed",
      merged: true,
      merge_commit_sha: "d".repeat(40),
      head: { ref: "handoff/t1" },
    });
    expect(merged.pull_request.merged_at).toEqual(expect.any(String));
    expect(merged.pull_request.merged_by).not.toBeNull();
    expect(merged.number).toBe(8);
    const closed = webhook.pullRequestClosed();
    expect(closed.pull_request).toMatchObject({ merged: false, merged_at: null });
  });

  it("labels an issue and includes the label in its labels", () => {
    const p = webhook.issueLabeled({ issue: { labels: ["bug"] }, label: "handoff" });
    expect(p.label?.name).toBe("handoff");
    expect(p.issue.labels?.map((l) => l.name)).toEqual(["bug", "handoff"]);
  });

  it("completes a workflow run with the requested identity and conclusion", () => {
    const p = webhook.workflowRunCompleted({
      run: {
        id: 31,
        conclusion: "failure",
        path: ".github/workflows/handoff-worker.yml",
        displayTitle: "handoff #3",
      },
    });
    expect(p.workflow_run).toMatchObject({
      id: 31,
      conclusion: "failure",
      status: "completed",
      path: ".github/workflows/handoff-worker.yml",
      name: "handoff-worker",
      display_title: "handoff #3",
    });
    expect(p.workflow_run.url).toMatch(/\/actions\/runs\/31$/);
    expect(p.workflow?.path).toBe(".github/workflows/handoff-worker.yml");
  });

  it("links parent and sub-issue consistently", () => {
    const p = webhook.subIssueAdded({ parent: { number: 3 }, sub: { number: 4 } });
    expect(p.parent_issue_id).toBe(p.parent_issue.id);
    expect(p.sub_issue_id).toBe(p.sub_issue?.id);
    expect(p.parent_issue.number).toBe(3);
    expect(p.sub_issue?.number).toBe(4);
    expect(p.sub_issue?.parent_issue_url).toBe(p.parent_issue.url);
    expect(p.parent_issue.id).not.toBe(p.sub_issue?.id);
  });

  it("returns fresh copies, so one test's edits never leak into another's payload", () => {
    const a = webhook.issueOpened();
    a.issue.title = "changed";
    expect(webhook.issueOpened().issue.title).not.toBe("changed");
  });
});
