// examples/swarm-visits through `moor deploy` on the single-node swarm, as its README does it:
// deploy, converge, answer over HTTP, scale the worker in place, rotate the secret, remove.
// Host-mode port and dnsrr because this kernel has no IPVS (see docs/swarm.md).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { docker, expectOk, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const NS = "com.docker.stack.namespace";

async function ids(kind: "service" | "secret" | "config" | "network" | "volume", stack: string): Promise<string[]> {
  return (await docker([kind, "ls", "-q", "--filter", `label=${NS}=${stack}`])).split("\n").filter(Boolean);
}

async function cleanupStack(stack: string): Promise<void> {
  if (stack.trim() === "") throw new Error("cleanupStack needs a stack name");
  for (const kind of ["service", "secret", "config"] as const) {
    const found = await ids(kind, stack);
    if (found.length > 0) await execa("docker", [kind, "rm", ...found], { reject: false });
  }
  // Networks and the data volume stay busy until the tasks are gone: a bounded number of tries.
  for (let attempt = 0; attempt < 60; attempt++) {
    const nets = await ids("network", stack);
    const vols = await ids("volume", stack);
    if (nets.length === 0 && vols.length === 0) return;
    if (nets.length > 0) await execa("docker", ["network", "rm", ...nets], { reject: false });
    if (vols.length > 0) await execa("docker", ["volume", "rm", ...vols], { reject: false });
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** GET / until the web task answers 200 (it may still be connecting to redis), a bounded number of times. */
async function visit(port: number): Promise<string> {
  let last = "";
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) });
      last = await res.text();
      if (res.status === 200) return last;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

describe.skipIf(!engine)("examples/swarm-visits on a single-node swarm", () => {
  const stack = uniqueProject("swarm-visits");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-visits-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = {
    NODE_IMAGE: TEST_IMAGES.node,
    REDIS_IMAGE: TEST_IMAGES.redis,
    WEB_PORT: String(port),
    PUBLISH_MODE: "host",
    ENDPOINT_MODE: "dnsrr",
    UPDATE_ORDER: "stop-first",
  };
  const deploy = (extra: Record<string, string> = {}, args: string[] = []) =>
    runMoor(["-p", stack, "deploy", "--resolve-image", "never", "--progress", "plain", "--wait-timeout", "200", ...args], { cwd: dir, env: { ...env, ...extra }, timeoutMs: 300_000 });

  beforeAll(async () => {
    await requireImages(engine!, [TEST_IMAGES.node, TEST_IMAGES.redis]);
    if ((await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim() !== "active") await docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
    // A copy, so rotating the secret never touches the repository's file.
    fs.cpSync(path.join(repoRoot, "examples", "swarm-visits"), dir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await cleanupStack(stack);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test("deploys, converges and counts visits over HTTP", async () => {
    expectOk(await deploy(), ["deploy"]);
    expect((await docker(["stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}"])).split("\n").sort()).toEqual([
      `${stack}_redis 1/1`,
      `${stack}_web 1/1`,
      `${stack}_worker 2/2`,
    ]);
    expect(await visit(port)).toMatch(/^Number of visits is 1; jobs done: \d+; served by \w+\n$/);
    expect(await visit(port)).toMatch(/^Number of visits is 2;/);
  }, 300_000);

  test("scaling the worker updates it in place and leaves web and redis alone", async () => {
    const versions = async () => JSON.parse(await docker(["service", "inspect", `${stack}_web`, `${stack}_redis`, "--format", "{{json .Version.Index}}"]).then((t) => `[${t.trim().split("\n").join(",")}]`)) as number[];
    const before = await versions();
    const dry = expectOk(await deploy({ WORKER_REPLICAS: "3" }, ["--dry-run"]), ["deploy", "--dry-run"]);
    expect(dry.stdout).toContain(`update service ${stack}_worker`);
    expect(dry.stdout).toContain("Mode.Replicated.Replicas: 2 → 3");
    expect(dry.stdout.match(/update service/g)).toHaveLength(1);
    expectOk(await deploy({ WORKER_REPLICAS: "3" }), ["deploy"]);
    expect(await docker(["service", "ls", "--filter", `name=${stack}_worker`, "--format", "{{.Replicas}}"])).toBe("3/3");
    expect(await versions()).toEqual(before);
  }, 300_000);

  test("rotating the secret rolls every service that uses it, and the app still answers", async () => {
    fs.writeFileSync(path.join(dir, "redis_password.txt"), "rotated-password\n");
    const r = expectOk(await deploy({ WORKER_REPLICAS: "3" }), ["deploy"]);
    for (const s of ["redis", "web", "worker"]) expect(r.stderr).toContain(`Service ${stack}_${s}  Updated`);
    const secrets = (await docker(["secret", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"])).split("\n");
    expect(secrets).toHaveLength(1);
    expect(await visit(port)).toMatch(/^Number of visits is \d+;/);
  }, 300_000);

  test("moor stack rm removes it", async () => {
    expectOk(await runMoor(["-p", stack, "stack", "rm"], { cwd: dir, env }), ["stack", "rm"]);
    expect(await ids("service", stack)).toEqual([]);
    expect(await ids("secret", stack)).toEqual([]);
    expect(await ids("config", stack)).toEqual([]);
  }, 120_000);
});
