// The emulator's shared services, handed to every operation: state, webhooks, activity.
import type { Activity } from "./activity.ts";
import type { RepoState, User } from "./model.ts";
import { simpleInstallation } from "./rest/apps.ts";
import { repository } from "./rest/repos.ts";
import { simpleUser } from "./rest/users.ts";
import type { Store } from "./store.ts";
import type { Delivery, WebhookEmitter } from "./webhooks.ts";

export interface Limits {
  /** GitHub caps issue, pull request and comment bodies at 65,536 characters. */
  maxBodyLength: number;
  maxSubIssues: number;
  maxSubIssueDepth: number;
}

export const DEFAULT_LIMITS: Limits = { maxBodyLength: 65_536, maxSubIssues: 100, maxSubIssueDepth: 8 };

export class Core {
  constructor(
    readonly store: Store,
    readonly webhooks: WebhookEmitter,
    readonly activity: Activity,
    readonly limits: Limits,
  ) {}

  /** Emits `event` with the fields every repository webhook carries. */
  emit(event: string, repo: RepoState, sender: User, fields: Record<string, unknown>): Delivery {
    const { store } = this;
    const installation = store.installationFor(repo);
    const payload: Record<string, unknown> = {
      repository: repository(repo, store.urls),
      ...(repo.owner.type === "Organization" ? { organization: simpleUser(repo.owner, store.urls) } : {}),
      sender: simpleUser(sender, store.urls),
      ...(installation ? { installation: simpleInstallation(installation) } : {}),
      // An event may carry its own rendering of a common field (push has its own repository).
      ...fields,
    };
    return this.webhooks.emit(event, payload);
  }
}
