// `moor config` against `docker-compose config` (v1.29), side by side in one run, plus start-up
// (`--version`), node's own floor, the in-process loader, and a phase breakdown of one cold
// process. See bench/README.md for how to read the output.
//
//   npm run build && node bench/config.mjs [--runs 10] [--warmup 2] [--rss]
//       [--only startup,config-50,config-500,config-500-noalias,inprocess,phases,cold] [--tag experiment] [--moor-root .bench-tmp/build]
//       [--before-root DIR]   (another build of moor, e.g. the commit before a change, interleaved in the config groups)
import { spawnSync } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseDocument } from "yaml";
import { writeComposeProject } from "./lib/gen-compose.mjs";
import { measurePhases } from "./lib/phases.mjs";
import { benchAndPrint, ContenderFailed, fmtMs, machineInfo, REPO_DIR, stats, toolVersion, writeResult } from "./lib/harness.mjs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    "inprocess-runs": { type: "string", default: "30" },
    "cold-runs": { type: "string", default: "5" },
    only: { type: "string" },
    rss: { type: "boolean", default: false },
    seed: { type: "string", default: "1" },
    "moor-root": { type: "string" },
    "before-root": { type: "string" },
    tag: { type: "string" },
  },
});
const runs = Number(args.runs);
const warmup = Number(args.warmup);
const seed = Number(args.seed);
const only = args.only ? new Set(args.only.split(",")) : undefined;
const want = (/** @type {string} */ group) => !only || only.has(group);
const rssRuns = args.rss ? 3 : 0;
// An experiment's results go beside the reference ones (config-500.<tag>.json), never over them.
const out = (/** @type {string} */ name) => (args.tag ? `${name}.${args.tag}` : name);

// moor as users run it: the `moor` command, bin/moor.js executed through its `#!/bin/sh` line, over
// dist/; or a private snapshot (bench/lib/snapshot-build.mjs).
const MOOR_ROOT = path.resolve(REPO_DIR, args["moor-root"] ?? ".");
const MOOR = path.join(MOOR_ROOT, "bin/moor.js");
const DIST = path.join(MOOR_ROOT, "dist");
const DC = "docker-compose";
// A second build of moor run in the same interleaving (a before/after comparison in one run).
const BEFORE_ROOT = args["before-root"] ? path.resolve(REPO_DIR, args["before-root"]) : undefined;
const beforeInfo = BEFORE_ROOT && fs.existsSync(path.join(BEFORE_ROOT, "BUILD-INFO.json")) ? JSON.parse(fs.readFileSync(path.join(BEFORE_ROOT, "BUILD-INFO.json"), "utf8")) : undefined;
const BEFORE_NAME = `moor config, before (${beforeInfo?.commit ?? path.basename(BEFORE_ROOT ?? "")})`;

// Both tools read COMPOSE_* from the environment; a stray one would change what is measured.
/** @type {Record<string, string | undefined>} */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COMPOSE_")));
// NODE_EXTRA_CA_CERTS (set on these machines) makes node parse that file of certificates before
// any script runs, ≈ 30 ms of a bare start; the `moor` command moves it aside (bin/moor.js). This
// second floor is node's start without it.
const NODE_FLOOR_WITHOUT_CA = env.NODE_EXTRA_CA_CERTS
  ? [{ name: "node -e '' without NODE_EXTRA_CA_CERTS (floor)", command: [process.execPath, "-e", ""], env: Object.fromEntries(Object.entries(env).filter(([k]) => k !== "NODE_EXTRA_CA_CERTS")) }]
  : [];

