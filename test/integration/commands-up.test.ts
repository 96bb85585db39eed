// `moor up` through the built CLI on tiny busybox projects written to a temp dir, checked from
// outside with `docker inspect`/`docker ps`: its flags, dependency conditions (fail fast with the
// reason and exit 1), attached mode and its exit codes, recreate decisions, and the labels
// docker compose puts on containers.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, projectLabel, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult, docker, expectOk } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-up-test-"));
const projects: string[] = [];
const BOX = TEST_IMAGES.busybox;
/** A long-running command that stops at once on SIGTERM (sh as PID 1 ignores it otherwise). */
const SERVE = (text: string) => JSON.stringify(["sh", "-c", `trap 'exit 0' TERM; echo ${text}; while true; do sleep 1; done`]);

/** A fresh project: its own name and directory holding `compose` as compose.yaml. */
function projectDir(prefix: string, compose: string): { name: string; dir: string; write: (text: string) => void } {
  const name = uniqueProject(prefix);
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  const write = (text: string) => fs.writeFileSync(path.join(dir, "compose.yaml"), text);
  write(compose);
  return { name, dir, write };
}

async function moor(dir: string, name: string, args: string[], env: Record<string, string> = {}): Promise<MoorResult> {
  return runMoor(["-p", name, ...args], { cwd: dir, env });
}

/** Like `moor` but fails with moor's output when it exits non-zero. */
async function moorOk(dir: string, name: string, args: string[], env: Record<string, string> = {}): Promise<MoorResult> {
  return expectOk(await moor(dir, name, args, env), args);
}

/** Container name → id, state and number for every container of the project (one-offs included). */
async function containers(name: string): Promise<Map<string, { id: string; state: string }>> {
  const out = await docker(["ps", "-a", "--no-trunc", "--filter", `label=${projectLabel(name)}`, "--format", "{{.Names}} {{.ID}} {{.State}}"]);
  const map = new Map<string, { id: string; state: string }>();
  for (const line of out.split("\n").filter((l) => l !== "")) {
    const [n, id, state] = line.split(" ");
    map.set(n!, { id: id!, state: state! });
  }
  return map;
}

async function inspect<T>(container: string, format: string): Promise<T> {
  return JSON.parse(await docker(["inspect", "--format", `{{json ${format}}}`, container])) as T;
}

