// Command-line options of `npm run demo`.
import { parseArgs } from "node:util";

export interface DemoArgs {
  live: boolean;
  local: boolean;
  out: string;
  color: boolean | undefined;
  help: boolean;
}

export const USAGE = `Usage: npm run demo [-- options]
       node --import tsx scripts/demo.ts [options]

Runs handoff end to end on a sample repository in about 15 seconds, offline: a collaborator
comments /handoff on an issue, the orchestrator plans and files sub-issues, workers open one PR
per task, the PRs are merged, and the rollup ends all done. Writes the issue as a web page.

Options:
  --live          Use the real Anthropic API for the planner and the workers (needs
                  ANTHROPIC_API_KEY; ANTHROPIC_BASE_URL is honoured). GitHub is still the
                  local emulator. Costs real tokens, typically well under a dollar.
  --local         The same pattern on one machine, without GitHub: the \`handoff\` command plans
                  the sample project into handoff scripts, works them in git worktrees two at a
                  time (one stacked on its prerequisite) and writes the rollup page
  --out <dir>     Where to write the page and the markdown (default: demo-output)
  --no-color      No ANSI colours (also when NO_COLOR is set; --color forces them)
  -h, --help      Show this help
`;

export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      live: { type: "boolean", default: false },
      local: { type: "boolean", default: false },
      out: { type: "string", default: "demo-output" },
      color: { type: "boolean" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    live: values.live === true,
    local: values.local === true,
    out: values.out as string,
    color: values["no-color"] ? false : values.color,
    help: values.help === true,
  };
}
