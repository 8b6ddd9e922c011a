// `npm run demo`, as a newcomer runs it but piped (not a terminal): the whole flow ends with every
// task merged, the summary lists the PRs with their acceptance results, and demo-output holds a
// self-contained page (rollup table, Mermaid graph drawn from a local script) and the raw markdown.
// The --live path runs too, against a second fake standing in for the real API.
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMarkdownRenderer, sanitizeFragment } from "../../src/cli/report/html-markdown.ts";
import { EXIT, runDemo } from "../../scripts/demo/main.ts";
import { startAnthropicFake, type AnthropicFake } from "@handoff/messages-api-fake";
import { ISSUE, scriptSampleSessions } from "../world/scenarios/sample.ts";

const RUN_TIMEOUT = 150_000;

async function demo(argv: string[], env: Record<string, string> = {}) {
  const outDir = await mkdtemp(path.join(tmpdir(), "handoff-demo-"));
  let output = "";
  const code = await runDemo({
    argv,
    env,
    outDir,
    tty: false,
    columns: 120,
    write: (text) => void (output += text),
  });
  return { code, output, outDir };
}

/** The lines of one "━━ Title ━━" section of the summary. */
function section(output: string, title: string): string {
  const start = output.indexOf(`━━ ${title}`);
  if (start < 0) return "";
  const end = output.indexOf("\n━━ ", start + 1);
  return output.slice(start, end < 0 ? undefined : end);
}

