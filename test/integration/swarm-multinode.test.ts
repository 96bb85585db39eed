// `moor deploy` on a three-node swarm made on this one machine by scripts/swarm-multinode.sh:
// three dockerd in their own network namespaces on one bridge, one manager and two workers (see
// docs/swarm.md). Placement by hostname and by node label, a global service on every node, and
// overlay traffic from a task on one node to a task on another. The machine's own engine and its
// swarm are not touched. The cluster is made before the tests and removed after them, whatever
// happened. Without its prerequisites (root, iproute2, util-linux, dockerd), or when the script
// cannot make the cluster, the suite is skipped with the reason; with CI=true it fails instead,
// so CI cannot pass by skipping.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { expectOk, repoRoot, requireEngine, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const SCRIPT = path.join(repoRoot, "scripts", "swarm-multinode.sh");
// Short: interface names are at most 15 characters (`${PREFIX}h1`, `${PREFIX}br`).
const PREFIX = `mw${process.pid % 100000}`;
const NET = `10.213.${process.pid % 250}`;
const RUN = `/run/${PREFIX}`;
const scriptEnv = { MOOR_MULTINODE_PREFIX: PREFIX, MOOR_MULTINODE_NET: NET, MOOR_MULTINODE_IMAGES: TEST_IMAGES.busybox };

