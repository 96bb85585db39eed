// Load: a 200-service project through `up -d`, a no-op `up -d`, `ps`, `ps --format json`,
// `logs -f` (followed for a few seconds while every container prints), 20 `ps` at once against
// the busy engine, and `down`. Every step must succeed and leave what it should; each reports its
// wall time and the moor process's peak RSS. See docs/performance.md, "200-service load", and
// docs/reliability.md.
//
//   npm run build && node bench/load200.mjs [--services 200] [--follow-seconds 5] [--parallel 20]
//       [--moor-root DIR] [--tag T]
//
// Peak RSS is GNU time's maximum resident set size (`/usr/bin/time -f %M`), exact, for every
// step but `logs -f`: GNU time ignores SIGINT while it waits, so the follower is run directly and
// its peak read from /proc/<pid>/status (VmHWM, the kernel's own high-water mark) every 100 ms up
// to the Ctrl-C. This is a load check, not a race: one run per step, no docker-compose contender.
import { spawn } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { performance } from "node:perf_hooks";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { parseArgs } from "node:util";
import { admin, IMAGE, moorPaths, projectName, run, versions, withCleanup } from "./lib/engine-bench.mjs";
import { machineInfo, writeResult } from "./lib/harness.mjs";
import { TMP_DIR } from "./lib/gen-compose.mjs";

const { values: args } = parseArgs({
  options: {
    services: { type: "string", default: "200" },
    "follow-seconds": { type: "string", default: "5" },
    parallel: { type: "string", default: "20" },
    "moor-root": { type: "string" },
    tag: { type: "string" },
  },
});
const SERVICES = Number(args.services);
const FOLLOW_S = Number(args["follow-seconds"]);
const PARALLEL = Number(args.parallel);
const moor = moorPaths(args["moor-root"]);
const TIME = "/usr/bin/time";
if (!fs.existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed for peak RSS: apt-get install time`);

/** services s000…: each prints a numbered line a second, and stops at once on SIGTERM. */
function compose() {
  const L = ["services:"];
  for (let i = 0; i < SERVICES; i++) {
    L.push(
      `  s${String(i).padStart(3, "0")}:`,
      `    image: ${IMAGE}`,
      `    command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do echo line $$i; i=$$((i+1)); sleep 1; done"]`,
      "    pull_policy: never",
      "    stop_grace_period: 1s",
    );
  }
  return `${L.join("\n")}\n`;
}

/**
 * One moor command under GNU time: its wall seconds and peak RSS; rejects when it fails.
 * @param {string[]} moorArgs
 */
async function timed(moorArgs) {
  const report = path.join(TMP_DIR, `load200-time-${process.pid}.txt`);
  const started = performance.now();
  const { stdout, stderr } = await run([TIME, "-f", "%M", "-o", report, moor.bin, ...moorArgs]);
  const ms = performance.now() - started;
  const kb = Number(fs.readFileSync(report, "utf8").trim().split("\n").pop());
  return { ms, rssMB: kb / 1024, stdout, stderr };
}

/** @param {number} pid */
function hwmKB(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * `logs -f` for a while, then Ctrl-C: lines seen, whether it exited cleanly, its peak RSS.
 * @param {string[]} base
 */
function follow(base) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(moor.bin, [...base, "logs", "-f", "--tail", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    let stderr = "";
    let peak = 0;
    child.stdout.on("data", (b) => (lines += String(b).split("\n").length - 1));
    child.stderr.on("data", (b) => (stderr += b));
    const poll = setInterval(() => (peak = Math.max(peak, hwmKB(/** @type {number} */ (child.pid)))), 100);
    const stop = setTimeout(() => {
      peak = Math.max(peak, hwmKB(/** @type {number} */ (child.pid)));
      child.kill("SIGINT");
    }, FOLLOW_S * 1000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearInterval(poll);
      clearTimeout(stop);
      if (code !== 0 && code !== 130) reject(new Error(`logs -f exited ${code ?? signal}: ${stderr.slice(-1500)}`));
      else resolve({ ms: performance.now() - started, rssMB: peak / 1024, lines, exit: code });
    });
  });
}

