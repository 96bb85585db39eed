// One fresh process that times the phases of a `moor config` the way the CLI meets them: node's
// own start-up, importing the loader, the first (cold, unoptimised) loadProject, a second (warm)
// one, and serializing the result. Prints one JSON line. bench/config.mjs runs it several times
// to say what dominates the whole-process time.
// Usage: node bench/lib/cold-load.mjs <compose file> [<dist dir>]
import path from "node:path";
import { performance } from "node:perf_hooks";
import os from "node:os";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const file = path.resolve(process.argv[2] ?? "compose.yaml");
const dist = path.resolve(process.argv[3] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "../../dist"));

// performance.now() counts from the process's time origin: this is node's start-up.
const boot = performance.now();
const { loadProject } = await import(pathToFileURL(path.join(dist, "compose/load.js")).href);
const { nodeFileReader } = await import(pathToFileURL(path.join(dist, "cli/node-file-reader.js")).href);
const imported = performance.now();

/** @type {Record<string, string | undefined>} */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COMPOSE_")));
const opts = { workingDir: path.dirname(file), files: [file], env, homeDir: os.homedir(), reader: nodeFileReader };
const first = loadProject(opts);
const loaded1 = performance.now();
const errors = first.diagnostics.filter((/** @type {{ severity: string }} */ d) => d.severity === "error");
if (errors.length > 0 || !first.project) {
  process.stderr.write(`loadProject reported ${errors.length} error(s); first: ${JSON.stringify(errors[0])}\n`);
  process.exit(1);
}
loadProject(opts);
const loaded2 = performance.now();

let serializeMs;
let serializeImportMs;
try {
  const t = performance.now();
  const { serializeConfig } = await import(pathToFileURL(path.join(dist, "compose/serialize.js")).href);
  const t1 = performance.now();
  serializeConfig(first.project, "yaml");
  serializeImportMs = t1 - t;
  serializeMs = performance.now() - t1;
} catch {
  // no serializer built yet: the other phases still mean something
}

process.stdout.write(
  `${JSON.stringify({
    bootMs: boot,
    importLoaderMs: imported - boot,
    firstLoadMs: loaded1 - imported,
    secondLoadMs: loaded2 - loaded1,
    importSerializerMs: serializeImportMs,
    serializeMs,
    services: Object.keys(first.project.services).length,
  })}\n`,
);
