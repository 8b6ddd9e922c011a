// Handoff scripts: a task rendered as a sub-issue a fresh agent session can execute, and read back.
//
// The body is markdown a person can read and edit (Goal, dependency note, Files, Approach,
// Constraints, Acceptance criteria as a task list, a Branch/Model/Size line) followed by a hidden
// `task` marker holding the exact task and a digest of the visible text. Reading it back:
// - marker valid and digest matching: the marker's task, exactly (`source: "marker"`);
// - marker valid but the visible text edited by a person: the visible text, read leniently, wins;
//   key, dependencies, parent and branch stay the marker's (`source: "edited"`);
// - no marker (a script written by hand): the visible text read leniently (`source: "lenient"`).
// The digest ignores line endings, trailing spaces, runs of blank lines and ticked task boxes, so
// GitHub's CRLF round trip and ticking acceptance criteria are not edits.
//
// Size: GitHub rejects bodies over 65,536 characters. When a task does not fit, the longest free-text
// fields of the visible text are cut first (the marker keeps the full task); if the marker alone is
// too big, the task itself is cut the same way and marked `truncated`, and parsing warns about it.
export * from "./marker.ts";
export * from "./escape.ts";
export * from "./render.ts";
export * from "./parse.ts";
