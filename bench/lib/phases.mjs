// Where a warm loadProject spends its time: the loader's stages called one by one, in the order
// src/compose/load.ts calls them (parse, interpolate, cast, validate, merge, normalize,
// consistency), then the serializer `moor config` prints with. It mirrors load.ts rather than
// importing a private seam, so when the loader's stages change this breakdown must follow:
// it fails loudly (a missing export or a diagnostic) rather than time something else.
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { ContenderFailed, stats } from "./harness.mjs";

/**
 * @param {string} dist  the dist/ directory to import from
 * @param {string} rel
 */
const load = (dist, rel) => import(pathToFileURL(path.join(dist, rel)).href);

/**
 * Median milliseconds of each stage over `runs` passes after `warmup` passes.
 * @param {{ dist: string, file: string, env: Record<string, string | undefined>, runs: number, warmup: number }} o
 * @returns {Promise<{ medians: Record<string, number>, samples: Record<string, number[]> }>}
 */
export async function measurePhases({ dist, file, env, runs, warmup }) {
  const [{ parseComposeYaml }, { interpolateDocument }, { castTypedValues }, { validateDocument }, { mergeDocuments }, { normalizeProject }, { checkConsistency }, { DiagnosticBag }, { makeLocator }, { nodeFileReader }, { serializeConfig }] =
    await Promise.all(
      [
        "compose/source.js",
        "compose/interpolate.js",
        "compose/cast.js",
        "compose/validate.js",
        "compose/merge.js",
        "compose/normalize.js",
        "compose/consistency.js",
        "compose/diagnostics.js",
        "compose/load.js",
        "cli/node-file-reader.js",
        "compose/serialize.js",
      ].map((rel) => load(dist, rel)),
    );
  const fns = { parseComposeYaml, interpolateDocument, castTypedValues, validateDocument, mergeDocuments, normalizeProject, checkConsistency, DiagnosticBag, makeLocator, serializeConfig };
  for (const [name, f] of Object.entries(fns)) if (typeof f !== "function") throw new ContenderFailed("phases", `dist no longer exports ${name}: bench/lib/phases.mjs must follow load.ts`);

  const text = /** @type {string} */ (nodeFileReader.readFile(file));
  const workingDir = path.dirname(file);
  /** @type {Record<string, string>} */
  const environment = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) environment[k] = v;
  for (const line of (nodeFileReader.readFile(path.join(workingDir, ".env")) ?? "").split("\n")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m && environment[m[1]] === undefined) environment[m[1]] = m[2];
  }
  const lookup = (/** @type {string} */ name) => environment[name];
  const names = ["parse", "interpolate", "cast", "validate", "merge", "normalize", "consistency", "serialize"];
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(names.map((n) => [n, []]));

  for (let i = 0; i < warmup + runs; i++) {
    const bag = new DiagnosticBag();
    /** @type {number[]} */
    const t = [performance.now()];
    const docs = parseComposeYaml(file, text, bag);
    t.push(performance.now());
    for (const doc of docs) interpolateDocument(doc, lookup, bag, new Set());
    t.push(performance.now());
    for (const doc of docs) castTypedValues(doc, bag);
    t.push(performance.now());
    for (const doc of docs) validateDocument(doc, bag);
    t.push(performance.now());
    /** @type {unknown} */
    let merged = {};
    for (const doc of docs) merged = mergeDocuments(merged, doc, bag, { adoptOverlay: true });
    t.push(performance.now());
    const locate = makeLocator(docs);
    const project = normalizeProject(merged, { projectName: "bench", workingDir, homeDir: os.homedir(), env: environment, reader: nodeFileReader, resolvePaths: true }, bag, locate);
    t.push(performance.now());
    checkConsistency(project, bag, locate, {});
    t.push(performance.now());
    serializeConfig(project, "yaml");
    t.push(performance.now());
    const errors = bag.items.filter((/** @type {{ severity: string }} */ d) => d.severity === "error");
    if (errors.length > 0) throw new ContenderFailed("phases", `${errors.length} error(s) on ${file}, first: ${errors[0].message}`);
    if (i >= warmup) names.forEach((n, k) => samples[n]?.push(t[k + 1] - t[k]));
  }
  /** @type {Record<string, number>} */
  const medians = {};
  for (const n of names) medians[n] = stats(samples[n] ?? []).median;
  return { medians, samples };
}