const versions = {
  node: process.version,
  "docker-compose": toolVersion([DC, "version"]),
  moor: toolVersion([MOOR, "--version"]),
  moorRoot: path.relative(REPO_DIR, MOOR_ROOT) || ".",
  // A snapshot says what it was built from; the shared dist/ cannot say (see machine.moorCommit for HEAD).
  moorBuild: fs.existsSync(path.join(MOOR_ROOT, "BUILD-INFO.json")) ? JSON.parse(fs.readFileSync(path.join(MOOR_ROOT, "BUILD-INFO.json"), "utf8")) : "dist/ as built in the work tree",
  ...(BEFORE_ROOT ? { beforeRoot: path.relative(REPO_DIR, BEFORE_ROOT), beforeBuild: beforeInfo ?? "no BUILD-INFO.json" } : {}),
};

/** @type {Record<string, string>} */
const skipped = {};

/**
 * Does `moor -f <file> config` work yet? The loader is being finished; until it is, the config
 * groups run docker-compose alone and the run ends non-zero so nobody mistakes it for a full one.
 * @param {string} file
 * @returns {string | undefined} why not
 */
function moorConfigProblem(file) {
  if (moorStartProblem) return moorStartProblem;
  const r = spawnSync(process.execPath, [MOOR, "-f", file, "config"], { cwd: path.dirname(file), env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) return `moor config exited ${r.status}: ${gist(r.stderr)}`;
  return undefined;
}

/**
 * The informative part of a failing command's stderr: its error lines, else its first lines.
 * @param {string | undefined} stderr
 */
const gist = (stderr) => {
  const lines = (stderr ?? "").trim().split("\n");
  const errs = lines.filter((l) => /error/i.test(l) && !/^\s+at /.test(l));
  return (errs.length > 0 ? errs : lines).slice(0, 3).join(" | ");
};

// Without a built moor, every group still runs docker-compose and the floors, and says so.
const moorStartProblem = (() => {
  const r = spawnSync(process.execPath, [MOOR, "--version"], { env, encoding: "utf8" });
  return r.status === 0 ? undefined : `moor --version exited ${r.status}: ${gist(r.stderr)}`;
})();
if (moorStartProblem) {
  skipped.moor = moorStartProblem;
  console.error(`\n!!! moor does not start; measuring docker-compose and node alone: ${moorStartProblem}\n`);
}

/** @param {number} n */
const lastService = (n) => `svc-${String(n - 1).padStart(4, "0")}:`;

/**
 * @param {number} n services
 * @returns {(stdout: string) => string | undefined}
 */
const rendersAll = (n) => (stdout) => (stdout.includes(lastService(n)) ? undefined : `the output does not contain ${lastService(n)}`);

/** @type {Record<string, import("./lib/harness.mjs").BenchResult | undefined>} */
const results = {};

if (want("startup")) {
  results.startup = await benchAndPrint({
    name: out("config-startup"),
    title: "start-up: moor --version vs docker-compose version --short",
    baseline: "docker-compose version --short",
    runs: runs * 2,
    warmup,
    rssRuns,
    contenders: [
      { name: "docker-compose version --short", command: [DC, "version", "--short"], env, version: [DC, "version", "--short"] },
      ...(moorStartProblem ? [] : [{ name: "moor --version", command: [MOOR, "--version"], env, version: [MOOR, "--version"] }]),
      { name: "node -e '' (floor)", command: [process.execPath, "-e", ""], env, version: [process.execPath, "--version"] },
      ...NODE_FLOOR_WITHOUT_CA,
    ],
    meta: { versions },
  });
}

// The realistic files, and the 500-service one again with its aliases expanded in place (the
// same data): the second tells alias handling apart from the rest of the loader.
const VARIANTS = [
  { group: "config-50", services: 50, aliases: true },
  { group: "config-500", services: 500, aliases: true },
  { group: "config-500-noalias", services: 500, aliases: false },
];

for (const v of VARIANTS) {
  const { group, services: n } = v;
  if (!want(group)) continue;
  const project = writeComposeProject({ services: n, seed, aliases: v.aliases });
  const problem = moorConfigProblem(project.file);
  if (problem) {
    skipped[group] = problem;
    console.error(`\n!!! ${group}: moor config SKIPPED, docker-compose measured alone: ${problem}\n`);
  }
  /** @type {import("./lib/harness.mjs").Contender[]} */
  const contenders = [
    { name: "docker-compose config", command: [DC, "-f", project.file, "config"], cwd: project.dir, env, verify: rendersAll(n), version: [DC, "version", "--short"] },
  ];
  if (!problem) contenders.push({ name: "moor config", command: [MOOR, "-f", project.file, "config"], cwd: project.dir, env, verify: rendersAll(n) });
  if (BEFORE_ROOT) contenders.push({ name: BEFORE_NAME, command: [path.join(BEFORE_ROOT, "bin/moor.js"), "-f", project.file, "config"], cwd: project.dir, env, verify: rendersAll(n) });
  if (!moorStartProblem) contenders.push({ name: "moor --version (start-up)", command: [MOOR, "--version"], cwd: project.dir, env });
  contenders.push({ name: "node -e '' (floor)", command: [process.execPath, "-e", ""], cwd: project.dir, env });
  contenders.push(...NODE_FLOOR_WITHOUT_CA.map((c) => ({ ...c, cwd: project.dir })));
  results[group] = await benchAndPrint({
    name: out(group),
    title: `config, ${n} services${v.aliases ? "" : ", aliases expanded"} (${(project.bytes / 1024).toFixed(0)} KiB): moor config vs docker-compose config`,
    baseline: "docker-compose config",
    runs,
    warmup,
    rssRuns,
    contenders,
    meta: { versions, services: n, aliases: v.aliases, seed, composeBytes: project.bytes, skipped: skipped[group] },
  });
}

/**
 * @param {string} rel
 */
const importDist = (rel) => import(pathToFileURL(path.join(DIST, rel)).href);

if (want("inprocess")) {
  if (!fs.existsSync(path.join(DIST, "compose/load.js"))) {
    skipped.inprocess = "dist/compose/load.js is not built (npm run build)";
    console.error(`\n!!! inprocess SKIPPED: ${skipped.inprocess}\n`);
  } else {
    const { loadProject } = await importDist("compose/load.js");
    const { nodeFileReader } = await importDist("cli/node-file-reader.js");
    /** @type {import("./lib/harness.mjs").Contender[]} */
    const contenders = [];
    for (const v of VARIANTS) {
      const p = writeComposeProject({ services: v.services, seed, aliases: v.aliases });
      const opts = { workingDir: p.dir, files: [p.file], env, homeDir: os.homedir(), reader: nodeFileReader };
      const name = `loadProject, ${v.services} services${v.aliases ? "" : ", aliases expanded"}`;
      const fn = () => {
        const r = loadProject(opts);
        const errors = r.diagnostics.filter((/** @type {{ severity: string }} */ d) => d.severity === "error");
        if (errors.length > 0 || !r.project) {
          const e = errors[0];
          throw new ContenderFailed(name, `${errors.length} error(s), first: ${e ? `${e.location?.file}:${e.location?.line}: ${e.message}` : "no project"}`);
        }
      };
      // Probe once: a loader that rejects the file is reported, not timed.
      try {
        const t0 = performance.now();
        fn();
        contenders.push({ name, fn });
        if (performance.now() - t0 > 5000) console.error(`(${name}: the first call took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (err) {
        if (!(err instanceof ContenderFailed)) throw err;
        skipped[`inprocess: ${name}`] = err.message;
        console.error(`\n!!! ${err.message}; not timed\n`);
      }
    }
    const text500 = fs.readFileSync(writeComposeProject({ services: 500, seed }).file, "utf8");
    contenders.push({ name: "yaml parseDocument only, 500 services (reference)", fn: () => parseDocument(text500, { merge: true }) });
    results.inprocess = await benchAndPrint({
      name: out("config-inprocess"),
      title: "in-process loadProject (parse + interpolate + validate + normalize + consistency), warm",
      baseline: contenders[0]?.name,
      runs: Number(args["inprocess-runs"]),
      warmup: Math.max(warmup, 5),
      contenders,
      meta: { versions, seed },
    });
  }
}

/** @type {Record<string, Record<string, number>>} */
const phaseSummary = {};
if (want("phases")) {
  if (!fs.existsSync(path.join(DIST, "compose/load.js"))) {
    skipped.phases = "dist/compose/load.js is not built (npm run build)";
    console.error(`\n!!! phases SKIPPED: ${skipped.phases}\n`);
  } else {
    // The loader's stages one by one, warm: which of them the time goes to.
    const machine = machineInfo();
    const phaseRuns = Number(args["inprocess-runs"]);
    for (const v of VARIANTS) {
      const p = writeComposeProject({ services: v.services, seed, aliases: v.aliases });
      const label = `${v.services} services${v.aliases ? "" : ", aliases expanded"}`;
      try {
        phaseSummary[label] = (await measurePhases({ dist: DIST, file: p.file, env, runs: phaseRuns, warmup: Math.max(warmup, 3) })).medians;
      } catch (err) {
        if (!(err instanceof ContenderFailed)) throw err;
        skipped[`phases: ${label}`] = err.message;
        console.error(`\n!!! phases, ${label}: ${err.message}\n`);
      }
    }
    const labels = Object.keys(phaseSummary);
    if (labels.length > 0) {
      const title = "warm loader stages, one by one (as load.ts calls them) and the serializer";
      writeResult(out("config-phases"), { name: out("config-phases"), title, runs: phaseRuns, machine, loadAfter: os.loadavg(), finishedAt: new Date().toISOString(), medians: phaseSummary });
      const stages = Object.keys(phaseSummary[labels[0] ?? ""] ?? {});
      console.log(`### ${title} (median ms)\n\n| stage | ${labels.join(" | ")} |\n|---|${labels.map(() => "---:").join("|")}|`);
      for (const st of stages) console.log(`| ${st} | ${labels.map((l) => fmtMs(phaseSummary[l]?.[st] ?? NaN)).join(" | ")} |`);
      console.log(`\n${phaseRuns} passes each after warm-up; load average ${machine.loadBefore.join(" ")} before, ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} after.\n`);
    }
  }
}

/** @type {Record<string, Record<string, number>>} */
const coldSummary = {};
if (want("cold")) {
  if (!fs.existsSync(path.join(DIST, "compose/load.js"))) {
    skipped.cold = "dist/compose/load.js is not built (npm run build)";
    console.error(`\n!!! cold SKIPPED: ${skipped.cold}\n`);
  } else {
    // Phases of one fresh process on each 500-service file, as the CLI meets them.
    const coldRuns = Number(args["cold-runs"]);
    const machine = machineInfo();
    const keys = ["bootMs", "importLoaderMs", "firstLoadMs", "secondLoadMs", "importSerializerMs", "serializeMs"];
    /** @type {Record<string, Record<string, number | undefined>[]>} */
    const samples = {};
    for (const v of VARIANTS.filter((x) => x.services === 500)) {
      const p = writeComposeProject({ services: v.services, seed, aliases: v.aliases });
      const label = v.aliases ? "500 services" : "500 services, aliases expanded";
      samples[label] = [];
      for (let i = 0; i < coldRuns + 1; i++) {
        const r = spawnSync(process.execPath, [path.join(REPO_DIR, "bench/lib/cold-load.mjs"), p.file, DIST], { cwd: p.dir, env, encoding: "utf8" });
        if (r.status !== 0) {
          skipped[`cold: ${label}`] = `cold-load exited ${r.status}: ${gist(r.stderr).slice(0, 400)}`;
          console.error(`\n!!! cold, ${label}: ${skipped[`cold: ${label}`]}\n`);
          break;
        }
        if (i > 0) samples[label]?.push(JSON.parse(r.stdout)); // the first is a warm-up (page cache)
      }
      const xs = samples[label] ?? [];
      if (xs.length === 0) continue;
      /** @type {Record<string, number>} */
      const medians = {};
      for (const k of keys) {
        const ks = xs.map((s) => s[k]).filter((x) => typeof x === "number");
        if (ks.length) medians[k] = stats(/** @type {number[]} */ (ks)).median;
      }
      coldSummary[label] = medians;
    }
    const labels = Object.keys(coldSummary);
    if (labels.length > 0) {
      const cold = { name: out("config-cold"), title: "phases of one cold process", runs: coldRuns, machine, loadAfter: os.loadavg(), finishedAt: new Date().toISOString(), medians: coldSummary, samples };
      writeResult(out("config-cold"), cold);
      console.log(`### ${cold.title} (median ms)\n\n| phase | ${labels.join(" | ")} |\n|---|${labels.map(() => "---:").join("|")}|`);
      for (const k of keys) console.log(`| ${k} | ${labels.map((l) => (coldSummary[l]?.[k] === undefined ? "" : fmtMs(/** @type {number} */ (coldSummary[l]?.[k])))).join(" | ")} |`);
      console.log(`\n${coldRuns} fresh processes each (after 1 warm-up); load average ${machine.loadBefore.join(" ")} before, ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} after.\n`);
    }
  }
}

// The goals, judged against this run.
/**
 * @param {string} group
 * @param {string} name
 */
const median = (group, name) => results[group]?.contenders.find((c) => c.name === name)?.stats.median;
const version = median("startup", "moor --version");
/** @type {{ goal: string, measured: string, met: boolean | undefined }[]} */
const goals = [];
for (const [group, suffix] of [["config-500", ""], ["config-500-noalias", " (aliases expanded: a diagnostic, not the goal's file)"]]) {
  if (!want(group)) continue;
  const dc = median(group, "docker-compose config");
  const moor = median(group, "moor config");
  const why = skipped[group] ? `not measured: ${skipped[group].slice(0, 120)}` : "not measured";
  goals.push(
    {
      goal: `moor config, 500 services${suffix}: ≥10× faster than docker-compose config`,
      measured: dc && moor ? `${(dc / moor).toFixed(1)}× (${fmtMs(moor)} vs ${fmtMs(dc)} ms)` : why,
      met: dc && moor ? dc / moor >= 10 : skipped[group] ? false : undefined,
    },
    { goal: `moor config, 500 services${suffix}: median < 300 ms`, measured: moor ? `${fmtMs(moor)} ms` : why, met: moor ? moor < 300 : skipped[group] ? false : undefined },
  );
}
for (const [name, suffix] of [["loadProject, 500 services", ""], ["loadProject, 500 services, aliases expanded", " (aliases expanded)"]]) {
  if (!want("inprocess")) continue;
  const m = median("inprocess", name);
  const why = skipped[`inprocess: ${name}`];
  goals.push({ goal: `in-process load + validate + normalize, 500 services${suffix}: < 100 ms`, measured: m ? `${fmtMs(m)} ms` : why ? `not measured: ${why.slice(0, 120)}` : "not measured", met: m ? m < 100 : why ? false : undefined });
}
if (want("startup")) goals.push({ goal: "moor --version: median < 80 ms", measured: version ? `${fmtMs(version)} ms` : "not measured", met: version ? version < 80 : undefined });
if (!only) {
  writeResult(out("config-summary"), { date: new Date().toISOString(), machine: machineInfo(), versions, goals, phases: phaseSummary, cold: coldSummary, skipped });
}
console.log("### goals\n\n| goal | measured | met |\n|---|---|---|");
for (const g of goals) console.log(`| ${g.goal} | ${g.measured} | ${g.met === undefined ? "–" : g.met ? "yes" : "**no**"} |`);
console.log("");
if (Object.keys(skipped).length > 0) {
  console.error(`incomplete run, skipped: ${Object.entries(skipped).map(([k, v]) => `${k} (${v})`).join("; ")}`);
  process.exitCode = 1;
}
