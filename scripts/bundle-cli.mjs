#!/usr/bin/env node
// Bundles the CLI's start-up path into one CommonJS file, dist/cli/moor.cjs, and writes a V8 code
// cache for it, dist/cli/moor.cjs.cache, so that a `moor config` does not spend its first
// hundred milliseconds resolving, reading and compiling some sixty modules (docs/performance.md).
// Runs after tsc (`npm run build`), from dist/:
//
// - In the bundle: dist/cli/main.js, everything it imports statically (commander, the command
//   registrations) and `config`'s command module with what it imports (the loader, the
//   serializer). Every other command stays where tsc put it and is imported when it runs, as
//   without the bundle: the bundle's `import("./commands/up.js")` becomes a call of the loader
//   bin/moor.js hands in, with the path from dist/. So dockerode, ink and react stay out (checked
//   below), and a command's modules are evaluated only when it runs. `deploy` and `stack` are
//   bundled too (their modules are the loader's plus the swarm translation, planner and node:http
//   client), so a detached deploy does not import sixty modules from dist/ one by one.
// - The code cache: bin/moor.js compiles the bundle with `vm.Script` and this cache. It is made
//   by running `moor config` once on a generated 40-service project with MOOR_CODE_CACHE_OUT set,
//   after which bin/moor.js writes `script.createCachedData()`: the bytecode of every function
//   that run compiled, lazily compiled ones included. The bundle's first line is
//   `// moor-bundle <SHA-256 of the rest>` and the cache file starts with the same 32 bytes;
//   bin/moor.js uses the cache only for that exact bundle (without hashing it at start), and V8
//   itself rejects a cache from another V8 version or with other flags (then the bundle is
//   compiled as usual). bin/moor.js sets its one V8 flag before compiling, in the training run
//   too, so the cache is made under the flags it is used with.
//
// Without esbuild (an install without dev dependencies) nothing is bundled: bin/moor.js then
// imports dist/cli/main.js as before. usage: node scripts/bundle-cli.mjs [--root DIR] [--no-cache]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// --root DIR: another build's bin/ and dist/ (bench/lib/snapshot-build.mjs); the repository by default.
const rootFlag = process.argv.indexOf("--root");
const root = rootFlag >= 0 && process.argv[rootFlag + 1] ? path.resolve(process.argv[rootFlag + 1]) : repo;
const dist = path.join(root, "dist");
const out = path.join(dist, "cli", "moor.cjs");
const cacheFile = `${out}.cache`;
/** The command modules the bundle carries; every other one is imported from dist/ when it runs. */
// `deploy` and `stack` are here because a detached `moor deploy` is measured against `docker stack
// deploy -d`, which returns in some 50 ms: their modules (the swarm translation, planner and the
// JSON client) are pure or node:http, no package beyond the loader's and p-limit
// (docs/performance.md).
const BUNDLED_DYNAMIC = new Set(["config.js", "deploy.js", "stack.js"].map((m) => path.join(dist, "cli", "commands", m)));
/** Packages the bundle may carry or require: what `config` and `--version` need, nothing of the engine or the UI. */
const ALLOWED_PACKAGES = new Set(["commander", "safe-stable-stringify", "ajv", "fast-deep-equal", "p-limit", "yocto-queue"]);

fs.rmSync(out, { force: true });
fs.rmSync(cacheFile, { force: true });

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  process.stderr.write("bundle-cli: esbuild is not installed; bin/moor.js will import dist/ module by module\n");
  process.exit(0);
}

const packageOf = (spec) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);

/** @type {import("esbuild").Plugin} */
const moorPlugin = {
  name: "moor-dist",
  setup(build) {
    // The schema's standalone validator (scripts/build-schema.mjs) is required at run time by a
    // computed name, which a bundler cannot follow; handed to validate.js from the bundle, its
    // code joins the code cache. Loaded on first use, as before.
    build.onResolve({ filter: /^moor-virtual:schema-validator$/ }, () => ({ path: "schema-validator", namespace: "moor-virtual" }));
    build.onLoad({ filter: /.*/, namespace: "moor-virtual" }, (args) =>
      args.path === "lazy-child-process"
        ? { contents: 'module.exports = new Proxy({}, { get: (_target, key) => require("node:child_process")[key] });', loader: "js" }
        : {
            contents: `export const loadSchemaValidator = () => require(${JSON.stringify(path.join(dist, "compose", "schema-validator.cjs"))});`,
            resolveDir: path.join(dist, "compose"),
            loader: "js",
          },
    );
    // commander requires node:child_process at its top for executable subcommands, which moor
    // has none of; loading it costs every command some 2 ms, so the bundle hands commander a
    // stand-in that loads the real module on first use.
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /node_modules\/commander\//.test(args.importer) ? { path: "lazy-child-process", namespace: "moor-virtual" } : undefined,
    );
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point" || args.path.startsWith("node:")) return undefined;
      const relative = args.path.startsWith(".") || args.path.startsWith("/");
      if (args.kind === "dynamic-import") {
        if (!relative) return { path: `moor-pkg:${args.path}`, external: true };
        const target = path.resolve(args.resolveDir, args.path);
        if (BUNDLED_DYNAMIC.has(target)) return undefined;
        return { path: `moor-dist:${path.relative(dist, target).split(path.sep).join("/")}`, external: true };
      }
      if (!relative && !ALLOWED_PACKAGES.has(packageOf(args.path)) && !isBuiltin(args.path)) {
        return { errors: [{ text: `the bundle would load the package "${args.path}" (from ${path.relative(root, args.importer)}); import it lazily or allow it in scripts/bundle-cli.mjs` }] };
      }
      return undefined;
    });
    // A module's own URL, as it would be in dist/: what its createRequire resolves from.
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      let text = await fs.promises.readFile(args.path, "utf8");
      if (args.path === path.join(dist, "compose", "validate.js")) {
        const call = "require(STANDALONE_VALIDATOR)";
        if (!text.includes(call)) return { errors: [{ text: `dist/compose/validate.js no longer loads the validator with ${call}: update scripts/bundle-cli.mjs` }] };
        text = `import { loadSchemaValidator as __moorLoadSchemaValidator } from "moor-virtual:schema-validator";\n${text.replace(call, "__moorLoadSchemaValidator()")}`;
      }
      if (!text.includes("import.meta")) return { contents: text, loader: "js" };
      const rel = path.relative(dist, args.path).split(path.sep).join("/");
      const replaced = text.replaceAll("import.meta.url", `__moorFileUrl(${JSON.stringify(rel)})`);
      if (replaced.includes("import.meta")) return { errors: [{ text: `${rel} uses import.meta beyond import.meta.url` }] };
      return { contents: replaced, loader: "js" };
    });
  },
};

