// `moor down` through the built CLI on tiny busybox projects: reverse dependency order, named
// volumes kept without -v and removed with it, orphans, `-p NAME down` with no compose file, and
// never touching a look-alike project or unlabelled resources.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, projectLabel, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult, docker, expectOk } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-down-test-"));
const projects: string[] = [];
/** Unlabelled resources a test made by hand: removed by name in afterAll. */
const handMade: { containers: string[]; networks: string[]; volumes: string[] } = { containers: [], networks: [], volumes: [] };
const BOX = TEST_IMAGES.busybox;
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

function projectDir(compose: string, name = uniqueProject("down")): { name: string; dir: string } {
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
  return { name, dir };
}

async function moor(dir: string, args: string[]): Promise<MoorResult> {
  return runMoor(args, { cwd: dir });
}

async function moorOk(dir: string, args: string[]): Promise<MoorResult> {
  return expectOk(await moor(dir, args), args);
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "").sort();
const byLabel = async (kind: "ps -a" | "network ls" | "volume ls", name: string, format: string) =>
  lines(await docker([...kind.split(" "), "--filter", `label=${projectLabel(name)}`, "--format", format]));

const threeTier = (extra = "") => `
services:
  db:
    image: ${BOX}
    command: ${SERVE}
    volumes: [data:/data]
  api:
    image: ${BOX}
    command: ${SERVE}
    depends_on: [db]
  web:
    image: ${BOX}
    command: ${SERVE}
    depends_on: [api]
${extra}
volumes:
  data:
`;

