// Attacks through what the worker writes: credentials nobody told it about in a test's output, and
// (below) model text that forges handoff's markers or outgrows GitHub's limits. Run against the real
// worker action; each checks what reached GitHub and the model.
import { afterEach, describe, expect, it } from "vitest";
import { toolUse } from "../world/anthropic/index.ts";
import {
  commentBodies,
  FIXED,
  handWrittenScript,
  label,
  ORIGINAL,
  pullsFor,
  repo,
  scriptAgent,
  startAttackWorld,
  toolResults,
  type AttackWorld,
} from "./attack-world.ts";

let w: AttackWorld;
afterEach(async () => {
  await w?.close();
});

const DB_PASSWORD = "Xk9!qT2vLm8#Rw4z";
const SENTRY_KEY = "4f9c2a7e1b8d4c6fa3e5b7d9c1f2a4e6";
const STRIPE_KEY = `sk_live_${"51HqT9xKj2mPzR8vLw3N4bYc"}`;
/** A check that fails the way real ones do: printing its connection settings. */
const LEAKY_CHECK = `console.error("Error: connect ECONNREFUSED postgres://shop:${DB_PASSWORD}@db.internal:5432/shop");
console.error("Sentry: https://${SENTRY_KEY}@o4506.ingest.sentry.io/4506");
console.error("billing: STRIPE_KEY=${STRIPE_KEY}");
process.exit(1);
`;

const fixAndFinish = () => [
  toolUse("str_replace_based_edit_tool", {
    command: "str_replace",
    path: "src/cart.ts",
    old_str: ORIGINAL,
    new_str: FIXED,
  }),
  toolUse("bash", { command: "node scripts/check-db.mjs 2>&1; echo CHECK-DONE" }),
  toolUse("finish", { summary: "Rounded.", changes: "src/cart.ts", verification: "tests" }),
];

describe("credentials found by their shape", () => {
  it("a failing check's database password, error-tracker key and API key reach neither the PR, the status, nor the model", async () => {
    w = await startAttackWorld({ files: { "scripts/check-db.mjs": LEAKY_CHECK } });
    const title = "Round discounts to whole cents";
    const body = handWrittenScript(["- [ ] The database is reachable: `node scripts/check-db.mjs`"]);
    const issue = (await w.alice.rest.issues.create({ ...repo, title, body })).data.number;
    scriptAgent(w, title, fixAndFinish());

    const run = await label(w, issue, w.alice);
    expect(run.outputs.status).toBe("failed");

    const pr = (await pullsFor(w, run.outputs.branch!))[0];
    const written = [pr?.body ?? "", ...(await commentBodies(w, issue)), run.stdout, run.summary ?? ""].join(
      "\n",
    );
    expect(pr?.body).toContain("ECONNREFUSED postgres://"); // the output is there, for the reviewer
    const model = toolResults(w).join("\n");
    expect(model).toContain("CHECK-DONE");
    for (const secret of [DB_PASSWORD, SENTRY_KEY, STRIPE_KEY]) {
      expect(written).not.toContain(secret);
      expect(model).not.toContain(secret);
    }
  });
});
