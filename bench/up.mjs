// `moor up -d` against `docker-compose up -d` (v1.29) and the engine floor, side by side in one
// run: cold up of 20 and 100 independent services, 100 services in 10 depends_on chains of 10,
// a no-op up with 100 running (plus each tool's Engine API calls, counted through a proxy), and
// moor's --parallel from a few values. See docs/performance.md, "Engine benchmarks".
//
//   npm run build && node bench/up.mjs [--runs 3] [--warmup 0] [--only floor,up-20,up-100,chains,noop,parallel,calls]
//       [--floor-concurrency N] [--moor-root DIR] [--tag T]
//
// Every run starts from the state it needs (setup and teardown per run, not timed); every
// container and network is removed at the end, also after a failure or Ctrl-C.
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { floorClient, floorUp } from "./lib/engine-floor.mjs";
import { BASE_ENV, clean, DC_ENV, envFor, countCalls, DC, projectName, run, running, toolArgv, withCleanup, writeBusyboxProject, engineBenchOptions } from "./lib/engine-bench.mjs";
import { BENCH_DIR, benchAndPrint, fmtMs, machineInfo, stats, writeResult } from "./lib/harness.mjs";

const { args, runs, warmup, sweepRuns, want, out, moor, meta, CONCURRENCIES } = engineBenchOptions();

/**
 * The best floor concurrency: from this run's sweep, else the last stored sweep, else 16.
 * @param {import("./lib/harness.mjs").BenchResult | undefined} sweep
 */
function bestConcurrency(sweep) {
  if (args["floor-concurrency"]) return Number(args["floor-concurrency"]);
  let r = sweep;
  const stored = path.join(BENCH_DIR, "results", `${out("up-floor-sweep")}.json`);
  if (!r && fs.existsSync(stored)) r = JSON.parse(fs.readFileSync(stored, "utf8"));
  if (!r) return 16;
  const best = [...r.contenders].sort((a, b) => a.stats.median - b.stats.median)[0];
  return Number(/c(\d+)$/.exec(best.name)?.[1] ?? 16);
}

/**
 * A whole-process contender for a cold `up -d`: the project is removed before and after each run.
 * @param {"moor" | "docker-compose"} tool
 * @param {string} group
 * @param {string} file
 * @param {string} [name]
 * @param {string[]} [globalArgs]
 * @returns {import("./lib/harness.mjs").Contender}
 */
function coldUp(tool, group, file, name = tool, globalArgs = []) {
  const project = projectName(group, name);
  const argv = toolArgv(tool, moor.bin, file, project, ["up", "-d"], globalArgs);
  return {
    name,
    command: argv,
    env: envFor(argv),
    setup: () => clean(project).then(() => undefined),
    teardown: () => clean(project).then(() => undefined),
    version: tool === "moor" ? [moor.bin, "--version"] : [DC, "version", "--short"],
  };
}

/**
 * The engine floor as a contender (in-process: no process start-up, no orchestration).
 * @param {string} group
 * @param {string} name
 * @param {string[]} services
 * @param {number} concurrency
 * @param {string[][]} [chains]
 * @returns {import("./lib/harness.mjs").Contender}
 */
function floorContender(group, name, services, concurrency, chains) {
  const project = projectName(group, name);
  const client = floorClient({ maxSockets: concurrency });
  return {
    name,
    fn: () => floorUp(client, { project, services, concurrency, chains }),
    setup: () => clean(project).then(() => undefined),
    teardown: () => clean(project).then(() => undefined),
  };
}

