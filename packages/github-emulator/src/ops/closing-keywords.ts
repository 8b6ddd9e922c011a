// "Closes #12", "fixes owner/repo#3", "Resolved: #4": the references GitHub closes on merge.

export interface IssueReference {
  owner?: string;
  repo?: string;
  number: number;
}

const PATTERN = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+(?:([\w.-]+)\/([\w.-]+))?#(\d+)\b/gi;

export function closingReferences(text: string | null | undefined): IssueReference[] {
  if (!text) return [];
  return [...text.matchAll(PATTERN)].map((m) => ({
    ...(m[1] && m[2] ? { owner: m[1], repo: m[2] } : {}),
    number: Number(m[3]),
  }));
}
