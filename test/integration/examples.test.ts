// Every project in examples/, brought up through the built CLI as a user would (`moor -p … up -d
// --wait` on the local base images) and checked from outside: HTTP, `docker exec`, `docker
// inspect`, volumes by label. Each test has its own project name and free host ports, and
// everything a project made is removed by its label afterwards.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, projectLabel, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const examples = path.join(repoRoot, "examples");

/** The examples' image variables pointed at the images scripts/build-images.sh makes. */
const IMAGES = {
  PYTHON_IMAGE: TEST_IMAGES.python,
  REDIS_IMAGE: TEST_IMAGES.redis,
  NODE_IMAGE: TEST_IMAGES.node,
  NGINX_IMAGE: TEST_IMAGES.nginx,
  BUSYBOX_IMAGE: TEST_IMAGES.busybox,
};

const projects: string[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-examples-test-"));

function project(prefix: string): string {
  const p = uniqueProject(prefix);
  projects.push(p);
  return p;
}

/** Whether nothing listens on `port` on any address right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "0.0.0.0" }, () => srv.close(() => resolve(true)));
  });
}

const handedOut = new Set<number>();
/** `count` consecutive free host ports, never handed out twice in this run. */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const range = Array.from({ length: count }, (_, i) => base + i);
    if (range.some((p) => handedOut.has(p))) continue;
    let ok = true;
    for (const p of range) if (!(await portFree(p))) ok = false;
    if (!ok) continue;
    for (const p of range) handedOut.add(p);
    return base;
  }
  throw new Error("no free port range found");
}

/** Runs moor in an example's directory; fails the test with moor's output when it exits non-zero. */
async function moor(dir: string, args: string[], env: Record<string, string> = {}): Promise<MoorResult> {
  const r = await runMoor(args, { cwd: dir, env: { ...IMAGES, ...env } });
  if (r.exitCode !== 0) throw new Error(`moor ${args.join(" ")} exited ${r.exitCode}:\n${r.all}`);
  return r;
}

