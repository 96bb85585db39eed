// What bench/up.mjs and bench/down.mjs share: the generated busybox projects, the contenders
// (moor, docker-compose, the engine floor), per-run setup and teardown, API call counting, and
// the cleanup of every container and network a run made, even when it fails.
//
// Every project this code touches is named `mbench-<run id>-…`, and it only ever removes
// containers and networks whose com.docker.compose.project label starts with `mbench-`.
import { spawn } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { byCategory, startApiProxy } from "./api-proxy.mjs";
import { floorClient, pool, removeProject } from "./engine-floor.mjs";
import { TMP_DIR } from "./gen-compose.mjs";
import { REPO_DIR, toolVersion } from "./harness.mjs";

export const IMAGE = "moor-test/busybox:latest";
export const DC = "docker-compose";
/** The prefix of every project a benchmark here creates; cleanup touches nothing else. */
export const PREFIX = "mbench-";
/** This run's id: projects are `mbench-<RUN_ID>-<group>-<contender>`. */
export const RUN_ID = `${process.pid.toString(36)}_${Date.now().toString(36).slice(-4)}`;

/**
 * Is the run that made this project still going? (Its pid is in the name; a concurrent run of
 * another benchmark here must not lose its containers to our cleanup of leftovers.)
 * @param {string} project
 */
function ownerAlive(project) {
  const m = /^mbench-([0-9a-z]+)_/.exec(project);
  if (!m) return false;
  const pid = Number.parseInt(m[1], 36);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Both tools read COMPOSE_* from the environment; a stray one would change what is measured. */
export const BASE_ENV = /** @type {Record<string, string | undefined>} */ (Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COMPOSE_"))));

/**
 * docker-compose 1.29 deadlocks on `up` of more services than COMPOSE_PARALLEL_LIMIT (default
 * 64): each service's task holds a slot while it waits for a nested task that needs another
 * (docker/compose#5864, #7486; seen here: 24 of 100 containers made, then every thread asleep
 * for 10 minutes). The workaround users are given is a limit above the number of services, so
 * docker-compose runs with one. moor keeps its own default.
 */
export const DC_ENV = { ...BASE_ENV, COMPOSE_PARALLEL_LIMIT: "1024" };

/**
 * The environment a tool's argv runs with.
 * @param {string[]} argv
 */
export const envFor = (argv) => (argv[0] === "docker-compose" ? DC_ENV : BASE_ENV);

/**
 * moor as users run it (the `moor` command: bin/moor.js through its `#!/bin/sh` line, over dist/), or a private snapshot built with
 * bench/lib/snapshot-build.mjs (copy it aside: .bench-tmp/build is shared with bench/config.mjs).
 * @param {string | undefined} root
 */
export function moorPaths(root) {
  const MOOR_ROOT = path.resolve(REPO_DIR, root ?? ".");
  const info = path.join(MOOR_ROOT, "BUILD-INFO.json");
  return {
    root: MOOR_ROOT,
    bin: path.join(MOOR_ROOT, "bin/moor.js"),
    build: fs.existsSync(info) ? JSON.parse(fs.readFileSync(info, "utf8")) : "dist/ as built in the work tree",
  };
}

/**
 * The compose file: N services, busybox running `sleep 3600`, never pulled; with `chains`, the
 * services form that many `depends_on` chains (short form), each service depending on the one
 * before it in its chain. docker-compose 1.29 accepts `pull_policy: never` (checked).
 * @param {{ services: number, chains?: number }} o
 */
export function busyboxCompose({ services, chains }) {
  const per = chains ? Math.ceil(services / chains) : services;
  const name = (/** @type {number} */ i) => `s${String(i).padStart(3, "0")}`;
  const L = ["services:"];
  for (let i = 0; i < services; i++) {
    L.push(`  ${name(i)}:`, `    image: ${IMAGE}`, "    command: sleep 3600", "    pull_policy: never");
    if (chains && i % per !== 0) L.push("    depends_on:", `      - ${name(i - 1)}`);
  }
  const names = Array.from({ length: services }, (_, i) => name(i));
  /** @type {string[][]} */
  const chainList = [];
  if (chains) for (let i = 0; i < services; i += per) chainList.push(names.slice(i, i + per));
  return { text: `${L.join("\n")}\n`, names, chains: chains ? chainList : undefined };
}

/**
 * Writes a generated compose file to .bench-tmp/engine/<label>/compose.yaml.
 * @param {string} label
 * @param {{ services: number, chains?: number }} o
 */
export function writeBusyboxProject(label, o) {
  const dir = path.join(TMP_DIR, "engine", label);
  fs.mkdirSync(dir, { recursive: true });
  const g = busyboxCompose(o);
  const file = path.join(dir, "compose.yaml");
  fs.writeFileSync(file, g.text);
  return { dir, file, ...g };
}

/** Projects this process made (cleanup removes them all, whatever happened). */
const made = new Set();

/**
 * A project name for one group and contender (lower case: docker-compose 1.29 would lower it).
 * @param {string} group
 * @param {string} who
 */
export function projectName(group, who) {
  const name = `${PREFIX}${RUN_ID}-${group}-${who}`.toLowerCase().replace(/[^a-z0-9_-]/g, "");
  made.add(name);
  return name;
}

/** One client for setup, teardown and cleanup (never timed). */
export const admin = floorClient({ maxSockets: 16 });

/**
 * Removes a project's containers and networks (untimed setup/teardown).
 * @param {string} project
 */
export const clean = (project) => removeProject(admin, project, 16);

/**
 * Removes every project named mbench-… on the engine: this run's and any left by an earlier
 * run that was killed before it could clean up (not those of another run still going).
 * Touches nothing without the prefix.
 * @returns {Promise<string[]>} the projects removed
 */
export async function cleanupAll() {
  const filters = encodeURIComponent(JSON.stringify({ label: ["com.docker.compose.project"] }));
  const { json: cs } = await admin.call("GET", `/containers/json?all=true&filters=${filters}`);
  const { json: ns } = await admin.call("GET", `/networks?filters=${filters}`);
  const projects = new Set(made);
  for (const x of [.../** @type {{ Labels: Record<string, string> | null }[]} */ (cs), .../** @type {{ Labels: Record<string, string> | null }[]} */ (ns)]) {
    const p = x.Labels?.["com.docker.compose.project"];
    if (p?.startsWith(PREFIX) && !ownerAlive(p)) projects.add(p);
  }
  await pool([...projects], 2, clean);
  return [...projects];
}

let cleanupInstalled = false;
/**
 * Cleans up on SIGINT/SIGTERM and after the main function, even when it throws.
 * @param {() => Promise<void>} main
 */
export async function withCleanup(main) {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
      process.once(sig, () => {
        console.error(`\n${sig}: removing the benchmark's containers and networks…`);
        cleanupAll().finally(() => process.exit(130));
      });
    }
  }
  const leftover = await cleanupAll();
  if (leftover.length > 0) console.error(`removed leftovers of an earlier run: ${leftover.join(", ")}`);
  try {
    await main();
  } finally {
    const removed = await cleanupAll();
    const { json } = await admin.call("GET", `/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify({ label: ["com.docker.compose.project"] }))}`);
    const left = /** @type {{ Labels: Record<string, string> }[]} */ (json).filter((c) => c.Labels["com.docker.compose.project"]?.startsWith(`${PREFIX}${RUN_ID}`));
    console.error(`cleanup: ${removed.length} project(s) removed; ${left.length} benchmark container(s) left`);
    admin.close();
  }
}

