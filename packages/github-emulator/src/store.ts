// Everything the emulator knows: users, repositories, the GitHub App and its installations,
// issued tokens. Handlers read and mutate it; rest/*.ts renders it.
import { generateKeyPairSync } from "node:crypto";
import { IdAllocator, isoSeconds } from "./ids.ts";
import type { AppState, InstallationState, IssueState, RepoState, Role, TokenState, User } from "./model.ts";
import { Urls } from "./urls.ts";

export interface AppOptions {
  id?: number;
  slug?: string;
  name?: string;
  clientId?: string;
  /** Owner account login (default: the first repository's owner, else "handoff-dev"). */
  owner?: string;
  /** PEM private key; one is generated (once per process) when omitted. */
  privateKey?: string;
  permissions?: Record<string, string>;
  events?: string[];
}

let generatedKey: string | undefined;
function processAppKey(): string {
  generatedKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return generatedKey;
}

export const ACTIONS_BOT_LOGIN = "github-actions[bot]";
const ACTIONS_BOT_ID = 41898282;

const DEFAULT_PERMISSIONS = {
  actions: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
  pull_requests: "write",
  workflows: "write",
};
const DEFAULT_EVENTS = ["issues", "issue_comment", "pull_request", "push", "sub_issues", "workflow_run"];

export class Store {
  readonly ids = new IdAllocator();
  readonly users = new Map<string, User>();
  readonly repos = new Map<string, RepoState>();
  readonly issuesById = new Map<number, IssueState>();
  readonly installations = new Map<string, InstallationState>();
  readonly tokens = new Map<string, TokenState>();
  readonly app: AppState;
  urls: Urls;

  constructor(
    readonly now: () => Date,
    appOptions: AppOptions = {},
  ) {
    this.urls = new Urls("http://127.0.0.1");
    const slug = appOptions.slug ?? "handoff";
    const owner = this.user(appOptions.owner ?? "handoff-dev");
    const bot: User = {
      login: `${slug}[bot]`,
      id: this.ids.allocate("bot"),
      type: "Bot",
      name: null,
      email: null,
    };
    this.users.set(bot.login.toLowerCase(), bot);
    this.users.set(ACTIONS_BOT_LOGIN, {
      login: ACTIONS_BOT_LOGIN,
      id: ACTIONS_BOT_ID,
      type: "Bot",
      name: null,
      email: null,
    });
    const id = appOptions.id ?? this.ids.allocate("app");
    this.app = {
      id,
      slug,
      name: appOptions.name ?? slug,
      clientId: appOptions.clientId ?? `Iv23li${String(id).padStart(14, "0")}`,
      owner,
      bot,
      privateKey: appOptions.privateKey ?? processAppKey(),
      permissions: appOptions.permissions ?? DEFAULT_PERMISSIONS,
      events: appOptions.events ?? DEFAULT_EVENTS,
      createdAt: this.timestamp(),
    };
  }

  timestamp(): string {
    return isoSeconds(this.now());
  }

  /** The user with this login, created on first mention (bots end in `[bot]`). */
  user(login: string, type?: User["type"]): User {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      const bot = login.endsWith("[bot]");
      user = {
        login,
        id: this.ids.allocate(bot ? "bot" : "user"),
        type: type ?? (bot ? "Bot" : "User"),
        name: null,
        email: null,
      };
      this.users.set(key, user);
    }
    return user;
  }

  get actionsBot(): User {
    return this.users.get(ACTIONS_BOT_LOGIN)!;
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  installationFor(repo: RepoState): InstallationState | undefined {
    return this.installations.get(repo.owner.login.toLowerCase());
  }

  installationById(id: number): InstallationState | undefined {
    return [...this.installations.values()].find((i) => i.id === id);
  }

  /** The user's role on the repository: owners are admins; null for no explicit access. */
  roleOf(repo: RepoState, login: string): Role | null {
    if (login.toLowerCase() === repo.owner.login.toLowerCase()) return "admin";
    return repo.collaborators.get(login.toLowerCase()) ?? null;
  }

  /** Noreply address GitHub uses for commits made through the web or API. */
  noreplyEmail(user: User): string {
    return `${user.id}+${user.login}@users.noreply.github.com`;
  }

  userByEmail(email: string): User | undefined {
    const match = /^(\d+)\+(.+)@users\.noreply\.github\.com$/.exec(email);
    if (match) return this.users.get(match[2]!.toLowerCase());
    return [...this.users.values()].find((u) => u.email === email);
  }
}
