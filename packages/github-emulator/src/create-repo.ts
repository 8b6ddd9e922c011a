// Creating a repository in the emulator.
import { join } from "node:path";
import { createBareRepository, installPushHook } from "./git-init.ts";
import { BareRepo } from "./git-repo.ts";
import type { RepoState } from "./model.ts";
import type { Store } from "./store.ts";
import type { CreateRepoOptions, RepoHandle } from "./emulator-types.ts";

/** A repository: its bare git repository with the initial commit and push hook, its state, and the App installed on its owner. */
export async function createRepository(
  store: Store,
  tempRoot: string,
  url: string,
  options: CreateRepoOptions,
): Promise<RepoHandle> {
  if (store.repo(options.owner, options.name)) throw new Error(`${options.owner}/${options.name} exists`);
  const owner = store.user(options.owner, options.ownerType);
  const defaultBranch = options.defaultBranch ?? "main";
  const bareDir = join(tempRoot, "repos", owner.login, `${options.name}.git`);
  await createBareRepository(
    bareDir,
    {
      ...(options.files ? { files: options.files } : {}),
      ...(options.fromDir ? { fromDir: options.fromDir } : {}),
    },
    defaultBranch,
    { name: owner.login, email: store.noreplyEmail(owner) },
  );
  const fullName = `${owner.login}/${options.name}`;
  await installPushHook(bareDir, `${url}/_emulator/push`, fullName);
  const now = store.timestamp();
  const repo: RepoState = {
    id: store.ids.allocate("repo"),
    owner,
    name: options.name,
    description: options.description ?? null,
    private: options.private ?? false,
    defaultBranch,
    git: new BareRepo(bareDir),
    createdAt: now,
    updatedAt: now,
    pushedAt: now,
    deleteBranchOnMerge: options.deleteBranchOnMerge ?? false,
    actionsCanCreatePullRequests: options.actionsCanCreatePullRequests ?? true,
    collaborators: new Map(
      Object.entries(options.collaborators ?? {}).map(([login, role]) => [
        store.user(login).login.toLowerCase(),
        role,
      ]),
    ),
    nextNumber: 1,
    issues: new Map(),
    labels: new Map(),
    comments: new Map(),
    workflows: new Map(),
    runs: [],
    runNumbers: new Map(),
  };
  store.repos.set(fullName.toLowerCase(), repo);
  let installationId: number | null = null;
  if (options.installApp !== false) {
    const key = owner.login.toLowerCase();
    let inst = store.installations.get(key);
    if (!inst) {
      inst = { id: store.ids.allocate("installation"), account: owner, createdAt: now };
      store.installations.set(key, inst);
    }
    installationId = inst.id;
  }
  return {
    owner: owner.login,
    name: options.name,
    fullName,
    id: repo.id,
    defaultBranch,
    bareDir,
    cloneUrl: bareDir,
    installationId,
  };
}
