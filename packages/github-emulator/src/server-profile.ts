// Which GitHub the emulator plays: github.com (everything in routes.ts), or an older GitHub
// Enterprise Server that lacks some of it. A missing REST API answers as an unknown route does
// there (404), and an unknown body parameter is refused as GitHub's schema validation refuses it.
import { ApiError } from "./errors.ts";

export interface ServerFeatures {
  /** The sub-issues REST API (github.com; GHES 3.17+). */
  subIssues: boolean;
  /** Issue dependencies, "blocked by" (github.com; GHES 3.19+). */
  issueDependencies: boolean;
  /** `return_run_details` on workflow dispatch (github.com since 2026; not yet on GHES). */
  returnRunDetails: boolean;
}

export const GITHUB_COM: ServerFeatures = {
  subIssues: true,
  issueDependencies: true,
  returnRunDetails: true,
};

/** An Enterprise Server from before sub-issues, dependencies and run details. */
export const OLD_ENTERPRISE_SERVER: ServerFeatures = {
  subIssues: false,
  issueDependencies: false,
  returnRunDetails: false,
};

const SUB_ISSUE_OPS = new Set([
  "issues/list-sub-issues",
  "issues/add-sub-issue",
  "issues/remove-sub-issue",
  "issues/reprioritize-sub-issue",
  "issues/get-parent",
]);

const DEPENDENCY_OPS = new Set([
  "issues/list-dependencies-blocked-by",
  "issues/add-blocked-by-dependency",
  "issues/remove-dependency-blocked-by",
  "issues/list-dependencies-blocking",
]);

const ENTERPRISE_DOCS = "https://docs.github.com/enterprise-server@3.14/rest";

/** The refusal this server gives a request for a feature it lacks, if any. */
export function missingFeature(
  features: ServerFeatures,
  operationId: string,
  body: unknown,
): ApiError | undefined {
  if (
    (!features.subIssues && SUB_ISSUE_OPS.has(operationId)) ||
    (!features.issueDependencies && DEPENDENCY_OPS.has(operationId))
  )
    return new ApiError(404, "Not Found", { documentationUrl: ENTERPRISE_DOCS });
  if (
    !features.returnRunDetails &&
    operationId === "actions/create-workflow-dispatch" &&
    typeof body === "object" &&
    body !== null &&
    "return_run_details" in body
  )
    return new ApiError(422, 'Invalid request.\n\n"return_run_details" is not a permitted key.', {
      documentationUrl: `${ENTERPRISE_DOCS}/actions/workflows#create-a-workflow-dispatch-event`,
    });
  return undefined;
}
