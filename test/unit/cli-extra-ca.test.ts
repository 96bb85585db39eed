// NODE_EXTRA_CA_CERTS through the `moor` command: bin/moor.js starts as a sh script that moves the
// variable aside so node does not parse the certificate file at start-up, then puts it back. What
// users must still get is node's trust: moor's own TLS connections accept a server signed by the
// file's CA, and the programs moor runs (here a credential helper) see the variable unchanged.
// The TLS server stands in for an engine endpoint only to answer the handful of reads a deploy
// makes before its first write (refused, so nothing is deployed): what is under test is the
// client's trust, not the engine.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/moor.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-extra-ca-"));
let server: https.Server;
let port = 0;

function openssl(args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

beforeAll(async () => {
  // A CA of our own and a server certificate for 127.0.0.1 it signed: trusted only through the file.
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=moor test CA"]);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext"]);

  server = https.createServer({ key: fs.readFileSync(path.join(dir, "server.key")), cert: fs.readFileSync(path.join(dir, "server.pem")) }, (req, res) => {
    const url = req.url ?? "";
    if (req.method === "GET" && url.startsWith("/_ping")) {
      res.writeHead(200, { "Api-Version": "1.41", "Content-Type": "text/plain" }).end("OK");
    } else if (req.method === "GET" && /^\/v1\.41\/(services|networks|secrets|configs)\b/.test(url)) {
      res.writeHead(200, { "Content-Type": "application/json" }).end("[]");
    } else {
      res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ message: "stand-in endpoint: no writes" }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;

  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(path.join(dir, "bin/docker-credential-envdump"), `#!/bin/sh\nenv > "${dir}/helper-env"\necho '{"Username":"u","Secret":"s"}'\n`, { mode: 0o755 });
  fs.mkdirSync(path.join(dir, "docker-config"));
  fs.writeFileSync(path.join(dir, "docker-config/config.json"), JSON.stringify({ credsStore: "envdump" }));
  fs.mkdirSync(path.join(dir, "project"));
  fs.writeFileSync(path.join(dir, "project/compose.yaml"), "services:\n  app:\n    image: registry.example:5000/app:1\n");
});

afterAll(() => {
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs moor as its users do (the file itself, through its `#!/bin/sh` line), or with `node` first. */
function moor(args: string[], env: Record<string, string | undefined>, viaNode = false): Promise<Outcome> {
  const base = { ...process.env };
  delete base.NODE_EXTRA_CA_CERTS;
  for (const k of Object.keys(base)) if (k.startsWith("DOCKER_")) delete base[k];
  const [cmd, argv] = viaNode ? [process.execPath, ["--", bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, {
    cwd: path.join(dir, "project"),
    env: { ...base, HOME: dir, DOCKER_CONFIG: path.join(dir, "docker-config"), PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, NO_COLOR: "1", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

const tlsEndpoint = (): Record<string, string> => ({ DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: "1" });

describe("NODE_EXTRA_CA_CERTS and the moor command", () => {
  it("is not loaded by node at start-up when moor runs as a command (node warns about a missing file only without the launcher)", async () => {
    const missing = { NODE_EXTRA_CA_CERTS: path.join(dir, "no-such-file.pem") };
    const launched = await moor(["--version"], missing);
    expect(launched.status).toBe(0);
    expect(launched.stderr).toBe("");
    const direct = await moor(["--version"], missing, true);
    expect(direct.status).toBe(0);
    expect(direct.stderr).toMatch(/Ignoring extra certs from/);
  });

  for (const viaNode of [false, true]) {
    it(`trusts the file's CA on moor's own TLS connections and hands the variable to credential helpers (${viaNode ? "node bin/moor.js" : "the command"})`, async () => {
      fs.rmSync(path.join(dir, "helper-env"), { force: true });
      const ca = path.join(dir, "ca.pem");
      const r = await moor(["-p", "extraca", "deploy", "-d", "--with-registry-auth", "--resolve-image", "never"], { ...tlsEndpoint(), NODE_EXTRA_CA_CERTS: ca }, viaNode);
      // The reads succeeded over TLS, the helper ran, then the first write was refused.
      expect(r.stderr).toContain("stand-in endpoint: no writes");
      expect(r.stderr).not.toContain("TLS certificate");
      expect(r.status).toBe(1);
      const helperEnv = fs.readFileSync(path.join(dir, "helper-env"), "utf8").split("\n");
      expect(helperEnv).toContain(`NODE_EXTRA_CA_CERTS=${ca}`);
      expect(helperEnv.some((l) => l.startsWith("MOOR_DEFERRED_EXTRA_CA_CERTS="))).toBe(false);
    });
  }

  it("without the file the same server is not trusted", async () => {
    const r = await moor(["-p", "extraca", "stack", "ls"], tlsEndpoint());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the engine's TLS certificate was rejected");
  });

  it("an unreadable file is ignored with node's warning, as node would", async () => {
    const r = await moor(["-p", "extraca", "stack", "ls"], { ...tlsEndpoint(), NODE_EXTRA_CA_CERTS: path.join(dir, "no-such-file.pem") });
    expect(r.stderr).toMatch(/Ignoring extra certs from `.*no-such-file\.pem`, load failed/);
    expect(r.stderr).toContain("the engine's TLS certificate was rejected");
    expect(r.status).toBe(1);
  });
});
