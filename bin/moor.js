#!/bin/sh
":" //; if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then MOOR_DEFERRED_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export MOOR_DEFERRED_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS; fi; exec node -- "$0" "$@"
// The `moor` command is this one file read twice: first by sh (the line above; for JavaScript it
// is a string and a comment), then by node. sh moves NODE_EXTRA_CA_CERTS aside, because node
// parses that whole file of certificates before the first line of any script runs: ≈ 30 ms of
// every start with Debian's bundle of ≈ 140 (a bare node start is 20 ms without it, 50 with it;
// docs/performance.md), while moor needs them only for a TLS connection. `node bin/moor.js`
// skips sh and behaves the same, paying node's start. `node --` ends node's own options: Node 20
// would otherwise take `--env-file` for itself. moor runs on Linux and macOS, which have sh.
import { createRequire } from "node:module";

// Back into the environment for the programs moor runs (ssh, credential helpers), and kept for
// src/engine/tls-agent.ts, which adds the file's certificates to the roots of moor's own TLS
// connections: trust is what node would have given, loaded when first needed.
const deferredCa = process.env.MOOR_DEFERRED_EXTRA_CA_CERTS;
delete process.env.MOOR_DEFERRED_EXTRA_CA_CERTS;
if (deferredCa && process.env.NODE_EXTRA_CA_CERTS === undefined) {
  process.env.NODE_EXTRA_CA_CERTS = deferredCa;
  globalThis[Symbol.for("moor.deferredExtraCaCerts")] = deferredCa;
}

/** Set by loadBundle when the build asks for a code cache (MOOR_CODE_CACHE_OUT). */
let writeCodeCache;

// `moor --version` answers before any module loads: it is typed often and must feel instant.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(`moor version v${createRequire(import.meta.url)("../package.json").version}\n`);
} else {
  // MOOR_NO_BUNDLE=1: the modules of dist/ one by one, as tsc wrote them (debugging, tests).
  const cli = (process.env.MOOR_NO_BUNDLE ? undefined : await loadBundle()) ?? (await import("../dist/cli/main.js"));
  process.exitCode = await cli.run(process.argv);
  await writeCodeCache?.();
  if (cli.mayEndAtOnce?.()) await endNow();
}

/**
 * The command is done and said so (mayEndAtOnce, src/cli/ending.ts): end the process now rather
 * than when node's event loop runs dry, which first finishes the garbage collection under way
 * (10–20 ms after a 500-service `moor config`). Not while something still waits for the loop to empty
 * ('beforeExit'); queued output goes out first, and 'exit' handlers run.
 */
async function endNow() {
  if (process.listenerCount("beforeExit") > 0) return;
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0 && !stream.destroyed) {
      await new Promise((resolve) => {
        stream.once("drain", resolve);
        stream.once("error", resolve);
        stream.once("close", resolve);
      });
    }
  }
  process.exit();
}

/**
 * The CLI from dist/cli/moor.cjs (scripts/bundle-cli.mjs), compiled with its V8 code cache: one
 * file to read and little to compile instead of some sixty modules. Undefined without a bundle
 * (an install without dev dependencies); then dist/cli/main.js runs, module by module.
 */
async function loadBundle() {
  const [{ readFileSync, statSync, writeFileSync }, { Script }, path, { fileURLToPath }, v8] = await Promise.all([
    import("node:fs"),
    import("node:vm"),
    import("node:path"),
    import("node:url"),
    import("node:v8"),
  ]);
  // A one-shot command is over before most of V8's optimised code arrives: a 500-service `moor
  // config` set off some 75 TurboFan compiles taking ≈ 290 ms of CPU on two cores, the largest
  // (the serializer's, the parser's) 20–35 ms each because of deep inlining. A smaller inlining
  // budget makes them cheaper and the command ≈ 15 ms faster (docs/performance.md). Set before
  // anything of moor is compiled; V8 folds the flags into the code cache's check, and the cache
  // is trained through this same file (scripts/bundle-cli.mjs), so the two agree.
  v8.setFlagsFromString("--max-inlined-bytecode-size-cumulative=100");
  const file = fileURLToPath(new URL("../dist/cli/moor.cjs", import.meta.url));
  let source;
  try {
    // A bundle older than dist/ (tsc ran again, the bundle step did not) would run old code.
    if (statSync(fileURLToPath(new URL("../dist/cli/main.js", import.meta.url))).mtimeMs > statSync(file).mtimeMs) return undefined;
    source = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __moorHostImport) {${source}\n})`;
  const out = process.env.MOOR_CODE_CACHE_OUT;
  let cachedData;
  if (out === undefined) {
    // The cache starts with the id on the bundle's first line (`// moor-bundle <sha-256>`,
    // scripts/bundle-cli.mjs): a rebuilt bundle of the same length must not run with another
    // build's bytecode.
    try {
      const cache = readFileSync(`${file}.cache`);
      const id = /^\/\/ moor-bundle ([0-9a-f]{64})\n/.exec(source.slice(0, 80))?.[1];
      if (id !== undefined && cache.subarray(0, 32).equals(Buffer.from(id, "hex"))) cachedData = cache.subarray(32);
    } catch {
      // no cache: compile as usual
    }
  }
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file), (specifier) => import(specifier));
  if (out !== undefined) {
    writeCodeCache = async () => {
      const hash = Buffer.from(process.env.MOOR_CODE_CACHE_HASH ?? "", "hex");
      writeFileSync(out, Buffer.concat([hash, script.createCachedData()]));
    };
  }
  return module.exports;
}
