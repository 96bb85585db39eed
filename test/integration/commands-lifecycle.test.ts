// create, start, stop, restart, kill, pause, unpause, rm, scale and wait through the built CLI on
// tiny busybox projects, each effect checked from outside with the docker CLI: states, exit codes,
// order (StartedAt/FinishedAt of dependants and dependencies), `-p NAME` with no compose file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, projectLabel, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-lifecycle-test-"));
const projects: string[] = [];
/** Anonymous volumes a test left behind on purpose (rm without -v): removed by name at the end. */
const strayVolumes: string[] = [];
const BOX = TEST_IMAGES.busybox;
// Exits at once on SIGTERM, so stops are quick and exit 0.
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

function projectDir(compose: string): { name: string; dir: string } {
  const name = uniqueProject("life");
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
  return { name, dir };
}

const moor = (dir: string, args: string[], input = ""): Promise<MoorResult> => runMoor(args, { cwd: dir, input });
const moorOk = async (dir: string, args: string[], input = ""): Promise<MoorResult> => expectOk(await moor(dir, args, input), args);

/** "name state" of every container of the project, sorted. */
async function states(project: string): Promise<string[]> {
  const out = await docker(["ps", "-a", "--filter", `label=${projectLabel(project)}`, "--format", "{{.Names}} {{.State}}"]);
  return out.split("\n").filter((l) => l !== "").sort();
}

async function inspect(container: string, format: string): Promise<string> {
  return (await docker(["inspect", "--format", format, container])).trim();
}

const threeTier = (extra = "") => `
services:
  db:
    image: ${BOX}
    command: ${SERVE}
  api:
    image: ${BOX}
    command: ${SERVE}
    depends_on: [db]
  web:
    image: ${BOX}
    command: ${SERVE}
    depends_on: [api]
${extra}`;

