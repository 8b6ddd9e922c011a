// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Node modules that do I/O or read ambient state. src/core must stay pure:
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

export default tseslint.config(
  { ignores: ["node_modules/", "action/dist/", "dist/", "demo-output/", "coverage/", "test/world/data/"] },
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
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: impureModules
            .flatMap((m) => [m, `node:${m}`])
            .map((name) => ({ name, message: "src/core is pure: no I/O, no ambient state." })),
          patterns: [
            {
              group: ["../*", "!../core/*"],
              message: "src/core may only import from src/core and pure libraries.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "src/core is pure: pass configuration in." },
        { name: "fetch", message: "src/core is pure: no network." },
        { name: "setTimeout", message: "src/core is pure: no timers." },
        { name: "setInterval", message: "src/core is pure: no timers." },
        { name: "Buffer", message: "src/core is pure: use strings and Uint8Array." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "src/core takes `now` as a parameter.",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "src/core takes `now` as a parameter.",
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: "src/core is deterministic.",
        },
      ],
    },
  },
  {
    // A folder inside src/core (src/core/grounding) reaches the rest of the core one level up.
    files: ["src/core/*/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: impureModules
            .flatMap((m) => [m, `node:${m}`])
            .map((name) => ({ name, message: "src/core is pure: no I/O, no ambient state." })),
          patterns: [
            {
              group: ["../../*", "!../../core/*"],
              message: "src/core may only import from src/core and pure libraries.",
            },
          ],
        },
      ],
    },
  },
  {
    // The Action (worker and Actions-only orchestrator) ships in action/dist; it never carries the
    // App server or the CLI. The worker shares the kernel only, not the orchestrator's handlers.
    files: ["action/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/src/app/*", "**/src/server/*", "**/src/local/*", "**/src/cli/*"],
              message:
                "The Action does not import the App server or the CLI: move what both need to the kernel.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["action/src/worker/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/src/app/*",
                "**/src/server/*",
                "**/src/local/*",
                "**/src/cli/*",
                "**/src/orchestrator/*",
                "**/src/actions/*",
                "**/src/planner/*",
              ],
              message:
                "The worker imports the kernel (core, github, store, llm), not the orchestrator's code.",
            },
          ],
        },
      ],
    },
  },
);
