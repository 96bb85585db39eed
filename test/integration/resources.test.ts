// Networks and volumes across runs of `up`: what is recreated when their configuration changes,
// what is refused, and what data survives a container's recreate. Each test owns one project,
// written to a temp dir and brought up with the built CLI (run `npm run build` first); teardown is
// by the project label only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cleanupProject, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
if (engine) await requireImages(engine);

const BUSYBOX = TEST_IMAGES.busybox;
const tmpDirs: string[] = [];
const projects: string[] = [];

/* eslint-disable @typescript-eslint/no-explicit-any -- docker inspect's JSON is read as it comes */
type Inspect = any;

function newProject(prefix: string): { project: string; dir: string; write: (yaml: string) => void; up: (...args: string[]) => Promise<MoorResult> } {
  const project = uniqueProject(prefix);
  projects.push(project);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-res-"));
  tmpDirs.push(dir);
  return {
    project,
    dir,
    write: (yaml) => fs.writeFileSync(path.join(dir, "compose.yaml"), yaml),
    up: (...args) => runMoor(["-p", project, "up", "-d", ...args], { cwd: dir }),
  };
}

async function inspect(kind: "container" | "network" | "volume", name: string): Promise<Inspect> {
  const { stdout } = await execa("docker", [kind, "inspect", name]);
  return (JSON.parse(stdout) as Inspect[])[0];
}

async function sh(container: string, script: string): Promise<string> {
  const { stdout } = await execa("docker", ["exec", container, "sh", "-c", script]);
  return stdout.trim();
}

/** Everything that carries the project's label, by kind. */
async function labelled(project: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const filter = ["--filter", `label=com.docker.compose.project=${project}`];
  const list = async (args: string[]) => (await execa("docker", [...args, ...filter])).stdout.split("\n").filter((l) => l !== "");
  return {
    containers: await list(["ps", "-a", "--format", "{{.Names}}"]),
    networks: await list(["network", "ls", "--format", "{{.Name}}"]),
    volumes: await list(["volume", "ls", "--format", "{{.Name}}"]),
  };
}

function expectOk(r: MoorResult): void {
  if (r.exitCode !== 0) throw new Error(`moor exited ${r.exitCode}:\n${r.all}`);
}

afterEach(async () => {
  if (engine) for (const p of projects.splice(0)) await cleanupProject(engine, p);
});
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const service = (extra = "") => `
services:
  app:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    stop_grace_period: 1s${extra}
`;

