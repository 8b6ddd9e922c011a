// One notice on the parent when the GitHub server lacks APIs handoff would use (an older GitHub
// Enterprise Server): the plan works without them, and the person should know what they miss.
import type { MissingFeature, RepoGateway } from "../kernel/github/gateway.ts";
import { postNoticeOnce } from "../kernel/store/notices.ts";

const WHAT_IS_MISSING: Partial<Record<MissingFeature, string>> = {
  "sub-issues":
    "**Sub-issues**: the task issues are not listed under this issue in GitHub's sidebar; handoff finds them by the marker in each script, and the rollup below links every one.",
  "issue dependencies":
    '**Issue dependencies**: GitHub does not show "blocked by" on the task issues; each script names its dependencies, and handoff starts a task only when they are done.',
};

export function missingFeaturesNotice(missing: Iterable<MissingFeature>): string | undefined {
  const lines = [...missing].flatMap((m) => WHAT_IS_MISSING[m] ?? []);
  if (!lines.length) return undefined;
  return [
    "ℹ️ This GitHub server does not offer everything handoff uses. The plan works without it:",
    "",
    ...lines.map((l) => `- ${l}`),
  ].join("\n");
}

/** Posts the notice once per parent, when the server turned out to lack something. */
export async function noticeMissingFeatures(gw: RepoGateway, parent: number): Promise<void> {
  const body = missingFeaturesNotice(gw.missing);
  if (body) await postNoticeOnce(gw, parent, "server-features", body);
}
