// URLs inside REST objects. The API is served both at the root and under /api/v3; objects
// point at the root, web (html_url) pages share the same origin under /<owner>/<repo>.
import type { RepoState, User } from "./model.ts";

export class Urls {
  constructor(readonly base: string) {}

  api(path: string): string {
    return `${this.base}${path}`;
  }

  web(path: string): string {
    return `${this.base}${path}`;
  }

  repoApi(repo: RepoState, rest = ""): string {
    return this.api(`/repos/${repo.owner.login}/${repo.name}${rest}`);
  }

  repoWeb(repo: RepoState, rest = ""): string {
    return this.web(`/${repo.owner.login}/${repo.name}${rest}`);
  }

  userApi(user: User, rest = ""): string {
    return this.api(`/users/${encodeURIComponent(user.login)}${rest}`);
  }

  userWeb(user: User): string {
    return user.type === "Bot"
      ? this.web(`/apps/${encodeURIComponent(user.login.replace(/\[bot\]$/, ""))}`)
      : this.web(`/${encodeURIComponent(user.login)}`);
  }
}
