// simple-user: the user object embedded everywhere.
import { nodeId } from "../ids.ts";
import type { User } from "../model.ts";
import type { Urls } from "../urls.ts";

export function simpleUser(user: User, urls: Urls): Record<string, unknown> {
  const api = (rest = "") => urls.userApi(user, rest);
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "bot" : "user", user.id),
    avatar_url: urls.web(`/avatars/u/${user.id}?v=4`),
    gravatar_id: "",
    url: api(),
    html_url: urls.userWeb(user),
    followers_url: api("/followers"),
    following_url: api("/following{/other_user}"),
    gists_url: api("/gists{/gist_id}"),
    starred_url: api("/starred{/owner}{/repo}"),
    subscriptions_url: api("/subscriptions"),
    organizations_url: api("/orgs"),
    repos_url: api("/repos"),
    events_url: api("/events{/privacy}"),
    received_events_url: api("/received_events"),
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}
