// In-memory state of the emulated GitHub. REST objects are rendered from these records on
// every response (rest/*.ts), so one change shows up consistently everywhere.
import type { BareRepo } from "./git-repo.ts";

export type Role = "admin" | "maintain" | "write" | "triage" | "read";

export interface User {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
  name: string | null;
  email: string | null;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export const REACTION_CONTENTS = [
  "+1",
  "-1",
  "laugh",
  "confused",
  "heart",
  "hooray",
  "rocket",
  "eyes",
] as const;
export type ReactionContent = (typeof REACTION_CONTENTS)[number];

export interface ReactionState {
  id: number;
  content: ReactionContent;
  user: User;
  createdAt: string;
}

export type StateReason = "completed" | "reopened" | "not_planned" | "duplicate";

export interface IssueState {
  id: number;
  number: number;
  repo: RepoState;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: StateReason | null;
  user: User;
  labels: LabelState[];
  assignees: User[];
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: User | null;
  /** Set when created through a GitHub App installation token. */
  viaApp: boolean;
  reactions: ReactionState[];
  commentCount: number;
  parent: IssueState | null;
  subIssues: IssueState[];
  blockedBy: IssueState[];
  blocking: IssueState[];
  /** Present when this issue is a pull request (they share the number sequence). */
  pull: PullState | null;
}

export interface CommentState {
  id: number;
  issue: IssueState;
  body: string;
  user: User;
  createdAt: string;
  updatedAt: string;
  viaApp: boolean;
  reactions: ReactionState[];
}

export interface PullState {
  id: number;
  issue: IssueState;
  headRef: string;
  headSha: string;
  baseRef: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: User | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
}

export interface WorkflowState {
  id: number;
  /** `.github/workflows/<file>` */
  path: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** `pending`: waiting in a concurrency group. */
export type RunStatus = "queued" | "pending" | "in_progress" | "completed";
export type RunConclusion = "success" | "failure" | "cancelled" | "timed_out" | "skipped";

export interface HeadCommit {
  id: string;
  tree_id: string;
  message: string;
  timestamp: string;
  author: { name: string; email: string };
  committer: { name: string; email: string };
}

export interface RunState {
  id: number;
  repo: RepoState;
  workflow: WorkflowState;
  runNumber: number;
  checkSuiteId: number;
  event: string;
  /** Fully qualified, e.g. refs/heads/main. */
  ref: string;
  headBranch: string | null;
  headSha: string;
  headCommit: HeadCommit;
  displayTitle: string;
  actor: User;
  inputs: Record<string, unknown>;
  /** Content of GITHUB_EVENT_PATH. */
  eventPayload: Record<string, unknown>;
  status: RunStatus;
  conclusion: RunConclusion | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string;
  completedAt: string | null;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  durationMs: number | null;
  workspace: string | null;
  cancelRequested: boolean;
  /** Resolves when the run reaches `completed`. */
  finished: Promise<void>;
  markFinished: () => void;
}

export interface RepoState {
  id: number;
  owner: User;
  name: string;
  description: string | null;
  private: boolean;
  defaultBranch: string;
  git: BareRepo;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  deleteBranchOnMerge: boolean;
  /** Settings → Actions → General: "Allow GitHub Actions to create and approve pull requests". */
  actionsCanCreatePullRequests: boolean;
  collaborators: Map<string, Role>;
  nextNumber: number;
  issues: Map<number, IssueState>;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, LabelState>;
  comments: Map<number, CommentState>;
  /** Keyed by path; ids stay stable while a file stays on the default branch. */
  workflows: Map<string, WorkflowState>;
  runs: RunState[];
  runNumbers: Map<number, number>;
}

export interface AppState {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  owner: User;
  bot: User;
  /** PEM; JWTs are verified with its public half. */
  privateKey: string;
  permissions: Record<string, string>;
  events: string[];
  createdAt: string;
}

export interface InstallationState {
  id: number;
  account: User;
  createdAt: string;
}

export type AuthKind = "installation" | "actions" | "user" | "app" | "anonymous";

export interface TokenState {
  token: string;
  kind: "installation" | "actions" | "user";
  user: User;
  installationId: number | null;
  /** Repositories (owner/name, lower case) the token may reach; null for all. */
  repositories: Set<string> | null;
  /** GitHub App style permissions; null for user tokens (their repository role decides). */
  permissions: Record<string, string> | null;
  expiresAt: number | null;
  /** The workflow run an Actions token was issued to. */
  runId?: number;
}

export interface Actor {
  kind: AuthKind;
  /** The user content is attributed to (the app's bot user for installation tokens). */
  user: User | null;
  token: TokenState | null;
}
