// `moor watch` as a machine reads it, on a real engine: with --progress json every line it writes
// (the first up's progress, the session's events, each job's progress) is a JSON object valid
// against the documented schema, and a sync, a broken compose file and its fix appear as events.
// And a piped `moor watch` (stdout not a terminal) runs without ever loading ink or react.
// Every wait has a generous deadline and asserts on state, never on how long something took.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { execa, type ResultPromise } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { progressJsonSchema } from "../../src/ui/json-lines.js";
import { cleanupProject, repoRoot, requireEngine, requireImages, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-watch-json-"));
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

interface Running {
  stdout: () => string;
  stderr: () => string;
  /** Resolves when `check` holds for the output so far; fails if moor exits first. */
  waitFor: (what: string, check: () => boolean) => Promise<void>;
  /** Ctrl-C, then the exit code. */
  stop: () => Promise<number | undefined>;
}

const running: Running[] = [];
const projects: string[] = [];

function startMoor(dir: string, args: string[], nodeArgs: string[] = []): Running {
  const proc: ResultPromise = execa(process.execPath, [...nodeArgs, path.join(repoRoot, "bin", "moor.js"), ...args], { cwd: dir, env: { NO_COLOR: "1" }, extendEnv: true, reject: false, buffer: false });
  let out = "";
  let err = "";
  proc.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  let exited = false;
  const done = proc.then((r) => {
    exited = true;
    return r;
  });
  const r: Running = {
    stdout: () => out,
    stderr: () => err,
    waitFor: async (what, check) => {
      const end = Date.now() + 90_000;
      while (!check()) {
        if (exited) throw new Error(`moor exited while waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    },
    stop: async () => {
      if (!exited) proc.kill("SIGINT");
      return (await done).exitCode;
    },
  };
  running.push(r);
  return r;
}

function project(files: Record<string, string>): { name: string; dir: string; write: (file: string, text: string) => void } {
  const name = uniqueProject("watchjson");
  projects.push(name);
  const dir = path.join(scratch, name);
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  for (const [f, t] of Object.entries(files)) write(f, t);
  return { name, dir, write };
}

const compose = (extra = "") => `
services:
  web:
    image: ${TEST_IMAGES.busybox}
    command: ${SERVE}
${extra}    develop:
      watch:
        - path: ./src
          action: sync
          target: /app
`;

/** The JSON objects among `text`'s lines; a line that is not JSON fails with the line. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${l}`);
      }
    });
}

describe.skipIf(!engine)("moor watch as machines read it", () => {
  const e = engine!;

  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("--progress json: every line is a valid JSON object; a sync, the compose file broken and fixed are events", async () => {
    await requireImages(e);
    const p = project({ "compose.yaml": compose(), "src/index.txt": "one\n" });
    const w = startMoor(p.dir, ["-p", p.name, "--progress", "json", "watch"]);
    const events = () => jsonLines(w.stderr()).filter((o) => o.time !== undefined);
    const has = (match: (o: Record<string, unknown>) => boolean) => () => {
      try {
        return events().some(match);
      } catch {
        return false;
      }
    };
    await w.waitFor("Watch enabled", has((o) => o.type === "info" && o.message === "Watch enabled"));

    p.write("src/index.txt", "two\n");
    await w.waitFor("the sync's end", has((o) => o.type === "watch-action" && o.action === "sync" && o.status === "Done"));
    const synced = await execa("docker", ["exec", `${p.name}-web-1`, "cat", "/app/index.txt"], { reject: false });
    expect(String(synced.stdout)).toBe("two");

    // An unknown key on line 6: the watcher keeps running and says where.
    p.write("compose.yaml", compose("    prots: [80]\n"));
    await w.waitFor("compose-invalid", has((o) => o.type === "compose-invalid"));
    p.write("compose.yaml", compose());
    await w.waitFor("compose-valid", has((o) => o.type === "compose-valid"));

    expect(await w.stop()).toBe(0);
    // Nothing but JSON on either stream (stdout has none: the JSON goes where progress goes).
    expect(w.stdout()).toBe("");
    const all = jsonLines(w.stderr());
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const validate = ajv.compile(progressJsonSchema);
    for (const obj of all) expect(validate(obj), `${JSON.stringify(obj)}: ${JSON.stringify(validate.errors)}`).toBe(true);

    // The first up's progress, then the session from enabled to disabled.
    expect(all.some((o) => o.type === "resource" && o.name === `${p.name}-web-1` && o.text === "Started")).toBe(true);
    expect(all.find((o) => o.type === "watch" && o.state === "enabled")).toMatchObject({ project: p.name, services: ["web"] });
    expect(all.find((o) => o.type === "watch-action" && o.action === "sync" && o.status === "Working")).toMatchObject({ services: ["web"], files: 1, done: false });
    expect(all.find((o) => o.type === "watch-action" && o.action === "sync" && o.status === "Done")).toMatchObject({ services: ["web"], files: 1, done: true, ms: expect.any(Number) });
    const invalid = all.find((o) => o.type === "compose-invalid");
    expect(invalid).toMatchObject({ count: 1, diagnostics: [{ file: path.join(p.dir, "compose.yaml"), line: 6, col: 5, path: "services.web.prots", message: expect.stringContaining("prots") }] });
    const types = all.map((o) => o.type);
    expect(types.indexOf("compose-invalid")).toBeLessThan(types.indexOf("compose-valid"));
    expect(all.some((o) => o.type === "watch-action" && o.action === "reload" && o.status === "Error")).toBe(true);
    expect(all.some((o) => o.type === "containers" && JSON.stringify(o.containers).includes(`${p.name}-web-1`))).toBe(true);
    expect(all.at(-1)).toMatchObject({ type: "watch", state: "disabled" });
  });

  it("up --watch --progress json: stderr is JSON lines only (the stop's notice included); stdout has the logs", async () => {
    await requireImages(e);
    const p = project({ "compose.yaml": compose(), "src/index.txt": "one\n" });
    const w = startMoor(p.dir, ["-p", p.name, "--progress", "json", "up", "--watch"]);
    const lines = () => w.stderr().split("\n").filter((l) => l.startsWith("{"));
    await w.waitFor("Watch enabled", () => lines().some((l) => l.includes('"message":"Watch enabled"')));
    p.write("src/index.txt", "two\n");
    await w.waitFor("the sync's end", () => lines().some((l) => l.includes('"action":"sync"') && l.includes('"status":"Done"')));
    // Ctrl-C stops the project, as attached up does: exit 130.
    expect(await w.stop()).toBe(130);
    const all = jsonLines(w.stderr());
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const validate = ajv.compile(progressJsonSchema);
    for (const obj of all) expect(validate(obj), `${JSON.stringify(obj)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(all.some((o) => o.type === "info" && String(o.message).startsWith("Gracefully stopping"))).toBe(true);
    expect(all.some((o) => o.type === "resource" && o.name === `${p.name}-web-1` && o.text === "Stopped")).toBe(true);
    expect(w.stdout()).toContain("Attaching to web-1");
  });

  it("a piped `moor watch` never loads ink or react", async () => {
    await requireImages(e);
    // A module hook that writes down every file of ink or react that gets loaded (throwing would
    // be caught by the dashboard's fallback and prove nothing).
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "moor-no-ink-"));
    const log = path.join(own, "loaded.txt");
    fs.writeFileSync(log, "");
    const hooks = path.join(own, "trace-hooks.mjs");
    const register = path.join(own, "trace-register.mjs");
    fs.writeFileSync(
      hooks,
      `import fs from "node:fs";\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  if (/\\/node_modules\\/(ink|react)\\//.test(r.url)) fs.appendFileSync(${JSON.stringify(log)}, r.url + "\\n");\n  return r;\n}\n`,
    );
    fs.writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`);

    const p = project({ "compose.yaml": compose(), "src/index.txt": "one\n" });
    const w = startMoor(p.dir, ["-p", p.name, "watch"], ["--import", register]);
    await w.waitFor("Watch enabled", () => w.stdout().includes("Watch enabled"));
    p.write("src/index.txt", "two\n");
    await w.waitFor("the sync", () => w.stdout().includes('Syncing service "web"'));
    expect(await w.stop()).toBe(0);
    expect(w.stdout()).toContain("Watch disabled");
    expect(fs.readFileSync(log, "utf8")).toBe("");

    // The hook does see them when they load.
    await execa(process.execPath, ["--import", register, "--input-type=module", "-e", 'await import("ink"); await import("react");'], { cwd: repoRoot });
    expect(fs.readFileSync(log, "utf8")).toMatch(/node_modules\/ink\/[\s\S]*node_modules\/react\//);
    fs.rmSync(own, { recursive: true, force: true });
  });
});
