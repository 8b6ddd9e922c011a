// What the grounding check could not verify is shown in the posted script and survives reading it
// back: from the hidden record, and from the visible list after a person edits the script.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Task } from "../../../src/kernel/core/plan/plan.ts";
import {
  NOT_VERIFIED_HEADING,
  parseHandoffScript,
  renderHandoffScript,
} from "../../../src/kernel/core/script/script.ts";
import type { ScriptContext } from "../../../src/kernel/core/script/script.ts";
import { hostileString, hostileTask, reasonableTask, sentence } from "../script-arbitraries.ts";

const task = Task.parse({
  key: "fix-rounding",
  title: "Round discounts",
  goal: "Round to whole cents.",
  files: [{ path: "src/cart.ts", lines: { start: 12, end: 15 }, note: "applyDiscount" }],
  acceptance: [{ text: "Tests pass", command: "npm test" }],
});
const BASE = "0123456789abcdef0123456789abcdef01234567";
const UNVERIFIED = [
  "`files[0].lines`: lines 12–15 are past the end of `src/cart.ts`, which has 9 lines",
  "`acceptance[0].command`: `npm run lint`: `package.json` has no `lint` script (it has: `test`)",
];
const ctx = (unverified: string[]): ScriptContext => ({
  parent: 7,
  branch: "handoff/7-fix-rounding",
  dependencies: [],
  grounding: { base: BASE, unverified },
});

describe("the not-verified list in a handoff script", () => {
  it("is shown with the base commit and read back from the record", () => {
    const { body } = renderHandoffScript(task, ctx(UNVERIFIED));
    expect(body).toContain(`## ${NOT_VERIFIED_HEADING}`);
    expect(body).toContain("at `0123456`");
    for (const u of UNVERIFIED) expect(body).toContain(`- ${u}`);
    const parsed = parseHandoffScript(body);
    expect(parsed.ok && parsed.meta).toMatchObject({
      source: "marker",
      grounding: { base: BASE, unverified: UNVERIFIED },
    });
    expect(parsed.ok && parsed.task).toEqual(task);
  });

  it("is absent from a verified script, which still records its base", () => {
    const { body } = renderHandoffScript(task, ctx([]));
    expect(body).not.toContain(NOT_VERIFIED_HEADING);
    const parsed = parseHandoffScript(body);
    expect(parsed.ok && parsed.meta.grounding).toEqual({ base: BASE, unverified: [] });
  });

  it("is read from the visible text after an edit: a deleted line is no longer unverified", () => {
    const { body } = renderHandoffScript(task, ctx(UNVERIFIED));
    const edited = body.replace(`- ${UNVERIFIED[0]}\n`, "");
    const parsed = parseHandoffScript(edited);
    expect(parsed.ok && parsed.meta).toMatchObject({
      source: "edited",
      grounding: { base: BASE, unverified: [UNVERIFIED[1]] },
    });
    expect(parsed.ok && parsed.task.acceptance).toEqual(task.acceptance);
    // Deleting the whole section clears it.
    const cleared = body.replace(/## ⚠️ Not verified[\s\S]*?(?=\*\*Branch)/, "");
    const again = parseHandoffScript(cleared);
    expect(again.ok && again.meta.grounding).toEqual({ base: BASE, unverified: [] });
  });
});

describe("the not-verified list, for any task (properties)", () => {
  const base = fc.stringMatching(/^[0-9a-f]{40}$/);
  it("round-trips through the record for hostile tasks and hostile problem text", () => {
    fc.assert(
      fc.property(
        hostileTask,
        fc.array(hostileString(1, 300), { maxLength: 5 }),
        base,
        (t, unverified, sha) => {
          const { title, body } = renderHandoffScript(t, {
            ...ctx(unverified),
            grounding: { base: sha, unverified },
          });
          const r = parseHandoffScript(body, { title });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.task).toEqual(t);
          expect(r.meta.grounding).toEqual({ base: sha, unverified });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("is read back from the visible text after an edit, leaving every other field as it was", () => {
    fc.assert(
      fc.property(
        reasonableTask,
        fc.array(sentence(2, 12), { minLength: 1, maxLength: 5 }),
        (t, unverified) => {
          const { title, body } = renderHandoffScript(t, {
            ...ctx(unverified),
            branch: `handoff/7-${t.key}`,
          });
          const edited = body.replace("## Goal\n\n", "## Goal\n\nEdited. ");
          const r = parseHandoffScript(edited, { title });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.meta.source).toBe("edited");
          expect(r.task).toEqual({ ...t, goal: `Edited. ${t.goal}` });
          expect(r.meta.grounding?.unverified).toEqual(unverified);
        },
      ),
      { numRuns: 150 },
    );
  });
});
