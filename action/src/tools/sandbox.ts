// Process isolation for every command the agent (and the worker's setup and acceptance) runs. Each
// command starts in its own PID namespace with its own /proc, so the worker's process (which holds the
// tokens in its memory and environment) does not exist for it, and its own mount namespace, where the
// runner's state is covered: RUNNER_TEMP with the event payload and file commands, the runner's own
// install, credential files in the home directory, the Docker socket, the action's bundle. System
// directories are read-only when the worker runs as root. Then it drops every capability and any way
// back to them (no_new_privs, so `sudo` and setuid binaries grant nothing) before the command starts.
//
// Mechanisms: util-linux `unshare` + `setpriv`, run directly when the worker is root, else through
// passwordless `sudo -n` (GitHub-hosted runners). When neither works, the worker refuses to run the
// agent, or with `worker.sandbox: warn` runs it unisolated with a loud warning.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";

export type SandboxMechanism = "unshare" | "sudo-unshare";

export interface Sandbox {
  mechanism: SandboxMechanism;
  /** The argv that runs `bash -c command` inside the sandbox. */
  wrap(command: string): { file: string; args: string[] };
  /** Paths covered inside, for the README's claims and the tests. */
  hidden: string[];
}

export interface SandboxProbe {
  uid: number;
  gid: number;
  /** Absolute paths of the tools, or undefined when absent. */
  which: (name: string) => string | undefined;
  /** Whether `sudo -n` works without a password. */
  sudoWorks: () => boolean;
}

/** Paths under $HOME that hold credentials on common runners. */
const HOME_CREDENTIALS = [
  ".ssh",
  ".gnupg",
  ".docker",
  ".aws",
  ".azure",
  ".kube",
  ".config/gh",
  ".config/gcloud",
  ".git-credentials",
  ".netrc",
  ".npmrc",
  ".pypirc",
  ".cargo/credentials",
  ".cargo/credentials.toml",
  ".gem/credentials",
];

/** System directories made read-only (they matter when the worker is root: it runs git from them). */
const READ_ONLY = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/opt"];

/** The runner's install directory, from the node that runs this action (`<runner>/externals/node24/…`). */
function runnerInstallDir(execPath: string): string | undefined {
  const i = execPath.split(path.sep).lastIndexOf("externals");
  return i > 0 ? execPath.split(path.sep).slice(0, i).join(path.sep) : undefined;
}

/**
 * What must not be visible inside: pure, from the environment the action started with. The workspace
 * itself is never covered, nor is anything that contains it.
 */
