// `moor watch` latency and footprint on a real engine:
//   sync   save → file visible in the container (p50, p95), one file per save
//   edit   compose-file edit (an environment value) → the replacing container created (the
//          recreate's first engine call) and started, both read from the engine's event times
//   idle   CPU and RSS of the watch process while nothing happens
//   burst  2,000 files written at once: time until all are in the container, CPU and peak RSS
//   tree   start-up on a tree of 100,000 files whose node_modules is ignored: process start →
//          "Watch enabled", chokidar's scan, RSS after, inotify watches registered
//          (and once without the ignore rule, to show what pruning saves)
//
//   npm run build && node bench/watch.mjs [--runs 30] [--edit-runs 5] [--tree-runs 3] [--only sync,edit,idle,burst,tree]
//       [--backend chokidar|native]   (native: MOOR_WATCH_BACKEND=native, results in watch-<group>-native.json)
//
// The container notices a file with a 2 ms poll loop and prints a line; the time is the daemon's
// log timestamp (docker logs -t), compared with the host clock at the write (same kernel clock).
import { spawn, spawnSync } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { clearInterval, setInterval } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { IMAGE, moorPaths, projectName, withCleanup } from "./lib/engine-bench.mjs";
import { BENCH_DIR, fmtMs, machineInfo, stats, writeResult } from "./lib/harness.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "30" },
    "edit-runs": { type: "string", default: "5" },
    "tree-runs": { type: "string", default: "3" },
    "tree-files": { type: "string", default: "100000" },
    only: { type: "string" },
    backend: { type: "string", default: "chokidar" },
    "moor-root": { type: "string" },
  },
});
const only = args.only ? new Set(args.only.split(",")) : undefined;
const want = (/** @type {string} */ g) => !only || only.has(g);
const moor = moorPaths(args["moor-root"]);
const TMP = path.join(BENCH_DIR, "..", ".bench-tmp", "watch");
const CLK_TCK = 100;

/**
 * A long-running moor process whose output is kept.
 * @param {string[]} argv
 * @param {string} cwd
 * @param {Record<string, string>} [env]
 */
