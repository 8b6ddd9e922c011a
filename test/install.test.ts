// What a person installing handoff relies on, checked against the files they will use: where the
// Action comes from, the Node versions promised and tested, and what the production server needs.
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planRelease } from "../scripts/release-check.ts";
import { ROOT } from "./world/index.ts";

const read = (rel: string) => readFileSync(path.join(ROOT, rel), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  version: string;
  license: string;
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  repository: { url: string };
};
const lock = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
};
const readme = read("README.md");
const WORKFLOWS = ["handoff-orchestrator.yml", "handoff-worker.yml"];

/** The canonical home of handoff: where its releases (and the Action) are published. */
const HOME = "handoff-dev/handoff";

describe("distribution", () => {
  it("names one home for the Action in the workflows, the README, app.yml and package.json", () => {
    const uses = [...WORKFLOWS.map((f) => read(`.github/workflows/${f}`)), readme].flatMap((text) =>
      [...text.matchAll(/uses: ([\w.-]+\/[\w.-]+)\/action@(\S+)/g)].map((m) => m[1]),
    );
    expect(uses.length).toBeGreaterThanOrEqual(4);
    expect(new Set(uses)).toEqual(new Set([HOME]));
    expect(parse(read("app.yml")).url).toBe(`https://github.com/${HOME}`);
    expect(pkg.repository.url).toContain(`github.com/${HOME}.git`);
    // The README recommends pinning a full commit SHA, with the version as a comment.
    expect(readme).toMatch(new RegExp(`uses: ${HOME}/action@<[^>]*commit[^>]*> # v\\d`));
  });

  it("is MIT licensed, with a changelog the release workflow can publish from", () => {
    expect(pkg.license).toBe("MIT");
    expect(read("LICENSE")).toMatch(/^MIT License/);
    const release = planRelease(pkg.version, pkg.version, read("CHANGELOG.md"));
    expect(release).toMatchObject({ ok: true, plan: { tag: `v${pkg.version}` } });
    const workflow = parse(read(".github/workflows/release.yml"));
    const script = JSON.stringify(workflow.jobs.release.steps);
    expect(script).toContain("release-check.ts");
    expect(script).toContain("git diff --exit-code -- action/dist");
    expect(script).toContain('git push --force origin \\"refs/tags/$MAJOR\\"');
  });
});

describe("planRelease", () => {
  const changelog =
    "# Changelog\n\n## [Unreleased]\n\n## [1.2.0]\n\n- Added a thing.\n\n## [1.1.0]\n\n- Old.\n";
  it("tags vX.Y.Z, moves vX, and publishes that version's section", () => {
    expect(planRelease("v1.2.0", "1.2.0", changelog)).toEqual({
      ok: true,
      plan: { tag: "v1.2.0", majorTag: "v1", notes: "- Added a thing." },
    });
  });
  it("refuses a version package.json or the changelog do not name", () => {
    expect(planRelease("1.3.0", "1.2.0", changelog)).toEqual({
      ok: false,
      errors: ["package.json says 1.2.0; set it to 1.3.0 first", 'CHANGELOG.md has no "## [1.3.0]" section'],
    });
    expect(planRelease("1.2", "1.2", changelog).ok).toBe(false);
  });
});

describe("Node versions", () => {
  const minimum = semver.minVersion(pkg.engines.node)!;
  it("the engines floor satisfies every runtime dependency's engines", () => {
    const runtime = Object.entries(lock.packages).filter(
      ([name, p]) => name !== "" && !p.dev && p.engines && !Array.isArray(p.engines) && p.engines.node,
    );
    expect(runtime.length).toBeGreaterThan(0);
    for (const [name, p] of runtime) {
      const range = (p.engines as { node: string }).node;
      expect(semver.satisfies(minimum, range), `${name} needs node ${range}`).toBe(true);
    }
  });

  it("CI tests exactly the versions the README promises, and each meets the engines", () => {
    const promised = /\*\*Node (\d+) or (\d+)\*\*/.exec(readme);
    expect(promised).not.toBeNull();
    const ci = parse(read(".github/workflows/ci.yml"));
    expect(ci.jobs.test.strategy.matrix.node).toEqual([Number(promised![1]), Number(promised![2])]);
    for (const v of ci.jobs.test.strategy.matrix.node as number[])
      expect(semver.satisfies(`${v}.0.0`, pkg.engines.node)).toBe(true);
  });
});

describe("the production server", () => {
  it("runs compiled JavaScript: no TypeScript loader or bundler among the runtime dependencies", () => {
    expect(pkg.scripts.start).toBe("node dist/server/main.js");
    for (const tool of ["tsx", "esbuild", "typescript"]) {
      expect(pkg.dependencies).not.toHaveProperty(tool);
      expect(pkg.devDependencies).toHaveProperty(tool);
    }
    const docker = read("Dockerfile");
    const final = docker.slice(docker.lastIndexOf("\nFROM "));
    expect(final).toContain("npm ci --omit=dev");
    expect(final).toContain('CMD ["node", "dist/server/main.js"]');
    expect(final).toMatch(/HOST=0\.0\.0\.0/);
    expect(final).not.toMatch(/tsx|esbuild/);
  });
});
