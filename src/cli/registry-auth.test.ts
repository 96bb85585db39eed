// --with-registry-auth's lookup: which registry an image names, the order docker follows
// (credHelpers, credsStore, auths), and real credential helpers: fake `docker-credential-*`
// scripts put on PATH, run without a shell.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { credentialsFor, DOCKER_HUB, registryAuthFor, registryOf, runCredentialHelper, type CredentialHelper } from "./registry-auth.js";

const decode = (v: string | undefined): unknown => (v === undefined ? undefined : JSON.parse(Buffer.from(v, "base64url").toString("utf8")));

describe("registryOf", () => {
  test.each([
    ["busybox", DOCKER_HUB],
    ["library/busybox:1", DOCKER_HUB],
    ["docker.io/library/busybox", DOCKER_HUB],
    ["registry:5000/app:1", "registry:5000"],
    ["localhost/app", "localhost"],
    ["ghcr.io/org/app@sha256:abc", "ghcr.io"],
  ])("%s → %s", (image, registry) => expect(registryOf(image)).toBe(registry));
});

describe("credentialsFor: credHelpers, then credsStore, then auths", () => {
  const calls: string[] = [];
  const helper: CredentialHelper = (name, server) => {
    calls.push(`${name} ${server}`);
    return { username: `${name}-user`, password: "pw" };
  };
  const auth = Buffer.from("fileuser:filepw").toString("base64");

  test("a helper named for the registry wins over the store and the file", () => {
    calls.length = 0;
    const c = credentialsFor("ghcr.io", { credHelpers: { "ghcr.io": "gh" }, credsStore: "desktop", auths: { "ghcr.io": { auth } } }, helper);
    expect(c).toEqual({ username: "gh-user", password: "pw" });
    expect(calls).toEqual(["gh ghcr.io"]);
  });

  test("the store serves every other registry", () => {
    calls.length = 0;
    expect(credentialsFor(DOCKER_HUB, { credHelpers: { "ghcr.io": "gh" }, credsStore: "desktop", auths: { [DOCKER_HUB]: {} } }, helper)).toEqual({ username: "desktop-user", password: "pw" });
    expect(calls).toEqual([`desktop ${DOCKER_HUB}`]);
  });

  test("the file's auths: user:password in base64, an identity token, keys with a scheme", () => {
    expect(credentialsFor("registry:5000", { auths: { "registry:5000": { auth } } }, helper)).toEqual({ username: "fileuser", password: "filepw" });
    expect(credentialsFor("registry:5000", { auths: { "https://registry:5000/v2/": { auth } } }, helper)).toEqual({ username: "fileuser", password: "filepw" });
    expect(credentialsFor("ghcr.io", { auths: { "ghcr.io": { identitytoken: "tok" } } }, helper)).toEqual({ identitytoken: "tok" });
    expect(credentialsFor("ghcr.io", { auths: { "other.io": { auth } } }, helper)).toBeUndefined();
  });

  test("the header value is the auth config the engine reads", () => {
    expect(decode(registryAuthFor("registry:5000/app", { auths: { "registry:5000": { auth } } }, helper))).toEqual({ username: "fileuser", password: "filepw", serveraddress: "registry:5000" });
    expect(registryAuthFor("registry:5000/app", undefined, helper)).toBeUndefined();
  });
});

describe("runCredentialHelper: a program on PATH, no shell", () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "moor-cred-helpers-"));
  const savedPath = process.env.PATH;
  const script = (name: string, body: string) => {
    fs.writeFileSync(path.join(bin, `docker-credential-${name}`), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  };

  beforeAll(() => {
    // Echoes what it was asked, so the test sees the argument and stdin it got.
    script("fake", 'read server; [ "$1" = get ] || exit 2; printf \'{"ServerURL":"%s","Username":"u-%s","Secret":"s3cret"}\' "$server" "$server"');
    script("token", 'read server; printf \'{"ServerURL":"%s","Username":"<token>","Secret":"idtok"}\' "$server"');
    script("empty", "echo 'credentials not found in native keychain'; exit 1");
    script("broken", "echo 'the keychain is locked' >&2; exit 1");
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ""}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    fs.rmSync(bin, { recursive: true, force: true });
  });

  test("get, with the server address on stdin", () => {
    expect(runCredentialHelper("fake", "registry:5000")).toEqual({ username: "u-registry:5000", password: "s3cret" });
    expect(decode(registryAuthFor("registry:5000/app:1", { credsStore: "fake" }))).toEqual({ username: "u-registry:5000", password: "s3cret", serveraddress: "registry:5000" });
  });

  test("a <token> user is an identity token", () => {
    expect(decode(registryAuthFor("ghcr.io/o/a", { credHelpers: { "ghcr.io": "token" } }))).toEqual({ identitytoken: "idtok", serveraddress: "ghcr.io" });
  });

  test("credentials not found: nothing is sent", () => {
    expect(registryAuthFor("busybox", { credsStore: "empty" })).toBeUndefined();
  });

  test("a failing or missing helper is a clear error", () => {
    expect(() => runCredentialHelper("broken", "ghcr.io")).toThrow("error getting credentials from docker-credential-broken: the keychain is locked");
    expect(() => runCredentialHelper("not-installed-here", "ghcr.io")).toThrow("docker-credential-not-installed-here is not installed");
    expect(() => runCredentialHelper("../evil", "ghcr.io")).toThrow("invalid credential helper name");
  });
});
