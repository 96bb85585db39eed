// Side-by-side benchmark runner. Contenders run INTERLEAVED (A B C A B C …) so that whatever
// else the machine is doing at a given moment (other builds, other tests) lands on every
// contender alike; we report medians and ratios to a baseline measured in the same run,
// never a single timing. A contender that exits non-zero stops the whole run: a benchmark of
// a failing command measures nothing.
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { clearInterval, setInterval } from "node:timers";
import { fileURLToPath } from "node:url";

/** The bench/ directory (results go to bench/results/). */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The repository root (contenders run here unless they say otherwise). */
export const REPO_DIR = path.resolve(BENCH_DIR, "..");

/**
 * A command to run before or after each measured run (not timed): an argv, or an async function.
 * @typedef {string[] | (() => (void | Promise<void>))} Hook
 */

/**
 * One thing being measured.
 * @typedef {object} Contender
 * @property {string} name            short label shown in the table
 * @property {string[]} [command]     argv of a whole process to time (stdout goes to /dev/null)
 * @property {() => (unknown | Promise<unknown>)} [fn]  an in-process function to time instead of a command
 * @property {string} [cwd]           working directory (default: the repository root)
 * @property {Record<string, string | undefined>} [env]  environment (default: this process's)
 * @property {Hook} [setup]           before each run, not timed
 * @property {Hook} [teardown]        after each run, not timed
 * @property {string[]} [version]     argv that prints the tool's version (recorded in the JSON)
 * @property {(stdout: string) => (string | undefined)} [verify]  checks one captured run's stdout before timing; returns a problem or undefined
 */

/**
 * @typedef {object} Stats
 * @property {number} n
 * @property {number} median  milliseconds
 * @property {number} p95     milliseconds (nearest rank)
 * @property {number} min     milliseconds
 * @property {number} max     milliseconds
 * @property {number} mean    milliseconds
 * @property {number} stddev  milliseconds
 */

/**
 * @typedef {object} ContenderResult
 * @property {string} name
 * @property {string} [command]
 * @property {string} [version]
 * @property {number[]} samples          wall times in ms, in run order
 * @property {Stats} stats
 * @property {number | undefined} ratio  this median / the baseline's median (lower is faster)
 * @property {number[]} [rssKiB]         peak resident set sizes, KiB, one per RSS run
 * @property {number} [rssMedianKiB]
 * @property {number[]} [cpuMs]          user + system CPU time in ms (all threads), from the same runs as rssKiB (GNU time only)
 * @property {number} [cpuMedianMs]
 */

/**
 * @typedef {object} BenchOptions
 * @property {string} name              file name of the JSON result (bench/results/<name>.json)
 * @property {string} [title]           heading of the printed table
 * @property {Contender[]} contenders
 * @property {string} [baseline]        the contender every ratio is relative to (default: the first)
 * @property {number} [runs]            measured runs per contender (default 10)
 * @property {number} [warmup]          unmeasured runs per contender first (default 2)
 * @property {number} [rssRuns]         extra interleaved runs measuring peak RSS (default 0: off)
 * @property {Record<string, unknown>} [meta]  anything else worth keeping with the result
 * @property {boolean} [write]          write the JSON (default true)
 * @property {boolean} [quiet]          no progress on stderr
 */

/**
 * @typedef {object} BenchResult
 * @property {string} name
 * @property {string} title
 * @property {string} baseline
 * @property {number} runs
 * @property {number} warmup
 * @property {ReturnType<typeof machineInfo>} machine
 * @property {number[]} loadAfter
 * @property {string} finishedAt
 * @property {ContenderResult[]} contenders
 * @property {Record<string, unknown>} [meta]
 */

/** Thrown when a contender fails: the message carries the command, the exit code and the end of stderr. */
export class ContenderFailed extends Error {
  /**
   * @param {string} name
   * @param {string} detail
   */
  constructor(name, detail) {
    super(`contender "${name}" failed: ${detail}`);
    this.name = "ContenderFailed";
  }
}

/**
 * Summary statistics of a sample (milliseconds).
 * @param {number[]} samples
 * @returns {Stats}
 */
