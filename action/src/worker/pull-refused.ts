// GitHub refuses pull requests from `GITHUB_TOKEN` unless a repository (or organization) setting
// allows them, and new repositories start with it off. The work is pushed by then; the person
// needs to know which box to tick, where, and that nothing was lost.
import { statusOf } from "../../../src/kernel/github/gateway.ts";
import { codeSpan } from "../../../src/kernel/core/text/text.ts";

const REFUSAL_RE = /not permitted to create or approve pull requests/i;

export function isActionsPullRefusal(e: unknown): boolean {
  return statusOf(e) === 403 && REFUSAL_RE.test(e instanceof Error ? e.message : String(e));
}

export function pullRefusedReason(branch: string): string {
  return [
    `GitHub refused to open the pull request: GitHub Actions is not permitted to create pull requests in this repository. The work is kept on the branch ${codeSpan(branch)}.`,
    `To let handoff open it, tick "Allow GitHub Actions to create and approve pull requests" in the repository's Settings → Actions → General → Workflow permissions (if the box is greyed out, an organization owner ticks it first in the organization's Settings → Actions → General), or give the worker an App token (README: "Make the worker's PRs run your CI"). Then \`/handoff retry\` opens the PR from the kept branch.`,
  ].join(" ");
}
