// One fresh process that times the phases of a no-op `moor up -d` the way `upCommand`
// (src/cli/commands/up.ts) meets them: node's start-up, importing the CLI's modules, loading the
// project, connecting (dockerode loads here), observing (the engine's list calls), planning,
// executing the empty plan. Prints one JSON line, with the engine calls by operation.
// bench/up.mjs runs it several times to say where a no-op `up` spends its time.
// Usage: node bench/lib/up-phases.mjs <compose file> <project> [<dist dir>]
import path from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const file = path.resolve(process.argv[2] ?? "compose.yaml");
const projectName = process.argv[3];
const dist = path.resolve(process.argv[4] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "../../dist"));
const mod = (/** @type {string} */ p) => import(pathToFileURL(path.join(dist, p)).href);

// performance.now() counts from the process's time origin: this is node's start-up.
const t0 = performance.now();
const ctx = await mod("cli/project-context.js");
const { plan } = await mod("reconcile/plan.js");
const { executePlan } = await mod("reconcile/execute.js");
const t1 = performance.now();
/** @type {{ file: string[], projectName?: string, progress: string }} */
const global = { file: [file], projectName, progress: "quiet" };
const { project, result } = await ctx.loadOrThrow(global, { services: [] });
const t2 = performance.now();
const engine = await ctx.connectEngine();
const t3 = performance.now();
const observed = await ctx.observe(engine, project.name);
const t4 = performance.now();
const thePlan = plan(project, observed, { services: [], scale: {} });
const t5 = performance.now();
await executePlan(thePlan, engine, {
  project,
  observed,
  configFiles: result.configFiles,
  workingDir: result.workingDir,
  version: "bench",
  parallel: 16,
  onEvent: () => {},
  signal: new globalThis.AbortController().signal,
});
const t6 = performance.now();

process.stdout.write(
  `${JSON.stringify({
    nodeStartMs: t0,
    importCliModulesMs: t1 - t0,
    loadProjectMs: t2 - t1,
    connectEngineMs: t3 - t2,
    observeMs: t4 - t3,
    planMs: t5 - t4,
    executeMs: t6 - t5,
    totalMs: t6,
    actions: thePlan.actions.length,
    services: Object.keys(project.services).length,
    engineCalls: engine.stats?.calls,
  })}\n`,
);