export function stats(samples) {
  if (samples.length === 0) throw new Error("no samples");
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  // Nearest rank: with few runs p95 is the slowest run, which is the honest answer.
  const p95 = s[Math.min(n - 1, Math.ceil(0.95 * n) - 1)];
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const stddev = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, median, p95, min: s[0], max: s[n - 1], mean, stddev };
}

/** @param {string[]} argv */
const show = (argv) => argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");

/**
 * Where `/usr/bin/time` (GNU time, for `-f %M`) lives, if anywhere.
 * @returns {string | undefined}
 */
function gnuTime() {
  for (const p of ["/usr/bin/time", "/bin/time"]) {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here; try the next place
    }
  }
  return undefined;
}

/**
 * Runs a hook (argv or function); an argv hook that fails stops the benchmark.
 * @param {string} who
 * @param {Hook | undefined} hook
 * @param {Contender} c
 */
async function runHook(who, hook, c) {
  if (!hook) return;
  if (typeof hook === "function") {
    await hook();
    return;
  }
  const r = spawnSync(hook[0], hook.slice(1), { cwd: c.cwd ?? REPO_DIR, env: c.env ?? process.env, encoding: "utf8" });
  if (r.status !== 0) throw new ContenderFailed(c.name, `${who} \`${show(hook)}\` exited ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().slice(-2000)}`);
}

/**
 * Runs a process once; resolves with its wall time. stdout goes to /dev/null unless captured.
 * @param {Contender} c
 * @param {string[]} argv
 * @param {{ capture?: boolean }} [opts]
 * @returns {Promise<{ ms: number, stdout: string }>}
 */
function runProcess(c, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const out = [];
    /** @type {Buffer[]} */
    const err = [];
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: c.cwd ?? REPO_DIR,
      env: c.env ?? process.env,
      stdio: ["ignore", opts.capture ? "pipe" : "ignore", "pipe"],
    });
    child.stdout?.on("data", (b) => out.push(b));
    child.stderr?.on("data", (b) => err.push(b));
    child.on("error", (e) => reject(new ContenderFailed(c.name, `\`${show(argv)}\` could not start: ${e.message}`)));
    child.on("close", (code, signal) => {
      const ms = performance.now() - t0;
      if (code !== 0) {
        const tail = Buffer.concat(err).toString("utf8").trim().slice(-2000);
        reject(new ContenderFailed(c.name, `\`${show(argv)}\` exited ${code ?? signal}${tail ? `:\n${tail}` : ""}`));
        return;
      }
      resolve({ ms, stdout: Buffer.concat(out).toString("utf8") });
    });
  });
}

/**
 * One measured run of a contender (hooks around it, untimed).
 * @param {Contender} c
 * @returns {Promise<number>} milliseconds
 */
async function runOnce(c) {
  await runHook("setup", c.setup, c);
  let ms;
  if (c.fn) {
    const t0 = performance.now();
    await c.fn();
    ms = performance.now() - t0;
  } else if (c.command) {
    ms = (await runProcess(c, c.command)).ms;
  } else throw new Error(`contender "${c.name}" has neither command nor fn`);
  await runHook("teardown", c.teardown, c);
  return ms;
}

/**
 * Peak RSS of one run in KiB: GNU time's %M when present, else /proc polling (which can miss
 * a very short peak, so it reads low). Separate runs from the timed ones: wrapping the timed
 * runs in `time` would add its fork to every sample. With GNU time the same run also gives the
 * CPU time (user + system, every thread; 10 ms resolution), which a busy shared machine
 * inflates far less than the wall time.
 * @param {Contender} c
 * @returns {Promise<{ kib: number, cpuMs?: number }>}
 */
