// GitHub Actions: workflows read from the default branch, workflow_dispatch with GitHub's
// input checks, and the runner executing a node entry script as a workflow run.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startGitHubEmulator } from "../src/index.ts";
import { testOctokit } from "../src/octokit.ts";
import { fx, useSetup, ENTRY, owner, repo, MANUAL, printed } from "./github-actions-setup.ts";

useSetup();

describe("runner configuration", () => {
  it("fills inputs from action.yml defaults, reports dispatches, and lets `with` win", async () => {
    const actionYml = join(fx.scratch, "action.yml");
    await writeFile(
      actionYml,
      [
        "name: fake",
        "inputs:",
        "  github-token: { default: '${{ github.token }}' }",
        "  greeting: { default: hello }",
        "  mode: { default: fail }",
        "runs: { using: node20, main: index.js }",
      ].join("\n"),
    );
    const dispatched: number[] = [];
    const local = await startGitHubEmulator({
      onWorkflowDispatch: (run) => void dispatched.push(run.id),
      runner: { entry: ENTRY, actionYml, with: { mode: "ok", task: "${{ github.run_number }}" } },
    });
    try {
      await local.createRepo({ owner, name: repo, files: { ".github/workflows/m.yml": MANUAL } });
      const client = testOctokit({ baseUrl: local.url, auth: local.installationToken(owner) });
      await client.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "m.yml", ref: "main" });
      expect(dispatched).toHaveLength(1);
      const run = await local.waitForRun(dispatched[0]!);
      expect(run.conclusion).toBe("success");
      const { env } = printed(run);
      expect(env).toMatchObject({ INPUT_GREETING: "hello", INPUT_MODE: "ok", INPUT_TASK: "1" });
      expect(env["INPUT_GITHUB-TOKEN"]).toMatch(/^ghs_/);
      // The run's token dies with the run.
      const after = await fetch(`${local.url}/repos/${owner}/${repo}`, {
        headers: { authorization: `token ${env["INPUT_GITHUB-TOKEN"]}` },
      });
      expect(after.status).toBe(401);
      local.clearViolations();
    } finally {
      await local.close();
    }
  });
});