await withCleanup(async () => {
  /** @type {Record<string, unknown>} */
  const summary = {};
  const p20 = writeBusyboxProject("up-20", { services: 20 });
  const p100 = writeBusyboxProject("up-100", { services: 100 });
  const chains = writeBusyboxProject("up-chains", { services: 100, chains: 10 });

  /** @type {import("./lib/harness.mjs").BenchResult | undefined} */
  let sweep;
  if (want("floor") && !args["floor-concurrency"]) {
    sweep = await benchAndPrint({
      name: out("up-floor-sweep"),
      title: "engine floor: create + start 100 containers, by concurrency",
      runs: sweepRuns,
      warmup: 0,
      contenders: CONCURRENCIES.map((c) => floorContender("floor", `floor c${c}`, p100.names, c)),
      baseline: "floor c16",
      meta,
    });
  }
  const best = bestConcurrency(sweep);
  summary.floorConcurrency = best;
  console.error(`engine floor at concurrency ${best}`);

  for (const [group, p, title] of /** @type {const} */ ([
    ["up-20", p20, "cold `up -d`, 20 independent services"],
    ["up-100", p100, "cold `up -d`, 100 independent services"],
  ])) {
    if (!want(group)) continue;
    summary[group] = await benchAndPrint({
      name: out(group),
      title,
      runs: group === "up-20" ? Math.max(runs, 5) : runs,
      warmup: group === "up-20" ? Math.max(warmup, 1) : warmup,
      baseline: "docker-compose",
      contenders: [coldUp("docker-compose", group, p.file), coldUp("moor", group, p.file), floorContender(group, `floor c${best}`, p.names, best)],
      meta: { ...meta, floorConcurrency: best, dockerComposeEnv: { COMPOSE_PARALLEL_LIMIT: DC_ENV.COMPOSE_PARALLEL_LIMIT } },
    });
  }

  if (want("chains")) {
    summary.chains = await benchAndPrint({
      name: out("up-chains"),
      title: "cold `up -d`, 100 services in 10 depends_on chains of 10",
      runs,
      warmup,
      baseline: "docker-compose",
      contenders: [
        coldUp("docker-compose", "chains", chains.file),
        coldUp("moor", "chains", chains.file),
        floorContender("chains", `floor c${best} ordered`, chains.names, best, chains.chains),
      ],
      meta: { ...meta, floorConcurrency: best, note: "floor ordered: all created, then each chain started in order, chains side by side" },
    });
  }

  if (want("noop")) {
    // Each tool keeps its own 100 running containers (the other tool's would not be a no-op for it).
    /** @type {import("./lib/harness.mjs").Contender[]} */
    const noop = [];
    for (const tool of /** @type {const} */ (["docker-compose", "moor"])) {
      const project = projectName("noop", tool);
      const argv = toolArgv(tool, moor.bin, p100.file, project, ["up", "-d"]);
      noop.push({
        name: tool,
        command: argv,
        env: envFor(argv),
        // Only when something is missing (the first run): then the tool brings the project up itself.
        setup: async () => {
          if ((await running(project)) !== p100.names.length) await run(argv);
        },
        version: tool === "moor" ? [moor.bin, "--version"] : [DC, "version", "--short"],
      });
    }
    noop.push({ name: "moor --version", command: [moor.bin, "--version"], env: BASE_ENV });
    noop.push({ name: "node -e ''", command: [process.execPath, "-e", ""], env: BASE_ENV });
    summary.noop = await benchAndPrint({
      name: out("up-noop-100"),
      title: "no-op `up -d`, 100 services running (whole process)",
      runs: Math.max(runs, 5),
      warmup: Math.max(warmup, 1),
      baseline: "docker-compose",
      contenders: noop,
      meta,
    });
    // Where a no-op `up` spends its time: fresh processes timing each phase (moor's project still runs).
    /** @type {Record<string, number>[]} */
    const samples = [];
    const phases = path.join(BENCH_DIR, "lib/up-phases.mjs");
    for (let i = 0; i < Math.max(runs, 5); i++) {
      const { stdout } = await run([process.execPath, phases, p100.file, projectName("noop", "moor"), path.join(moor.root, "dist")]);
      samples.push(JSON.parse(stdout));
    }
    /** @type {Record<string, number>} */
    const medians = {};
    for (const k of Object.keys(samples[0])) if (typeof samples[0][k] === "number") medians[k] = stats(samples.map((s) => s[k])).median;
    writeResult(out("up-noop-phases"), { name: "up-noop-phases", title: "a no-op `moor up -d` of 100, by phase (fresh processes)", runs: samples.length, machine: machineInfo(), finishedAt: new Date().toISOString(), medians, samples, meta });
    console.log(`### no-op up-100, moor by phase (median ms of ${samples.length} fresh processes)\n`);
    for (const [k, v] of Object.entries(medians)) console.log(`| ${k} | ${fmtMs(v)} |`);
    console.log(`\nengine calls: ${JSON.stringify(samples[0].engineCalls)}\n`);
  }

  if (want("calls")) {
    // Engine API calls of one run of each tool, through the counting proxy (never timed).
    /** @type {Record<string, unknown>} */
    const calls = {};
    for (const tool of /** @type {const} */ (["docker-compose", "moor"])) {
      const project = projectName("calls", tool);
      const argv = toolArgv(tool, moor.bin, p100.file, project, ["up", "-d"]);
      calls[`cold up-100 ${tool}`] = await countCalls({ argv, before: () => clean(project) });
      calls[`no-op up-100 ${tool}`] = await countCalls({ argv, after: () => clean(project) });
    }
    writeResult(out("up-calls"), { name: "up-calls", title: "Engine API calls of one `up -d`, 100 services", date: new Date().toISOString(), calls, meta });
    for (const [k, v] of Object.entries(calls)) console.log(`${k}: ${JSON.stringify(/** @type {{ total: number, byCategory: unknown }} */ (v).total)} calls ${JSON.stringify(/** @type {{ byCategory: unknown }} */ (v).byCategory)}`);
    summary.calls = calls;
  }

  if (want("parallel")) {
    summary.parallel = await benchAndPrint({
      name: out("up-parallel"),
      title: "moor cold `up -d` of 100 by --parallel",
      runs: sweepRuns,
      warmup: 0,
      baseline: "moor --parallel 16",
      contenders: [4, 16, 64].map((n) => coldUp("moor", "parallel", p100.file, `moor --parallel ${n}`, ["--parallel", String(n)])),
      meta,
    });
  }
});
