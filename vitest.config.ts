import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // The sample project carries its own node:test suite; it runs inside the offline world, not here.
    exclude: ["test/fixtures/**", "node_modules/**"],
    // Integration tests start real servers and child processes on loopback;
    // two cores, so keep parallelism modest and timeouts generous but bounded.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
