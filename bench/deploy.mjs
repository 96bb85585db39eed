// `moor deploy` against `docker stack deploy`, side by side in one run, on a 20-service stack
// (busybox, dnsrr, one replica each) on the local single-node swarm: the first deploy and a no-op
// redeploy, each waiting for convergence (moor's default; docker's --detach=false) and detached
// (-d), plus the floor: the create calls straight on the Engine API until every task runs.
//
//   npm run build && node bench/deploy.mjs [--runs 2] [--services 20] [--only first-wait,noop-wait,first-detach,noop-detach]
//
// Needs swarm mode (`docker swarm init --advertise-addr 127.0.0.1`). Each run starts from no
// stack (first deploy) or from the tool's own deploy (no-op), made and removed untimed.
import { execFileSync } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { setTimeout } from "node:timers";
import { parseArgs } from "node:util";
import { floorClient } from "./lib/engine-floor.mjs";
import { benchAndPrint, REPO_DIR } from "./lib/harness.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "2" },
    services: { type: "string", default: "20" },
    only: { type: "string" },
    tag: { type: "string" },
  },
});
const runs = Number(args.runs);
const count = Number(args.services);
const only = args.only ? new Set(args.only.split(",")) : undefined;
const want = (/** @type {string} */ g) => !only || only.has(g);
const IMAGE = "moor-test/busybox:latest";
const STACK = `moorbench${process.pid}`;
const NS = "com.docker.stack.namespace";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-bench-deploy-"));
const services = Array.from({ length: count }, (_, i) => `  s${String(i + 1).padStart(2, "0")}:
    image: ${IMAGE}
    command: ["sleep", "86400"]
    init: true
    deploy:
      endpoint_mode: dnsrr
`).join("");
fs.writeFileSync(path.join(dir, "compose.yaml"), `services:\n${services}`);

const moor = [path.join(REPO_DIR, "bin", "moor.js"), "-p", STACK, "deploy", "--resolve-image", "never", "--progress", "quiet"];
const dockerStack = ["docker", "stack", "deploy", "--resolve-image", "never", "--quiet", "-c", "compose.yaml"];
const sh = (/** @type {string[]} */ argv) => execFileSync(argv[0], argv.slice(1), { cwd: dir, stdio: "ignore" });
const out = (/** @type {string[]} */ argv) => execFileSync(argv[0], argv.slice(1), { cwd: dir, encoding: "utf8" });

if (out(["docker", "info", "--format", "{{.Swarm.LocalNodeState}}"]).trim() !== "active") {
  console.error("the engine is not in swarm mode: docker swarm init --advertise-addr 127.0.0.1");
  process.exit(1);
}

/** Removes the stack and waits until its tasks and network are gone (untimed). */
async function removeStack() {
  for (let i = 0; i < 600; i++) {
    // Again every 5 s: `docker stack rm` exits 1 when a network still has endpoints of tasks
    // being shut down (seen once mid-run); a later call removes what is left.
    if (i % 25 === 0) {
      try {
        execFileSync("docker", ["stack", "rm", STACK], { stdio: "ignore" });
      } catch {
        // what stayed is removed by the next call
      }
    }
    const left = out(["docker", "ps", "-aq", "--filter", `label=com.docker.swarm.service.name`, "--filter", `label=${NS}=${STACK}`]).trim();
    const nets = out(["docker", "network", "ls", "-q", "--filter", `label=${NS}=${STACK}`]).trim();
    if (left === "" && nets === "") return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`stack ${STACK} did not go away`);
}

/** Waits until every service of the stack has its task running (untimed setup). */
async function waitRunning() {
  for (let i = 0; i < 1200; i++) {
    const states = out(["docker", "stack", "ps", STACK, "--filter", "desired-state=running", "--format", "{{.CurrentState}}"]).trim().split("\n");
    if (states.length === count && states.every((s) => s.startsWith("Running"))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`stack ${STACK} did not converge`);
}

/** The floor: network, then every service created in parallel, then poll one tasks list until all run. */
async function floorDeploy() {
  const client = floorClient();
  try {
    const label = { [NS]: STACK };
    const net = /** @type {{ Id: string }} */ ((await client.call("POST", "/networks/create", { Name: `${STACK}_default`, Driver: "overlay", Labels: label })).json);
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        client.call("POST", "/services/create", {
          Name: `${STACK}_s${i}`,
          Labels: label,
          TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: ["sleep", "86400"], Init: true, Labels: label }, Networks: [{ Target: net.Id }] },
          Mode: { Replicated: { Replicas: 1 } },
          EndpointSpec: { Mode: "dnsrr" },
        }),
      ),
    );
    const filters = encodeURIComponent(JSON.stringify({ label: [`${NS}=${STACK}`], "desired-state": ["running"] }));
    for (;;) {
      const tasks = /** @type {{ Status: { State: string } }[]} */ ((await client.call("GET", `/tasks?filters=${filters}`)).json);
      if (tasks.length === count && tasks.every((t) => t.Status.State === "running")) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.close();
  }
}

const common = { cwd: dir, teardown: removeStack };
try {
  const groups = [
    {
      name: "first-wait",
      title: `first deploy of ${count} services, waiting for convergence`,
      contenders: [
        { name: "floor", fn: floorDeploy, ...common },
        { name: "moor deploy", command: moor, ...common },
        { name: "docker stack deploy --detach=false", command: [...dockerStack, "--detach=false", STACK], ...common },
      ],
    },
    {
      name: "noop-wait",
      title: `no-op redeploy of ${count} services, waiting for convergence`,
      contenders: [
        { name: "moor deploy", command: moor, setup: () => sh(moor), ...common },
        { name: "docker stack deploy --detach=false", command: [...dockerStack, "--detach=false", STACK], setup: async () => {
            sh([...dockerStack, "-d", STACK]);
            await waitRunning();
          },
          ...common,
        },
      ],
    },
    {
      name: "first-detach",
      title: `first deploy of ${count} services, detached`,
      contenders: [
        { name: "moor deploy -d", command: [...moor, "-d"], ...common },
        { name: "docker stack deploy -d", command: [...dockerStack, "-d", STACK], ...common },
      ],
    },
    {
      name: "noop-detach",
      title: `no-op redeploy of ${count} services, detached`,
      contenders: [
        { name: "moor deploy -d", command: [...moor, "-d"], setup: () => sh(moor), ...common },
        { name: "docker stack deploy -d", command: [...dockerStack, "-d", STACK], setup: async () => {
            sh([...dockerStack, "-d", STACK]);
            await waitRunning();
          },
          ...common,
        },
      ],
    },
  ];
  for (const g of groups) {
    if (!want(g.name)) continue;
    await benchAndPrint({ name: `deploy-${g.name}${args.tag ? `.${args.tag}` : ""}`, title: g.title, contenders: g.contenders, runs, warmup: 0, meta: { services: count } });
  }
} finally {
  await removeStack().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}