async function rssOnce(c) {
  if (!c.command) throw new Error(`RSS needs a command (contender "${c.name}")`);
  await runHook("setup", c.setup, c);
  const time = gnuTime();
  let kib;
  let cpuMs;
  if (time) {
    const outFile = path.join(os.tmpdir(), `moor-bench-rss-${process.pid}-${Date.now()}.txt`);
    await runProcess(c, [time, "-f", "%M %U %S", "-o", outFile, ...c.command]);
    const [m, u, sys] = (fs.readFileSync(outFile, "utf8").trim().split("\n").pop() ?? "").split(" ");
    kib = Number.parseInt(m ?? "", 10);
    cpuMs = Math.round((Number(u) + Number(sys)) * 1000);
    fs.rmSync(outFile, { force: true });
  } else {
    kib = await rssByPolling(c);
  }
  await runHook("teardown", c.teardown, c);
  return { kib, ...(cpuMs !== undefined && Number.isFinite(cpuMs) ? { cpuMs } : {}) };
}

/**
 * @param {Contender} c
 * @returns {Promise<number>}
 */
function rssByPolling(c) {
  const argv = /** @type {string[]} */ (c.command);
  return new Promise((resolve, reject) => {
    let peak = 0;
    const child = spawn(argv[0], argv.slice(1), { cwd: c.cwd ?? REPO_DIR, env: c.env ?? process.env, stdio: "ignore" });
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // the process is gone between two polls: keep the last peak
      }
    };
    const timer = setInterval(poll, 2);
    child.on("error", (e) => reject(new ContenderFailed(c.name, e.message)));
    child.on("exit", (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new ContenderFailed(c.name, `\`${show(argv)}\` exited ${code}`));
      else resolve(peak);
    });
  });
}

/**
 * First line of a tool's version output, or why there is none.
 * @param {string[]} argv
 * @param {string} [cwd]
 */
export function toolVersion(argv, cwd = REPO_DIR) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: "utf8" });
  if (r.status !== 0) return `unavailable (${show(argv)} exited ${r.status ?? r.error?.message})`;
  return (r.stdout || r.stderr).trim().split("\n")[0];
}

/** The machine the numbers came from: without the load average a timing means little. */
export function machineInfo() {
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_DIR, encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO_DIR, encoding: "utf8" });
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    loadBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
    moorCommit: git.status === 0 ? `${git.stdout.trim()}${dirty.stdout.trim() ? " (+ uncommitted changes)" : ""}` : "unknown",
  };
}

/** @param {number} ms */
export const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/**
 * The result as a markdown table.
 * @param {BenchResult} r
 */
