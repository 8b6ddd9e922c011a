// Rewrites the pieces of a real payload that tests override: users, labels, the repository (and
// every URL naming it), issue and pull-request identity. Shapes follow the real examples; fields
// the current webhook schema requires but the older examples lack are filled in by `normalize`.
import { createHash } from "node:crypto";

export type Json = Record<string, unknown>;

/** A GitHub account as tests name it. */
export interface Actor {
  login: string;
  id?: number;
  type?: "User" | "Bot" | "Organization";
}

export interface RepoRef {
  owner?: string;
  name?: string;
  id?: number;
  ownerId?: number;
  ownerType?: "User" | "Organization";
  private?: boolean;
  defaultBranch?: string;
}

/** The repository and account of most real examples; the default for every builder. */
export const EXAMPLE_FULL_NAME = "Codertocat/Hello-World";
export const EXAMPLE_REPO_ID = 186853002;
export const EXAMPLE_OWNER = { login: "Codertocat", id: 21031067 } as const;
const API = "https://api.github.com";
const WEB = "https://github.com";

/** A stable id from a name, so the same login always gets the same id without a registry. */
export function stableId(name: string): number {
  return 1_000_000 + (createHash("sha256").update(name).digest().readUInt32BE(0) % 1_000_000_000);
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");
}

/** A simple-user object with every URL field GitHub sends. */
export function userObject(actor: Actor): Json {
  const id = actor.id ?? stableId(actor.login);
  const type = actor.type ?? (actor.login.endsWith("[bot]") ? "Bot" : "User");
  const api = `${API}/users/${encodeURIComponent(actor.login)}`;
  return {
    login: actor.login,
    id,
    node_id: nodeId(type === "Bot" ? "Bot" : "User", id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: type === "Bot" ? `${WEB}/apps/${actor.login.replace(/\[bot\]$/, "")}` : `${WEB}/${actor.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function labelObject(fullName: string, name: string, color = "ededed"): Json {
  const id = stableId(`${fullName}#label:${name}`);
  return {
    id,
    node_id: nodeId("Label", id),
    url: `${API}/repos/${fullName}/labels/${encodeURIComponent(name)}`,
    name,
    color,
    default: false,
    description: null,
  };
}

export function fullNameOf(repo: RepoRef | undefined): string {
  const [owner, name] = EXAMPLE_FULL_NAME.split("/") as [string, string];
  return `${repo?.owner ?? owner}/${repo?.name ?? name}`;
}

/** Points the payload at another repository: every string naming the example repo, and `repository`. */
export function applyRepo(payload: Json, repo: RepoRef = {}): void {
  const fullName = fullNameOf(repo);
  const from = isJson(payload.repository) ? String(payload.repository.full_name) : EXAMPLE_FULL_NAME;
  replaceStrings(payload, from, fullName);
  for (const r of repositoryObjects(payload)) {
    const [owner, name] = fullName.split("/") as [string, string];
    r.name = name;
    r.full_name = fullName;
    const ownerId = repo.ownerId ?? (owner === EXAMPLE_OWNER.login ? EXAMPLE_OWNER.id : undefined);
    r.owner = userObject({
      login: owner,
      type: repo.ownerType ?? "User",
      ...(ownerId !== undefined ? { id: ownerId } : {}),
    });
    const id = repo.id ?? (fullName === EXAMPLE_FULL_NAME ? EXAMPLE_REPO_ID : stableId(fullName));
    r.id = id;
    r.node_id = nodeId("Repository", id);
    if (repo.private !== undefined) {
      r.private = repo.private;
      r.visibility = repo.private ? "private" : "public";
    }
    if (repo.defaultBranch !== undefined) r.default_branch = repo.defaultBranch;
  }
}

/** The top-level repository plus the repos inside pull_request head and base when they are the same repo. */
function repositoryObjects(payload: Json): Json[] {
  const out: Json[] = [];
  if (isJson(payload.repository)) out.push(payload.repository);
  const pr = payload.pull_request;
  if (isJson(pr)) {
    for (const side of [pr.head, pr.base]) if (isJson(side) && isJson(side.repo)) out.push(side.repo);
  }
  return out;
}

export function applyInstallation(payload: Json, installationId: number | null | undefined): void {
  if (installationId === null) delete payload.installation;
  else {
    const id = installationId ?? 1;
    payload.installation = { id, node_id: nodeId("IntegrationInstallation", id) };
  }
}

/** Rewrites an issue's (or a pull request's) number and the URLs that contain it. */
export function renumber(item: Json, kind: "issues" | "pulls", number: number): void {
  const old = item.number;
  if (old === number) return;
  const pattern = new RegExp(`/(issues|pulls?)/${String(old)}(?=$|[/#?{])`, "g");
  for (const [k, v] of Object.entries(item)) {
    if (typeof v === "string" && (k.endsWith("url") || k === "url"))
      item[k] = v.replace(pattern, (_m, seg: string) => `/${seg}/${number}`);
  }
  item.number = number;
  const id = stableId(`${String(item.repository_url ?? item.url)}:${kind}:${number}`);
  item.id = id;
  item.node_id = nodeId(kind === "issues" ? "Issue" : "PullRequest", id);
}

export function replaceStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === "string") return value.split(from).join(to);
  if (Array.isArray(value)) {
    value.forEach((v, i) => (value[i] = replaceStrings(v, from, to)));
    return value;
  }
  if (isJson(value)) for (const [k, v] of Object.entries(value)) value[k] = replaceStrings(v, from, to);
  return value;
}

/**
 * Fills fields the current webhook schema requires but the 2019-era examples predate: label
 * archive fields, repository has_discussions. Only adds what is missing.
 */
export function normalize(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(normalize);
  if (!isJson(value)) return;
  if (typeof value.color === "string" && typeof value.name === "string" && "default" in value) {
    value.archived_at ??= null;
    value.archived_by ??= null;
  }
  if (typeof value.full_name === "string" && "has_issues" in value) value.has_discussions ??= false;
  for (const v of Object.values(value)) normalize(v);
}

export function isJson(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
