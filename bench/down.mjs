// `moor down` against `docker-compose down` (v1.29) and the engine floor, side by side in one
// run, for 100 running busybox services; plus each tool's Engine API calls (counted through a
// proxy) and the floor of removing 100 containers by concurrency. See docs/performance.md,
// "Engine benchmarks".
//
//   npm run build && node bench/down.mjs [--runs 3] [--warmup 0] [--only floor,down-100,calls]
//       [--floor-concurrency N] [--moor-root DIR] [--tag T]
//
// Both tools run `down -t 0`: busybox `sleep` as PID 1 ignores SIGTERM, so with the default
// timeout every stop would wait 10 s for its SIGKILL and the benchmark would measure the timeout.
// Before each run the tool brings the project up itself (untimed), so it removes what it made.
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import { floorClient, floorDown, floorUp } from "./lib/engine-floor.mjs";
import { admin, clean, DC_ENV, envFor, countCalls, DC, projectName, run, toolArgv, withCleanup, writeBusyboxProject, engineBenchOptions } from "./lib/engine-bench.mjs";
import { BENCH_DIR, benchAndPrint, writeResult } from "./lib/harness.mjs";

const { args, runs, warmup, sweepRuns, want, out, moor, meta, CONCURRENCIES } = engineBenchOptions();

/**
 * The floor of removing 100 containers at one concurrency; the containers are made (untimed)
 * by the floor itself at concurrency 16 before each run.
 * @param {string} group
 * @param {string} name
 * @param {string[]} services
 * @param {number} concurrency
 * @returns {import("./lib/harness.mjs").Contender}
 */
function floorDownContender(group, name, services, concurrency) {
  const project = projectName(group, name);
  const client = floorClient({ maxSockets: concurrency });
  /** @type {{ network: string, ids: Map<string, string> } | undefined} */
  let made;
  return {
    name,
    setup: async () => {
      await clean(project);
      made = await floorUp(admin, { project, services, concurrency: 16 });
    },
    fn: () => floorDown(client, { ids: [...(made?.ids.values() ?? [])], network: made?.network, concurrency }),
    teardown: () => clean(project).then(() => undefined),
  };
}

/**
 * `down -t 0` of a tool, after the same tool's `up -d` (untimed).
 * @param {"moor" | "docker-compose"} tool
 * @param {string} file
 * @returns {import("./lib/harness.mjs").Contender}
 */
function toolDown(tool, file) {
  const project = projectName("down", tool);
  const up = toolArgv(tool, moor.bin, file, project, ["up", "-d"]);
  const down = toolArgv(tool, moor.bin, file, project, ["down", "-t", "0"]);
  return {
    name: tool,
    command: down,
    env: envFor(down),
    setup: async () => {
      await clean(project);
      await run(up);
    },
    teardown: () => clean(project).then(() => undefined),
    version: tool === "moor" ? [moor.bin, "--version"] : [DC, "version", "--short"],
  };
}

await withCleanup(async () => {
  const p100 = writeBusyboxProject("down-100", { services: 100 });
  /** @type {import("./lib/harness.mjs").BenchResult | undefined} */
  let sweep;
  if (want("floor") && !args["floor-concurrency"]) {
    sweep = await benchAndPrint({
      name: out("down-floor-sweep"),
      title: "engine floor: stop (t=0) + remove 100 running containers, by concurrency",
      runs: sweepRuns,
      warmup: 0,
      baseline: "floor c16",
      contenders: CONCURRENCIES.map((c) => floorDownContender("dfloor", `floor c${c}`, p100.names, c)),
      meta,
    });
  }
  let best = 16;
  if (args["floor-concurrency"]) best = Number(args["floor-concurrency"]);
  else {
    const stored = path.join(BENCH_DIR, "results", `${out("down-floor-sweep")}.json`);
    const r = sweep ?? (fs.existsSync(stored) ? JSON.parse(fs.readFileSync(stored, "utf8")) : undefined);
    if (r) best = Number(/c(\d+)$/.exec([...r.contenders].sort((a, b) => a.stats.median - b.stats.median)[0].name)?.[1] ?? 16);
  }
  console.error(`removal floor at concurrency ${best}`);

  if (want("down-100")) {
    await benchAndPrint({
      name: out("down-100"),
      title: "`down -t 0`, 100 running services",
      runs,
      warmup,
      baseline: "docker-compose",
      contenders: [toolDown("docker-compose", p100.file), toolDown("moor", p100.file), floorDownContender("down", `floor c${best}`, p100.names, best)],
      meta: { ...meta, floorConcurrency: best, dockerComposeEnv: { COMPOSE_PARALLEL_LIMIT: DC_ENV.COMPOSE_PARALLEL_LIMIT } },
    });
  }

  if (want("calls")) {
    /** @type {Record<string, unknown>} */
    const calls = {};
    for (const tool of /** @type {const} */ (["docker-compose", "moor"])) {
      const project = projectName("dcalls", tool);
      calls[`down-100 ${tool}`] = await countCalls({
        argv: toolArgv(tool, moor.bin, p100.file, project, ["down", "-t", "0"]),
        before: () => run(toolArgv(tool, moor.bin, p100.file, project, ["up", "-d"])),
        after: () => clean(project),
      });
    }
    writeResult(out("down-calls"), { name: "down-calls", title: "Engine API calls of one `down -t 0`, 100 services", date: new Date().toISOString(), calls, meta });
    for (const [k, v] of Object.entries(calls)) console.log(`${k}: ${/** @type {{ total: number }} */ (v).total} calls ${JSON.stringify(/** @type {{ byCategory: unknown }} */ (v).byCategory)}`);
  }
});