describe.skipIf(!engine)("moor down on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    for (const c of handMade.containers) await execa("docker", ["rm", "-f", c], { reject: false });
    for (const n of handMade.networks) await execa("docker", ["network", "rm", n], { reject: false });
    for (const v of handMade.volumes) await execa("docker", ["volume", "rm", "-f", v], { reject: false });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("stops dependants first, removes containers and networks, and keeps named volumes without -v", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const down = await moorOk(dir, ["-p", name, "down"]);
    const at = (what: string) => down.stderr.indexOf(what);
    for (const s of ["web", "api", "db"]) expect(at(`Container ${name}-${s}-1  Removed`)).toBeGreaterThan(-1);
    // Reverse dependency order: web stops before api, api before db.
    expect(at(`Container ${name}-web-1  Stopped`)).toBeLessThan(at(`Container ${name}-api-1  Stopping`));
    expect(at(`Container ${name}-api-1  Stopped`)).toBeLessThan(at(`Container ${name}-db-1  Stopping`));
    expect(at(`Network ${name}_default  Removed`)).toBeGreaterThan(at(`Container ${name}-db-1  Removed`));
    expect(await byLabel("ps -a", name, "{{.Names}}")).toEqual([]);
    expect(await byLabel("network ls", name, "{{.Name}}")).toEqual([]);
    expect(await byLabel("volume ls", name, "{{.Name}}")).toEqual([`${name}_data`]);

    await moorOk(dir, ["-p", name, "up", "-d"]);
    const downV = await moorOk(dir, ["-p", name, "down", "-v"]);
    expect(downV.stderr).toContain(`Volume ${name}_data  Removed`);
    expect(await byLabel("volume ls", name, "{{.Name}}")).toEqual([]);
  });

  it("-p NAME down works from labels alone, without a compose file, in dependency order", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const empty = fs.mkdtempSync(path.join(scratch, "empty-"));
    const down = await moorOk(empty, ["-p", name, "down", "-v"]);
    const at = (what: string) => down.stderr.indexOf(what);
    expect(at(`Container ${name}-web-1  Stopped`)).toBeLessThan(at(`Container ${name}-api-1  Stopping`));
    expect(at(`Container ${name}-api-1  Stopped`)).toBeLessThan(at(`Container ${name}-db-1  Stopping`));
    expect(await byLabel("ps -a", name, "{{.Names}}")).toEqual([]);
    expect(await byLabel("network ls", name, "{{.Name}}")).toEqual([]);
    expect(await byLabel("volume ls", name, "{{.Name}}")).toEqual([]);
  });

  it("never touches a look-alike project NAME2 or unlabelled resources named like the project's", async () => {
    const { name, dir } = projectDir(threeTier());
    const twin = projectDir(threeTier(), `${name}2`);
    await moorOk(dir, ["-p", name, "up", "-d"]);
    await moorOk(twin.dir, ["-p", twin.name, "up", "-d"]);
    // Unlabelled look-alikes of what `down -v` removes.
    const strayNet = `${name}_stray`;
    const strayVol = `${name}_stray`;
    const strayBox = `${name}-stray-1`;
    handMade.networks.push(strayNet);
    handMade.volumes.push(strayVol);
    handMade.containers.push(strayBox);
    await docker(["network", "create", strayNet]);
    await docker(["volume", "create", strayVol]);
    await docker(["create", "--name", strayBox, BOX, "true"]);

    await moorOk(dir, ["-p", name, "down", "-v"]);
    expect(await byLabel("ps -a", name, "{{.Names}}")).toEqual([]);
    expect(await byLabel("ps -a", twin.name, "{{.Names}} {{.State}}")).toEqual(["api", "db", "web"].map((s) => `${twin.name}-${s}-1 running`));
    expect(await byLabel("volume ls", twin.name, "{{.Name}}")).toEqual([`${twin.name}_data`]);
    expect(await byLabel("network ls", twin.name, "{{.Name}}")).toEqual([`${twin.name}_default`]);
    expect((await docker(["network", "inspect", "--format", "{{.Name}}", strayNet])).trim()).toBe(strayNet);
    expect((await docker(["volume", "inspect", "--format", "{{.Name}}", strayVol])).trim()).toBe(strayVol);
    expect((await docker(["inspect", "--format", "{{.Name}}", strayBox])).trim()).toBe(`/${strayBox}`);
  });

  it("warns about orphans and removes them with --remove-orphans", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    const other = path.join(dir, "smaller");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "compose.yaml"), `services:\n  db:\n    image: ${BOX}\n    command: ${SERVE}\n`);
    const warned = await moorOk(other, ["-p", name, "down"]);
    expect(warned.stderr).toMatch(new RegExp(`WARN.*orphan.*${name}-(api|web)-1.*--remove-orphans`, "i"));
    expect(await byLabel("ps -a", name, "{{.Names}}")).toEqual([`${name}-api-1`, `${name}-web-1`]);
    await moorOk(other, ["-p", name, "down", "--remove-orphans"]);
    expect(await byLabel("ps -a", name, "{{.Names}}")).toEqual([]);
  });

  it("reports a network still in use by another container and goes on, exit 0", async () => {
    const { name, dir } = projectDir(threeTier());
    await moorOk(dir, ["-p", name, "up", "-d"]);
    // A container outside the project on the project's network keeps it in use.
    const squatter = `${name}-squatter`;
    handMade.containers.push(squatter);
    await docker(["run", "-d", "--name", squatter, "--network", `${name}_default`, BOX, "sleep", "300"]);
    const down = await moor(dir, ["-p", name, "down", "-t", "1"]);
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toMatch(new RegExp(`${name}_default.*in use`));
    expect(await byLabel("ps -a", name, "{{.Names}}")).toEqual([]);
    await docker(["rm", "-f", squatter]);
    await moorOk(dir, ["-p", name, "down"]);
    expect(await byLabel("network ls", name, "{{.Name}}")).toEqual([]);
  });

  it("with nothing to remove, says so and exits 0", async () => {
    const { name, dir } = projectDir(threeTier());
    const down = await moorOk(dir, ["-p", name, "down"]);
    expect(down.stderr).not.toContain("Removed");
  });

  it("with nothing to remove, warns in compose's words", async () => {
    const { name, dir } = projectDir(threeTier());
    const down = await moorOk(dir, ["-p", name, "down"]);
    expect(down.stderr).toContain(`Warning: No resource found to remove for project "${name}".`);
  });
});