describe.skipIf(!engine)("lifecycle commands on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    for (const v of strayVolumes) await execa("docker", ["volume", "rm", "-f", v], { reject: false });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("create makes containers without starting them; start starts them dependencies first; stop stops dependants first", async () => {
    const { name, dir } = projectDir(threeTier());
    const created = await moorOk(dir, ["-p", name, "create"]);
    expect(created.stderr).toContain(`Container ${name}-web-1  Created`);
    expect(await states(name)).toEqual([`${name}-api-1 created`, `${name}-db-1 created`, `${name}-web-1 created`]);

    const started = await moorOk(dir, ["-p", name, "start"]);
    expect(started.stderr).toContain(`Container ${name}-db-1  Started`);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-web-1 running`]);
    const startedAt = async (s: string) => Date.parse(await inspect(`${name}-${s}-1`, "{{.State.StartedAt}}"));
    expect(await startedAt("db")).toBeLessThanOrEqual(await startedAt("api"));
    expect(await startedAt("api")).toBeLessThanOrEqual(await startedAt("web"));

    const stopped = await moorOk(dir, ["-p", name, "stop"]);
    const at = (what: string) => stopped.stderr.indexOf(what);
    expect(at(`Container ${name}-web-1  Stopped`)).toBeGreaterThan(-1);
    expect(at(`Container ${name}-web-1  Stopped`)).toBeLessThan(at(`Container ${name}-api-1  Stopping`));
    expect(at(`Container ${name}-api-1  Stopped`)).toBeLessThan(at(`Container ${name}-db-1  Stopping`));
    expect(await states(name)).toEqual([`${name}-api-1 exited`, `${name}-db-1 exited`, `${name}-web-1 exited`]);
    const finishedAt = async (s: string) => Date.parse(await inspect(`${name}-${s}-1`, "{{.State.FinishedAt}}"));
    expect(await finishedAt("web")).toBeLessThanOrEqual(await finishedAt("api"));
    expect(await finishedAt("api")).toBeLessThanOrEqual(await finishedAt("db"));
    // Trapped TERM: a graceful stop, not a kill.
    expect(await inspect(`${name}-db-1`, "{{.State.ExitCode}}")).toBe("0");
  });

  it("start SERVICE starts what it depends on too; stop SERVICE stops only that service", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "create"]);
    await moorOk(dir, ["-p", name, "start", "api"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-web-1 created`]);
    await moorOk(dir, ["-p", name, "stop", "db"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 exited`, `${name}-web-1 created`]);
  });

  it("start fails in compose's words when nothing was created, and on an unknown service", async () => {
    const { name, dir } = projectDir(threeTier());
    const none = await moor(dir, ["-p", name, "start"]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/service "(db|api|web)" has no container to start/);
    expect(none.stderr).not.toMatch(/\n\s+at /);
    const unknown = await moor(dir, ["-p", name, "stop", "nope"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("no such service: nope");
  });

  it("start waits for a dependency's health before its dependant; --wait waits until the services are healthy", async () => {
    const { name, dir } = projectDir(`
services:
  db:
    image: ${BOX}
    command: ${SERVE}
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      start_period: 0s
  api:
    image: ${BOX}
    command: ${SERVE}
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      start_period: 0s
    depends_on:
      db: { condition: service_healthy }
`);
    await moorOk(dir, ["-p", name, "create"]);
    const started = await moorOk(dir, ["-p", name, "start", "--wait", "--wait-timeout", "60", "api"]);
    const at = (what: string) => started.stderr.indexOf(what);
    expect(at(`Container ${name}-db-1  Healthy`)).toBeGreaterThan(-1);
    expect(at(`Container ${name}-db-1  Healthy`)).toBeLessThan(at(`Container ${name}-api-1  Starting`));
    expect(await inspect(`${name}-db-1`, "{{.State.Health.Status}}")).toBe("healthy");
    expect(await inspect(`${name}-api-1`, "{{.State.Health.Status}}")).toBe("healthy");
  });

  it("-p NAME stop/start/restart/kill work from labels alone, without a compose file, stop in dependency order", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const empty = fs.mkdtempSync(path.join(scratch, "empty-"));
    const stopped = await moorOk(empty, ["-p", name, "stop"]);
    const at = (what: string) => stopped.stderr.indexOf(what);
    expect(at(`Container ${name}-web-1  Stopped`)).toBeGreaterThan(-1);
    expect(at(`Container ${name}-web-1  Stopped`)).toBeLessThan(at(`Container ${name}-api-1  Stopping`));
    expect(at(`Container ${name}-api-1  Stopped`)).toBeLessThan(at(`Container ${name}-db-1  Stopping`));
    expect(await states(name)).toEqual([`${name}-api-1 exited`, `${name}-db-1 exited`, `${name}-web-1 exited`]);

    await moorOk(empty, ["-p", name, "start", "web"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-web-1 running`]);
    const before = await inspect(`${name}-db-1`, "{{.State.StartedAt}}");
    await moorOk(empty, ["-p", name, "restart", "db"]);
    expect(await inspect(`${name}-db-1`, "{{.State.StartedAt}}")).not.toBe(before);
    await moorOk(empty, ["-p", name, "kill"]);
    expect(await states(name)).toEqual([`${name}-api-1 exited`, `${name}-db-1 exited`, `${name}-web-1 exited`]);
  });

  it("stop runs pre_stop hooks and honours stop_grace_period; -t overrides it", async () => {
    const hostDir = fs.mkdtempSync(path.join(scratch, "hooks-"));
    fs.chmodSync(hostDir, 0o777);
    const { name, dir } = projectDir(`
services:
  hooked:
    image: ${BOX}
    command: ${SERVE}
    volumes: ["${hostDir}:/out"]
    pre_stop:
      - command: ["sh", "-c", "echo stopping > /out/pre_stop"]
  stubborn:
    image: ${BOX}
    # sh as PID 1 ignores TERM: only the kill after the grace period ends it.
    command: ["sh", "-c", "while true; do sleep 1; done"]
    stop_grace_period: 1s
`);
    await moorOk(dir, ["-p", name, "up", "-d"]);
    await moorOk(dir, ["-p", name, "stop"]);
    expect(fs.readFileSync(path.join(hostDir, "pre_stop"), "utf8").trim()).toBe("stopping");
    expect(await inspect(`${name}-stubborn-1`, "{{.State.ExitCode}}")).toBe("137");
    // The container was created with the grace period as its own stop timeout.
    expect(await inspect(`${name}-stubborn-1`, "{{.Config.StopTimeout}}")).toBe("1");
    await moorOk(dir, ["-p", name, "start", "stubborn"]);
    await moorOk(dir, ["-p", name, "stop", "-t", "0", "stubborn"]);
    expect(await inspect(`${name}-stubborn-1`, "{{.State.ExitCode}}")).toBe("137");
  });

  it("restart restarts the named service and its restart: true dependants, or only it with --no-deps", async () => {
    const { name, dir } = projectDir(`
services:
  db:
    image: ${BOX}
    command: ${SERVE}
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      start_period: 0s
  api:
    image: ${BOX}
    command: ${SERVE}
    depends_on:
      db: { condition: service_healthy, restart: true }
  side:
    image: ${BOX}
    command: ${SERVE}
    depends_on: [db]
`);
    await moorOk(dir, ["-p", name, "up", "-d", "--wait"]);
    const started = async () => Object.fromEntries(await Promise.all(["db", "api", "side"].map(async (s) => [s, await inspect(`${name}-${s}-1`, "{{.State.StartedAt}}")])));
    const t0 = await started();
    const r = await moorOk(dir, ["-p", name, "restart", "db"]);
    expect(r.stderr).toContain(`Container ${name}-db-1  Restarting`);
    // api restarts only once the restarted db is healthy again.
    expect(r.stderr.indexOf(`Container ${name}-db-1  Healthy`)).toBeGreaterThan(-1);
    expect(r.stderr.indexOf(`Container ${name}-db-1  Healthy`)).toBeLessThan(r.stderr.indexOf(`Container ${name}-api-1  Restarting`));
    const t1 = await started();
    expect(t1.db).not.toBe(t0.db);
    expect(t1.api).not.toBe(t0.api);
    expect(t1.side).toBe(t0.side);
    // The dependant restarts after its dependency.
    expect(Date.parse(t1.api)).toBeGreaterThanOrEqual(Date.parse(t1.db));

    await moorOk(dir, ["-p", name, "restart", "--no-deps", "db"]);
    const t2 = await started();
    expect(t2.db).not.toBe(t1.db);
    expect(t2.api).toBe(t1.api);

    // A stopped container is started again by restart.
    await moorOk(dir, ["-p", name, "stop", "side"]);
    await moorOk(dir, ["-p", name, "restart", "side"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-side-1 running`]);
  });

  it("kill sends SIGKILL, or the signal -s names; pause and unpause freeze and resume", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const paused = await moorOk(dir, ["-p", name, "pause", "api"]);
    expect(paused.stderr).toContain(`Container ${name}-api-1  Paused`);
    expect(await states(name)).toEqual([`${name}-api-1 paused`, `${name}-db-1 running`, `${name}-web-1 running`]);
    await moorOk(dir, ["-p", name, "unpause"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-web-1 running`]);

    const term = await moorOk(dir, ["-p", name, "kill", "-s", "SIGTERM", "web"]);
    expect(term.stderr).toContain(`Container ${name}-web-1  Killed`);
    await docker(["wait", `${name}-web-1`]);
    // The trap ran: TERM, not KILL.
    expect(await inspect(`${name}-web-1`, "{{.State.ExitCode}}")).toBe("0");
    await moorOk(dir, ["-p", name, "kill", "db"]);
    await docker(["wait", `${name}-db-1`]);
    expect(await inspect(`${name}-db-1`, "{{.State.ExitCode}}")).toBe("137");
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 exited`, `${name}-web-1 exited`]);

    const nothing = await moorOk(dir, ["-p", name, "kill", "web"]);
    expect(nothing.stderr).toContain("No container to kill");
  });

  it("kill leaves orphans' containers alone unless --remove-orphans", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const smaller = path.join(dir, "smaller");
    fs.mkdirSync(smaller);
    fs.writeFileSync(path.join(smaller, "compose.yaml"), `services:\n  db:\n    image: ${BOX}\n    command: ${SERVE}\n`);
    await moorOk(smaller, ["-p", name, "kill"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 exited`, `${name}-web-1 running`]);
    await moorOk(smaller, ["-p", name, "kill", "--remove-orphans"]);
    expect(await states(name)).toEqual([`${name}-api-1 exited`, `${name}-db-1 exited`, `${name}-web-1 exited`]);
  });

  it("rm asks first: without -f and no answer it removes nothing, 'y' confirms; running containers stay", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    await moorOk(dir, ["-p", name, "stop", "web"]);
    const refused = await moorOk(dir, ["-p", name, "rm"]);
    expect(refused.stdout).toContain(`Going to remove ${name}-web-1`);
    expect(refused.stderr).not.toContain("Removed");
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-web-1 exited`]);
    const no = await moorOk(dir, ["-p", name, "rm"], "n\n");
    expect(no.stderr).not.toContain("Removed");
    expect(await states(name)).toContain(`${name}-web-1 exited`);

    const yes = await moorOk(dir, ["-p", name, "rm"], "y\n");
    expect(yes.stderr).toContain(`Container ${name}-web-1  Removed`);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`]);

    const none = await moorOk(dir, ["-p", name, "rm", "-f"]);
    expect(none.stderr).toContain("No stopped containers");
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`]);

    // -s stops first; -f does not ask.
    const all = await moorOk(dir, ["-p", name, "rm", "-f", "-s", "api"]);
    expect(all.stdout).toContain(`Going to remove ${name}-api-1`);
    expect(await states(name)).toEqual([`${name}-db-1 running`]);
  });

  it("rm -v removes the containers' anonymous volumes; without -v they stay", async () => {
    const { name, dir } = projectDir(`
