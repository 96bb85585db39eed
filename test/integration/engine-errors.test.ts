// Engine refusals through the CLI say what to do next: a host port already allocated names the
// port and how to find its holder; a container name held by a container that is not the
// project's says how to free it. Real engine, real refusals.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-engine-errors-"));
const projects: string[] = [];
/** Containers made with `docker create`, outside any project: removed by name. */
const strays: string[] = [];

afterAll(async () => {
  for (const name of strays) await docker(["rm", "-f", name]).catch(() => undefined);
  if (engine) for (const p of projects) await cleanupProject(engine, p);
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function project(body: string): { name: string; dir: string } {
  const name = uniqueProject("engerr");
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), body);
  return { name, dir };
}

describe.skipIf(!engine)("engine errors say what to do next", () => {
  it("a host port already allocated: exit 1, the port named, and how to find its holder", async () => {
    await requireImages(engine!);
    const port = await freePort();
    const body = `services:\n  web:\n    image: ${TEST_IMAGES.busybox}\n    command: sleep 3600\n    init: true\n    ports: ["${port}:80"]\n`;
    const first = project(body);
    const ok = await runMoor(["-p", first.name, "--progress", "plain", "up", "-d"], { cwd: first.dir });
    expect(ok.exitCode, ok.all).toBe(0);
    const second = project(body);
    const r = await runMoor(["-p", second.name, "--progress", "plain", "up", "-d"], { cwd: second.dir });
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: .*:${port}.*(port is already allocated|address already in use)`));
    expect(r.stderr).toContain(`  hint: host port ${port} is already taken: \`docker ps --filter publish=${port}\` shows a container publishing it`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    // The hint's own command finds the holder.
    expect((await docker(["ps", "--filter", `publish=${port}`, "--format", "{{.Names}}"])).trim()).toBe(`${first.name}-web-1`);
  });

  it("a container name held by a container that is not the project's: exit 1 and how to free the name", async () => {
    const { name, dir } = project(`services:\n  web:\n    image: ${TEST_IMAGES.busybox}\n    command: sleep 3600\n`);
    const squatter = `${name}-web-1`;
    strays.push(squatter);
    await docker(["create", "--name", squatter, "--network", "none", TEST_IMAGES.busybox, "true"]);
    const r = await runMoor(["-p", name, "--progress", "plain", "up", "-d"], { cwd: dir });
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain(`The container name "/${squatter}" is already in use`);
    expect(r.stderr).toMatch(new RegExp(`hint: container [0-9a-f]{12} already has the name ${squatter} .*\`docker rm -f ${squatter}\``));
    // The stranger was not touched.
    expect((await docker(["inspect", "-f", "{{.State.Status}}", squatter])).trim()).toBe("created");
  });
});