const builtins = new Set((await import("node:module")).builtinModules);
function isBuiltin(spec) {
  return builtins.has(spec) || builtins.has(spec.split("/")[0]);
}

const result = await esbuild.build({
  entryPoints: [path.join(dist, "cli", "main.js")],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  write: false,
  metafile: true,
  logLevel: "warning",
  plugins: [moorPlugin],
  outfile: out,
  banner: {
    js: [
      "// Generated by scripts/bundle-cli.mjs from dist/ (npm run build). Do not edit.",
      '"use strict";',
      // dist/ is the bundle's parent directory; `__moorHostImport` is bin/moor.js's import().
      'const __moorDist = require("node:path").join(__dirname, "..");',
      'const __moorFileUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__moorDist, rel)).href;',
      'const __moorImport = (kind, spec) => { const target = kind === "dist" ? __moorFileUrl(spec) : spec; return typeof __moorHostImport === "function" ? __moorHostImport(target) : import(target); };',
    ].join("\n"),
  },
});

let code = result.outputFiles[0].text;
let rewritten = 0;
code = code.replace(/\bimport\("moor-(dist|pkg):([^"]+)"\)/g, (_m, kind, spec) => {
  rewritten++;
  return `__moorImport(${JSON.stringify(kind)}, ${JSON.stringify(spec)})`;
});
if (/moor-(dist|pkg):/.test(code)) throw new Error("bundle-cli: an external import was left unrewritten");
// esbuild writes strings and identifiers in ASCII (\u escapes) but leaves comments as they are;
// one `…` in a comment makes V8 hold the whole 900 KiB source as two-byte text, decoded from
// UTF-8 at every start. Escaped, the source stays one-byte (an escape is inert in a comment and
// means the same character anywhere else).
code = code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
// The bundle's first line names it by the SHA-256 of the rest; its code cache starts with the same
// 32 bytes, so bin/moor.js pairs the two without hashing 900 KiB (and loading node:crypto) at
// every start.
const bundleId = createHash("sha256").update(code).digest("hex");
code = `// moor-bundle ${bundleId}\n${code}`;
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m && !ALLOWED_PACKAGES.has(m[1])) throw new Error(`bundle-cli: the bundle carries ${m[1]} (${input})`);
}
fs.writeFileSync(out, code);

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
let cacheNote = "no code cache (--no-cache)";
if (!process.argv.includes("--no-cache")) cacheNote = await trainCodeCache();
process.stdout.write(`bundle-cli: ${path.relative(repo, out)} ${kib(code.length)}, ${Object.keys(result.metafile.inputs).length} modules, ${rewritten} imports left to dist/; ${cacheNote}\n`);

/**
 * Runs `moor config` once through the bundle with MOOR_CODE_CACHE_OUT, so that bin/moor.js
 * writes the code cache of everything that run compiled.
 */
async function trainCodeCache() {
  // The benchmarks' generator: the shapes real files have (anchors, both syntaxes of each field).
  const { writeComposeProject } = await import("../bench/lib/gen-compose.mjs");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-code-cache-"));
  try {
    const project = writeComposeProject({ services: 40, seed: 7, dir });
    const r = spawnSync(process.execPath, ["--", path.join(root, "bin", "moor.js"), "-f", project.file, "config"], {
      cwd: dir,
      env: { ...process.env, MOOR_CODE_CACHE_OUT: cacheFile, MOOR_CODE_CACHE_HASH: bundleId },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (r.status !== 0 || !fs.existsSync(cacheFile)) {
      fs.rmSync(cacheFile, { force: true });
      return `no code cache: the training run failed (${r.status}) ${r.stderr.slice(0, 500)}`;
    }
    return `code cache ${kib(fs.statSync(cacheFile).size)}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
