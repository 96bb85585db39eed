// Fixed-seed fuzzing of the loader (docs/reliability.md): mutated seed projects must load or give
// located errors, never throw or hang. MOOR_FUZZ_SEED / MOOR_FUZZ_RUNS / MOOR_FUZZ_EXTRA_SEEDS
// change the run (scripts/fuzz.mjs sets them for longer runs); the defaults are what CI runs.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SOURCE_LIMITS } from "../../src/compose/positions.js";
import { loadInMemory, loadProblems } from "./check-load.js";
import { aliasBomb, applyMutations, mutationArb } from "./mutations.js";
import { markdownSeeds, repoSeeds, type Seed } from "./seeds.js";

const SEED = Number(process.env.MOOR_FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.MOOR_FUZZ_RUNS ?? 10_000);
const TRACE = process.env.MOOR_FUZZ_TRACE;
/** scripts/fuzz.mjs: write every n-th case here (up to MOOR_FUZZ_SAMPLES) to run the CLI on. */
const SAMPLE_DIR = process.env.MOOR_FUZZ_SAMPLE_DIR;
const SAMPLES = Number(process.env.MOOR_FUZZ_SAMPLES ?? 0);

function writeSample(index: number, seed: Seed, files: Record<string, string>, loaded: boolean): void {
  const dir = path.join(SAMPLE_DIR!, `case-${String(index).padStart(6, "0")}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.writeFileSync(path.join(dir, "fuzz-case.json"), JSON.stringify({ seed: seed.name, env: seed.env, loaded }));
}
const seeds: Seed[] = [...repoSeeds(), ...(process.env.MOOR_FUZZ_EXTRA_SEEDS ? markdownSeeds(process.env.MOOR_FUZZ_EXTRA_SEEDS) : [])];

const caseArb = fc.record({
  seed: fc.nat({ max: seeds.length - 1 }),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
});

describe("loader fuzzing", () => {
  it("has seeds from the fixtures and the examples", () => {
    expect(seeds.length).toBeGreaterThanOrEqual(100);
  });

  it("every seed loads cleanly before it is mutated", () => {
    const failing = seeds
      .filter((s) => !s.name.includes("#")) // tutorial snippets may be invalid as written
      .map((s) => ({ name: s.name, problems: loadProblems(s.files, loadInMemory(s.files, s.env)) }))
      .filter((r) => r.problems.length > 0);
    expect(failing).toEqual([]);
  });

  it(
    `${RUNS} mutated projects load or give located errors (seed ${SEED})`,
    () => {
      let loaded = 0;
      let refused = 0;
      const started = performance.now();
      fc.assert(
        fc.property(caseArb, ({ seed, mutations }) => {
          const s = seeds[seed]!;
          const files = applyMutations(s.files, mutations);
          // A sync hang cannot be interrupted in-process: the trace names the input a killed run was on.
          if (TRACE) fs.writeFileSync(TRACE, JSON.stringify({ seed: s.name, mutations, files }));
          const outcome = loadInMemory(files, s.env);
          const problems = loadProblems(files, outcome);
          if (problems.length > 0) throw new Error(`${s.name}: ${problems.join("; ")}`);
          if (outcome.result.project) loaded++;
          else refused++;
          const index = loaded + refused;
          if (SAMPLE_DIR && index % Math.max(1, Math.floor(RUNS / SAMPLES)) === 0 && index / Math.floor(RUNS / SAMPLES) <= SAMPLES) {
            writeSample(index, s, files, outcome.result.project !== undefined);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: process.env.MOOR_FUZZ_NO_SHRINK === "1" },
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(`loader fuzz: ${RUNS} inputs (seed ${SEED}) in ${seconds.toFixed(1)} s: ${loaded} loaded, ${refused} refused with located errors`);
      // Both outcomes must be common, or the mutations are too weak (or too destructive) to test anything.
      expect(loaded).toBeGreaterThan(RUNS / 20);
      expect(refused).toBeGreaterThan(RUNS / 5);
    },
    Math.max(120_000, RUNS * 30),
  );
});

// A bomb takes about a second to refuse on an idle machine; the limit only keeps a loaded one from failing.
describe("hostile documents are refused with a clear message", { timeout: 60_000 }, () => {
  const refusedWith = (text: string, code: string) => {
    const outcome = loadInMemory({ "compose.yaml": text }, {});
    expect(loadProblems({ "compose.yaml": text }, outcome)).toEqual([]);
    expect(outcome.result.project).toBeUndefined();
    expect(outcome.result.diagnostics.map((d) => d.code)).toContain(code);
    return { ...outcome.result.diagnostics.find((d) => d.code === code)!, all: outcome.result.diagnostics.map((d) => d.code) };
  };

  it.each([
    ["billion laughs", aliasBomb(0, 10, 9)],
    ["merge-key fan-out", aliasBomb(1, 10, 9)],
    ["block-style bomb into service fields", aliasBomb(2, 10, 9)],
  ])("an alias bomb (%s)", (_name, text) => {
    const d = refusedWith(text, "yaml.alias-limit");
    expect(d.message).toMatch(/alias bomb/);
    // The refusal is the one error: nothing about the values the refusal left out.
    expect(d.all).toEqual(["yaml.alias-limit"]);
  });

  it("a document nested deeper than the limit, in flow and block style", () => {
    const depth = SOURCE_LIMITS.maxDepth + 10;
    refusedWith(`services:\n  web:\n    image: x\nx-deep: ${"[".repeat(depth)}1${"]".repeat(depth)}\n`, "yaml.too-deep");
    const block = Array.from({ length: depth }, (_, i) => `${"  ".repeat(i + 1)}k${i}:`).join("\n");
    refusedWith(`services:\n  web:\n    image: x\nx-deep:\n${block} 1\n`, "yaml.too-deep");
  });

  it("a too-deep value used through an alias fan-out is reported once (found by the fuzzer: it took 53 s)", () => {
    const deep = `${"[".repeat(SOURCE_LIMITS.maxDepth + 10)}x${"]".repeat(SOURCE_LIMITS.maxDepth + 10)}`;
    const text = `x-m0: ${deep}\n` + aliasBomb(1, 5, 4).split("\n").slice(1).join("\n");
    const outcome = loadInMemory({ "compose.yaml": text }, {});
    expect(outcome.result.diagnostics.filter((d) => d.code === "yaml.too-deep")).toHaveLength(1);
  });

  it("a very deep flow document does not overflow the stack", () => {
    refusedWith(`services:\n  web:\n    image: x\nx-deep: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, "yaml.too-deep");
  });

  it("a file over the size limit", () => {
    const text = `services:\n  web:\n    image: x\nx-big: "${"a".repeat(SOURCE_LIMITS.maxBytes)}"\n`;
    const d = refusedWith(text, "yaml.too-large");
    expect(d.message).toMatch(/up to/);
  });
});