describe.skipIf(!engine)("moor up on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const twoTier = `
services:
  db:
    image: ${BOX}
    command: ${SERVE("db up")}
    healthcheck:
      test: ["CMD", "true"]
      interval: 500ms
      retries: 20
  web:
    image: ${BOX}
    command: ${SERVE("web up")}
    environment:
      COLOR: \${MOOR_TEST_COLOR:-blue}
    depends_on:
      db:
        condition: service_healthy
`;

  it("up -d creates and starts the project with compose's names and labels, and a second up changes nothing", async () => {
    const { name, dir } = projectDir("labels", twoTier);
    const up = await moorOk(dir, name, ["up", "-d"]);
    expect(up.stderr).toContain(` Network ${name}_default  Created`);
    expect(up.stderr).toContain(` Container ${name}-db-1  Healthy`);
    expect(up.stderr).toContain(` Container ${name}-web-1  Started`);
    // service_healthy: web starts only after db was reported healthy.
    expect(up.stderr.indexOf(`Container ${name}-db-1  Healthy`)).toBeLessThan(up.stderr.indexOf(`Container ${name}-web-1  Started`));

    const before = await containers(name);
    expect([...before.keys()].sort()).toEqual([`${name}-db-1`, `${name}-web-1`]);
    expect([...before.values()].map((c) => c.state)).toEqual(["running", "running"]);

    const labels = await inspect<Record<string, string>>(`${name}-web-1`, ".Config.Labels");
    const imageId = (await docker(["image", "inspect", "--format", "{{.Id}}", BOX])).trim();
    expect(labels).toMatchObject({
      "com.docker.compose.project": name,
      "com.docker.compose.service": "web",
      "com.docker.compose.container-number": "1",
      "com.docker.compose.oneoff": "False",
      "com.docker.compose.project.config_files": path.join(dir, "compose.yaml"),
      "com.docker.compose.project.working_dir": dir,
      "com.docker.compose.depends_on": "db:service_healthy:false",
      "com.docker.compose.image": imageId,
    });
    expect(labels["com.docker.compose.config-hash"]).toMatch(/^[0-9a-f]{64}$/);
    expect(labels["com.docker.compose.version"]).toMatch(/^\d+\.\d+\.\d+/);
    expect((await inspect<Record<string, string>>(`${name}-db-1`, ".Config.Labels"))["com.docker.compose.depends_on"]).toBe("");
    const netLabels = await inspect<Record<string, string>>(`${name}_default`, ".Labels");
    expect(netLabels).toMatchObject({ "com.docker.compose.project": name, "com.docker.compose.network": "default" });
    expect(Object.keys(await inspect<Record<string, unknown>>(`${name}-web-1`, ".NetworkSettings.Networks"))).toEqual([`${name}_default`]);
    expect(await inspect<string[]>(`${name}-web-1`, `(index .NetworkSettings.Networks "${name}_default").Aliases`)).toEqual(expect.arrayContaining([`${name}-web-1`, "web"]));

    const again = await moorOk(dir, name, ["up", "-d"]);
    expect(again.stderr).not.toMatch(/Creat|Recreat|Removed|Stopp/);
    expect(again.stderr).toContain(` Container ${name}-web-1  Running`);
    const after = await containers(name);
    expect([...after.entries()]).toEqual([...before.entries()]);
    const plan = await moorOk(dir, name, ["plan"]);
    expect(plan.stdout).toBe(`project ${name}: nothing to do\n`);
  });

  it("a changed environment recreates only that service; plan shows the field; --no-recreate keeps, --force-recreate replaces", async () => {
    const { name, dir } = projectDir("recreate", twoTier);
    await moorOk(dir, name, ["up", "-d"]);
    const first = await containers(name);

    const plan = await moorOk(dir, name, ["plan"], { MOOR_TEST_COLOR: "red" });
    expect(plan.stdout).toContain(`environment.COLOR: "blue" → "red"`);
    expect(plan.stdout).not.toMatch(new RegExp(`${name}-db-1.*(replace|config changed)`));

    const dry = await moorOk(dir, name, ["up", "-d", "--dry-run"], { MOOR_TEST_COLOR: "red" });
    expect(dry.stdout).toContain(`environment.COLOR: "blue" → "red"`);
    expect(await containers(name)).toEqual(first);

    await moorOk(dir, name, ["up", "-d", "--no-recreate"], { MOOR_TEST_COLOR: "red" });
    expect(await containers(name)).toEqual(first);

    const up = await moorOk(dir, name, ["up", "-d"], { MOOR_TEST_COLOR: "red" });
    expect(up.stderr).toContain(` Container ${name}-web-1  Recreate`);
    expect(up.stderr).toContain(` Container ${name}-web-1  Recreated`);
    expect(up.stderr).not.toContain(`Container ${name}-db-1  Recreate`);
    const second = await containers(name);
    expect(second.get(`${name}-db-1`)).toEqual(first.get(`${name}-db-1`));
    expect(second.get(`${name}-web-1`)?.id).not.toBe(first.get(`${name}-web-1`)?.id);
    expect(second.get(`${name}-web-1`)?.state).toBe("running");
    expect(await inspect<string[]>(`${name}-web-1`, ".Config.Env")).toContain("COLOR=red");
    expect([...second.keys()].sort()).toEqual([`${name}-db-1`, `${name}-web-1`]);

    await moorOk(dir, name, ["up", "-d", "--force-recreate"], { MOOR_TEST_COLOR: "red" });
    const third = await containers(name);
    for (const c of [`${name}-db-1`, `${name}-web-1`]) expect(third.get(c)?.id).not.toBe(second.get(c)?.id);

    const both = await moor(dir, name, ["up", "-d", "--force-recreate", "--no-recreate"]);
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toContain("--force-recreate and --no-recreate are incompatible");
  });

  it("--force-recreate of one service leaves its dependency unless --always-recreate-deps", async () => {
    const { name, dir } = projectDir("alwaysdeps", twoTier);
    await moorOk(dir, name, ["up", "-d"]);
    const first = await containers(name);
    await moorOk(dir, name, ["up", "-d", "--force-recreate", "web"]);
    const second = await containers(name);
    expect(second.get(`${name}-db-1`)?.id).toBe(first.get(`${name}-db-1`)?.id);
    expect(second.get(`${name}-web-1`)?.id).not.toBe(first.get(`${name}-web-1`)?.id);
    await moorOk(dir, name, ["up", "-d", "--force-recreate", "--always-recreate-deps", "web"]);
    const third = await containers(name);
    expect(third.get(`${name}-db-1`)?.id).not.toBe(second.get(`${name}-db-1`)?.id);
    expect(third.get(`${name}-web-1`)?.id).not.toBe(second.get(`${name}-web-1`)?.id);
  });

  it("--dry-run (global or up's) changes nothing on a fresh project", async () => {
    const { name, dir } = projectDir("dryrun", twoTier);
    for (const args of [["up", "-d", "--dry-run"], ["--dry-run", "up", "-d"]]) {
      const r = await moorOk(dir, name, args);
      expect(r.stdout).toContain(`create network ${name}_default`);
      expect(r.stdout).toContain(`create container ${name}-web-1`);
    }
    expect((await containers(name)).size).toBe(0);
    expect(await docker(["network", "ls", "-q", "--filter", `label=${projectLabel(name)}`])).toBe("");
  });

  it("--no-start creates without starting; a later up starts the same containers", async () => {
    const { name, dir } = projectDir("nostart", twoTier);
    await moorOk(dir, name, ["up", "--no-start"]);
    const created = await containers(name);
    expect([...created.values()].map((c) => c.state)).toEqual(["created", "created"]);
    await moorOk(dir, name, ["up", "-d"]);
    const started = await containers(name);
    expect([...started.values()].map((c) => c.state)).toEqual(["running", "running"]);
    expect([...started.values()].map((c) => c.id)).toEqual([...created.values()].map((c) => c.id));
  });

  it("--no-deps starts the named service without what it depends on", async () => {
    const { name, dir } = projectDir("nodeps", twoTier);
    await moorOk(dir, name, ["up", "-d", "--no-deps", "web"]);
    expect([...(await containers(name)).keys()]).toEqual([`${name}-web-1`]);
    await moorOk(dir, name, ["up", "-d", "web"]);
    expect([...(await containers(name)).keys()].sort()).toEqual([`${name}-db-1`, `${name}-web-1`]);
    const unknown = await moor(dir, name, ["up", "-d", "nosuch"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("no such service: nosuch");
  });

  it("--scale adds numbered replicas and removes the highest numbers first", async () => {
    const { name, dir } = projectDir("scale", `
services:
  web:
    image: ${BOX}
    command: ${SERVE("web")}
`);
    await moorOk(dir, name, ["up", "-d", "--scale", "web=3"]);
    const three = await containers(name);
    expect([...three.keys()].sort()).toEqual([1, 2, 3].map((n) => `${name}-web-${n}`));
    for (const n of [1, 2, 3]) expect((await inspect<Record<string, string>>(`${name}-web-${n}`, ".Config.Labels"))["com.docker.compose.container-number"]).toBe(String(n));
    const down = await moorOk(dir, name, ["up", "-d", "--scale", "web=1"]);
    expect(down.stderr).toContain(`Container ${name}-web-3  Removed`);
    const one = await containers(name);
    expect([...one.keys()]).toEqual([`${name}-web-1`]);
    expect(one.get(`${name}-web-1`)?.id).toBe(three.get(`${name}-web-1`)?.id);
    const bad = await moor(dir, name, ["up", "-d", "--scale", "web"]);
    expect(bad.exitCode).toBe(1);
  });

  it("warns about orphans and removes them with --remove-orphans", async () => {
    const { name, dir, write } = projectDir("orphans", `
services:
  keep:
    image: ${BOX}
    command: ${SERVE("keep")}
  old:
    image: ${BOX}
    command: ${SERVE("old")}
`);
    await moorOk(dir, name, ["up", "-d"]);
    write(`
services:
  keep:
    image: ${BOX}
    command: ${SERVE("keep")}
`);
    const warned = await moorOk(dir, name, ["up", "-d"]);
    expect(warned.stderr).toMatch(new RegExp(`WARN.*orphan.*${name}-old-1.*--remove-orphans`, "i"));
    expect((await containers(name)).get(`${name}-old-1`)?.state).toBe("running");
    const removed = await moorOk(dir, name, ["up", "-d", "--remove-orphans"]);
    expect(removed.stderr).toContain(`Container ${name}-old-1  Removed`);
    expect([...(await containers(name)).keys()]).toEqual([`${name}-keep-1`]);
  });

  it("--quiet-build drops the build's output (which the json and terminal views show) and keeps its Built line", async () => {
    const { name, dir } = projectDir("quietbuild", `
services:
  app:
    build:
      context: .
      dockerfile_inline: |
        FROM ${BOX}
        RUN echo visible-build-step
    image: \${PROJECT_IMAGE}
    command: ${SERVE("app")}
`);
    const env = { PROJECT_IMAGE: `${name}-app:latest` };
    try {
      const loud = await moorOk(dir, name, ["--progress", "json", "up", "-d", "--build"], env);
      expect(loud.all).toContain("visible-build-step");
      const quiet = await moorOk(dir, name, ["--progress", "json", "up", "-d", "--build", "--quiet-build"], env);
      expect(quiet.all).not.toContain("visible-build-step");
      expect(quiet.stderr).toContain("Built");
      // run --build --quiet-build: the same for a one-off.
      const oneOff = await moorOk(dir, name, ["--progress", "json", "run", "--rm", "--build", "--quiet-build", "-T", "app", "true"], env);
      expect(oneOff.all).not.toContain("visible-build-step");
    } finally {
      await docker(["image", "rm", "-f", env.PROJECT_IMAGE]).catch(() => undefined);
    }
  });

  it("warns about orphans in compose's words", async () => {
    const { name, dir, write } = projectDir("orphanwords", `
services:
  keep:
    image: ${BOX}
    command: ${SERVE("keep")}
  old:
    image: ${BOX}
    command: ${SERVE("old")}
`);
    await moorOk(dir, name, ["up", "-d"]);
    write(`
services:
  keep:
    image: ${BOX}
    command: ${SERVE("keep")}
`);
    const warned = await moorOk(dir, name, ["up", "-d"]);
    expect(warned.stderr).toContain(
      `Found orphan containers ([${name}-old-1]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
    );
    // COMPOSE_IGNORE_ORPHANS silences it; COMPOSE_STATUS_STDOUT moves the progress lines to stdout.
    const quiet = await moorOk(dir, name, ["--progress", "plain", "up", "-d"], { COMPOSE_IGNORE_ORPHANS: "true", COMPOSE_STATUS_STDOUT: "1" });
    expect(quiet.stderr).not.toContain("Found orphan containers");
    expect(quiet.stdout).toContain(`Container ${name}-keep-1  Running`);
  });

  it("-V gives a recreated container new anonymous volumes; without it they are kept", async () => {
    const { name, dir } = projectDir("renewanon", `
services:
  app:
    image: ${BOX}
    command: ${SERVE("app")}
    volumes:
      - /data
`);
    await moorOk(dir, name, ["up", "-d"]);
    const mount = () => inspect<{ Name: string; Destination: string }[]>(`${name}-app-1`, ".Mounts");
    const [first] = await mount();
    expect(first?.Destination).toBe("/data");
    await docker(["exec", `${name}-app-1`, "sh", "-c", "echo kept > /data/file"]);
    await moorOk(dir, name, ["up", "-d", "--force-recreate"]);
    expect((await mount())[0]?.Name).toBe(first?.Name);
    expect((await docker(["exec", `${name}-app-1`, "cat", "/data/file"])).trim()).toBe("kept");
    await moorOk(dir, name, ["up", "-d", "--force-recreate", "-V"]);
    expect((await mount())[0]?.Name).not.toBe(first?.Name);
    expect(await execa("docker", ["exec", `${name}-app-1`, "cat", "/data/file"], { reject: false }).then((r) => r.exitCode)).not.toBe(0);
    // The replaced anonymous volume is left behind, as compose leaves it; it is this test's to remove.
    await docker(["volume", "rm", String(first?.Name)]);
  });

  it("service_completed_successfully waits for a one-shot job, then starts its dependant", async () => {
    const { name, dir } = projectDir("completed", `
services:
  migrate:
    image: ${BOX}
    command: ["sh", "-c", "sleep 1; echo migrated > /shared/done"]
    volumes: [shared:/shared]
  app:
    image: ${BOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; cat /shared/done; while true; do sleep 1; done"]
    volumes: [shared:/shared]
    depends_on:
      migrate:
        condition: service_completed_successfully
volumes:
  shared:
`);
    const up = await moorOk(dir, name, ["up", "-d", "--wait"]);
    expect(up.stderr).toContain(`Container ${name}-migrate-1  Exited`);
    expect(up.stderr).toContain(` Volume "${name}_shared"  Created`);
    const state = await containers(name);
    expect(state.get(`${name}-migrate-1`)?.state).toBe("exited");
    expect(state.get(`${name}-app-1`)?.state).toBe("running");
    const logs = await moorOk(dir, name, ["logs", "app"]);
    expect(logs.stdout).toBe("app-1  | migrated\n");
  });

  it("fails fast with the reason and exit 1 when a service_completed_successfully dependency exits non-zero", async () => {
    const { name, dir } = projectDir("failjob", `
services:
  job:
    image: ${BOX}
    command: ["sh", "-c", "exit 3"]
  app:
    image: ${BOX}
    command: ${SERVE("app")}
    depends_on:
      job:
        condition: service_completed_successfully
`);
    const up = await moor(dir, name, ["up", "-d"]);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain(`service "job" didn't complete successfully: exit 3`);
    expect(up.stderr).toContain(`Container ${name}-job-1  Error`);
    expect((await containers(name)).get(`${name}-app-1`)?.state).toBe("created");
  });

  it("fails fast with the reason and exit 1 when a service_healthy dependency turns unhealthy or exits", async () => {
    const { name, dir } = projectDir("unhealthy", `
services:
  db:
    image: ${BOX}
    command: ${SERVE("db")}
    healthcheck:
      test: ["CMD", "false"]
      interval: 300ms
      retries: 2
  app:
    image: ${BOX}
    command: ${SERVE("app")}
    depends_on:
      db:
        condition: service_healthy
`);
    const up = await moor(dir, name, ["up", "-d"]);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain(`dependency failed to start: container ${name}-db-1 is unhealthy`);
    expect((await containers(name)).get(`${name}-app-1`)?.state).toBe("created");

    const crash = projectDir("crashdep", `
services:
  db:
    image: ${BOX}
    command: ["sh", "-c", "exit 7"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 10s
  app:
    image: ${BOX}
    command: ${SERVE("app")}
    depends_on:
      db:
        condition: service_healthy
`);
    const up2 = await moor(crash.dir, crash.name, ["up", "-d"]);
    expect(up2.exitCode).toBe(1);
    expect(up2.stderr).toContain(`dependency failed to start: container ${crash.name}-db-1 exited (7)`);
    expect((await containers(crash.name)).get(`${crash.name}-app-1`)?.state).toBe("created");
  });

  it("--wait fails with exit 1 when a container exits, and returns once healthy otherwise", async () => {
    const { name, dir } = projectDir("wait", `
services:
  db:
    image: ${BOX}
    command: ${SERVE("db")}
    healthcheck:
      test: ["CMD", "sh", "-c", "test -f /tmp/ready || (touch /tmp/ready; false)"]
      interval: 300ms
      retries: 20
`);
    const up = await moorOk(dir, name, ["up", "-d", "--wait"]);
    expect(await inspect<string>(`${name}-db-1`, ".State.Health.Status")).toBe("healthy");
    const waiting = up.stderr.lastIndexOf(`Container ${name}-db-1  Waiting`);
    expect(waiting).toBeGreaterThan(up.stderr.indexOf(`Container ${name}-db-1  Started`));
    expect(up.stderr.indexOf(`Container ${name}-db-1  Healthy`)).toBeGreaterThan(waiting);

    const bad = projectDir("waitfail", `
services:
  oops:
    image: ${BOX}
    command: ["sh", "-c", "sleep 1; exit 2"]
    # Still "starting" when --wait first looks, so it must see the exit rather than race it.
    healthcheck:
      test: ["CMD", "true"]
      interval: 30s
`);
    const r = await moor(bad.dir, bad.name, ["up", "-d", "--wait"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${bad.name}-oops-1 exited (2)`);
  });

  const shortLong = `
services:
  long:
    image: ${BOX}
    command: ${SERVE("long up")}
  short:
    image: ${BOX}
    command: ["sh", "-c", "echo short says hi; sleep 1; exit 4"]
`;

  it("--abort-on-container-exit stops everything when one exits and returns its code", async () => {
    const { name, dir } = projectDir("abort", shortLong);
    const r = await moor(dir, name, ["up", "--abort-on-container-exit"]);
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toContain("Attaching to long-1, short-1");
    expect(r.stdout).toMatch(/^short-1 {2}\| short says hi$/m);
    expect(r.stdout).toMatch(/^long-1 {3}\| long up$/m);
    expect(r.stdout).toContain("short-1 exited with code 4");
    expect(r.stderr).toContain("Aborting on container exit...");
    expect(r.stderr.indexOf(`Container ${name}-long-1  Stopping`)).toBeGreaterThan(r.stderr.indexOf("Aborting on container exit..."));
    expect(r.stderr).toContain(`Container ${name}-long-1  Stopped`);
    expect([...(await containers(name)).values()].map((c) => c.state)).toEqual(["exited", "exited"]);
  });

  it("--exit-code-from returns the chosen service's code", async () => {
    const { name, dir } = projectDir("exitfrom", shortLong);
    const fromLong = await moor(dir, name, ["up", "--exit-code-from", "long"]);
    expect(fromLong.exitCode).toBe(0);
    const fromShort = await moor(dir, name, ["up", "--exit-code-from", "short"]);
    expect(fromShort.exitCode).toBe(4);
    const detached = await moor(dir, name, ["up", "-d", "--abort-on-container-exit"]);
    expect(detached.exitCode).toBe(1);
  });

  it("attached up follows the logs and ends when every container has exited", async () => {
    const { name, dir } = projectDir("attached", `
services:
  a:
    image: ${BOX}
    command: ["sh", "-c", "echo one; echo two"]
  b:
    image: ${BOX}
    command: ["sh", "-c", "sleep 1; echo three; exit 5"]
`);
    const r = await moor(dir, name, ["up"]);
    // Without --abort-on-container-exit, compose exits 0 whatever the containers' codes.
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^a-1 {2}\| one\na-1 {2}\| two$/m);
    expect(r.stdout).toMatch(/^b-1 {2}\| three$/m);
    expect(r.stdout).toContain("a-1 exited with code 0");
    expect(r.stdout).toContain("b-1 exited with code 5");
  });

  it.each(["SIGINT", "SIGTERM"] as const)("%s on attached up stops the project gracefully and exits 130 (as Ctrl-C)", async (signal) => {
    const { name, dir } = projectDir(signal.toLowerCase(), `
services:
  long:
    image: ${BOX}
    command: ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo long up; while true; do sleep 1; done"]
`);
    const child = execa(process.execPath, [path.join(repoRoot, "bin", "moor.js"), "-p", name, "up"], { cwd: dir, env: { NO_COLOR: "1" }, reject: false, timeout: 90_000 });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("long-1  | long up")) resolve();
      });
      void child.then(() => reject(new Error(`up ended before its container printed:\n${out}`)));
    });
    child.kill(signal);
    const r = await child;
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toContain("Gracefully stopping... (press Ctrl+C again to force)");
    expect(String(r.stderr)).toContain(`Container ${name}-long-1  Stopped`);
    expect(out + String(r.stdout)).toContain("long-1  | got TERM");
    expect((await containers(name)).get(`${name}-long-1`)?.state).toBe("exited");
  });

  it("a container that cannot start is marked Error, the engine's reason printed, exit 1", async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const { name, dir } = projectDir("portclash", `
services:
  first:
    image: ${BOX}
    command: ${SERVE("first")}
    ports: ["${port}:80"]
  second:
    image: ${BOX}
    command: ${SERVE("second")}
    ports: ["${port}:80"]
    depends_on: [first]
`);
    const up = await moor(dir, name, ["up", "-d"]);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain(`Container ${name}-second-1  Error`);
    expect(up.stderr).toMatch(/port is already allocated|address already in use/);
    expect((await containers(name)).get(`${name}-first-1`)?.state).toBe("running");
  });
});