async function docker(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await execa("docker", args, { reject: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * A server can be "running" a moment before it listens: ask again on connection errors and on
 * answers that do not satisfy `until` yet, a bounded number of times (never a timed assertion).
 */
async function get(url: string, init: RequestInit = {}, until: (body: string, status: number) => boolean = (_b, s) => s < 500): Promise<{ status: number; body: string }> {
  let last = "";
  for (let i = 0; i < 60; i++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      if (until(body, res.status)) return { status: res.status, body };
      last = `${res.status} ${body}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} never answered as expected; last: ${last}`);
}

/** `moor logs` of a project until its output contains `text` (bounded). */
async function logsUntil(dir: string, name: string, text: string): Promise<string> {
  let out = "";
  for (let i = 0; i < 40; i++) {
    out = (await moor(dir, ["-p", name, "logs", "--no-color"])).stdout;
    if (out.includes(text)) return out;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`logs never showed ${JSON.stringify(text)}:\n${out}`);
}

async function containerNames(name: string, service?: string): Promise<string[]> {
  const filters = ["--filter", `label=${projectLabel(name)}`, ...(service ? ["--filter", `label=com.docker.compose.service=${service}`] : [])];
  const r = await docker(["ps", "-a", ...filters, "--format", "{{.Names}}"]);
  return r.stdout.split("\n").filter((l) => l !== "").sort();
}

async function volumeNames(name: string): Promise<string[]> {
  const r = await docker(["volume", "ls", "--filter", `label=${projectLabel(name)}`, "--format", "{{.Name}}"]);
  return r.stdout.split("\n").filter((l) => l !== "").sort();
}

describe.skipIf(!engine)("examples/ on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e, Object.values(TEST_IMAGES));
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p, { images: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("flask-redis counts visits, and the count survives down/up in the named volume", async () => {
    const dir = path.join(examples, "flask-redis");
    const name = project("flask");
    const port = await freePorts(1);
    const env = { WEB_PORT: String(port) };
    await moor(dir, ["-p", name, "up", "-d", "--wait"], env);
    const first = await get(`http://127.0.0.1:${port}/`);
    expect(first.body).toMatch(/^Hello from moor! I am \S+ and I have been seen 1 times\.\n$/);
    expect((await get(`http://127.0.0.1:${port}/`)).body).toContain("seen 2 times");

    const ps = await moor(dir, ["-p", name, "ps", "--format", "json"], env);
    const rows = ps.stdout.trim().split("\n").map((l) => JSON.parse(l) as { Service: string; State: string; Health: string });
    expect(rows.map((r) => `${r.Service}:${r.State}:${r.Health}`).sort()).toEqual(["redis:running:healthy", "web:running:"]);

    await moor(dir, ["-p", name, "down"], env);
    expect(await containerNames(name)).toEqual([]);
    expect(await volumeNames(name)).toEqual([`${name}_redis-data`]);

    await moor(dir, ["-p", name, "up", "-d", "--wait"], env);
    expect((await get(`http://127.0.0.1:${port}/`)).body).toContain("seen 3 times");
    await moor(dir, ["-p", name, "down", "-v"], env);
    expect(await volumeNames(name)).toEqual([]);
  });

  it("node-redis counts visits through redis-server on the default network", async () => {
    const dir = path.join(examples, "node-redis");
    const name = project("noderedis");
    const port = await freePorts(1);
    const env = { NODE_PORT: String(port) };
    await moor(dir, ["-p", name, "up", "-d", "--wait"], env);
    expect((await get(`http://127.0.0.1:${port}/`, {}, (_b, s) => s === 200)).body).toBe("Number of visits is 1\n");
    expect((await get(`http://127.0.0.1:${port}/`)).body).toBe("Number of visits is 2\n");
    const restart = await docker(["inspect", "--format", "{{.HostConfig.RestartPolicy.Name}}", `${name}-node-app-1`]);
    expect(restart.stdout.trim()).toBe("on-failure");
    await moor(dir, ["-p", name, "down"], env);
    expect(await containerNames(name)).toEqual([]);
  });

  it("multi-tier routes / and /api/, a worker does a posted job, and the proxy cannot resolve db", async () => {
    const dir = path.join(examples, "multi-tier");
    const name = project("multitier");
    const port = await freePorts(1);
    const env = { PROXY_PORT: String(port) };
    await moor(dir, ["-p", name, "up", "-d", "--wait"], env);

    const front = await get(`http://127.0.0.1:${port}/`, {}, (_b, s) => s === 200);
    expect(front.body).toContain("multi-tier front page");
    const before = await get(`http://127.0.0.1:${port}/api/jobs`, {}, (_b, s) => s === 200);
    expect(JSON.parse(before.body)).toEqual({ queued: 0, done: 0 });
    const posted = await get(`http://127.0.0.1:${port}/api/jobs`, { method: "POST" });
    expect(posted.status).toBe(202);
    const done = await get(`http://127.0.0.1:${port}/api/jobs`, {}, (b, s) => s === 200 && (JSON.parse(b) as { done: number }).done === 1);
    expect(JSON.parse(done.body)).toEqual({ queued: 0, done: 1 });
    // One of the two workers says it did it.
    expect(await logsUntil(dir, name, "finished a job (1 done)")).toMatch(/^worker-[12] +\| worker \S+ finished a job \(1 done\)$/m);

    expect(await containerNames(name, "worker")).toEqual([`${name}-worker-1`, `${name}-worker-2`]);
    // Network isolation: the proxy is on front only; db is on back only.
    expect((await docker(["exec", `${name}-proxy-1`, "getent", "hosts", "api"])).exitCode).toBe(0);
    const db = await docker(["exec", `${name}-proxy-1`, "getent", "hosts", "db"]);
    expect(db.exitCode).not.toBe(0);
    expect((await docker(["exec", `${name}-api-1`, "getent", "hosts", "db"])).exitCode).toBe(0);
    const internal = await docker(["network", "inspect", "--format", "{{.Internal}}", `${name}_back`]);
    expect(internal.stdout.trim()).toBe("true");

    await moor(dir, ["-p", name, "down", "-v"], env);
    expect(await containerNames(name)).toEqual([]);
    expect(await volumeNames(name)).toEqual([]);
  });

  it("named-volume keeps its data across down and loses it with down -v", async () => {
    const dir = path.join(examples, "named-volume");
    const name = project("namedvol");
    await moor(dir, ["-p", name, "up", "-d", "--wait"]);
    expect(await logsUntil(dir, name, "booted 1 times")).toBe("notes-1  | booted 1 times\n");
    await moor(dir, ["-p", name, "down", "-t", "1"]);
    expect(await containerNames(name)).toEqual([]);
    expect(await volumeNames(name)).toEqual([`${name}_notes-data`]);

    await moor(dir, ["-p", name, "up", "-d", "--wait"]);
    expect(await logsUntil(dir, name, "booted 2 times")).toBe("notes-1  | booted 2 times\n");
    await moor(dir, ["-p", name, "down", "-v", "-t", "1"]);
    expect(await containerNames(name)).toEqual([]);
    expect(await volumeNames(name)).toEqual([]);
  });

  it("bind-live serves an edit to the bind-mounted directory at once", async () => {
    // A copy, so the test never edits the checkout.
    const dir = path.join(scratch, "bind-live");
    fs.cpSync(path.join(examples, "bind-live"), dir, { recursive: true });
    const name = project("bindlive");
    const port = await freePorts(1);
    const env = { SITE_PORT: String(port) };
    await moor(dir, ["-p", name, "up", "-d", "--wait"], env);
    expect((await get(`http://127.0.0.1:${port}/`, {}, (_b, s) => s === 200)).body).toBe("<h1>edit me</h1>\n");
    fs.writeFileSync(path.join(dir, "site", "index.html"), "<h1>changed</h1>\n");
    // No restart in between: the same container answers with the new file.
    const id = (await docker(["inspect", "--format", "{{.Id}}", `${name}-site-1`])).stdout.trim();
    expect((await get(`http://127.0.0.1:${port}/`)).body).toBe("<h1>changed</h1>\n");
    expect((await docker(["inspect", "--format", "{{.Id}} {{.RestartCount}}", `${name}-site-1`])).stdout.trim()).toBe(`${id} 0`);
    await moor(dir, ["-p", name, "down", "-t", "1"], env);
    expect(await containerNames(name)).toEqual([]);
  });

  it("secrets are mounted read-only at /run/secrets and never in the environment", async () => {
    const dir = path.join(examples, "secrets");
    const name = project("secrets");
    await moor(dir, ["-p", name, "up", "-d", "--wait"]);
    const password = fs.readFileSync(path.join(dir, "secrets", "db_password.txt"), "utf8");
    const apiKey = fs.readFileSync(path.join(dir, "secrets", "api_key.txt"), "utf8");
    const container = `${name}-app-1`;
    expect((await docker(["exec", container, "cat", "/run/secrets/db_password"])).stdout).toBe(password.trimEnd());
    expect((await docker(["exec", container, "cat", "/run/secrets/api.key"])).stdout).toBe(apiKey.trimEnd());
    const write = await docker(["exec", container, "sh", "-c", "echo x > /run/secrets/api.key"]);
    expect(write.exitCode).not.toBe(0);
    expect(await logsUntil(dir, name, "secret is mounted")).toBe("app-1  | secret is mounted\n");

    const env = (await docker(["inspect", "--format", "{{json .Config.Env}}", container])).stdout;
    expect(env).not.toContain(password.trim());
    expect(env).not.toContain(apiKey.trim());
    const labels = (await docker(["inspect", "--format", "{{json .Config.Labels}}", container])).stdout;
    expect(labels).not.toContain(password.trim());
    await moor(dir, ["-p", name, "down", "-t", "1"]);
    expect(await containerNames(name)).toEqual([]);
  });

  it("scaled runs 3 replicas on a port range, and --scale hello=2 removes the highest-numbered one", async () => {
    const dir = path.join(examples, "scaled");
    const name = project("scaled");
    const base = await freePorts(3);
    const env = { HELLO_PORTS: `${base}-${base + 2}` };
    await moor(dir, ["-p", name, "up", "-d", "--wait"], env);
    expect(await containerNames(name)).toEqual([1, 2, 3].map((n) => `${name}-hello-${n}`));
    const bodies = new Set<string>();
    for (const p of [base, base + 1, base + 2]) {
      const body = (await get(`http://127.0.0.1:${p}/`, {}, (_b, s) => s === 200)).body;
      expect(body).toMatch(/^hello from [0-9a-f]{12}\n$/);
      bodies.add(body);
    }
    expect(bodies.size).toBe(3);

    const down = await moor(dir, ["-p", name, "up", "-d", "--scale", "hello=2", "-t", "1"], env);
    expect(down.stderr).toContain(`Container ${name}-hello-3  Removed`);
    expect(await containerNames(name)).toEqual([`${name}-hello-1`, `${name}-hello-2`]);
    await moor(dir, ["-p", name, "down", "-t", "1"], env);
    expect(await containerNames(name)).toEqual([]);
  });
});
