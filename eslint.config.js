// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Node modules that do I/O or read ambient state. src/kernel/core must stay pure:
// plain data in, plain data out, so it can be tested exhaustively.
const impureModules = [
  "fs",
  "fs/promises",
  "net",
  "http",
  "https",
  "http2",
  "child_process",
  "dgram",
  "dns",
  "tls",
  "os",
  "process",
  "cluster",
  "worker_threads",
  "readline",
  "zlib",
  "crypto",
  "timers",
  "timers/promises",
];

// The deployables over the kernel (src/kernel): the App (src/app), the orchestrator it shares with
// the Action (src/orchestrator), the Action (action/src) and the CLI (src/cli).
const deployables = ["**/orchestrator/**", "**/app/**", "**/cli/**", "**/action/**"];
const noIo =
  "Only the edges do I/O (src/app, src/cli, action/src, the gateway, the model client): act through the gateway and client you are given.";
const ioBans = (message) => impureModules.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message }));
const outside = (group, message) => [{ group, message }];
// Type imports stay allowed: the kernel names the SDKs' types; only the edges construct their clients.
const sdkBans = (message) => [
  { group: ["@octokit/*", "probot", "@anthropic-ai/sdk", "@actions/*"], message, allowTypeImports: true },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "action/dist/",
      "dist/",
      "demo-output/",
      "coverage/",
      "packages/github-emulator/data/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        Buffer: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        fetch: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        performance: "readonly",
        structuredClone: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
        setImmediate: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    files: ["src/kernel/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ioBans("src/kernel/core is pure: no I/O, no ambient state."),
          patterns: [
            ...outside(
              ["**/github/**", "**/store/**", "**/llm/**"],
              "src/kernel/core imports only the core and pure libraries.",
            ),
            ...outside(deployables, "The kernel serves every deployable and imports none of them."),
            ...sdkBans("src/kernel/core is pure: it never talks to GitHub or the model."),
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "src/kernel/core is pure: pass configuration in." },
        { name: "fetch", message: "src/kernel/core is pure: no network." },
        { name: "setTimeout", message: "src/kernel/core is pure: no timers." },
        { name: "setInterval", message: "src/kernel/core is pure: no timers." },
        { name: "Buffer", message: "src/kernel/core is pure: use strings and Uint8Array." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "src/kernel/core takes `now` as a parameter.",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "src/kernel/core takes `now` as a parameter.",
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: "src/kernel/core is deterministic.",
        },
      ],
    },
  },
  {
    // The store and the model loop act through the gateway and the client they are given.
    files: ["src/kernel/store/**/*.ts", "src/kernel/llm/**/*.ts"],
    ignores: ["src/kernel/llm/client.ts", "src/kernel/llm/model-call.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ioBans(noIo),
          patterns: [
            ...outside(deployables, "The kernel serves every deployable and imports none of them."),
            ...sdkBans(noIo),
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: noIo },
        { name: "fetch", message: noIo },
      ],
    },
  },
  {
    // The edges of the kernel: the GitHub gateway (Octokit) and the model client and its streamed call (the Anthropic SDK).
    files: ["src/kernel/github/**/*.ts", "src/kernel/llm/client.ts", "src/kernel/llm/model-call.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: outside(deployables, "The kernel serves every deployable and imports none of them.") },
      ],
    },
  },
  {
    // Planning and the plan's event handlers: run by the App, the Action's orchestrator mode and
    // `handoff plan`, so they import the kernel only and act through the gateway they are given.
    files: ["src/orchestrator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ioBans(noIo),
          patterns: [
            ...outside(
              ["**/app/**", "**/cli/**", "**/action/**"],
              "The orchestrator imports the kernel only: the App, the Action and the CLI import it.",
            ),
            ...sdkBans(noIo),
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: noIo },
        { name: "fetch", message: noIo },
      ],
    },
  },
  {
    // The App (Probot server and webhook routing) never carries the Action's or the CLI's code.
    files: ["src/app/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: outside(
            ["**/action/**", "**/cli/**"],
            "The App does not import the Action or the CLI: move what both need to the kernel.",
          ),
        },
      ],
    },
  },
  {
    // The CLI composes the kernel, the orchestrator (`handoff plan`) and the worker (`handoff run`);
    // it never carries the App.
    files: ["src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: outside(
            ["**/app/**", "**/action/src/orchestrator/**", "**/action/src/main.ts"],
            "The CLI does not import the App or the Action's entry: it runs the orchestrator and the worker directly.",
          ),
        },
      ],
    },
  },
  {
    // The Action ships in action/dist: its orchestrator mode runs the App's event routing
    // (src/app/app.ts) but never the App server, and nothing of the CLI.
    files: ["action/src/*.ts", "action/src/orchestrator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: outside(
            ["**/src/app/server/**", "**/src/cli/**"],
            "The Action does not import the App server or the CLI: move what both need to the kernel.",
          ),
        },
      ],
    },
  },
  {
    // The offline world's packages stand alone: nothing of handoff's source, tests or Action.
    files: ["packages/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: outside(
            ["../../../*", "../../../../*", "../../../../../*", "@handoff/*", "!../../../data/*"],
            "A package of the offline world imports nothing from handoff: only its own files and npm packages.",
          ),
        },
      ],
    },
  },
  {
    // The worker and its tools share the kernel only, not the orchestrator's or the App's code.
    files: ["action/src/worker/**/*.ts", "action/src/tools/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: outside(
            ["**/src/app/**", "**/src/cli/**", "**/orchestrator/**"],
            "The worker imports the kernel (core, github, store, llm), not the orchestrator's or the App's code.",
          ),
        },
      ],
    },
  },
);