services:
  keep:
    image: ${BOX}
    command: ${SERVE}
    volumes: [/data]
  drop:
    image: ${BOX}
    command: ${SERVE}
    volumes: [/data]
`);
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const volumeOf = (s: string) => inspect(`${name}-${s}-1`, "{{range .Mounts}}{{.Name}}{{end}}");
    const kept = await volumeOf("keep");
    const dropped = await volumeOf("drop");
    strayVolumes.push(kept, dropped);
    expect(kept).not.toBe("");
    await moorOk(dir, ["-p", name, "rm", "-f", "-s", "keep"]);
    await moorOk(dir, ["-p", name, "rm", "-f", "-s", "-v", "drop"]);
    expect(await states(name)).toEqual([]);
    const volumes = (await docker(["volume", "ls", "--format", "{{.Name}}"])).split("\n");
    expect(volumes).toContain(kept);
    expect(volumes).not.toContain(dropped);
  });

  it("-p NAME rm -f -s works without a compose file", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const empty = fs.mkdtempSync(path.join(scratch, "empty-"));
    const r = await moorOk(empty, ["-p", name, "rm", "-f", "-s"]);
    expect(r.stderr).toContain(`Container ${name}-db-1  Removed`);
    expect(await states(name)).toEqual([]);
  });

  it("scale adds containers with the next numbers and removes the highest ones; --no-deps leaves dependencies alone", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "scale", "--no-deps", "web=2"]);
    expect(await states(name)).toEqual([`${name}-web-1 running`, `${name}-web-2 running`]);
    await moorOk(dir, ["-p", name, "scale", "web=3"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-db-1 running`, `${name}-web-1 running`, `${name}-web-2 running`, `${name}-web-3 running`]);
    await moorOk(dir, ["-p", name, "scale", "web=1", "api=2"]);
    expect(await states(name)).toEqual([`${name}-api-1 running`, `${name}-api-2 running`, `${name}-db-1 running`, `${name}-web-1 running`]);
    const bad = await moor(dir, ["-p", name, "scale", "web"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("invalid scale specifier: web");
  });

  it("create --scale makes N stopped containers", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "create", "--scale", "db=2", "db"]);
    expect(await states(name)).toEqual([`${name}-db-1 created`, `${name}-db-2 created`]);
  });

  it("wait exits with the container's exit code; --down-project takes the project down", async () => {
    const gate = `rm -f /tmp/go; while [ ! -f /tmp/go ]; do sleep 0.2; done; exit 3`;
    const { name, dir } = projectDir(`
services:
  job:
    image: ${BOX}
    command: ["sh", "-c", "${gate}"]
  db:
    image: ${BOX}
    command: ${SERVE}
`);
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const waiting = moor(dir, ["-p", name, "wait", "job"]);
    // The job exits only once told to, so `wait` finds it running whatever the machine's speed.
    await new Promise((r) => setTimeout(r, 3000));
    await docker(["exec", `${name}-job-1`, "touch", "/tmp/go"]);
    const done = await waiting;
    expect(done.exitCode).toBe(3);
    expect(done.stdout).toMatch(/container "[0-9a-f]{64}" exited with status code 3/);

    await moorOk(dir, ["-p", name, "up", "-d"]);
    const dropping = moor(dir, ["-p", name, "wait", "--down-project", "job"]);
    await new Promise((r) => setTimeout(r, 3000));
    await docker(["exec", `${name}-job-1`, "touch", "/tmp/go"]);
    const dropped = await dropping;
    expect(dropped.exitCode).toBe(3);
    expect(await states(name)).toEqual([]);

    const none = await moor(dir, ["-p", name, "wait", "job"]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`no containers for project "${name}"`);
  });
});