describe.skipIf(!engine)("networks", () => {
  it("a network whose configuration changed is recreated and its containers reconnected, running", async () => {
    const p = newProject("res-netchange");
    const file = (icc: string) => `${service(`
    networks: [net]`)}
networks:
  net:
    driver_opts: {com.docker.network.bridge.enable_icc: "${icc}"}
    labels: {generation: "${icc}"}
`;
    p.write(file("true"));
    expectOk(await p.up());
    const before = await inspect("network", `${p.project}_net`);
    const containerBefore = await inspect("container", `${p.project}-app-1`);

    p.write(file("false"));
    const r = await p.up();
    expectOk(r);
    const after = await inspect("network", `${p.project}_net`);
    expect(after.Id).not.toBe(before.Id);
    expect(after.Options).toMatchObject({ "com.docker.network.bridge.enable_icc": "false" });
    expect(after.Labels).toMatchObject({ generation: "false", "com.docker.compose.network": "net" });

    const c = await inspect("container", `${p.project}-app-1`);
    expect(c.State.Running).toBe(true);
    // Reconnected to the new network, under the aliases compose gives.
    expect(c.NetworkSettings.Networks[`${p.project}_net`]?.NetworkID).toBe(after.Id);
    expect(c.NetworkSettings.Networks[`${p.project}_net`]?.Aliases).toEqual(expect.arrayContaining([`${p.project}-app-1`, "app"]));
    // The container itself was not the change: moor keeps it (docs/planner.md, Networks).
    expect(c.Id).toBe(containerBefore.Id);
  });

  it("an external network that does not exist: a clear error, and nothing is created", async () => {
    const p = newProject("res-extnet");
    p.write(`${service(`
    networks: [outside]`)}
networks:
  outside:
    external: true
    name: ${p.project}-missing-net
volumes:
  data:
`);
    const r = await p.up();
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(new RegExp(`${p.project}-missing-net`));
    expect(r.all).toMatch(/external/);
    expect(r.all).not.toMatch(/moor hit a bug/);
    expect(await labelled(p.project)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});

describe.skipIf(!engine)("volumes", () => {
  it("an external volume that does not exist: a clear error, and nothing is created", async () => {
    const p = newProject("res-extvol");
    p.write(`${service(`
    volumes: [outside:/data, mine:/mine]`)}
volumes:
  outside:
    external: true
    name: ${p.project}-missing-vol
  mine:
`);
    const r = await p.up();
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(new RegExp(`${p.project}-missing-vol`));
    expect(r.all).toMatch(/external/);
    expect(r.all).not.toMatch(/moor hit a bug/);
    expect(await labelled(p.project)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it("a changed volume configuration is destructive: refused without a terminal or -y, done with -y", async () => {
    const p = newProject("res-volchange");
    const file = (gen: string) => `${service(`
    volumes: [data:/data]`)}
volumes:
  data:
    labels: {generation: "${gen}"}
`;
    p.write(file("1"));
    expectOk(await p.up());
    await sh(`${p.project}-app-1`, "echo kept > /data/file");
    const volBefore = await inspect("volume", `${p.project}_data`);
    const cBefore = await inspect("container", `${p.project}-app-1`);

    p.write(file("2"));
    const refused = await p.up();
    expect(refused.exitCode).not.toBe(0);
    expect(refused.all).toMatch(/DESTRUCTIVE|lose data/i);
    expect(refused.all).toMatch(/-y/);
    expect(refused.all).not.toMatch(/moor hit a bug/);
    // Refused means untouched: same volume, same container, the data still there.
    expect((await inspect("volume", `${p.project}_data`)).Labels).toMatchObject({ generation: "1" });
    expect((await inspect("container", `${p.project}-app-1`)).Id).toBe(cBefore.Id);
    expect(await sh(`${p.project}-app-1`, "cat /data/file")).toBe("kept");

    expectOk(await p.up("-y"));
    const volAfter = await inspect("volume", `${p.project}_data`);
    expect(volAfter.Labels).toMatchObject({ generation: "2" });
    expect(volAfter.CreatedAt >= volBefore.CreatedAt).toBe(true);
    const cAfter = await inspect("container", `${p.project}-app-1`);
    expect(cAfter.Id).not.toBe(cBefore.Id);
    expect(cAfter.State.Running).toBe(true);
    expect(await sh(`${p.project}-app-1`, "ls /data")).toBe("");
  });

  it("named volumes survive a recreate; anonymous volumes are carried over, and renewed with -V", async () => {
    const p = newProject("res-volkeep");
    const file = (gen: string) => `${service(`
    environment: {GEN: "${gen}"}
    volumes: [data:/named, /anon]`)}
volumes:
  data:
`;
    const name = `${p.project}-app-1`;
    const anonOf = (c: Inspect): string => (c.Mounts as Inspect[]).find((m) => m.Destination === "/anon")?.Name;
    p.write(file("1"));
    expectOk(await p.up());
    await sh(name, "echo named > /named/f; echo anon > /anon/f");
    const first = await inspect("container", name);

    p.write(file("2"));
    expectOk(await p.up());
    const second = await inspect("container", name);
    expect(second.Id).not.toBe(first.Id);
    expect(second.Config.Env).toContain("GEN=2");
    // compose v5 names the replaced container by service and number.
    expect(second.Config.Labels["com.docker.compose.replace"]).toBe("app-1");
    expect(anonOf(second)).toBe(anonOf(first));
    expect(await sh(name, "cat /named/f /anon/f")).toBe("named\nanon");

    p.write(file("3"));
    expectOk(await p.up("-V"));
    const third = await inspect("container", name);
    expect(third.Id).not.toBe(second.Id);
    expect(anonOf(third)).not.toBe(anonOf(second));
    expect(await sh(name, "cat /named/f; ls /anon")).toBe("named");
    // The renewed anonymous volume stays behind, as compose leaves it; this test created it, so it removes it.
    await execa("docker", ["volume", "rm", anonOf(second)]);
  });
});
