// The worker's prompts. The system prompt is constant across tasks so it and the tool definitions
// form a prefix the API caches; the task itself goes into the first user message.
import { sanitizeUntrusted } from "../../../src/kernel/core/text/text.ts";

export function workerSystemPrompt(toolGuidance: string): string {
  return `You are a software engineer starting a fresh session on one task. Another session explored this repository and wrote you a handoff script: a self-contained brief with the goal, the files involved (with the line ranges it explored), a recommended approach, constraints and acceptance criteria. You have no other context; the repository is checked out on your task branch and you are in its root.

How to work:
- Read before you edit: view the files the script names (line numbers may have moved since it was written), and search for what it does not name.
- Stay within the task's scope. Do not refactor unrelated code, reformat files, or change CI or workflow files.
- Make the change with the text editor tool; use bash to run the project's own commands (build, tests, linters).
- Run the acceptance commands yourself before you finish and fix what fails. They are run again, independently, after you finish: your claim of success is not the result.
- Do not commit, push, or create branches: the harness does that after you finish.
- Never print, read or search for credentials or tokens.
- When the work is done (or you cannot make progress), call \`finish\` with an honest summary: what you changed and why, how you verified it, what is left as follow-up, and any learning a future session should keep. If something is unfinished, say so.

Be economical: read the ranges you need rather than whole large files, and keep command output short (pipe through tail, use quiet flags).

About your tools:
${toolGuidance}`;
}

export interface WorkerPromptInput {
  /** The sub-issue's title and body: the handoff script as people and the orchestrator wrote it. */
  title: string;
  script: string;
  /** The sub-issue on GitHub; absent when the script comes from a local plan or file. */
  issue?: number;
  branch: string;
  base: string;
  /** What earlier attempts left on this branch (`git log --oneline`), if anything. */
  previousCommits: string;
  /** Review feedback from `/handoff fix`. */
  feedback?: string;
  /** Where the script's line ranges are on this base, when they moved since the plan. */
  rangeNotes?: string[];
  setupNote?: string;
}

export function workerUserPrompt(input: WorkerPromptInput): string {
  const parts = [
    `Your task${input.issue !== undefined ? ` is issue #${input.issue}` : ""}: ${sanitizeUntrusted(input.title, { maxChars: 300 })}`,
    `You are on branch \`${input.branch}\`, created from \`${input.base}\`.`,
    `<handoff-script>\n${sanitizeUntrusted(input.script, { maxChars: 40_000 })}\n</handoff-script>`,
  ];
  if (input.rangeNotes?.length) {
    parts.push(
      `The script's line ranges were written before \`${input.base}\` changed these files; use these instead:\n${input.rangeNotes.map((n) => `- ${n}`).join("\n")}`,
    );
  }
  if (input.previousCommits.trim()) {
    parts.push(
      `This branch already has commits from an earlier attempt; build on them rather than starting over:\n\`\`\`\n${input.previousCommits.trim()}\n\`\`\``,
    );
  }
  if (input.feedback?.trim()) {
    parts.push(
      `A reviewer asked for changes to the pull request on this branch. Address this feedback:\n<review-feedback>\n${sanitizeUntrusted(input.feedback, { maxChars: 8000 })}\n</review-feedback>`,
    );
  }
  if (input.setupNote) parts.push(input.setupNote);
  parts.push("Start by reading the files the script names.");
  return parts.join("\n\n");
}
