// Sentences a fresh session cannot act on: they lean on a conversation, an issue or an earlier
// part of some text the worker never sees. And criteria that nothing checks without saying why.
import type { AcceptanceCriterion, Task } from "../plan/plan.ts";

const CONTEXT_LEANS: readonly { re: RegExp; what: string }[] = [
  { re: /\bas (?:we |you |I )?(?:discussed|agreed|mentioned|noted|said|decided)\b/i, what: "as discussed" },
  {
    re: /\b(?:see|mentioned|described|shown|discussed|noted|explained) (?:above|earlier|previously|before)\b/i,
    what: "see above",
  },
  { re: /\b(?:the|this|our|that) (?:conversation|discussion|chat)\b/i, what: "the conversation" },
  { re: /\b(?:like|as|same as) (?:before|last time)\b/i, what: "as before" },
  {
    re: /\b(?:in|from|per|see|described in|mentioned in|according to|listed in) the (?:original |parent |linked |same )?(?:issue|ticket|thread|comments?)\b(?!\s*[:"“(])/i,
    what: "the issue",
  },
  {
    re: /\bthe (?:original |parent |linked )?(?:issue|ticket) (?:says|said|describes|described|asks|asked|mentions|mentioned|explains|requests|requested)\b(?!\s*(?:[:"“(]|that\b))/i,
    what: "the issue",
  },
];

/** The first phrase in `text` that leans on context the worker lacks, if any. */
export function contextLean(text: string): string | undefined {
  for (const { re, what } of CONTEXT_LEANS) {
    const m = re.exec(text);
    if (m) return what === "the issue" || what === "the conversation" ? m[0] : m[0];
  }
  return undefined;
}

/** Fields of a task that are free text, named the way problems name them. */
export function proseFields(task: Task): { field: string; text: string }[] {
  return [
    { field: "goal", text: task.goal },
    { field: "context", text: task.context },
    { field: "approach", text: task.approach },
    ...task.constraints.map((text, i) => ({ field: `constraints[${i}]`, text })),
    ...task.acceptance.map((a, i) => ({ field: `acceptance[${i}].text`, text: a.text })),
    ...task.files.map((f, i) => ({ field: `files[${i}].note`, text: f.note })),
  ];
}

/** A criterion without a command must say why a person checks it. */
const MANUAL_REASON_RE =
  /\b(?:review\w*|manual\w*|by hand|person|people|human|visual\w*|look\w*|inspect\w*|reads?|read through|eyeball\w*|by eye|because|since|cannot|can't|no (?:command|automated|test))\b/i;

export function saysWhyManual(c: AcceptanceCriterion): boolean {
  return MANUAL_REASON_RE.test(c.text);
}