/** @param {string} project */
async function states(project) {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  const { json } = await admin.call("GET", `/containers/json?all=true&filters=${filters}`);
  const list = /** @type {{ State: string }[]} */ (json);
  return { total: list.length, running: list.filter((c) => c.State === "running").length };
}

/** @param {boolean} ok @param {string} what */
function check(ok, what) {
  if (!ok) throw new Error(`load check failed: ${what}`);
}

await withCleanup(async () => {
  const dir = path.join(TMP_DIR, "engine", `load-${SERVICES}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "compose.yaml");
  fs.writeFileSync(file, compose());
  const project = projectName("load", String(SERVICES));
  const base = ["-f", file, "-p", project];
  /** @type {Record<string, unknown>} */
  const steps = {};
  const show = (/** @type {string} */ name, /** @type {{ ms: number, rssMB: number }} */ r, extra = "") => {
    steps[name] = { ms: Math.round(r.ms), rssMB: Math.round(r.rssMB) };
    console.log(`| ${name} | ${(r.ms / 1000).toFixed(1)} s | ${r.rssMB.toFixed(0)} MB | ${extra} |`);
  };
  const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const loadBefore = load();
  console.log(`${SERVICES} services, ${PARALLEL} parallel ps, logs -f for ${FOLLOW_S} s; load average ${loadBefore}\n`);
  console.log("| step | wall | peak RSS | checked |\n| --- | --- | --- | --- |");

  const up = await timed([...base, "up", "-d"]);
  let s = await states(project);
  check(s.running === SERVICES && s.total === SERVICES, `after up -d: ${s.running} running of ${s.total}, want ${SERVICES}`);
  show("up -d", up, `${s.running} running`);

  const noop = await timed([...base, "up", "-d"]);
  check(!/Creat|Recreat|Remov/.test(noop.stderr), `a second up -d changed something:\n${noop.stderr.slice(-1500)}`);
  show("up -d (no-op)", noop, "nothing created or recreated");

  const ps = await timed([...base, "ps"]);
  const psLines = ps.stdout.split("\n").filter((l) => l.startsWith(`${project}-`)).length;
  check(psLines === SERVICES, `ps listed ${psLines} containers`);
  show("ps", ps, `${psLines} rows`);

  const psJson = await timed([...base, "ps", "--format", "json"]);
  const rows = psJson.stdout.split("\n").filter((l) => l.trim() !== "").length;
  check(rows === SERVICES, `ps --format json printed ${rows} rows`);
  show("ps --format json", psJson, `${rows} rows`);

  const f = /** @type {{ ms: number, rssMB: number, lines: number, exit: number }} */ (await follow(base));
  // Every container prints a line a second: fewer than one line per container means it missed some.
  check(f.lines >= SERVICES, `logs -f printed ${f.lines} lines in ${FOLLOW_S} s`);
  show(`logs -f (${FOLLOW_S} s, then Ctrl-C)`, f, `${f.lines} lines, exit ${f.exit}`);

  const many = await Promise.all(Array.from({ length: PARALLEL }, () => timed([...base, "ps", "-q"])));
  const counts = many.map((r) => r.stdout.split("\n").filter((l) => l !== "").length);
  check(
    counts.every((c) => c === SERVICES),
    `parallel ps -q counts: ${counts.join(",")}`,
  );
  const wall = Math.max(...many.map((r) => r.ms));
  show(`${PARALLEL} × ps -q at once`, { ms: wall, rssMB: Math.max(...many.map((r) => r.rssMB)) }, `all ${SERVICES} ids each; RSS is the largest`);

  const down = await timed([...base, "down", "-t", "0"]);
  s = await states(project);
  check(s.total === 0, `after down: ${s.total} containers left`);
  show("down -t 0", down, "0 left");

  const loadAfter = load();
  console.log(`\nload average before ${loadBefore}, after ${loadAfter}`);
  const name = `load-${SERVICES}${args.tag ? `.${args.tag}` : ""}`;
  const out = writeResult(name, {
    name,
    services: SERVICES,
    followSeconds: FOLLOW_S,
    parallel: PARALLEL,
    steps,
    loadAverage: { before: loadBefore, after: loadAfter },
    machine: machineInfo(),
    versions: { ...versions(moor.bin), moorBuild: moor.build },
    at: new Date().toISOString(),
  });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
});
