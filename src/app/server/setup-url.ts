// Where GitHub should send webhooks when the App is registered from app.yml (Probot's manifest flow,
// served by `npm start` before APP_ID is set). Probot's own default is the address the setup page was
// opened at, with path "/": http://localhost:3000/ from a laptop, which GitHub refuses, and the wrong
// path on a server. handoff asks for one of two explicit answers instead.

/** The path Probot serves webhooks on (its default, and the one handoff's server uses). */
export const WEBHOOK_PATH = "/api/github/webhooks";

export type SetupWebhook =
  | { ok: true; source: "proxy"; url: string }
  | { ok: true; source: "public"; url: string }
  | { ok: false; message: string };

function httpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * WEBHOOK_PROXY_URL (a smee.io channel Probot forwards to this server: for a laptop) wins; else
 * HANDOFF_PUBLIC_URL (the server's public address: the webhook URL is it plus WEBHOOK_PATH).
 */
export function setupWebhook(env: Record<string, string | undefined>): SetupWebhook {
  const proxy = env.WEBHOOK_PROXY_URL?.trim();
  if (proxy) {
    return httpUrl(proxy)
      ? { ok: true, source: "proxy", url: proxy }
      : { ok: false, message: `WEBHOOK_PROXY_URL is not an http(s) URL: ${proxy}` };
  }
  const publicUrl = env.HANDOFF_PUBLIC_URL?.trim();
  if (publicUrl) {
    const url = httpUrl(publicUrl);
    if (!url || url.protocol !== "https:")
      return { ok: false, message: `HANDOFF_PUBLIC_URL must be an https:// URL: ${publicUrl}` };
    return { ok: true, source: "public", url: `${publicUrl.replace(/\/+$/, "")}${WEBHOOK_PATH}` };
  }
  return {
    ok: false,
    message: [
      "handoff: to register the GitHub App, say where GitHub should send webhooks:",
      "  on your computer: WEBHOOK_PROXY_URL=https://smee.io/<channel> (create one at https://smee.io/new)",
      "  on a server:      HANDOFF_PUBLIC_URL=https://<the server's public address>",
    ].join("\n"),
  };
}
