// The read side of the emulated GraphQL API: `repository(owner, name)` with its `issue(number)`
// (comments, sub-issues) and `pullRequests`, resolved over the emulator's store as GitHub resolves
// them: connections need `first` or `last` (at most 100), cursors are opaque, bots' logins carry
// no `[bot]`, and database ids beyond 32 bits are only in `fullDatabaseId` (a BigInt, as a string).
import { GraphQLError } from "graphql";
import { authorize } from "./access.ts";
import type { Core } from "./core.ts";
import { ApiError } from "./errors.ts";
import { nodeId } from "./ids.ts";
import type { Actor, CommentState, IssueState, PullState, RepoState, User } from "./model.ts";

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const MAX_PAGE = 100;
const cursorOf = (i: number) => Buffer.from(`cursor:v2:${i}`).toString("base64");
function indexOf(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!m) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

/** GitHub's connection rules, then the slice: after/before narrow, first/last take from the ends. */
export function connection<T, N>(name: string, items: readonly T[], args: ConnectionArgs, node: (t: T) => N) {
  const { first, last, after, before } = args;
  if (first == null && last == null)
    throw new GraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  for (const [arg, v] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (v != null && (v < 0 || v > MAX_PAGE))
      throw new GraphQLError(
        `Requesting ${v} records on the \`${name}\` connection exceeds the \`${arg}\` limit of ${MAX_PAGE} records.`,
      );
  }
  let start = after ? indexOf(after) + 1 : 0;
  let end = before ? indexOf(before) : items.length;
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const indices = Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k);
  return {
    totalCount: items.length,
    nodes: indices.map((i) => node(items[i] as T)),
    edges: indices.map((i) => ({ cursor: cursorOf(i), node: node(items[i] as T) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: indices.length ? cursorOf(start) : null,
      endCursor: indices.length ? cursorOf(end - 1) : null,
    },
  };
}

/** An Actor: GraphQL names a bot without the `[bot]` its REST login carries. */
function actorNode(u: User) {
  const bot = u.type === "Bot";
  return {
    __typename: bot ? "Bot" : u.type === "Organization" ? "Organization" : "User",
    login: bot ? u.login.replace(/\[bot\]$/, "") : u.login,
  };
}

const STATE_REASON: Record<string, string> = {
  completed: "COMPLETED",
  not_planned: "NOT_PLANNED",
  reopened: "REOPENED",
  duplicate: "DUPLICATE",
};

function commentNode(c: CommentState) {
  return {
    id: nodeId("comment", c.id),
    databaseId: () => int32(c.id, "IssueComment"),
    fullDatabaseId: String(c.id),
    body: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    author: actorNode(c.user),
  };
}

/** GraphQL's Int is 32-bit: GitHub's larger ids fail there, which is why `fullDatabaseId` exists. */
function int32(id: number, type: string): number {
  if (id > 2 ** 31 - 1)
    throw new GraphQLError(
      `Int cannot represent non 32-bit signed integer value: ${id} (${type}.databaseId)`,
    );
  return id;
}

export interface ReadContext {
  core: Core;
  actor: Actor;
}

function issueNode(ctx: ReadContext, issue: IssueState) {
  const repo = issue.repo;
  return {
    id: nodeId("issue", issue.id),
    databaseId: () => int32(issue.id, "Issue"),
    fullDatabaseId: String(issue.id),
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state === "closed" ? "CLOSED" : "OPEN",
    stateReason: () => (issue.stateReason ? (STATE_REASON[issue.stateReason] ?? null) : null),
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    url: ctx.core.store.urls.repoWeb(repo, `/issues/${issue.number}`),
    author: actorNode(issue.user),
    comments: (args: ConnectionArgs) =>
      connection(
        "comments",
        [...repo.comments.values()].filter((c) => c.issue === issue).sort((a, b) => a.id - b.id),
        args,
        commentNode,
      ),
    subIssues: (args: ConnectionArgs) =>
      connection("subIssues", issue.subIssues, args, (i) => issueNode(ctx, i)),
    parent: () => (issue.parent ? issueNode(ctx, issue.parent) : null),
  };
}

function pullNode(ctx: ReadContext, p: PullState) {
  const i = p.issue;
  return {
    id: nodeId("pull", p.id),
    number: i.number,
    url: ctx.core.store.urls.repoWeb(i.repo, `/pull/${i.number}`),
    title: i.title,
    body: i.body ?? "",
    headRefName: p.headRef,
    headRefOid: p.headSha,
    baseRefName: p.baseRef,
    // The emulator has no forks: every head lives in the base repository.
    isCrossRepository: false,
    isDraft: p.draft,
    merged: p.merged,
    state: p.merged ? "MERGED" : i.state === "closed" ? "CLOSED" : "OPEN",
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    author: actorNode(i.user),
  };
}

interface PullArgs extends ConnectionArgs {
  states?: string[] | null;
  headRefName?: string | null;
  baseRefName?: string | null;
  orderBy?: { field: "CREATED_AT" | "UPDATED_AT" | "COMMENTS"; direction: "ASC" | "DESC" } | null;
}

function pulls(ctx: ReadContext, repo: RepoState, args: PullArgs) {
  const stateOf = (p: PullState) => (p.merged ? "MERGED" : p.issue.state === "closed" ? "CLOSED" : "OPEN");
  const all = [...repo.issues.values()]
    .flatMap((i) => (i.pull ? [i.pull] : []))
    .filter((p) => !args.states?.length || args.states.includes(stateOf(p)))
    .filter((p) => !args.headRefName || p.headRef === args.headRefName)
    .filter((p) => !args.baseRefName || p.baseRef === args.baseRefName);
  const key = (p: PullState): number =>
    args.orderBy?.field === "UPDATED_AT"
      ? Date.parse(p.issue.updatedAt)
      : args.orderBy?.field === "COMMENTS"
        ? p.issue.commentCount
        : p.issue.number;
  const sign = args.orderBy?.direction === "DESC" ? -1 : 1;
  all.sort((a, b) => sign * (key(a) - key(b)) || sign * (a.issue.number - b.issue.number));
  return connection("pullRequests", all, args, (p) => pullNode(ctx, p));
}

function guarded<T>(ctx: ReadContext, operationId: string, repo: RepoState, then: () => T): T {
  try {
    authorize(ctx.core.store, ctx.actor, operationId, "get", repo);
  } catch (e) {
    if (e instanceof ApiError)
      throw new GraphQLError(e.message, {
        extensions: { type: e.status === 404 ? "NOT_FOUND" : "FORBIDDEN" },
      });
    throw e;
  }
  return then();
}

/** `repository(owner, name)`: null with a NOT_FOUND error when it does not exist or is hidden. */
export function repositoryField(ctx: ReadContext) {
  return ({ owner, name }: { owner: string; name: string }) => {
    const repo = ctx.core.store.repo(owner, name);
    const notFound = new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, {
      extensions: { type: "NOT_FOUND" },
    });
    if (!repo) throw notFound;
    return guarded(ctx, "repos/get", repo, () => ({
      id: nodeId("repo", repo.id),
      name: repo.name,
      nameWithOwner: `${repo.owner.login}/${repo.name}`,
      issue: ({ number }: { number: number }) =>
        guarded(ctx, "issues/get", repo, () => {
          const issue = repo.issues.get(number);
          if (!issue || issue.pull)
            throw new GraphQLError(`Could not resolve to an Issue with the number of ${number}.`, {
              extensions: { type: "NOT_FOUND" },
            });
          return issueNode(ctx, issue);
        }),
      issueOrPullRequest: ({ number }: { number: number }) =>
        guarded(ctx, "issues/get", repo, () => {
          const issue = repo.issues.get(number);
          if (!issue)
            throw new GraphQLError(
              `Could not resolve to an issue or pull request with the number of ${number}.`,
              {
                extensions: { type: "NOT_FOUND" },
              },
            );
          return issue.pull
            ? { __typename: "PullRequest", ...pullNode(ctx, issue.pull) }
            : { __typename: "Issue", ...issueNode(ctx, issue) };
        }),
      pullRequests: (args: PullArgs) => guarded(ctx, "pulls/list", repo, () => pulls(ctx, repo, args)),
    }));
  };
}
