// Builds a private snapshot of moor into .bench-tmp/build/ (bin/, dist/, package.json), so a
// long benchmark is not measuring whatever someone else's `npm run build` left in dist/ half-way
// through the run. Then: node bench/config.mjs --moor-root .bench-tmp/build
// The shared dist/ and bin/moor.js remain the default.
import { spawnSync } from "node:child_process";
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { REPO_DIR } from "./harness.mjs";
import { TMP_DIR } from "./gen-compose.mjs";

const root = path.join(TMP_DIR, "build");
fs.rmSync(root, { recursive: true, force: true });
fs.mkdirSync(path.join(root, "bin"), { recursive: true });
const tsc = path.join(REPO_DIR, "node_modules/typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", path.join(root, "dist")], { cwd: REPO_DIR, stdio: "inherit" });
// As `npm run build` does: the schema compiled to standalone code beside validate.js, and the
// schema itself where dist/ looks for it (../../schemas from dist/compose).
const schemaBuild = path.join(REPO_DIR, "scripts/build-schema.mjs");
const s = fs.existsSync(schemaBuild)
  ? spawnSync(process.execPath, [schemaBuild, "--out", path.join(root, "dist/compose/schema-validator.cjs")], { cwd: REPO_DIR, stdio: "inherit" })
  : { status: 0 };
if (fs.existsSync(path.join(REPO_DIR, "schemas"))) fs.cpSync(path.join(REPO_DIR, "schemas"), path.join(root, "schemas"), { recursive: true });
fs.copyFileSync(path.join(REPO_DIR, "package.json"), path.join(root, "package.json"));
// What was built: the commit, and whether the working tree (others' uncommitted work) differed.
const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_DIR, encoding: "utf8" }).stdout.trim();
const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no", "--", "src", "schemas", "scripts"], { cwd: REPO_DIR, encoding: "utf8" }).stdout.trim() !== "";
fs.writeFileSync(path.join(root, "BUILD-INFO.json"), `${JSON.stringify({ commit: head, uncommittedChanges: dirty, builtAt: new Date().toISOString(), tscStatus: r.status })}\n`);
// The repository's own launcher (it may answer some commands before loading dist/).
fs.copyFileSync(path.join(REPO_DIR, "bin/moor.js"), path.join(root, "bin/moor.js"));
// As `npm run build` does: the bundled CLI and its code cache, when the repository has the script.
const bundleScript = path.join(REPO_DIR, "scripts/bundle-cli.mjs");
const b = r.status === 0 && fs.existsSync(bundleScript) ? spawnSync(process.execPath, [bundleScript, "--root", root], { cwd: REPO_DIR, stdio: "inherit" }) : { status: 0 };
if (r.status !== 0 || s.status !== 0 || b.status !== 0) {
  console.error(`snapshot-build: tsc exited ${r.status}, build-schema ${s.status}, bundle-cli ${b.status}; the snapshot in ${root} may be incomplete`);
  process.exitCode = 1;
} else console.log(root);
