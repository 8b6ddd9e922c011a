// Git database objects, commits, branches and repository contents, rendered from git output.
import { nodeId } from "../ids.ts";
import type { CommitInfo, DiffEntry, TreeEntry } from "../git-repo.ts";
import type { RepoState } from "../model.ts";
import type { Store } from "../store.ts";
import type { Urls } from "../urls.ts";
import { simpleUser } from "./users.ts";

/** GitHub wraps base64 content at 60 characters, newline-terminated. */
export function wrappedBase64(content: Buffer): string {
  const flat = content.toString("base64");
  return flat.length === 0 ? "" : (flat.match(/.{1,60}/g) ?? []).join("\n") + "\n";
}

export function gitRef(
  repo: RepoState,
  urls: Urls,
  ref: string,
  sha: string,
  type: string,
): Record<string, unknown> {
  const objectPath = type === "tag" ? "tags" : "commits";
  return {
    ref,
    node_id: nodeId("repo", `${repo.id}:${ref}`),
    url: urls.repoApi(repo, `/git/${ref}`),
    object: { type, sha, url: urls.repoApi(repo, `/git/${objectPath}/${sha}`) },
  };
}

function isoDate(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function diffEntry(
  repo: RepoState,
  urls: Urls,
  headSha: string,
  d: DiffEntry,
): Record<string, unknown> {
  const path = encodeURI(d.filename);
  return {
    sha: d.sha,
    filename: d.filename,
    status: d.status,
    additions: d.additions,
    deletions: d.deletions,
    changes: d.additions + d.deletions,
    blob_url: urls.repoWeb(repo, `/blob/${headSha}/${path}`),
    raw_url: urls.repoWeb(repo, `/raw/${headSha}/${path}`),
    contents_url: urls.repoApi(repo, `/contents/${path}?ref=${headSha}`),
    ...(d.patch !== undefined ? { patch: d.patch } : {}),
    ...(d.previousFilename ? { previous_filename: d.previousFilename } : {}),
  };
}

export function commit(
  store: Store,
  repo: RepoState,
  c: CommitInfo,
  files?: DiffEntry[],
): Record<string, unknown> {
  const { urls } = store;
  const person = (email: string) => {
    const user = store.userByEmail(email);
    return user ? simpleUser(user, urls) : null;
  };
  const additions = files?.reduce((n, f) => n + f.additions, 0) ?? 0;
  const deletions = files?.reduce((n, f) => n + f.deletions, 0) ?? 0;
  return {
    url: urls.repoApi(repo, `/commits/${c.sha}`),
    sha: c.sha,
    node_id: nodeId("repo", `${repo.id}:commit:${c.sha}`),
    html_url: urls.repoWeb(repo, `/commit/${c.sha}`),
    comments_url: urls.repoApi(repo, `/commits/${c.sha}/comments`),
    commit: {
      url: urls.repoApi(repo, `/git/commits/${c.sha}`),
      author: { ...c.author, date: isoDate(c.author.date) },
      committer: { ...c.committer, date: isoDate(c.committer.date) },
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: urls.repoApi(repo, `/git/trees/${c.tree}`) },
      verification: {
        verified: false,
        reason: "unsigned",
        payload: null,
        signature: null,
        verified_at: null,
      },
    },
    author: person(c.author.email),
    committer: person(c.committer.email),
    parents: c.parents.map((sha) => ({
      sha,
      url: urls.repoApi(repo, `/commits/${sha}`),
      html_url: urls.repoWeb(repo, `/commit/${sha}`),
    })),
    ...(files
      ? {
          stats: { additions, deletions, total: additions + deletions },
          files: files.map((f) => diffEntry(repo, urls, c.sha, f)),
        }
      : {}),
  };
}

export function treeEntry(repo: RepoState, urls: Urls, e: TreeEntry): Record<string, unknown> {
  return {
    path: e.path,
    mode: e.mode,
    type: e.type,
    sha: e.sha,
    ...(e.size !== null ? { size: e.size } : {}),
    ...(e.type !== "commit" ? { url: urls.repoApi(repo, `/git/${e.type}s/${e.sha}`) } : {}),
  };
}

function contentType(e: TreeEntry): string {
  if (e.type === "tree") return "dir";
  if (e.type === "commit") return "submodule";
  return e.mode === "120000" ? "symlink" : "file";
}

/** One entry of a contents listing, or the common part of a single file/symlink. */
export function contentItem(repo: RepoState, urls: Urls, e: TreeEntry, ref: string): Record<string, unknown> {
  const type = contentType(e);
  const path = encodeURI(e.path);
  const self = urls.repoApi(repo, `/contents/${path}?ref=${encodeURIComponent(ref)}`);
  const gitUrl = urls.repoApi(repo, `/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`);
  const html = urls.repoWeb(repo, `/${type === "dir" ? "tree" : "blob"}/${ref}/${path}`);
  return {
    type,
    size: e.size ?? 0,
    name: e.path.split("/").pop(),
    path: e.path,
    sha: e.sha,
    url: self,
    git_url: gitUrl,
    html_url: html,
    download_url: type === "file" ? urls.web(`/raw/${repo.owner.login}/${repo.name}/${ref}/${path}`) : null,
    _links: { self, git: gitUrl, html },
  };
}

/** Files up to 1 MB carry their content; GitHub sends larger ones with encoding "none". */
export function contentFile(
  repo: RepoState,
  urls: Urls,
  e: TreeEntry,
  ref: string,
  content: Buffer,
): Record<string, unknown> {
  const item = contentItem(repo, urls, e, ref);
  if (item.type === "symlink") return { ...item, target: content.toString("utf8") };
  const small = content.length <= 1024 * 1024;
  return { ...item, content: small ? wrappedBase64(content) : "", encoding: small ? "base64" : "none" };
}

export function blob(repo: RepoState, urls: Urls, sha: string, content: Buffer): Record<string, unknown> {
  return {
    sha,
    node_id: nodeId("repo", `${repo.id}:blob:${sha}`),
    size: content.length,
    url: urls.repoApi(repo, `/git/blobs/${sha}`),
    content: wrappedBase64(content),
    encoding: "base64",
  };
}

export function branch(store: Store, repo: RepoState, name: string, c: CommitInfo): Record<string, unknown> {
  const { urls } = store;
  const protection = urls.repoApi(repo, `/branches/${name}/protection`);
  return {
    name,
    commit: commit(store, repo, c),
    _links: { html: urls.repoWeb(repo, `/tree/${name}`), self: urls.repoApi(repo, `/branches/${name}`) },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
    },
    protection_url: protection,
  };
}