function startMoor(argv, cwd, env = {}) {
  const child = spawn(moor.bin, argv, { cwd, env: { ...process.env, NO_COLOR: "1", MOOR_WATCH_BACKEND: args.backend, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b) => (out += b));
  child.stderr.on("data", (b) => (out += b));
  const exited = new Promise((r) => child.on("close", r));
  return {
    child,
    output: () => out,
    /** @param {string} text */
    async waitFor(text, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`moor exited ${child.exitCode}:\n${out}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${text}:\n${out}`);
        await sleep(10);
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

/** @param {number} pid */
function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** @param {number} pid */
function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** inotify watches the process holds (one per watched directory or file). @param {number} pid */
function inotifyWatches(pid) {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let link;
    try {
      link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (!link.includes("inotify")) continue;
    n += fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8").split("\n").filter((l) => l.startsWith("inotify wd:")).length;
  }
  return n;
}

/**
 * Follows a command's stdout lines.
 * @param {string[]} argv
 * @param {(line: string) => void} onLine
 */
function followLines(argv, onLine) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "ignore"] });
  let buf = "";
  child.stdout.on("data", (b) => {
    buf += b;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  return () => child.kill();
}

/** RFC 3339 with nanoseconds → ms since the epoch (sub-ms kept). @param {string} ts */
function rfc3339Ms(ts) {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return NaN;
  return Date.parse(`${m[1]}${m[3]}`) + Number(`0${m[2] ?? ""}`) * 1000;
}

const SYNC_COMPOSE = (envValue = "0") => `
services:
  app:
    image: ${IMAGE}
    environment:
      REV: "${envValue}"
    command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do if [ -e /app/src/r$$i.txt ]; then echo SEEN r$$i; i=$$((i+1)); else usleep 2000; fi; done"]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app/src
`;

async function main() {
  const results = { machine: machineInfo(), moor: moor.build, backend: args.backend };
  console.log(`watcher backend: ${args.backend}`);
  fs.mkdirSync(TMP, { recursive: true });

  if (want("sync") || want("edit") || want("idle") || want("burst")) {
    const project = projectName("watch", "moor");
    const dir = path.join(TMP, project);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "compose.yaml"), SYNC_COMPOSE());
    const w = startMoor(["-p", project, "watch"], dir);
    try {
      await w.waitFor("Watch enabled");
      const container = `${project}-app-1`;
      /** @type {Map<string, (ms: number) => void>} */
      const waiters = new Map();
      const stopLogs = followLines(["docker", "logs", "-f", "-t", container], (line) => {
        const [ts, word, name] = line.split(" ");
        if (word === "SEEN") waiters.get(name)?.(rfc3339Ms(ts));
      });
      const seen = (/** @type {string} */ name) => new Promise((resolve) => waiters.set(name, resolve));
      let next = 0;
      /** One save: write r<next>.txt, resolve with save → visible (ms). */
      const save = async () => {
        const name = `r${next++}`;
        const visible = seen(name);
        const t0 = performance.timeOrigin + performance.now();
        fs.writeFileSync(path.join(dir, "src", `${name}.txt`), `${name}\n`);
        const t1 = await Promise.race([visible, sleep(30_000).then(() => NaN)]);
        if (Number.isNaN(t1)) throw new Error(`${name} never showed up in the container:\n${w.output()}`);
        return t1 - t0;
      };

      if (want("sync")) {
        await save(); // warm-up: first tar, first archive call
        await sleep(300);
        const samples = [];
        for (let i = 0; i < Number(args.runs); i++) {
          samples.push(await save());
          await sleep(250 + Math.random() * 100);
        }
        const s = stats(samples);
        results.sync = { samples, stats: s, quietMs: 50 };
        console.log(`sync save → visible: p50 ${fmtMs(s.median)} ms, p95 ${fmtMs(s.p95)} ms, min ${fmtMs(s.min)}, max ${fmtMs(s.max)} (n=${s.n})`);
      }

      if (want("idle")) {
        await sleep(2000);
        const pid = /** @type {number} */ (w.child.pid);
        const t0 = cpuTicks(pid);
        const start = performance.now();
        await sleep(10_000);
        const cpuPct = ((cpuTicks(pid) - t0) / CLK_TCK / ((performance.now() - start) / 1000)) * 100;
        results.idle = { cpuPercent: cpuPct, rssMiB: rssMiB(pid), seconds: 10 };
        console.log(`idle: CPU ${cpuPct.toFixed(2)} %, RSS ${rssMiB(pid).toFixed(1)} MiB`);
      }

      if (want("burst")) {
        // The directory exists (and is watched) before the burst, as in a checkout of a branch.
        fs.mkdirSync(path.join(dir, "src", "burst"), { recursive: true });
        await save();
        await sleep(1000);
        const pid = /** @type {number} */ (w.child.pid);
        const t0 = cpuTicks(pid);
        let peak = rssMiB(pid);
        const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
        const start = performance.now();
        for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(dir, "src", "burst", `b${i}.txt`), `burst ${i}\n`);
        const written = performance.now() - start;
        let count = 0;
        const end = Date.now() + 120_000;
        while (count < 2000 && Date.now() < end) {
          count = Number(spawnSync("docker", ["exec", container, "sh", "-c", "ls /app/src/burst | wc -l"], { encoding: "utf8" }).stdout.trim());
          if (count < 2000) await sleep(100);
        }
        const allIn = performance.now() - start;
        clearInterval(sampler);
        const cpuSec = (cpuTicks(pid) - t0) / CLK_TCK;
        const batches = (w.output().match(/Syncing service "app" after \d+ changes/g) ?? []).length;
        results.burst = { files: 2000, writeMs: written, allVisibleMs: allIn, inContainer: count, cpuSeconds: cpuSec, cpuPercentOfWall: (cpuSec / (allIn / 1000)) * 100, peakRssMiB: peak, syncMessagesSoFar: batches };
        console.log(`burst of 2000: written in ${fmtMs(written)} ms, all ${count} in the container after ${fmtMs(allIn)} ms (polled), CPU ${cpuSec.toFixed(2)} s, peak RSS ${peak.toFixed(1)} MiB`);
        await sleep(1000);
      }

      if (want("edit")) {
        /** @type {{ action: string, name: string, ms: number }[]} */
        const events = [];
        const stopEvents = followLines(["docker", "events", "--filter", `label=com.docker.compose.project=${project}`, "--filter", "type=container", "--format", "{{json .}}"], (line) => {
          const e = JSON.parse(line);
          events.push({ action: e.Action ?? e.status, name: e.Actor?.Attributes?.name ?? "", ms: e.timeNano / 1e6 });
        });
        await sleep(500);
        const samples = [];
        for (let i = 1; i <= Number(args["edit-runs"]); i++) {
          events.length = 0;
          const mark = w.output().length;
          const t0 = performance.timeOrigin + performance.now();
          fs.writeFileSync(path.join(dir, "compose.yaml"), SYNC_COMPOSE(String(i)));
          const end = Date.now() + 60_000;
          while (!events.some((e) => e.action === "start") && Date.now() < end) await sleep(10);
          const created = events.find((e) => e.action === "create");
          const started = events.find((e) => e.action === "start");
          if (!created || !started) throw new Error(`no recreate seen:\n${w.output().slice(mark)}`);
          samples.push({ toCreateMs: created.ms - t0, toStartMs: started.ms - t0 });
          await sleep(1500);
        }
        stopEvents();
        const c = stats(samples.map((s) => s.toCreateMs));
        const st = stats(samples.map((s) => s.toStartMs));
        results.edit = { samples, create: c, start: st };
        console.log(`compose edit → recreate starts (create call): p50 ${fmtMs(c.median)} ms, max ${fmtMs(c.max)}; → new container started: p50 ${fmtMs(st.median)} ms, max ${fmtMs(st.max)} (n=${c.n})`);
      }
      stopLogs();
    } finally {
      await w.stop();
    }
  }

  if (want("tree")) {
    const n = Number(args["tree-files"]);
    const dir = path.join(TMP, `tree-${n}`);
    const app = path.join(dir, "app");
    if (!fs.existsSync(path.join(dir, ".complete"))) {
      fs.rmSync(dir, { recursive: true, force: true });
      for (let d = 0; d < 20; d++) {
        fs.mkdirSync(path.join(app, "src", `m${d}`), { recursive: true });
        for (let f = 0; f < 50; f++) fs.writeFileSync(path.join(app, "src", `m${d}`, `f${f}.js`), "export {};\n");
      }
      const perDir = 100;
      for (let d = 0; d < n / perDir; d++) {
        const p = path.join(app, "node_modules", `pkg${Math.floor(d / 10)}`, `lib${d % 10}`);
        fs.mkdirSync(p, { recursive: true });
        for (let f = 0; f < perDir; f++) fs.writeFileSync(path.join(p, `f${f}.js`), "");
      }
      fs.writeFileSync(path.join(dir, ".complete"), "");
    }
    const compose = (ignore) => `
services:
  app:
    image: ${IMAGE}
    develop:
      watch:
        - path: ./app
          action: sync
          target: /app
${ignore ? "          ignore: [node_modules/]\n" : ""}`;
    /** @param {boolean} ignore @param {number} runs */
    const measure = async (ignore, runs) => {
      fs.writeFileSync(path.join(dir, "compose.yaml"), compose(ignore));
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const w = startMoor(["-p", projectName("tree", ignore ? "ign" : "all"), "watch", "--no-up"], dir, { MOOR_WATCH_TIMING: "1" });
        try {
          await w.waitFor("Watch enabled", 600_000);
          const enabledMs = performance.now() - start;
          const scanMs = Number(/watch ready in (\d+) ms/.exec(w.output())?.[1]);
          const pid = /** @type {number} */ (w.child.pid);
          samples.push({ enabledMs, scanMs, rssMiB: rssMiB(pid), inotifyWatches: inotifyWatches(pid) });
        } finally {
          await w.stop();
        }
      }
      return samples;
    };
    const ignored = await measure(true, Number(args["tree-runs"]));
    const s = stats(ignored.map((x) => x.enabledMs));
    const scan = stats(ignored.map((x) => x.scanMs));
    results.tree = { files: n + 1000, nodeModulesFiles: n, ignored, enabled: s, scan };
    console.log(`tree (${n} files in an ignored node_modules + 1000 sources): "Watch enabled" p50 ${fmtMs(s.median)} ms after process start (scan ${fmtMs(scan.median)} ms), RSS ${ignored.map((x) => x.rssMiB.toFixed(1)).join("/")} MiB, ${ignored[0].inotifyWatches} inotify watches`);
    const naive = await measure(false, 1);
    results.tree.notIgnored = naive;
    console.log(`  same tree, node_modules not ignored: "Watch enabled" after ${fmtMs(naive[0].enabledMs)} ms (scan ${fmtMs(naive[0].scanMs)} ms), RSS ${naive[0].rssMiB.toFixed(1)} MiB, ${naive[0].inotifyWatches} inotify watches`);
  }

  const suffix = args.backend === "chokidar" ? "" : `-${args.backend}`;
  for (const [k, v] of Object.entries(results)) if (!["machine", "moor", "backend"].includes(k)) writeResult(`watch-${k}${suffix}`, { machine: results.machine, moor: results.moor, backend: args.backend, ...v });
}

await withCleanup(main);
