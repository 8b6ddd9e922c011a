// The environment the agent's commands run with. Everything the job has passes through (a strict
// allowlist would break toolchains that setup-* actions configure through variables such as JAVA_HOME
// or PNPM_HOME) except what could carry a credential or change later steps of the job.
import { Redactor } from "./redact.ts";

export type Env = Record<string, string | undefined>;

/** Prefixes of variables the runner fills with action inputs and runtime credentials. */
const DENIED_PREFIXES = ["INPUT_", "ACTIONS_", "ANTHROPIC_", "CLAUDE_"];

/** Exact names: tokens, and the runner's file commands (writing them changes the job's later steps). */
const DENIED_NAMES = new Set([
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "GH_ENTERPRISE_TOKEN",
  "RUNNER_TOKEN",
  "GITHUB_ENV",
  "GITHUB_PATH",
  "GITHUB_OUTPUT",
  "GITHUB_STATE",
  "GITHUB_STEP_SUMMARY",
  "SSH_AUTH_SOCK",
  "NETRC",
]);

/** Words that mark a name as holding a secret, wherever they appear in it. */
const SECRET_NAME_RE =
  /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE[_-]?KEY|API[_-]?KEY|ACCESS[_-]?KEY|CREDENTIAL|(?:^|[_-])AUTH(?:[_-]|$)|(?:^|[_-])(?:PAT|JWT|COOKIE|SESSION)(?:[_-]|$)/i;

/** Set on every command so git and tools never wait for input nobody can give. */
export const COMMAND_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: "0",
  // System-wide git config on a runner may carry credential helpers; the repo's and the user's stay.
  GIT_CONFIG_NOSYSTEM: "1",
  GCM_INTERACTIVE: "never",
  GIT_PAGER: "cat",
  PAGER: "cat",
};

/** Whether a variable's name alone says it must not reach the agent. */
export function isDeniedName(name: string): boolean {
  const upper = name.toUpperCase();
  if (DENIED_NAMES.has(upper)) return true;
  if (DENIED_PREFIXES.some((p) => upper.startsWith(p))) return true;
  return SECRET_NAME_RE.test(name);
}

/**
 * The agent's environment: `env` without denied names and without any variable whose value contains a
 * known secret (raw or encoded, e.g. a URL with the token in it), plus COMMAND_ENV. `CI` defaults to
 * `true` so tools pick their non-interactive behaviour. Pure: `env` is not modified.
 */
export function scrubEnv(env: Env, secrets: Iterable<string> | Redactor): Record<string, string> {
  const redactor = secrets instanceof Redactor ? secrets : new Redactor(secrets);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isDeniedName(name)) continue;
    if (redactor.contains(value)) continue;
    out[name] = value;
  }
  out.CI ??= "true";
  return { ...out, ...COMMAND_ENV };
}

/** Values of variables whose names mark them as secrets: registered for redaction even if not passed in. */
export function secretsInEnv(env: Env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && SECRET_NAME_RE.test(name))
    .map(([, value]) => value as string);
}
