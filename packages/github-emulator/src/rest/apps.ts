// The GitHub App (integration) and its installations.
import { nodeId } from "../ids.ts";
import type { AppState, InstallationState } from "../model.ts";
import type { Urls } from "../urls.ts";
import { simpleUser } from "./users.ts";

export function integration(app: AppState, urls: Urls): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("app", app.id),
    client_id: app.clientId,
    owner: simpleUser(app.owner, urls),
    name: app.name,
    description: null,
    external_url: urls.web(`/apps/${app.slug}`),
    html_url: urls.web(`/apps/${app.slug}`),
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: app.permissions,
    events: app.events,
  };
}

export function installation(inst: InstallationState, app: AppState, urls: Urls): Record<string, unknown> {
  return {
    id: inst.id,
    client_id: app.clientId,
    account: simpleUser(inst.account, urls),
    repository_selection: "all",
    access_tokens_url: urls.api(`/app/installations/${inst.id}/access_tokens`),
    repositories_url: urls.api("/installation/repositories"),
    html_url: urls.web(`/settings/installations/${inst.id}`),
    app_id: app.id,
    app_slug: app.slug,
    target_id: inst.account.id,
    target_type: inst.account.type === "Organization" ? "Organization" : "User",
    permissions: app.permissions,
    events: app.events,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The `installation` key of webhook payloads. */
export function simpleInstallation(inst: InstallationState): Record<string, unknown> {
  return { id: inst.id, node_id: nodeId("installation", inst.id) };
}