describe("npm run demo (offline replay, piped)", () => {
  let run: Awaited<ReturnType<typeof demo>>;
  beforeAll(async () => {
    run = await demo([]);
  }, RUN_TIMEOUT);
  afterAll(async () => {
    if (run) await rm(run.outDir, { recursive: true, force: true });
  });

  it("ends with every task merged and the rollup all done", () => {
    expect(run.code, run.output).toBe(EXIT.ok);
    expect(run.output).toContain("OFFLINE REPLAY");
    expect(section(run.output, "Result")).toContain("All 3 tasks merged");
  });

  it("prints one line per state change, no terminal control codes and no log dump", () => {
    // eslint-disable-next-line no-control-regex
    expect(run.output).not.toMatch(/\x1b\[/);
    expect(run.output).toMatch(/\] planner: planned 3 tasks/);
    for (const key of ["fix-duration-format", "fix-discount-rounding", "invoice-applies-discount"]) {
      expect(run.output).toMatch(new RegExp(`\\] ${key} #\\d+: PR open #\\d+`));
      expect(run.output).toMatch(new RegExp(`\\] ${key} #\\d+: merged #\\d+`));
    }
    // Intermediate states show too (the view samples GitHub, so not every one for every task).
    expect(run.output).toMatch(/\] [a-z-]+ #\d+: (queued|running)/);
    expect(run.output).toMatch(/alice merged #\d+ \(invoice-applies-discount\) into main/);
  });

  it("summarizes three PRs, each with every acceptance command green", () => {
    const prs = section(run.output, "Pull requests")
      .split("\n")
      .filter((l) => /^\s+#\d+\s/.test(l));
    expect(prs).toHaveLength(3);
    for (const line of prs) expect(line).toMatch(/✅ (\d+)\/\1\s+acceptance\s+merged/);
  });

  it("shows the final rollup's headline and dependency graph in the terminal, no raw Mermaid or HTML", () => {
    const rollup = section(run.output, "Final rollup");
    expect(rollup).toContain("handoff plan: 3 tasks · ✅ 3 merged");
    expect(rollup).toContain("#3 fix-discount-rounding → #4 invoice-applies-discount");
    for (const raw of ["flowchart", "classDef", "<details", "<summary", "<!--", "<sub>", "###"])
      expect(run.output).not.toContain(raw);
  });

  it("reports tokens, cost, GitHub API calls per operation, the time taken and the output files", () => {
    const totals = section(run.output, "Totals");
    expect(totals).toMatch(/Tokens\s+[\d.]+k in \d+ model calls/);
    expect(totals).toMatch(/Cost\s+\$\d+\.\d\d/);
    expect(totals).toMatch(/GitHub API\s+\d+ calls: orchestrator/);
    expect(totals).toMatch(/issues\/list-comments\s+\d+/);
    expect(totals).toMatch(/Time\s+[\d.]+s/);
    expect(section(run.output, "Output")).toContain(path.join(run.outDir, "index.html"));
  });

  it("writes the issue as a self-contained page with the rollup table and a Mermaid graph", async () => {
    const html = await readFile(path.join(run.outDir, "index.html"), "utf8");
    expect(html).toContain(`<h2 class="title">${ISSUE.title}`);
    // The rollup as GitHub shows it: table, statuses, totals.
    expect(html).toMatch(/<th>Task<\/th>\s*<th>Issue<\/th>\s*<th>Status<\/th>/);
    expect(html.match(/✅ merged/g)).toHaveLength(3);
    expect(html).toContain("<strong>Total</strong>");
    expect(html).toMatch(/<pre class="mermaid">flowchart TD/);
    expect(html).toContain('<script src="mermaid.min.js"></script>');
    expect((await stat(path.join(run.outDir, "mermaid.min.js"))).size).toBeGreaterThan(100_000);
    // Nothing is loaded from the network: no remote scripts, stylesheets, images or frames.
    expect(html).not.toMatch(
      /<(script|link|img|iframe|source|video|audio)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?\/\//i,
    );
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    // Hidden markers stay hidden; every sub-issue and PR has its section.
    expect(html).not.toContain("handoff:rollup");
    expect(html.match(/<section class="item" id="issue-\d+">/g)).toHaveLength(4);
    expect(html.match(/<section class="item" id="pr-\d+">/g)).toHaveLength(3);
    expect(html.match(/<pre class="diff">/g)).toHaveLength(3); // each PR's files changed
  });

  it("writes the raw markdown of the issue, every comment and every PR body", async () => {
    const dir = path.join(run.outDir, "markdown");
    const files = (await readdir(dir)).sort();
    expect(await readFile(path.join(dir, "issue-1.md"), "utf8")).toBe(ISSUE.body);
    const comments = files.filter((f) => /^issue-1-comment-\d+\.md$/.test(f));
    const bodies = await Promise.all(comments.map((f) => readFile(path.join(dir, f), "utf8")));
    expect(bodies).toContain("/handoff");
    expect(bodies.filter((b) => b.includes("<!-- handoff:rollup"))).toHaveLength(1);
    const prs = files.filter((f) => /^pr-\d+\.md$/.test(f));
    expect(prs).toHaveLength(3);
    for (const f of prs) expect(await readFile(path.join(dir, f), "utf8")).toContain("<!-- handoff:result");
    // The three sub-issues (handoff scripts) with their status comments.
    expect(files.filter((f) => /^issue-[234]\.md$/.test(f))).toHaveLength(3);
    expect(files.filter((f) => /^issue-[234]-comment-\d+\.md$/.test(f))).toHaveLength(3);
  });
});

describe("npm run demo --live (the real-model path, against a stand-in API)", () => {
  let fake: AnthropicFake;
  let run: Awaited<ReturnType<typeof demo>>;
  beforeAll(async () => {
    fake = await startAnthropicFake();
    scriptSampleSessions(fake);
    run = await demo(["--live"], { ANTHROPIC_API_KEY: fake.apiKey, ANTHROPIC_BASE_URL: fake.url });
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await fake?.close();
    if (run) await rm(run.outDir, { recursive: true, force: true });
  });

  it("plans and works with the configured API, not the built-in fake, and ends all merged", () => {
    expect(run.code, run.output).toBe(EXIT.ok);
    expect(run.output).toContain("LIVE MODEL");
    expect(fake.requests().filter((r) => r.route === "planner").length).toBeGreaterThan(0);
    expect(fake.requests().filter((r) => r.route?.startsWith("worker ")).length).toBeGreaterThan(0);
    fake.assertNoViolations();
    // Without the fake's records, tokens come from the workers' reported usage.
    expect(section(run.output, "Totals")).toMatch(/Tokens\s+[\d.]+k/);
  });
});

describe("npm run demo, options", () => {
  it("--help prints the usage", async () => {
    const { code, output } = await demo(["--help"]);
    expect(code).toBe(EXIT.ok);
    expect(output).toContain("Usage: npm run demo");
    expect(output).toContain("--live");
  });

  it("--live without ANTHROPIC_API_KEY stops with a clear message", async () => {
    const { code, output } = await demo(["--live"]);
    expect(code).toBe(EXIT.usage);
    expect(output).toContain("--live needs ANTHROPIC_API_KEY");
  });

  it("an unknown option prints the usage", async () => {
    const { code, output } = await demo(["--bogus"]);
    expect(code).toBe(EXIT.usage);
    expect(output).toContain("Usage:");
  });
});

describe("the demo page's markdown", () => {
  const render = createMarkdownRenderer({
    serverUrl: "http://127.0.0.1:9",
    repo: "acme/shop",
    anchors: new Set(["issue-2", "pr-5", "run-77"]),
  });

  it("keeps allowed tags bare and shows everything else as text", () => {
    expect(sanitizeFragment('<details open onclick="x()"><summary>s</summary>')).toBe(
      "<details><summary>s</summary>",
    );
    expect(sanitizeFragment("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(sanitizeFragment("<!-- handoff:task {} -->visible")).toBe("visible");
    expect(sanitizeFragment("<scr<script>ipt>")).not.toContain("<script");
  });

  it("loads nothing from the network and keeps links to the emulator on the page", () => {
    expect(render("![chart](https://example.com/c.png)")).not.toContain("<img");
    expect(render("[x](javascript:alert(1))")).not.toContain("href");
    expect(
      render("[PR](http://127.0.0.1:9/acme/shop/pull/5) [run](http://127.0.0.1:9/acme/shop/actions/runs/77)"),
    ).toMatch(/href="#pr-5".*href="#run-77"/);
    expect(render("Closes #2, see #99")).toContain('<a href="#issue-2">#2</a>, see #99');
    expect(render("```mermaid\nflowchart TD\n  a --> b\n```")).toContain(
      '<pre class="mermaid">flowchart TD\n  a --&gt; b',
    );
    expect(render("> [!TIP]\n> **Done**")).toContain('<div class="markdown-alert markdown-alert-tip">');
  });
});

describe("npm run demo -- --local (the same pattern on one machine)", () => {
  it(
    "plans, works the three tasks in worktrees with one stacked, and writes the local rollup page",
    async () => {
      const run = await demo(["--local"]);
      // On failure the demo's own output says which `handoff` step exited and why.
      expect(run.code, run.output).toBe(EXIT.ok);
      expect(run.output).toContain("$ handoff plan");
      expect(run.output).toContain("▶ invoice-applies-discount started from handoff/1-fix-discount-rounding");
      for (const key of ["fix-duration-format", "fix-discount-rounding", "invoice-applies-discount"])
        expect(run.output).toMatch(new RegExp(`✅ ${key} +done`));
      const page = await readFile(path.join(run.outDir, "local/index.html"), "utf8");
      expect(page).toContain('<pre class="mermaid">');
      expect(await readFile(path.join(run.outDir, "local/rollup.md"), "utf8")).toContain(
        "3 tasks · ✅ 3 done",
      );
      await rm(run.outDir, { recursive: true, force: true });
    },
    RUN_TIMEOUT,
  );
});
