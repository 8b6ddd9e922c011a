// Labels: case-insensitive per repository, created on first use as GitHub does.
import type { Core } from "../core.ts";
import { ApiError } from "../errors.ts";
import type { IssueState, LabelState, RepoState, User } from "../model.ts";
import { issue as renderIssue, label as renderLabel } from "../rest/issues.ts";
import { emitPullEvent } from "./pull-events.ts";

export function findLabel(repo: RepoState, name: string): LabelState | undefined {
  return repo.labels.get(name.toLowerCase());
}

export function createLabel(
  core: Core,
  repo: RepoState,
  input: { name: string; color?: string; description?: string | null },
): LabelState {
  if (findLabel(repo, input.name)) {
    throw new ApiError(422, "Validation Failed", {
      errors: [{ resource: "Label", code: "already_exists", field: "name" }],
    });
  }
  const created: LabelState = {
    id: core.store.ids.allocate("label"),
    name: input.name,
    color: (input.color ?? "ededed").replace(/^#/, "").toLowerCase(),
    description: input.description ?? null,
    default: false,
  };
  repo.labels.set(input.name.toLowerCase(), created);
  return created;
}

export function ensureLabel(core: Core, repo: RepoState, name: string): LabelState {
  return findLabel(repo, name) ?? createLabel(core, repo, { name });
}

async function emitLabelEvent(core: Core, issue: IssueState, action: string, l: LabelState, sender: User) {
  const repo = issue.repo;
  if (issue.pull) {
    await emitPullEvent(core, issue.pull, action, sender, { label: renderLabel(repo, l, core.store.urls) });
  } else {
    core.emit("issues", repo, sender, {
      action,
      issue: renderIssue(core.store, issue),
      label: renderLabel(repo, l, core.store.urls),
    });
  }
}

export async function addLabels(core: Core, issue: IssueState, names: string[], sender: User): Promise<void> {
  for (const name of names) {
    const l = ensureLabel(core, issue.repo, name);
    if (issue.labels.includes(l)) continue;
    issue.labels.push(l);
    issue.updatedAt = core.store.timestamp();
    await emitLabelEvent(core, issue, "labeled", l, sender);
  }
}

export async function removeLabel(core: Core, issue: IssueState, name: string, sender: User): Promise<void> {
  const l = findLabel(issue.repo, name);
  if (!l || !issue.labels.includes(l)) throw new ApiError(404, "Label does not exist");
  issue.labels = issue.labels.filter((x) => x !== l);
  issue.updatedAt = core.store.timestamp();
  await emitLabelEvent(core, issue, "unlabeled", l, sender);
}

export async function setLabels(core: Core, issue: IssueState, names: string[], sender: User): Promise<void> {
  const wanted = new Set(names.map((n) => ensureLabel(core, issue.repo, n)));
  for (const l of [...issue.labels]) if (!wanted.has(l)) await removeLabel(core, issue, l.name, sender);
  await addLabels(
    core,
    issue,
    [...wanted].map((l) => l.name),
    sender,
  );
}
