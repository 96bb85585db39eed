// The bundled CLI (dist/cli/moor.cjs, scripts/bundle-cli.mjs) and its V8 code cache: bin/moor.js
// runs it when it exists, and it must answer exactly as the modules of dist/ do
// (MOOR_NO_BUNDLE=1), with or without a usable code cache.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bundle = path.join(root, "dist/cli/moor.cjs");
const built = fs.existsSync(bundle);
const example = path.join(root, "examples/multi-tier");

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function moor(moorRoot: string, args: string[], env: Record<string, string> = {}, input?: string): Outcome {
  const r = spawnSync(process.execPath, ["--", path.join(moorRoot, "bin/moor.js"), ...args], {
    cwd: example,
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
    input,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CASES: { args: string[]; input?: string }[] = [
  { args: ["config"] },
  { args: ["config", "--format", "json"] },
  { args: ["config", "--services"] },
  { args: ["version"] },
  { args: ["confg"] },
  { args: ["-f", "-", "config"], input: "services:\n  web:\n    imagex: nginx\n" },
  { args: ["-f", "missing.yaml", "config"] },
];

// Without esbuild (an install without dev dependencies) there is no bundle, and bin/moor.js runs dist/ itself.
describe.skipIf(!built)("the bundled CLI", () => {
  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers as the modules of dist/ do", { timeout: 60_000 }, () => {
    for (const { args, input } of CASES) {
      const viaBundle = moor(root, args, {}, input);
      const viaModules = moor(root, args, { MOOR_NO_BUNDLE: "1" }, input);
      expect(viaBundle, args.join(" ")).toEqual(viaModules);
    }
    expect(moor(root, ["config", "--services"]).stdout.length).toBeGreaterThan(0);
  });

  it("runs the same without its code cache, with another bundle's, and with a corrupt one", { timeout: 60_000 }, () => {
    // A private copy of the build, so the shared dist/ is never changed.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "moor-bundle-"));
    scratch.push(copy);
    for (const part of ["bin", "dist", "schemas", "package.json"]) fs.cpSync(path.join(root, part), path.join(copy, part), { recursive: true, preserveTimestamps: true });
    fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
    const cache = path.join(copy, "dist/cli/moor.cjs.cache");
    const expected = moor(root, ["config"], { MOOR_NO_BUNDLE: "1" });
    const good = fs.readFileSync(cache);
    const variants: [string, Buffer | undefined][] = [
      ["no cache", undefined],
      ["another bundle's cache", Buffer.concat([Buffer.alloc(32, 1), good.subarray(32)])],
      ["corrupt V8 data", Buffer.concat([good.subarray(0, 32), Buffer.alloc(good.length - 32, 7)])],
    ];
    for (const [name, content] of variants) {
      if (content === undefined) fs.rmSync(cache, { force: true });
      else fs.writeFileSync(cache, content);
      expect(moor(copy, ["config"]), name).toEqual(expected);
    }
  });

  it("is left aside when dist/ is newer than it (tsc ran again, the bundle step did not)", { timeout: 60_000 }, () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "moor-bundle-"));
    scratch.push(copy);
    for (const part of ["bin", "dist", "schemas", "package.json"]) fs.cpSync(path.join(root, part), path.join(copy, part), { recursive: true, preserveTimestamps: true });
    fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
    // A bundle that cannot run: used, it would fail every command.
    fs.writeFileSync(path.join(copy, "dist/cli/moor.cjs"), 'throw new Error("stale bundle ran");\n');
    const past = new Date(fs.statSync(path.join(copy, "dist/cli/main.js")).mtimeMs - 60_000);
    fs.utimesSync(path.join(copy, "dist/cli/moor.cjs"), past, past);
    expect(moor(copy, ["config", "--services"])).toEqual(moor(root, ["config", "--services"], { MOOR_NO_BUNDLE: "1" }));
  });

  it("ends at once after `config` only with its whole output written (a megabyte through a pipe)", { timeout: 60_000 }, async () => {
    const { writeComposeProject } = await import("../../bench/lib/gen-compose.mjs");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-bundle-"));
    scratch.push(dir);
    const project = writeComposeProject({ services: 500, seed: 3, dir });
    const { loadProject } = await import("../../src/compose/load.js");
    const { nodeFileReader } = await import("../../src/cli/node-file-reader.js");
    const { serializeConfig } = await import("../../src/compose/serialize.js");
    const loaded = loadProject({ workingDir: dir, files: [project.file], env: { ...process.env }, homeDir: os.homedir(), reader: nodeFileReader });
    const expected = serializeConfig(loaded.project!, "yaml");
    expect(expected.length).toBeGreaterThan(1_000_000);
    const r = spawnSync(process.execPath, ["--", path.join(root, "bin/moor.js"), "-f", project.file, "config"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(expected.length);
    expect(r.stdout === expected).toBe(true);
  });

  it("carries nothing of the engine client or the terminal UI", () => {
    const text = fs.readFileSync(bundle, "utf8");
    for (const name of ["dockerode", "ink", "react", "chokidar", "execa"]) {
      expect(text, name).not.toMatch(new RegExp(`require\\("${name}"\\)|node_modules/${name}/`));
    }
  });
});