/** Why the cluster cannot be made here, or undefined when it can be tried. */
async function missingPrerequisite(): Promise<string | undefined> {
  if (!engine) return "no engine";
  if (process.getuid?.() !== 0) return "not root (network namespaces, a bridge and dockerd need root)";
  for (const tool of ["ip", "dockerd", "nsenter", "unshare"]) {
    const r = await execa("sh", ["-c", `command -v ${tool}`], { reject: false });
    if (r.exitCode !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

/** Makes the cluster; on failure says why (the script cleans up after itself). */
async function startCluster(): Promise<string | undefined> {
  const r = await execa(SCRIPT, ["up", "3"], { env: scriptEnv, reject: false, timeout: 180_000 });
  return r.exitCode === 0 ? undefined : `scripts/swarm-multinode.sh up failed (exit ${r.exitCode}): ${String(r.stderr).split("\n").slice(-5).join(" / ")}`;
}

// Prerequisites are checked here; the cluster is made in beforeAll, so a run that selects none of
// these tests makes none. When making it fails, the tests skip with the reason (CI: they fail).
const missing = await missingPrerequisite();
if (missing && process.env.CI === "true") throw new Error(`CI=true and the multi-node swarm cannot be made, so its tests cannot run: ${missing}`);
if (missing) console.warn(`skipping the multi-node swarm tests: ${missing}`);
let unavailable: string | undefined;

const node = (i: number) => `${PREFIX}-n${i}`;
async function onNode(i: number, args: string[]): Promise<string> {
  const r = await execa("docker", ["-H", `unix://${RUN}/n${i}.sock`, ...args], { reject: false });
  if (r.exitCode !== 0) throw new Error(`docker on node ${i} ${args.join(" ")}: ${String(r.stderr)}`);
  return String(r.stdout);
}

describe.skipIf(missing !== undefined)("moor deploy on a three-node swarm (one machine, three network namespaces)", () => {
  const stack = uniqueProject("swarm-mn");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-mn-"));
  const env = { DOCKER_HOST: `unix://${RUN}/n1.sock` };
  const moor = (args: string[]) => runMoor(["-p", stack, ...args], { cwd: dir, env, timeoutMs: 300_000 });
  const deployArgs = ["deploy", "--resolve-image", "never", "--progress", "plain"];

  beforeAll(async () => {
    unavailable = await startCluster();
    if (unavailable && process.env.CI === "true") throw new Error(`CI=true and the multi-node swarm cannot be made: ${unavailable}`);
    if (unavailable) console.warn(`skipping the multi-node swarm tests: ${unavailable}`);
    fs.writeFileSync(
      path.join(dir, "compose.yaml"),
      `services:
  web:
    image: ${TEST_IMAGES.busybox}
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
    networks: [back]
    deploy:
      endpoint_mode: dnsrr
      placement:
        constraints: [node.hostname == ${node(2)}]
  client:
    image: ${TEST_IMAGES.busybox}
    command: ["sleep", "86400"]
    networks: [back]
    deploy:
      endpoint_mode: dnsrr
      placement:
        constraints: [node.labels.zone == n3]
  agent:
    image: ${TEST_IMAGES.busybox}
    command: ["sleep", "86400"]
    deploy:
      mode: global
      endpoint_mode: dnsrr
networks:
  back: {}
`,
    );
  }, 200_000);

  beforeEach((ctx) => {
    if (unavailable) ctx.skip();
  });

  afterAll(async () => {
    // The whole cluster goes, with every task of the stack in it.
    await execa(SCRIPT, ["down"], { env: scriptEnv, reject: false, timeout: 180_000 });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 200_000);

  test("the nodes joined one swarm, each with its hostname and zone label", async () => {
    const nodes = await onNode(1, ["node", "ls", "--format", "{{.Hostname}} {{.Status}}"]);
    expect(nodes.split("\n").sort()).toEqual([`${node(1)} Ready`, `${node(2)} Ready`, `${node(3)} Ready`]);
  });

  test("placement by hostname and by label, and a global service on every node", async () => {
    expectOk(await moor(deployArgs), deployArgs);
    const ps = expectOk(await moor(["stack", "ps", "-f", "desired-state=running", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}"]), ["stack", "ps"]);
    const rows = ps.stdout.trim().split("\n").map((l) => l.split(" ").slice(0, 3).join(" "));
    const agents = rows.filter((r) => r.startsWith(`${stack}_agent.`));
    expect(agents.map((r) => r.split(" ")[1]).sort()).toEqual([node(1), node(2), node(3)]);
    expect(agents.every((r) => r.endsWith(" Running"))).toBe(true);
    expect(rows.filter((r) => !r.startsWith(`${stack}_agent.`)).sort()).toEqual([`${stack}_client.1 ${node(3)} Running`, `${stack}_web.1 ${node(2)} Running`]);
    const services = expectOk(await moor(["stack", "services", "--format", "{{.Name}} {{.Mode}} {{.Replicas}}"]), ["stack", "services"]);
    expect(services.stdout.trim().split("\n")).toEqual([`${stack}_agent global 3/3`, `${stack}_client replicated 1/1`, `${stack}_web replicated 1/1`]);
  }, 300_000);

  test("a task on one node reaches a task on another over the overlay network, by service name", async () => {
    const web = (await onNode(2, ["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${stack}_web`])).trim();
    const client = (await onNode(3, ["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${stack}_client`])).trim();
    expect(web).toMatch(/^[0-9a-f]{12}$/);
    expect(client).toMatch(/^[0-9a-f]{12}$/);
    // busybox's nc: its wget crashes in these nodes' containers.
    const reply = await onNode(3, ["exec", client, "sh", "-c", 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 10 web 8080']);
    expect(reply).toContain("200 OK");
    expect(reply.trim().split("\n").pop()).toBe(web);
  }, 120_000);

  test("a worker node is not a manager: moor deploy and moor stack ps say so, in docker's words", async () => {
    const worker = { DOCKER_HOST: `unix://${RUN}/n2.sock` };
    for (const args of [deployArgs, ["stack", "ps", stack]]) {
      const r = await runMoor(["-p", stack, ...args], { cwd: dir, env: worker });
      expect(r.exitCode, args.join(" ")).toBe(1);
      expect(r.stderr).toContain("this node is not a swarm manager");
      expect(r.stderr).not.toContain("    at ");
    }
  });

  test("a redeploy with no change is a no-op on the cluster too", async () => {
    const dry = expectOk(await moor([...deployArgs, "--dry-run"]), deployArgs);
    expect(dry.stdout).toBe(`stack ${stack}: nothing to do\n`);
  });
});
