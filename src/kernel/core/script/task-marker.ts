// The one reader of a sub-issue's task marker (`<!-- handoff:task {...} -->`) for what handlers
// need without parsing the whole handoff script: which plan, which task, which branch.
import { z } from "zod";
import { decodeMarker } from "../plan/markers.ts";
import { TaskKey } from "../plan/plan.ts";

const TaskMarkerHead = z.object({
  parent: z.number().int().positive(),
  key: TaskKey,
  branch: z.string().min(1).optional(),
  dependsOn: z.array(TaskKey).default([]),
  dependsOnIssues: z.array(z.number().int().positive()).optional(),
});
export type TaskMarkerHead = z.infer<typeof TaskMarkerHead>;

/** The task marker's head, or undefined when the body has none or it is damaged. */
export function readTaskMarker(body: string | null | undefined): TaskMarkerHead | undefined {
  const parsed = TaskMarkerHead.safeParse(decodeMarker(body ?? "", "task"));
  return parsed.success ? parsed.data : undefined;
}
