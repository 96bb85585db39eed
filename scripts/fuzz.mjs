// A longer run of the loader fuzzer than CI's (test/fuzz/loader.fuzz.test.ts, 10,000 inputs), plus
// the CLI on a sample of the fuzzed files: `moor config` must exit 0 or 1, never with a stack trace.
//
//   npm run build && node scripts/fuzz.mjs [--runs 100000] [--seed 42] [--extra-seeds /work/shared/seeds] [--cli 30]
//
// The fuzz cases run in-process under vitest; a watchdog kills the run when no new case starts for
// --stall seconds (a hang) and prints the case it was on. Exit 0 when everything held.
import { spawn, spawnSync } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { clearInterval, setInterval } from "node:timers";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    seed: { type: "string", default: String(Date.now() % 2 ** 31) },
    "extra-seeds": { type: "string", default: "/work/shared/seeds" },
    cli: { type: "string", default: "30" },
    stall: { type: "string", default: "60" },
  },
});
const runs = Number(opts.runs);
const cliCases = Number(opts.cli);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "moor-fuzz-"));
const trace = path.join(work, "current-case.json");
const samples = path.join(work, "samples");
fs.mkdirSync(samples);

console.log(`fuzz: ${runs} inputs, seed ${opts.seed}, work dir ${work}`);
const env = {
  ...process.env,
  MOOR_FUZZ_SEED: opts.seed,
  MOOR_FUZZ_RUNS: String(runs),
  MOOR_FUZZ_TRACE: trace,
  MOOR_FUZZ_SAMPLE_DIR: cliCases > 0 ? samples : "",
  MOOR_FUZZ_SAMPLES: String(cliCases),
  ...(fs.existsSync(opts["extra-seeds"]) ? { MOOR_FUZZ_EXTRA_SEEDS: opts["extra-seeds"] } : {}),
};
const started = Date.now();
const child = spawn(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--project", "unit", "test/fuzz/loader.fuzz.test.ts"], {
  cwd: root,
  env,
  stdio: "inherit",
});
let stalled = false;
const watchdog = setInterval(() => {
  const last = fs.existsSync(trace) ? fs.statSync(trace).mtimeMs : started;
  if (Date.now() - last > Number(opts.stall) * 1000) {
    stalled = true;
    console.error(`fuzz: no new case for ${opts.stall} s: a hang. The case: ${trace}`);
    child.kill("SIGKILL");
  }
}, 2000);
const code = await new Promise((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
clearInterval(watchdog);
console.log(`fuzz: in-process run ${code === 0 ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

let cliFailures = 0;
const cases = fs.readdirSync(samples).sort();
if (cases.length > 0 && !fs.existsSync(path.join(root, "dist/cli/main.js"))) {
  console.error("fuzz: dist/ is missing, skipping the CLI cases: run `npm run build` first");
} else {
  let agree = 0;
  for (const name of cases) {
    const dir = path.join(samples, name);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "fuzz-case.json"), "utf8"));
    // No shell: the fuzzed text never reaches a command line.
    const r = spawnSync(process.execPath, ["--", path.join(root, "bin/moor.js"), "config", "-q"], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...meta.env },
      encoding: "utf8",
      timeout: 60_000,
    });
    const crashed = /moor hit a bug|^\s+at .+:\d+:\d+\)?$/m.test(r.stderr) || (r.status !== 0 && r.status !== 1);
    if (crashed) {
      cliFailures++;
      console.error(`fuzz: CLI on ${dir}: exit ${r.status} ${r.signal ?? ""}\n${r.stderr}`);
    }
    if ((r.status === 0) === meta.loaded) agree++;
  }
  console.log(`fuzz: CLI \`moor config -q\` on ${cases.length} fuzzed projects: ${cases.length - cliFailures} exited 0 or 1 without a stack trace; ${agree} agree with the in-process result`);
}
if (code === 0 && !stalled && cliFailures === 0) fs.rmSync(work, { recursive: true, force: true });
process.exit(code === 0 && !stalled && cliFailures === 0 ? 0 : 1);
