// Interruptions and concurrent runs converge (docs/reliability.md): a CLI killed in the middle of
// `up -d`, containers removed or stopped by hand, two `up` (and `up` + `down`) of one project at
// the same time. Each ends, after at most one more `up -d`, with exactly one container per service
// and number, under the right names, and nothing else touched. Checked from outside with `docker`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, projectLabel, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-reliability-test-"));
const projects: string[] = [];
/** Unlabelled look-alikes a test made by hand with `docker`; removed by name at the end. */
const handMade = { containers: [] as string[], networks: [] as string[], volumes: [] as string[] };
const BOX = TEST_IMAGES.busybox;
/** A long-running command that stops at once on SIGTERM (sh as PID 1 ignores it otherwise). */
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

/** A compose file of `count` services s01…sNN (one with `scale`), all on the default network. */
function manyServices(count: number, scaled: Record<string, number> = {}): string {
  const lines = ["services:"];
  for (let i = 1; i <= count; i++) {
    const name = `s${String(i).padStart(2, "0")}`;
    lines.push(`  ${name}:`, `    image: ${BOX}`, `    command: ${SERVE}`, "    stop_grace_period: 1s");
    if (scaled[name]) lines.push(`    scale: ${scaled[name]}`);
  }
  return lines.join("\n") + "\n";
}

function projectDir(prefix: string, compose: string): { name: string; dir: string } {
  const name = uniqueProject(prefix);
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
  return { name, dir };
}

const moor = (dir: string, name: string, args: string[]): Promise<MoorResult> => runMoor(["-p", name, ...args], { cwd: dir, timeoutMs: 300_000 });
const moorOk = async (dir: string, name: string, args: string[]): Promise<MoorResult> => expectOk(await moor(dir, name, args), args);

interface Seen {
  name: string;
  id: string;
  state: string;
  service: string;
  number: string;
  startedAt?: string;
}

/** Every container of the project with its compose labels, one-offs included. */
async function containers(project: string): Promise<Seen[]> {
  const format = `{{.Names}}\t{{.ID}}\t{{.State}}\t{{.Label "com.docker.compose.service"}}\t{{.Label "com.docker.compose.container-number"}}`;
  const out = await docker(["ps", "-a", "--no-trunc", "--filter", `label=${projectLabel(project)}`, "--format", format]);
  return out
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [name, id, state, service, number] = l.split("\t");
      return { name: name!, id: id!, state: state!, service: service!, number: number! };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The exact set a converged project has: `<project>-<service>-<n>`, one each, all running. */
function desired(project: string, count: number, scaled: Record<string, number> = {}): string[] {
  const names: string[] = [];
  for (let i = 1; i <= count; i++) {
    const svc = `s${String(i).padStart(2, "0")}`;
    for (let n = 1; n <= (scaled[svc] ?? 1); n++) names.push(`${project}-${svc}-${n}`);
  }
  return names.sort();
}

/** One line per container (name, state, labels): the whole observable state, for one assertion. */
const summary = (cs: Seen[]): string[] => cs.map((c) => `${c.name} ${c.state} ${c.service}#${c.number}`);
const expectedSummary = (names: string[]): string[] =>
  names.map((n) => {
    const m = /-(s\d\d)-(\d+)$/.exec(n)!;
    return `${n} running ${m[1]}#${m[2]}`;
  });

/** Nothing moor printed is a crash: an expected error is a message, never a stack trace. */
function expectNoCrash(r: MoorResult): void {
  expect(r.all).not.toMatch(/moor hit a bug|^\s+at .+:\d+:\d+\)?$/m);
}

