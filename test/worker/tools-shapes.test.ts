import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { entropy, findSecretsByShape } from "../../action/src/tools/shapes.ts";

const found = async (text: string) => (await findSecretsByShape(text)).join("\n");

describe("credentials found by their shape", () => {
  it("finds known token formats through secretlint's recommended rules", async () => {
    const github = `ghp_${"aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"}`;
    const slack = "xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx";
    const npm = "npm_abcdefghijklmnopqrstuvwxyz0123456789";
    const out = await found(`token ${github}\nslack ${slack}\n${npm}`);
    for (const s of [github, slack, npm]) expect(out).toContain(s);
  });

  it("finds private keys and connection strings", async () => {
    const pem = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    const out = await found(`key:\n${pem}\nmysql://root:toor1234@localhost/db`);
    expect(out).toContain(pem.split("\n")[1]);
    expect(out).toContain("toor1234");
  });

  it("finds what the rule set leaves out: any URL's password, a DSN's key, a secret-named random value", async () => {
    const out = await found(
      [
        "redis://:s3cretRedisPw@cache:6379",
        "https://4f9c2a7e1b8d4c6fa3e5b7d9c1f2a4e6@o1.ingest.sentry.io/2",
        'export MY_SERVICE_SECRET="q8Zr2LmX9vT4kW7pN3bY"',
        "apiKey: Hk4mP9qR2sT7vW1xZ5bN8cL",
      ].join("\n"),
    );
    for (const s of [
      "s3cretRedisPw",
      "4f9c2a7e1b8d4c6fa3e5b7d9c1f2a4e6",
      "q8Zr2LmX9vT4kW7pN3bY",
      "Hk4mP9qR2sT7vW1xZ5bN8cL",
    ])
      expect(out).toContain(s);
  });

  it("leaves ordinary output alone: test results, paths, URLs without credentials, words, variable references", async () => {
    const text = [
      "ok 1 - discounts round to whole cents (3 ms)",
      "at Object.<anonymous> (/home/runner/work/shop/shop/src/cart.ts:12:5)",
      "See https://github.com/acme/shop/pull/12 and https://docs.example.com/auth/tokens",
      "TOKEN_TTL=3600 password_min_length=12",
      'GITHUB_TOKEN="${GITHUB_TOKEN}" author: Jane Doe',
      "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
      "token_endpoint=/oauth/token/refresh",
    ].join("\n");
    expect(await findSecretsByShape(text)).toEqual([]);
  });

  it("measures randomness in bits per character", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("abcd")).toBe(2);
  });
});
