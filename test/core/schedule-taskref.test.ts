import { describe, expect, it } from "vitest";
import { taskRef } from "../../src/kernel/core/schedule/schedule.ts";

describe("taskRef", () => {
  it("names the sub-issue when there is one", () => {
    expect(taskRef({ key: "a", issue: 12 })).toBe("#12 (`a`)");
    expect(taskRef({ key: "a" })).toBe("`a`");
  });
});