export function toMarkdown(r) {
  const hasRss = r.contenders.some((c) => c.rssMedianKiB !== undefined);
  const hasCpu = r.contenders.some((c) => c.cpuMedianMs !== undefined);
  const head = ["contender", "median ms", "p95 ms", "min ms", "× baseline", "speed-up", ...(hasRss ? ["peak RSS MiB"] : []), ...(hasCpu ? ["CPU ms"] : [])];
  const rows = r.contenders.map((c) => {
    const isBase = c.name === r.baseline;
    const ratio = c.ratio === undefined ? "" : isBase ? "1 (baseline)" : c.ratio.toFixed(3);
    const speed = c.ratio === undefined || isBase ? "" : c.ratio <= 1 ? `${(1 / c.ratio).toFixed(1)}× faster` : `${c.ratio.toFixed(1)}× slower`;
    return [
      c.name, fmtMs(c.stats.median), fmtMs(c.stats.p95), fmtMs(c.stats.min), ratio, speed,
      ...(hasRss ? [c.rssMedianKiB === undefined ? "" : (c.rssMedianKiB / 1024).toFixed(1)] : []),
      ...(hasCpu ? [c.cpuMedianMs === undefined ? "" : fmtMs(c.cpuMedianMs)] : []),
    ];
  });
  const line = (/** @type {string[]} */ cells) => `| ${cells.join(" | ")} |`;
  return [
    `### ${r.title}`,
    "",
    line(head),
    line(head.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...rows.map(line),
    "",
    `${r.runs} interleaved runs per contender after ${r.warmup} warm-up(s); ${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}; ` +
      `load average ${r.machine.loadBefore.join(" ")} before, ${r.loadAfter.join(" ")} after; ${r.finishedAt}.`,
    "",
  ].join("\n");
}

/**
 * Runs the contenders interleaved and reports medians and ratios to the baseline.
 * @param {BenchOptions} o
 * @returns {Promise<BenchResult>}
 */
export async function runBench(o) {
  const runs = o.runs ?? 10;
  const warmup = o.warmup ?? 2;
  const baseline = o.baseline ?? o.contenders[0]?.name;
  if (!o.contenders.some((c) => c.name === baseline)) throw new Error(`baseline "${baseline}" is not a contender`);
  const names = new Set(o.contenders.map((c) => c.name));
  if (names.size !== o.contenders.length) throw new Error("contender names must be unique");
  const title = o.title ?? o.name;
  const log = (/** @type {string} */ msg) => {
    if (!o.quiet) process.stderr.write(msg);
  };
  const machine = machineInfo();

  // Preflight: each contender once, stdout captured, so a command that fails or prints
  // nothing useful stops us before we spend minutes timing it.
  for (const c of o.contenders) {
    if (!c.command) continue;
    await runHook("setup", c.setup, c);
    const { stdout } = await runProcess(c, c.command, { capture: true });
    await runHook("teardown", c.teardown, c);
    const problem = c.verify?.(stdout);
    if (problem) throw new ContenderFailed(c.name, `output check: ${problem}`);
  }

  log(`${title}: ${warmup} warm-up + ${runs} runs × ${o.contenders.length} contenders `);
  for (let i = 0; i < warmup; i++) for (const c of o.contenders) await runOnce(c);
  /** @type {Map<string, number[]>} */
  const samples = new Map(o.contenders.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of o.contenders) samples.get(c.name)?.push(await runOnce(c));
    log(".");
  }
  /** @type {Map<string, number[]>} */
  const rss = new Map();
  /** @type {Map<string, number[]>} */
  const cpu = new Map();
  const rssRuns = o.rssRuns ?? 0;
  for (let i = 0; i < rssRuns; i++) {
    for (const c of o.contenders) {
      if (!c.command) continue;
      if (!rss.has(c.name)) rss.set(c.name, []);
      const m = await rssOnce(c);
      rss.get(c.name)?.push(m.kib);
      if (m.cpuMs !== undefined) {
        if (!cpu.has(c.name)) cpu.set(c.name, []);
        cpu.get(c.name)?.push(m.cpuMs);
      }
    }
    log("m");
  }
  log("\n");

  const baseMedian = stats(samples.get(baseline) ?? []).median;
  /** @type {BenchResult} */
  const result = {
    name: o.name,
    title,
    baseline: /** @type {string} */ (baseline),
    runs,
    warmup,
    machine,
    loadAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
    finishedAt: new Date().toISOString(),
    contenders: o.contenders.map((c) => {
      const s = samples.get(c.name) ?? [];
      const st = stats(s);
      const r = rss.get(c.name);
      const u = cpu.get(c.name);
      return {
        name: c.name,
        command: c.command ? show(c.command) : undefined,
        version: c.version ? toolVersion(c.version, c.cwd) : undefined,
        samples: s.map((x) => Math.round(x * 1000) / 1000),
        stats: st,
        ratio: st.median / baseMedian,
        ...(r ? { rssKiB: r, rssMedianKiB: stats(r).median } : {}),
        ...(u ? { cpuMs: u, cpuMedianMs: stats(u).median } : {}),
      };
    }),
    ...(o.meta ? { meta: o.meta } : {}),
  };
  if (o.write !== false) writeResult(o.name, result);
  return result;
}

/**
 * Writes bench/results/<name>.json.
 * @param {string} name
 * @param {unknown} result
 */
export function writeResult(name, result) {
  const dir = path.join(BENCH_DIR, "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * Runs and prints one benchmark; on a failing contender prints why and sets a failing exit code.
 * @param {BenchOptions} o
 * @returns {Promise<BenchResult | undefined>}
 */
export async function benchAndPrint(o) {
  try {
    const r = await runBench(o);
    console.log(toMarkdown(r));
    return r;
  } catch (err) {
    if (!(err instanceof ContenderFailed)) throw err;
    console.error(`\n${o.title ?? o.name}: ${err.message}`);
    process.exitCode = 1;
    return undefined;
  }
}