describe.skipIf(!engine)("interrupted and concurrent runs converge", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    for (const c of handMade.containers) await execa("docker", ["rm", "-f", "-v", c], { reject: false });
    for (const n of handMade.networks) await execa("docker", ["network", "rm", n], { reject: false });
    for (const v of handMade.volumes) await execa("docker", ["volume", "rm", "-f", v], { reject: false });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("SIGKILL in the middle of `up -d` of 30 services, then `up -d` gives exactly the desired containers", async () => {
    const { name, dir } = projectDir("kill", manyServices(30));
    const child = execa(process.execPath, ["--", path.join(repoRoot, "bin", "moor.js"), "-p", name, "up", "-d"], {
      cwd: dir,
      env: { NO_COLOR: "1" },
      reject: false,
      all: true,
    });
    // Kill as soon as the first container exists: the engine is mid-way through the plan.
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      if ((await containers(name)).length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    const killed = await child;
    expect(killed.signal, `up finished before it could be killed:\n${String(killed.all)}`).toBe("SIGKILL");
    const before = await containers(name);
    // The kill landed mid-way: some containers, not all of them running.
    expect(before.filter((c) => c.state === "running").length).toBeLessThan(30);

    const r = await moorOk(dir, name, ["up", "-d"]);
    expectNoCrash(r);
    const after = await containers(name);
    expect(summary(after)).toEqual(expectedSummary(desired(name, 30)));
    // What the killed run had created was adopted, not replaced.
    const ids = new Map(after.map((c) => [c.name, c.id]));
    for (const c of before) expect(ids.get(c.name)).toBe(c.id);
    // And a third run has nothing to do.
    const again = await moorOk(dir, name, ["up", "-d"]);
    expect(again.all).not.toMatch(/Creat|Recreat|Remov/);
  });

  it("a container removed or stopped by hand is restored by the next `up`, and nothing else changes", async () => {
    const { name, dir } = projectDir("byhand", manyServices(4));
    await moorOk(dir, name, ["up", "-d"]);
    const first = await containers(name);
    expect(summary(first)).toEqual(expectedSummary(desired(name, 4)));
    const started = async (id: string) => (await docker(["inspect", "--format", "{{.State.StartedAt}}", id])).trim();
    const startedBefore = new Map(await Promise.all(first.map(async (c) => [c.name, await started(c.id)] as const)));

    await docker(["rm", "-f", `${name}-s01-1`]);
    await docker(["stop", "-t", "1", `${name}-s02-1`]);
    const r = await moorOk(dir, name, ["up", "-d"]);
    expectNoCrash(r);

    const after = await containers(name);
    expect(summary(after)).toEqual(expectedSummary(desired(name, 4)));
    const byName = new Map(after.map((c) => [c.name, c]));
    const before = new Map(first.map((c) => [c.name, c]));
    // Removed: a new container under the same name. Stopped: the same container, started again.
    expect(byName.get(`${name}-s01-1`)!.id).not.toBe(before.get(`${name}-s01-1`)!.id);
    expect(byName.get(`${name}-s02-1`)!.id).toBe(before.get(`${name}-s02-1`)!.id);
    // The others: same containers, not even restarted.
    for (const other of [`${name}-s03-1`, `${name}-s04-1`]) {
      expect(byName.get(other)!.id).toBe(before.get(other)!.id);
      expect(await started(byName.get(other)!.id)).toBe(startedBefore.get(other));
    }
  });

  it("two `up -d` of the same project at the same time end with exactly one container per service and number", async () => {
    const scaled = { s03: 3 };
    const { name, dir } = projectDir("twoup", manyServices(8, scaled));
    // The network first: engines before 25 let two concurrent creates of one network name both
    // succeed (moby/moby#20648), which no client can undo safely (docs/reliability.md).
    await moorOk(dir, name, ["up", "-d", "s01"]);
    const [a, b] = await Promise.all([moor(dir, name, ["up", "-d"]), moor(dir, name, ["up", "-d"])]);
    expectNoCrash(a);
    expectNoCrash(b);
    expect([a.exitCode, b.exitCode], `first:\n${a.all}\nsecond:\n${b.all}`).toEqual([0, 0]);
    const after = await containers(name);
    expect(summary(after)).toEqual(expectedSummary(desired(name, 8, scaled)));
    const networks = await docker(["network", "ls", "--filter", `label=${projectLabel(name)}`, "--format", "{{.Name}}"]);
    expect(networks.split("\n").filter((l) => l !== "")).toEqual([`${name}_default`]);
  });

  it("named volumes keep their data through `down` and `up`; `down --remove-orphans -v` never touches a prefix-named project or unlabelled resources", async () => {
    const withData = (svcs: string[]) =>
      ["services:", ...svcs.flatMap((svc) => [`  ${svc}:`, `    image: ${BOX}`, `    command: ${SERVE}`, "    stop_grace_period: 1s", "    volumes: [data:/data, /anon]"]), "volumes:", "  data: {}"].join("\n") + "\n";
    const { name, dir } = projectDir("safe", withData(["a", "b"]));
    // `<name>2` starts with our name: a filter by prefix instead of by label would catch it.
    const twin = `${name}2`;
    projects.push(twin);
    const twinDir = path.join(scratch, twin);
    fs.mkdirSync(twinDir);
    fs.writeFileSync(path.join(twinDir, "compose.yaml"), withData(["a"]));

    await moorOk(dir, name, ["up", "-d"]);
    await moorOk(twinDir, twin, ["up", "-d"]);
    await docker(["exec", `${name}-a-1`, "sh", "-c", "echo precious > /data/f"]);
    await docker(["exec", `${twin}-a-1`, "sh", "-c", "echo twin > /data/f"]);

    // A named volume keeps its data through `down` (no -v) and a new `up`. That `down` leaves the
    // anonymous volumes behind, as compose does: this test made them, so it removes them.
    for (const svc of ["a", "b"]) handMade.volumes.push((await docker(["inspect", "--format", '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}', `${name}-${svc}-1`])).trim());
    await moorOk(dir, name, ["down"]);
    await moorOk(dir, name, ["up", "-d"]);
    expect((await docker(["exec", `${name}-b-1`, "cat", "/data/f"])).trim()).toBe("precious");

    // b becomes an orphan; unlabelled resources named like the project's sit beside it.
    fs.writeFileSync(path.join(dir, "compose.yaml"), withData(["a"]));
    handMade.containers.push(`${name}-c-1`);
    handMade.networks.push(`${name}_default2`);
    handMade.volumes.push(`${name}_data2`, `${name}_data_x`);
    await docker(["create", "--name", `${name}-c-1`, BOX, "true"]);
    await docker(["network", "create", `${name}_default2`]);
    await docker(["volume", "create", `${name}_data2`]);
    await docker(["volume", "create", `${name}_data_x`]);
    const twinBefore = await containers(twin);

    const down = await moorOk(dir, name, ["down", "--remove-orphans", "-v"]);
    expectNoCrash(down);
    expect(await containers(name)).toEqual([]);
    const left = async (kind: "volume" | "network", project: string) =>
      (await docker([kind, "ls", "--filter", `label=${projectLabel(project)}`, "--format", "{{.Name}}"])).split("\n").filter((l) => l !== "");
    expect(await left("volume", name)).toEqual([]);
    expect(await left("network", name)).toEqual([]);
    // The prefix-named project: same containers, running, its volume and data intact.
    expect(await containers(twin)).toEqual(twinBefore);
    expect((await docker(["exec", `${twin}-a-1`, "cat", "/data/f"])).trim()).toBe("twin");
    expect(await left("volume", twin)).toEqual([`${twin}_data`]);
    expect(await left("network", twin)).toEqual([`${twin}_default`]);
    // The unlabelled look-alikes are all still there.
    await docker(["inspect", "--type", "container", `${name}-c-1`]);
    await docker(["network", "inspect", `${name}_default2`]);
    await docker(["volume", "inspect", `${name}_data2`, `${name}_data_x`]);
  });

  it("20 `ps` at once against an engine busy recreating the project all succeed", async () => {
    const { name, dir } = projectDir("manyps", manyServices(10));
    await moorOk(dir, name, ["up", "-d"]);
    // The engine is busy with this very project: every container is being replaced meanwhile.
    const busy = moor(dir, name, ["up", "-d", "--force-recreate"]);
    const all = await Promise.all(Array.from({ length: 20 }, () => moor(dir, name, ["ps", "-a", "--format", "json"])));
    expect((await busy).exitCode).toBe(0);
    for (const r of all) {
      expectNoCrash(r);
      expect(r.exitCode, r.all).toBe(0);
      // Whatever moment it saw, every row is a container of one of the project's services.
      const rows = r.stdout.split("\n").filter((l) => l.trim() !== "");
      for (const row of rows) expect((JSON.parse(row) as { Service: string }).Service).toMatch(/^s(0[1-9]|10)$/);
    }
    expect(summary(await containers(name))).toEqual(expectedSummary(desired(name, 10)));
  });

  it("attached `up`: the first Ctrl-C stops gracefully, a second kills at once, exit 130", async () => {
    // Both services ignore SIGTERM and have ten minutes' grace: only a kill ends them in time.
    const stubborn = JSON.stringify(["sh", "-c", "trap '' TERM; echo ready; while true; do sleep 1; done"]);
    const { name, dir } = projectDir(
      "ctrlc",
      ["services:", ...["a", "b"].flatMap((svc) => [`  ${svc}:`, `    image: ${BOX}`, `    command: ${stubborn}`, "    stop_grace_period: 10m"])].join("\n") + "\n",
    );
    const child = execa(process.execPath, ["--", path.join(repoRoot, "bin", "moor.js"), "-p", name, "up"], {
      cwd: dir,
      env: { NO_COLOR: "1" },
      reject: false,
      timeout: 180_000,
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const until = async (what: string, seen: () => boolean): Promise<void> => {
      while (!seen()) {
        if (child.exitCode !== null) throw new Error(`up ended before ${what}:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until("both containers printed", () => out.includes("a-1  | ready") && out.includes("b-1  | ready"));
    child.kill("SIGINT");
    await until("the graceful stop began", () => err.includes(`Container ${name}-a-1  Stopping`) && err.includes(`Container ${name}-b-1  Stopping`));
    expect(err).toContain("Gracefully stopping... (press Ctrl+C again to force)");
    // The grace period is running: the containers ignored SIGTERM and are still up.
    const state = async (svc: string) => (await docker(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", `${name}-${svc}-1`])).trim();
    expect(await state("a")).toBe("running 0");
    child.kill("SIGINT");
    const r = await child;
    expect(r.timedOut, `${out}\n${err}`).toBe(false);
    expect(r.exitCode, `${out}\n${err}`).toBe(130);
    expect(await state("a")).toBe("exited 137");
    expect(await state("b")).toBe("exited 137");
    expectNoCrash({ exitCode: r.exitCode ?? -1, stdout: out, stderr: err, all: `${out}\n${err}` });
  });

  it("four `up -d` of a new project at the same time make one network and one container per service (3 rounds)", async () => {
    // No network beforehand: on engines before 25 the racers' network creates can all succeed
    // (moby/moby#20648); the twins must be settled to one, and every run must still exit 0.
    for (let round = 1; round <= 3; round++) {
      const { name, dir } = projectDir(`race${round}`, manyServices(4));
      const runs = await Promise.all([1, 2, 3, 4].map(() => moor(dir, name, ["up", "-d"])));
      const said = runs.map((r, i) => `run ${i + 1} (exit ${r.exitCode}):\n${r.all}`).join("\n");
      for (const r of runs) expectNoCrash(r);
      expect(
        runs.map((r) => r.exitCode),
        said,
      ).toEqual([0, 0, 0, 0]);
      expect(summary(await containers(name)), said).toEqual(expectedSummary(desired(name, 4)));
      const networks = await docker(["network", "ls", "--filter", `label=${projectLabel(name)}`, "--format", "{{.Name}}"]);
      expect(networks.split("\n").filter((l) => l !== ""), said).toEqual([`${name}_default`]);
      // The containers are on that one network, so they reach each other by name.
      await docker(["exec", `${name}-s01-1`, "ping", "-c", "1", "-W", "5", "s04"]);
    }
  });

  it("`up -d` and `down` at the same time end consistent, and the next `up -d` converges", async () => {
    const { name, dir } = projectDir("updown", manyServices(8));
    await moorOk(dir, name, ["up", "-d"]);
    // Change the config so that `up` recreates while `down` removes.
    fs.writeFileSync(path.join(dir, "compose.yaml"), manyServices(8).replaceAll("stop_grace_period: 1s", "stop_grace_period: 2s"));
    const [up, down] = await Promise.all([moor(dir, name, ["up", "-d"]), moor(dir, name, ["down"])]);
    expectNoCrash(up);
    expectNoCrash(down);
    // Whatever the interleaving, never two containers for one service and number.
    const mid = await containers(name);
    const said = `up:\n${up.all}\ndown:\n${down.all}\nleft:\n${summary(mid).join("\n")}`;
    const keys = mid.map((c) => `${c.service}#${c.number}`);
    expect(keys.length, said).toBe(new Set(keys).size);

    const again = await moor(dir, name, ["up", "-d"]);
    expect(again.exitCode, `${said}\nnext up:\n${again.all}`).toBe(0);
    expect(summary(await containers(name)), `${said}\nnext up:\n${again.all}`).toEqual(expectedSummary(desired(name, 8)));
    await moorOk(dir, name, ["down"]);
    expect(await containers(name)).toEqual([]);
  });
});