export function hiddenPaths(
  env: Record<string, string | undefined>,
  opts: { workspace: string; execPath: string; entry?: string },
): string[] {
  const out = new Set<string>();
  const add = (p: string | undefined) => p && path.isAbsolute(p) && out.add(path.resolve(p));
  add(env.RUNNER_TEMP);
  if (env.GITHUB_EVENT_PATH) add(path.dirname(env.GITHUB_EVENT_PATH));
  add(env.GITHUB_EVENT_PATH);
  for (const k of ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"])
    add(env[k]);
  add(runnerInstallDir(opts.execPath));
  if (opts.entry) add(path.dirname(opts.entry));
  if (env.HOME) for (const rel of HOME_CREDENTIALS) add(path.join(env.HOME, rel));
  add("/var/run/docker.sock");
  add("/run/docker.sock");
  return [...out].filter((p) => !contains(p, opts.workspace)).sort();
}

const contains = (dir: string, p: string) => {
  const d = path.resolve(dir);
  const q = path.resolve(p);
  return q === d || q.startsWith(d + path.sep);
};

/** Runs inside the new namespaces as root: covers, makes read-only, then drops privileges and execs. */
const SETUP = `set -e
uid=$1; gid=$2; root=$3; setpriv=$4; cmd=$5; shift 5
while [ "$1" != "--" ]; do
  if [ -d "$1" ] && [ ! -L "$1" ]; then mount -t tmpfs -o size=1m,mode=0755 handoff-hidden "$1"
  elif [ -e "$1" ]; then mount --bind /dev/null "$1"; fi
  shift
done
shift
if [ "$root" = 1 ]; then
  for d in "$@"; do
    if [ -d "$d" ] && [ ! -L "$d" ]; then mount --bind "$d" "$d" && mount -o remount,bind,ro "$d"; fi
  done
fi
PATH=$HANDOFF_SANDBOX_PATH; export PATH; unset HANDOFF_SANDBOX_PATH
exec "$setpriv" --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all bash -c "$cmd"`;

/** Picks the mechanism this machine supports; undefined when there is none. Pure given the probe. */
export function chooseMechanism(probe: SandboxProbe): SandboxMechanism | undefined {
  if (process.platform !== "linux") return undefined;
  if (!probe.which("unshare") || !probe.which("setpriv")) return undefined;
  if (probe.uid === 0) return "unshare";
  return probe.which("sudo") && probe.sudoWorks() ? "sudo-unshare" : undefined;
}

export function createSandbox(
  mechanism: SandboxMechanism,
  probe: SandboxProbe,
  opts: { hidden: string[]; workspace: string; pathVar: string },
): Sandbox {
  const { hidden, workspace, pathVar } = opts;
  const unshare = probe.which("unshare") as string;
  const setpriv = probe.which("setpriv") as string;
  const sh = probe.which("sh") ?? "/bin/sh";
  const envBin = probe.which("env") ?? "/usr/bin/env";
  const readOnly = READ_ONLY.filter((d) => !contains(d, workspace));
  return {
    mechanism,
    hidden,
    wrap(command) {
      const inner = [
        "--pid",
        "--fork",
        "--kill-child",
        "--mount-proc",
        "--mount",
        "--propagation",
        "private",
        "--",
        envBin,
        `HANDOFF_SANDBOX_PATH=${pathVar}`,
        sh,
        "-c",
        SETUP,
        "handoff-sandbox",
        String(probe.uid),
        String(probe.gid),
        probe.uid === 0 ? "1" : "0",
        setpriv,
        command,
        ...hidden,
        "--",
        ...readOnly,
      ];
      return mechanism === "unshare"
        ? { file: unshare, args: inner }
        : // -E keeps the (already scrubbed) environment; PATH is passed apart since sudo resets it.
          { file: probe.which("sudo") as string, args: ["-n", "-E", unshare, ...inner] };
    },
  };
}

/** The probe for this process: real uid, tools found on PATH, `sudo -n true`. */
export function systemProbe(env: Record<string, string | undefined> = process.env): SandboxProbe {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const d of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) if (!dirs.includes(d)) dirs.push(d);
  const cache = new Map<string, string | undefined>();
  return {
    uid: process.getuid?.() ?? -1,
    gid: process.getgid?.() ?? -1,
    which(name) {
      if (!cache.has(name)) {
        const found = dirs
          .map((d) => path.join(d, name))
          .find((p) => {
            try {
              accessSync(p, constants.X_OK);
              return existsSync(p);
            } catch {
              return false;
            }
          });
        cache.set(name, found);
      }
      return cache.get(name);
    },
    sudoWorks: () => spawnSync("sudo", ["-n", "true"], { stdio: "ignore", timeout: 10_000 }).status === 0,
  };
}

/** Runs `true` in the sandbox: a kernel or container that forbids namespaces fails here, not mid-task. */
export function sandboxWorks(sandbox: Sandbox, env: Record<string, string>): string | undefined {
  const { file, args } = sandbox.wrap("true");
  const r = spawnSync(file, args, { env, encoding: "utf8", timeout: 20_000 });
  if (r.status === 0) return undefined;
  return (r.error?.message ?? (r.stderr || `exit ${r.status}`)).trim().slice(0, 500);
}

export type SandboxSetup = { ok: true; sandbox: Sandbox } | { ok: false; problem: string };

/** The sandbox for this worker, or why there is none. */
export function setUpSandbox(opts: {
  env: Record<string, string | undefined>;
  commandEnv: Record<string, string>;
  workspace: string;
  execPath: string;
  entry?: string;
  probe?: SandboxProbe;
}): SandboxSetup {
  const probe = opts.probe ?? systemProbe(opts.env);
  const mechanism = chooseMechanism(probe);
  if (!mechanism)
    return {
      ok: false,
      problem:
        process.platform !== "linux"
          ? `this runner is ${process.platform}; isolation needs Linux`
          : !probe.which("unshare") || !probe.which("setpriv")
            ? "`unshare` and `setpriv` (util-linux) are not installed"
            : "the worker is not root and passwordless `sudo` is not available",
    };
  const sandbox = createSandbox(mechanism, probe, {
    hidden: hiddenPaths(opts.env, opts),
    workspace: opts.workspace,
    pathVar: opts.commandEnv.PATH ?? "/usr/local/bin:/usr/bin:/bin",
  });
  const failed = sandboxWorks(sandbox, opts.commandEnv);
  return failed
    ? { ok: false, problem: `\`${mechanism}\` does not work here: ${failed}` }
    : { ok: true, sandbox };
}
