import { describe, expect, it } from "vitest";
import { COMMAND_ENV, isDeniedName, scrubEnv, secretsInEnv } from "../../action/src/tools/env.ts";
import { Redactor } from "../../action/src/tools/redact.ts";

const TOKEN = "ghs_0123456789abcdefghij";

describe("scrubEnv", () => {
  it.each([
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "RUNNER_TOKEN",
    "INPUT_GITHUB-TOKEN",
    "INPUT_MODEL",
    "ACTIONS_RUNTIME_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "ACTIONS_CACHE_URL",
    "ACTIONS_RESULTS_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "NPM_TOKEN",
    "NODE_AUTH_TOKEN",
    "npm_config__authToken",
    "npm_config_//registry.npmjs.org/:_authToken",
    "MY_SECRET",
    "db_password",
    "SSH_PRIVATE_KEY",
    "OPENAI_API_KEY",
    "SOME-API-KEY",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "DOCKER_AUTH_CONFIG",
    "GITHUB_ENV",
    "GITHUB_PATH",
    "GITHUB_OUTPUT",
    "GITHUB_STATE",
    "GITHUB_STEP_SUMMARY",
    "SSH_AUTH_SOCK",
    "github_token",
    "Input_Lowercase",
  ])("drops %s", (name) => {
    expect(isDeniedName(name)).toBe(true);
    expect(scrubEnv({ [name]: "value" }, [])).not.toHaveProperty(name);
  });

  it.each([
    "PATH",
    "HOME",
    "LANG",
    "CI",
    "GITHUB_WORKSPACE",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "RUNNER_TEMP",
    "RUNNER_OS",
    "NODE_OPTIONS",
    "NODE_ENV",
    "npm_config_cache",
    "JAVA_HOME",
    "GIT_AUTHOR_NAME",
    "AUTHOR",
  ])("keeps %s", (name) => {
    expect(isDeniedName(name)).toBe(false);
    expect(scrubEnv({ [name]: "value" }, [])[name]).toBe("value");
  });

  it("drops any variable whose value holds a known secret, raw or encoded", () => {
    const header = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
    const out = scrubEnv(
      {
        HARMLESS_NAME: TOKEN,
        REMOTE_URL: `https://x-access-token:${TOKEN}@github.com/o/r`,
        GIT_HEADER: `AUTHORIZATION: basic ${header}`,
        OTHER: "fine",
      },
      [TOKEN],
    );
    expect(out).not.toHaveProperty("HARMLESS_NAME");
    expect(out).not.toHaveProperty("REMOTE_URL");
    expect(out).not.toHaveProperty("GIT_HEADER");
    expect(out.OTHER).toBe("fine");
  });

  it("accepts a Redactor as the set of secrets", () => {
    expect(scrubEnv({ A: TOKEN }, new Redactor([TOKEN]))).not.toHaveProperty("A");
  });

  it("adds the non-interactive git settings and defaults CI", () => {
    const out = scrubEnv({ PATH: "/bin" }, []);
    expect(out).toMatchObject(COMMAND_ENV);
    expect(out.GIT_TERMINAL_PROMPT).toBe("0");
    expect(out.GIT_CONFIG_NOSYSTEM).toBe("1");
    expect(out.CI).toBe("true");
    expect(scrubEnv({ CI: "1" }, []).CI).toBe("1");
  });

  it("overrides a job's own git prompt settings", () => {
    expect(scrubEnv({ GIT_TERMINAL_PROMPT: "1" }, []).GIT_TERMINAL_PROMPT).toBe("0");
  });

  it("skips undefined values and does not modify its input", () => {
    const env = { PATH: "/bin", GITHUB_TOKEN: TOKEN, GONE: undefined };
    const copy = { ...env };
    const out = scrubEnv(env, [TOKEN]);
    expect(env).toEqual(copy);
    expect(Object.keys(out)).not.toContain("GONE");
  });
});

describe("secretsInEnv", () => {
  it("collects the values of secret-named variables only", () => {
    expect(
      secretsInEnv({
        GITHUB_TOKEN: TOKEN,
        "INPUT_ANTHROPIC-API-KEY": "sk-ant-xyz",
        PATH: "/bin",
        X: undefined,
      }),
    ).toEqual([TOKEN, "sk-ant-xyz"]);
  });
});
