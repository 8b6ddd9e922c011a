// Octokit acting as the handoff App: Probot's Octokit (App JWT and installation tokens) with
// handoff's bounded retries and write pacing. The server, the Actions-only orchestrator and the CLI's
// `publish` use it: only the App's identity writes markers handoff trusts.
import { ProbotOctokit } from "probot";
import { octokitPacingOptions, type Pacing } from "./octokit-options.ts";

/**
 * Probot's Octokit with handoff's bounded retries and write pacing. Handoff's policy is laid OVER
 * what Probot passes in: Probot's own throttle callbacks do not retry secondary rate limits at all.
 * Kept from Probot: the per-installation `id`, a Redis connection, and `enabled: false`.
 */
export function handoffOctokit(pacing?: Pacing): typeof ProbotOctokit {
  const extra = octokitPacingOptions(pacing);
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => {
    const theirs = (instance.throttle ?? {}) as Record<string, unknown>;
    return {
      ...instance,
      throttle: theirs.enabled === false ? theirs : { ...theirs, ...extra.throttle },
      retry: { ...(instance.retry as object | undefined), ...extra.retry },
    };
  }) as typeof ProbotOctokit;
}

export interface AppCredentials {
  appId: string;
  privateKey: string;
  /** REST API root: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  baseUrl: string;
}

/** A client for the App's installation on one repository (found with the App's own JWT). */
export async function installationOctokit(
  creds: AppCredentials,
  repo: { owner: string; repo: string },
  pacing?: Pacing,
): Promise<InstanceType<typeof ProbotOctokit>> {
  const Client = handoffOctokit(pacing);
  const app = new Client({
    auth: { appId: creds.appId, privateKey: creds.privateKey },
    baseUrl: creds.baseUrl,
  });
  const { data } = await app.request("GET /repos/{owner}/{repo}/installation", repo);
  return new Client({
    auth: { appId: creds.appId, privateKey: creds.privateKey, installationId: data.id },
    baseUrl: creds.baseUrl,
  });
}