/**
 * Runs a command asynchronously (so an in-process proxy can answer it); rejects when it fails.
 * @param {string[]} argv
 * @param {{ env?: Record<string, string | undefined>, cwd?: string }} [o]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function run(argv, o = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: o.cwd ?? REPO_DIR, env: o.env ?? envFor(argv), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${argv.join(" ")} exited ${code}: ${stderr.trim().slice(-1500)}`))));
  });
}

/**
 * The argv of a compose command for either tool.
 * @param {"moor" | "docker-compose"} tool
 * @param {string} moorBin
 * @param {string} file
 * @param {string} project
 * @param {string[]} args  e.g. ["up", "-d"]
 * @param {string[]} [globalArgs]  before the command, e.g. ["--parallel", "8"] (moor only)
 */
export function toolArgv(tool, moorBin, file, project, args, globalArgs = []) {
  return tool === "moor" ? [moorBin, "-f", file, "-p", project, ...globalArgs, ...args] : [DC, "-f", file, "-p", project, ...globalArgs, ...args];
}

/**
 * How many of a project's containers run.
 * @param {string} project
 */
export async function running(project) {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`], status: ["running"] }));
  const { json } = await admin.call("GET", `/containers/json?filters=${filters}`);
  return /** @type {unknown[]} */ (json).length;
}

/**
 * Counts one run's Engine API calls through the counting proxy (untimed). `before` brings the
 * project to the state the measured command starts from, `after` cleans up.
 * @param {{ argv: string[], before?: () => Promise<unknown>, after?: () => Promise<unknown> }} o
 */
export async function countCalls(o) {
  const proxy = await startApiProxy();
  try {
    await o.before?.();
    proxy.reset();
    await run(o.argv, { env: { ...envFor(o.argv), DOCKER_HOST: proxy.dockerHost } });
    const counts = proxy.counts();
    return { total: proxy.total(), byCategory: byCategory(counts), byOperation: counts };
  } finally {
    await proxy.close();
    await o.after?.();
  }
}

/** Tool versions for the results. */
export function versions(/** @type {string} */ moorBin) {
  return {
    node: process.version,
    "docker-compose": toolVersion([DC, "version", "--short"]),
    moor: toolVersion([process.execPath, moorBin, "--version"]),
    engine: toolVersion(["docker", "version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})"]),
  };
}

/**
 * The command line both engine benchmarks (up.mjs, down.mjs) take, and what follows from it.
 * `--only a,b` picks groups, `--tag t` suffixes result names, `--moor-root` a snapshot build.
 */
export function engineBenchOptions() {
  const { values: args } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      warmup: { type: "string", default: "0" },
      "sweep-runs": { type: "string", default: "2" },
      only: { type: "string" },
      "floor-concurrency": { type: "string" },
      "moor-root": { type: "string" },
      tag: { type: "string" },
    },
  });
  const only = args.only ? new Set(args.only.split(",")) : undefined;
  const moor = moorPaths(args["moor-root"]);
  return {
    args,
    runs: Number(args.runs),
    warmup: Number(args.warmup),
    sweepRuns: Number(args["sweep-runs"]),
    want: (/** @type {string} */ group) => !only || only.has(group),
    out: (/** @type {string} */ name) => (args.tag ? `${name}.${args.tag}` : name),
    moor,
    meta: { versions: { ...versions(moor.bin), moorRoot: path.relative(process.cwd(), moor.root) || ".", moorBuild: moor.build } },
    CONCURRENCIES: [1, 4, 8, 16, 32],
  };
}
