// Reaching GitHub from the command line: which repository (`--repo owner/name`, else the `origin`
// remote), and as whom. Writing a plan needs the handoff App's identity (its markers are the only
// ones handoff trusts), so `publish` signs in as the App with the key the server uses; reading one
// (`pull`) works with a person's token too.
import { readFile } from "node:fs/promises";
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { installationOctokit, type AppCredentials } from "../../kernel/github/app-octokit.ts";
import { RepoGateway, type GitHubClient, type RepoRef } from "../../kernel/github/gateway.ts";
import { octokitPacingOptions, FAST_PACING, GITHUB_PACING } from "../../kernel/github/octokit-options.ts";
import type { LocalEnv } from "./env.ts";
import { UsageError } from "./repo.ts";

const REPO = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;

/** `owner/name` from `--repo`, or from the `origin` remote's URL (https or ssh). */
export async function githubRepo(env: LocalEnv, given: string | undefined): Promise<RepoRef> {
  let text = given;
  if (text === undefined) {
    const url = (await env.repo.git.run(["remote", "get-url", "origin"]).catch(() => "")).trim();
    const m = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?$/.exec(url);
    if (!m)
      throw new UsageError("no GitHub repository: pass --repo owner/name (there is no `origin` remote).");
    text = `${m[1]}/${m[2]}`;
  }
  const m = REPO.exec(text);
  if (!m) throw new UsageError(`\`${text}\` is not a repository name: use owner/name.`);
  return { owner: m[1] as string, repo: m[2] as string };
}

const apiUrl = (env: LocalEnv) => (env.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, "");
/** The offline world's GitHub answers at once; github.com gets GitHub's pacing. */
const pacingFor = (env: LocalEnv) => (env.env.HANDOFF_FAST_PACING === "1" ? FAST_PACING : GITHUB_PACING);

/** The App's id and key, as the server takes them (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH). */
async function appCredentials(env: LocalEnv): Promise<AppCredentials | undefined> {
  const e = env.env;
  const appId = e.HANDOFF_APP_ID ?? e.APP_ID;
  if (!appId) return undefined;
  const keyPath = e.HANDOFF_PRIVATE_KEY_PATH ?? e.PRIVATE_KEY_PATH;
  const privateKey =
    e.HANDOFF_PRIVATE_KEY ??
    e.PRIVATE_KEY ??
    (keyPath
      ? await readFile(keyPath, "utf8").catch(() => {
          throw new UsageError(`cannot read the App's private key at ${keyPath}.`);
        })
      : undefined);
  if (!privateKey)
    throw new UsageError("APP_ID is set but the App's private key is not: set PRIVATE_KEY_PATH.");
  return { appId, privateKey: privateKey.replace(/\\n/g, "\n"), baseUrl: apiUrl(env) };
}

const AS_APP =
  "publishing writes the plan as the handoff App, the only identity whose markers handoff trusts: set APP_ID and PRIVATE_KEY_PATH (the App's, as on its server; GITHUB_API_URL for GitHub Enterprise Server).";

/** A gateway acting as the App: for writing a plan. */
export async function appGateway(env: LocalEnv, ref: RepoRef, known?: AppCredentials): Promise<RepoGateway> {
  const creds = known ?? (await appCredentials(env));
  if (!creds) throw new UsageError(AS_APP);
  try {
    const octokit = await installationOctokit(creds, ref, pacingFor(env));
    return new RepoGateway(octokit as unknown as GitHubClient, ref);
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 404)
      throw new UsageError(
        `the handoff App is not installed on ${ref.owner}/${ref.repo} (or the id and key are not its).`,
      );
    if (status === 401) throw new UsageError(`GitHub refused the App's credentials: ${(e as Error).message}`);
    throw e;
  }
}

/** A gateway for reading: the App if its key is here, else a person's token (GITHUB_TOKEN or GH_TOKEN). */
export async function readGateway(env: LocalEnv, ref: RepoRef): Promise<RepoGateway> {
  const creds = await appCredentials(env);
  if (creds) return appGateway(env, ref, creds);
  const token = env.env.GITHUB_TOKEN ?? env.env.GH_TOKEN;
  if (!token)
    throw new UsageError(
      "reading from GitHub needs a token: set GITHUB_TOKEN (e.g. `gh auth token`), or APP_ID and PRIVATE_KEY_PATH.",
    );
  const octokit = new (Octokit.plugin(throttling, retry))({
    auth: token,
    baseUrl: apiUrl(env),
    ...octokitPacingOptions(pacingFor(env)),
  });
  return new RepoGateway(octokit, ref);
}
