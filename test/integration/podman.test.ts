// moor against Podman's Docker-compatible API (scripts/podman-up.sh starts it on a socket of its
// own). The same project goes up, answers over HTTP and by service name, stays put on a second
// `up`, recreates only what changed, and comes down keeping its named volume, all checked with
// the podman CLI. Without a Podman service this suite skips, except under CI=true.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const SOCK = process.env.MOOR_PODMAN_SOCK ?? "/run/moor-podman.sock";
const HOST = `unix://${SOCK}`;

async function podmanAnswers(): Promise<boolean> {
  const r = await execa("curl", ["-fsS", "--max-time", "3", "--unix-socket", SOCK, "http://podman/_ping"], { reject: false });
  return r.exitCode === 0;
}

const available = await podmanAnswers();
if (!available) {
  if (process.env.CI === "true") throw new Error(`CI=true and no Podman service answers at ${SOCK}: scripts/podman-up.sh should have started it`);
  console.warn(`skipping the Podman tests: nothing answers at ${SOCK} (run scripts/podman-up.sh as root)`);
}

async function podman(args: string[]): Promise<string> {
  const r = await execa("podman", args, { reject: false });
  if (r.exitCode !== 0) throw new Error(`podman ${args.join(" ")}: ${String(r.stderr)}`);
  return String(r.stdout).trim();
}

describe.skipIf(!available)("Podman's Docker-compatible API", () => {
  const project = uniqueProject("podman");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-podman-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const write = (greeting: string) =>
    fs.writeFileSync(
      path.join(dir, "compose.yaml"),
      `services:
  web:
    image: ${TEST_IMAGES.busybox}
    command: ["httpd", "-f", "-p", "8080", "-h", "/srv"]
    environment: {GREETING: "${greeting}"}
    ports: ["${port}:8080"]
    volumes: [site:/srv]
    depends_on: [api]
  api:
    image: ${TEST_IMAGES.busybox}
    command: ["sh", "-c", "hostname > /srv/who && httpd -f -p 8081 -h /srv"]
    volumes: [site:/srv]
volumes:
  site:
`,
    );
  const moor = (args: string[]) => runMoor(["-p", project, ...args], { cwd: dir, env: { DOCKER_HOST: HOST } });
  const ids = async () => {
    const out = await podman(["ps", "-a", "--filter", `label=com.docker.compose.project=${project}`, "--format", "{{.Names}} {{.ID}}"]);
    return Object.fromEntries(out.split("\n").filter((l) => l !== "").map((l) => l.split(" ") as [string, string]));
  };

  beforeAll(() => write("one"));
  afterAll(async () => {
    const label = `label=com.docker.compose.project=${project}`;
    const containers = (await podman(["ps", "-aq", "--filter", label])).split("\n").filter(Boolean);
    if (containers.length > 0) await podman(["rm", "-f", "-v", ...containers]);
    for (const kind of ["network", "volume"]) {
      const names = (await podman([kind, "ls", "-q", "--filter", label])).split("\n").filter(Boolean);
      if (names.length > 0) await podman([kind, "rm", "-f", ...names]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("brings a project up with compose's names and labels, reachable by port and by service name", async () => {
    const up = await moor(["up", "-d"]);
    expect(up.exitCode, up.all).toBe(0);
    expect(Object.keys(await ids()).sort()).toEqual([`${project}-api-1`, `${project}-web-1`]);
    const labels = JSON.parse(await podman(["inspect", `${project}-web-1`, "--format", "{{json .Config.Labels}}"])) as Record<string, string>;
    expect(labels["com.docker.compose.service"]).toBe("web");
    expect(labels["com.docker.compose.container-number"]).toBe("1");
    expect(labels["com.docker.compose.config-hash"]).toMatch(/^[0-9a-f]{64}$/);
    // api wrote its hostname into the shared volume; web serves it on the published port.
    let body = "";
    for (let i = 0; i < 50 && body === ""; i++) {
      const r = await execa("curl", ["-fsS", "--max-time", "2", `http://127.0.0.1:${port}/who`], { reject: false });
      body = r.exitCode === 0 ? String(r.stdout).trim() : "";
      if (body === "") await new Promise((res) => setTimeout(res, 200));
    }
    expect(body).not.toBe("");
    // Service-name DNS on the project network: web asks api by name.
    const viaDns = await podman(["exec", `${project}-web-1`, "wget", "-qO-", "http://api:8081/who"]);
    expect(viaDns).toBe(body);
  });

  it("changes nothing on a second up, and recreates only the service whose environment changed", async () => {
    const before = await ids();
    const plan = await moor(["plan"]);
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.stdout).toContain("nothing to do");
    expect((await moor(["up", "-d"])).exitCode).toBe(0);
    expect(await ids()).toEqual(before);

    write("two");
    const up = await moor(["up", "-d"]);
    expect(up.exitCode, up.all).toBe(0);
    const after = await ids();
    expect(after[`${project}-api-1`]).toBe(before[`${project}-api-1`]);
    expect(after[`${project}-web-1`]).not.toBe(before[`${project}-web-1`]);
    expect(await podman(["exec", `${project}-web-1`, "sh", "-c", "echo $GREETING"])).toBe("two");
  });

  it("down keeps the named volume; down -v removes it", async () => {
    const volume = `${project}_site`;
    expect((await moor(["down"])).exitCode).toBe(0);
    expect(await ids()).toEqual({});
    expect(await podman(["volume", "ls", "-q", "--filter", `name=${volume}`])).toBe(volume);
    expect((await moor(["down", "-v"])).exitCode).toBe(0);
    expect(await podman(["volume", "ls", "-q", "--filter", `name=${volume}`])).toBe("");
  });
});
