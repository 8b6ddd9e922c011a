// Authorization header → actor. Installation and Actions tokens are issued by the emulator,
// user tokens are registered by tests, and GitHub App JWTs are verified against the app key.
import { createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import type { ApiError } from "./errors.ts";
import { unauthorized } from "./errors.ts";
import type { Actor, AppState, TokenState, User } from "./model.ts";
import type { Store } from "./store.ts";

const publicKeys = new WeakMap<AppState, KeyObject>();

function appPublicKey(app: AppState): KeyObject {
  let key = publicKeys.get(app);
  if (!key) {
    key = createPublicKey(app.privateKey);
    publicKeys.set(app, key);
  }
  return key;
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const looksLikeJwt = (token: string) => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);

/** Checks an app JWT the way GitHub does: RS256, signed by the app, issued by it, short-lived. */
export function verifyAppJwt(app: AppState, token: string, nowMs: number): ApiError | null {
  const [h, p, s] = token.split(".");
  const header = decodeSegment(h!);
  const payload = decodeSegment(p!);
  if (!header || !payload || header.alg !== "RS256") {
    return unauthorized("A JSON web token could not be decoded");
  }
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${h}.${p}`),
    appPublicKey(app),
    Buffer.from(s!, "base64url"),
  );
  if (!signed) return unauthorized("A JSON web token could not be decoded");
  const now = Math.floor(nowMs / 1000);
  const { iss, iat, exp } = payload;
  if (String(iss) !== String(app.id) && iss !== app.clientId) {
    return unauthorized("'Issuer' claim ('iss') must be an Integer");
  }
  if (typeof exp !== "number" || exp <= now) {
    return unauthorized(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    );
  }
  if (exp - now > 600 + 30) return unauthorized("'Expiration time' claim ('exp') is too far in the future");
  if (typeof iat !== "number" || iat > now + 60) {
    return unauthorized(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    );
  }
  return null;
}

export function authenticate(store: Store, header: string | undefined, nowMs: number): Actor | ApiError {
  if (!header) return { kind: "anonymous", user: null, token: null };
  const match = /^(token|bearer)\s+(\S+)\s*$/i.exec(header);
  if (!match) return unauthorized();
  const secret = match[2]!;
  if (looksLikeJwt(secret)) {
    const error = verifyAppJwt(store.app, secret, nowMs);
    return error ?? { kind: "app", user: null, token: null };
  }
  const token = store.tokens.get(secret);
  if (!token) return unauthorized();
  if (token.expiresAt !== null && token.expiresAt <= nowMs) return unauthorized();
  return { kind: token.kind, user: token.user, token };
}

export function issueToken(
  store: Store,
  kind: TokenState["kind"],
  user: User,
  options: {
    installationId?: number;
    repositories?: string[] | null;
    permissions?: Record<string, string> | null;
    ttlMs?: number | null;
    nowMs: number;
  },
): TokenState {
  const prefix = kind === "user" ? "ghp_" : "ghs_";
  const token: TokenState = {
    token: prefix + randomBytes(18).toString("base64url").replace(/[-_]/g, "0").slice(0, 36),
    kind,
    user,
    installationId: options.installationId ?? null,
    repositories: options.repositories ? new Set(options.repositories.map((r) => r.toLowerCase())) : null,
    permissions: options.permissions ?? null,
    expiresAt: options.ttlMs ? options.nowMs + options.ttlMs : null,
  };
  store.tokens.set(token.token, token);
  return token;
}

/** The login calls are attributed to, for records and rate limits. */
export function actorLabel(store: Store, actor: Actor): string | null {
  if (actor.kind === "app") return `app/${store.app.slug}`;
  return actor.user?.login ?? null;
}
