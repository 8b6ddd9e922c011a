// Everything the demo shows at the end, read back from GitHub through the REST API like a person
// browsing the repository: the parent issue and its comments, each sub-issue with its comments,
// and every pull request; plus the Actions runs the emulator recorded.
import type { Octokit } from "@octokit/rest";
import type { RepoRef } from "../../src/kernel/github/gateway.ts";
import type { GitHubEmulator } from "@handoff/github-emulator";

export interface Comment {
  id: number;
  author: string;
  bot: boolean;
  createdAt: string;
  body: string;
}

export interface IssuePage {
  number: number;
  title: string;
  body: string;
  author: string;
  bot: boolean;
  state: string;
  stateReason: string | null;
  createdAt: string;
  comments: Comment[];
}

export interface ChangedFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  /** Unified diff hunks, when GitHub sends them (not for binary or huge files). */
  patch?: string;
}

export interface PullPage extends IssuePage {
  base: string;
  head: string;
  merged: boolean;
  draft: boolean;
  files: ChangedFile[];
}

export interface RunPage {
  id: number;
  title: string;
  event: string;
  conclusion: string | null;
  durationMs: number | null;
  /** The job's step summary (markdown). */
  summary: string;
}

export interface Collected {
  serverUrl: string;
  ref: RepoRef;
  parent: IssuePage;
  subIssues: IssuePage[];
  pulls: PullPage[];
  runs: RunPage[];
}

type User = { login: string; type?: string } | null | undefined;
const login = (u: User) => u?.login ?? "ghost";

async function commentsOf(octokit: Octokit, ref: RepoRef, issue: number): Promise<Comment[]> {
  const all = await octokit.paginate(octokit.rest.issues.listComments, {
    ...ref,
    issue_number: issue,
    per_page: 100,
  });
  return all.map((c) => ({
    id: c.id,
    author: login(c.user),
    bot: c.user?.type === "Bot",
    createdAt: c.created_at,
    body: c.body ?? "",
  }));
}

async function issuePage(octokit: Octokit, ref: RepoRef, number: number): Promise<IssuePage> {
  const { data } = await octokit.rest.issues.get({ ...ref, issue_number: number });
  return {
    number,
    title: data.title,
    body: data.body ?? "",
    author: login(data.user),
    bot: data.user?.type === "Bot",
    state: data.state,
    stateReason: data.state_reason ?? null,
    createdAt: data.created_at,
    comments: await commentsOf(octokit, ref, number),
  };
}

async function filesOf(octokit: Octokit, ref: RepoRef, pull: number): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    ...ref,
    pull_number: pull,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    ...(f.patch ? { patch: f.patch } : {}),
  }));
}

export async function collect(
  octokit: Octokit,
  ref: RepoRef,
  parent: number,
  gh: GitHubEmulator,
): Promise<Collected> {
  const subs = await octokit.paginate(octokit.rest.issues.listSubIssues, {
    ...ref,
    issue_number: parent,
    per_page: 100,
  });
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { ...ref, state: "all", per_page: 100 });
  return {
    serverUrl: gh.url,
    ref,
    parent: await issuePage(octokit, ref, parent),
    subIssues: await Promise.all(subs.map((s) => issuePage(octokit, ref, s.number))),
    pulls: await Promise.all(
      pulls
        .sort((a, b) => a.number - b.number)
        .map(async (p) => ({
          ...(await issuePage(octokit, ref, p.number)),
          base: p.base.ref,
          head: p.head.ref,
          merged: p.merged_at !== null,
          draft: p.draft === true,
          files: await filesOf(octokit, ref, p.number),
        })),
    ),
    runs: gh.runs({ event: "workflow_dispatch" }).map((r) => ({
      id: r.id,
      title: r.displayTitle,
      event: r.event,
      conclusion: r.conclusion,
      durationMs: r.durationMs,
      summary: r.summary,
    })),
  };
}
