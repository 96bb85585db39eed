// `moor ps` and `moor logs` through the built CLI on one small busybox project: which containers
// each flag shows, JSON that parses, compose's `service-N  | ` prefix, --tail, -t, --no-log-prefix,
// and `logs -f` following a container across a restart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, projectLabel, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult, docker } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-ps-logs-test-"));
const name = uniqueProject("pslogs");
const dir = path.join(scratch, name);
const BOX = TEST_IMAGES.busybox;

// web counts its boots in its own filesystem, so a restart prints "boot 2".
const compose = `
services:
  web:
    image: ${BOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; n=$$(( $$(cat /tmp/n 2>/dev/null || echo 0) + 1 )); echo $$n > /tmp/n; echo boot $$n; echo web line a; echo web line b; while true; do sleep 1; done"]
    deploy:
      replicas: 2
  migrate:
    image: ${BOX}
    command: ["sh", "-c", "echo migrated; exit 0"]
`;

async function moor(args: string[]): Promise<MoorResult> {
  const r = await runMoor(["-p", name, ...args], { cwd: dir });
  if (r.exitCode !== 0) throw new Error(`moor ${args.join(" ")} exited ${r.exitCode}:\n${r.all}`);
  return r;
}

const sorted = (s: string) => s.split("\n").filter((l) => l !== "").sort();

describe.skipIf(!engine)("moor ps and moor logs on a real engine", () => {
  const e = engine!;
  const c = (s: string) => `${name}-${s}`;

  beforeAll(async () => {
    await requireImages(e);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
    await moor(["up", "-d"]);
    // migrate is a one-shot: wait (bounded) until it has exited and web has printed its lines.
    for (let i = 0; i < 100; i++) {
      const state = await docker(["inspect", "--format", "{{.State.Status}}", c("migrate-1")]);
      const logs = await docker(["logs", c("web-2")]);
      if (state.trim() === "exited" && logs.includes("web line b")) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the project never settled");
  });

  afterAll(async () => {
    await cleanupProject(e, name);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("ps shows running containers in compose's table; -a adds stopped ones", async () => {
    const ps = await moor(["ps"]);
    const [header, ...rows] = ps.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$/);
    expect(rows.map((r) => r.split(/ +/)[0])).toEqual([c("web-1"), c("web-2")]);
    for (const r of rows) expect(r).toMatch(new RegExp(`^${c("web-\\d")} +${BOX.replace(/[/.]/g, "\\$&")} +"sh -c .*" +web +.* ago +Up `));

    const all = await moor(["ps", "-a"]);
    const allRows = all.stdout.trimEnd().split("\n").slice(1);
    expect(allRows.map((r) => r.split(/ +/)[0])).toEqual([c("migrate-1"), c("web-1"), c("web-2")]);
    expect(allRows[0]).toMatch(/ migrate +.* Exited \(0\) /);
  });

  it("ps -q prints the ids docker knows, --services the service names, --status filters", async () => {
    const ids = await moor(["ps", "-q"]);
    const expected = sorted(await docker(["ps", "-q", "--filter", `label=${projectLabel(name)}`, "--filter", "label=com.docker.compose.service=web"]));
    expect(sorted(ids.stdout)).toEqual(expected);
    expect(expected).toHaveLength(2);
    expect(sorted((await moor(["ps", "-a", "-q"])).stdout)).toHaveLength(3);

    expect((await moor(["ps", "--services"])).stdout).toBe("web\n");
    expect((await moor(["ps", "-a", "--services"])).stdout).toBe("migrate\nweb\n");

    const exited = await moor(["ps", "--status", "exited", "-q"]);
    expect(sorted(exited.stdout)).toEqual(sorted(await docker(["ps", "-aq", "--filter", `name=${c("migrate-1")}`])));
    const running = await moor(["ps", "--status", "running", "--services"]);
    expect(running.stdout).toBe("web\n");
    const bad = await runMoor(["-p", name, "ps", "--status", "sleeping"], { cwd: dir });
    expect(bad.exitCode).toBe(1);
  });

  it("ps --format json prints one object per container with compose's fields", async () => {
    const out = await moor(["ps", "-a", "--format", "json"]);
    const rows = out.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.Name)).toEqual([c("migrate-1"), c("web-1"), c("web-2")]);
    const migrate = rows[0]!;
    expect(migrate).toMatchObject({ Service: "migrate", Project: name, State: "exited", ExitCode: 0, Image: BOX });
    const web = rows[1]!;
    expect(web).toMatchObject({ Service: "web", Project: name, State: "running", Health: "", Publishers: [] });
    const id = (await docker(["inspect", "--format", "{{.Id}}", c("web-1")])).trim();
    expect(String(web.ID)).toBe(id);
    expect(String(web.Labels)).toContain(`com.docker.compose.project=${name}`);
    expect(String(web.Status)).toMatch(/^Up /);
    expect(String(web.CreatedAt)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/);
  });

  it("ps --format takes Go templates, with or without a table header", async () => {
    expect((await moor(["ps", "-a", "--format", "{{.Service}} {{.State}} {{.ExitCode}}"])).stdout).toBe("migrate exited 0\nweb running 0\nweb running 0\n");
    const table = (await moor(["ps", "--format", "table {{.Name}}\\t{{.Service}}"])).stdout.split("\n");
    expect(table[0]).toMatch(/^NAME +SERVICE$/);
    expect(table.slice(1, 3).map((l) => l.split(/ +/))).toEqual([[c("web-1"), "web"], [c("web-2"), "web"]]);
    const id = (await docker(["inspect", "--format", "{{.Id}}", c("web-1")])).trim();
    expect((await moor(["ps", "--format", "{{.ID}}", "web"])).stdout.split("\n")[0]).toBe(id.slice(0, 12));
    expect((await moor(["ps", "--no-trunc", "--format", "{{.ID}}", "web"])).stdout.split("\n")).toContain(id);
    // With a compose file that no longer has migrate, its container is an orphan.
    const webOnly = path.join(scratch, `${name}-web-only.yaml`);
    fs.writeFileSync(webOnly, compose.slice(0, compose.indexOf("  migrate:")));
    const services = async (...flags: string[]) => (await moor(["-f", webOnly, "ps", "-a", "--services", ...flags])).stdout;
    expect(await services()).toBe("migrate\nweb\n");
    expect(await services("--orphans=false")).toBe("web\n");
    expect(await services("--no-orphans")).toBe("web\n");
    expect(await services("--orphans=true")).toBe("migrate\nweb\n");
    const bad = await runMoor(["-p", name, "ps", "--format", "{{.Nope}}"], { cwd: dir });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("can't evaluate field Nope");
  });

  it("logs prefixes every line with the padded service-N and keeps each container's order", async () => {
    const out = (await moor(["logs"])).stdout;
    const lines = out.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(7);
    // Padded to the widest prefix (migrate-1).
    expect(lines).toContain("migrate-1  | migrated");
    for (const n of [1, 2]) {
      const mine = lines.filter((l) => l.startsWith(`web-${n}      | `));
      expect(mine).toEqual([`web-${n}      | boot 1`, `web-${n}      | web line a`, `web-${n}      | web line b`]);
    }
    // One service: the prefix is only as wide as its own names.
    expect(sorted((await moor(["logs", "web"])).stdout)).toEqual(sorted("web-1  | boot 1\nweb-1  | web line a\nweb-1  | web line b\nweb-2  | boot 1\nweb-2  | web line a\nweb-2  | web line b\n"));
    expect((await moor(["logs", "--index", "2", "web"])).stdout).toBe("web-2  | boot 1\nweb-2  | web line a\nweb-2  | web line b\n");
  });

  it("logs --tail, -t and --no-log-prefix", async () => {
    expect(sorted((await moor(["logs", "--tail", "1", "web"])).stdout)).toEqual(["web-1  | web line b", "web-2  | web line b"]);
    expect((await moor(["logs", "-n", "2", "migrate"])).stdout).toBe("migrate-1  | migrated\n");
    const stamped = (await moor(["logs", "-t", "migrate"])).stdout;
    expect(stamped).toMatch(/^migrate-1 {2}\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z migrated\n$/);
    expect((await moor(["logs", "--no-log-prefix", "migrate"])).stdout).toBe("migrated\n");
    const bad = await runMoor(["-p", name, "logs", "--tail", "x"], { cwd: dir });
    expect(bad.exitCode).toBe(1);
  });

  it("logs -f keeps following a container across a restart, until interrupted", async () => {
    const child = execa(process.execPath, [path.join(repoRoot, "bin", "moor.js"), "-p", name, "logs", "-f", "--index", "1", "web"], {
      cwd: dir,
      env: { NO_COLOR: "1" },
      reject: false,
      // A safety net for a hung follower; the assertions below never depend on time.
      timeout: 90_000,
    });
    // One listener for the whole run: output that arrives while the test awaits something else is kept.
    let out = "";
    const waiters: (() => void)[] = [];
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      for (const w of [...waiters]) w();
    });
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        void child.then(() => reject(new Error(`logs -f ended before printing ${JSON.stringify(text)}:\n${out}`)));
        check();
      });
    await waitFor("web-1  | web line b");
    await docker(["restart", "-t", "2", c("web-1")]);
    await waitFor("web-1  | boot 2");
    child.kill("SIGINT");
    const done = await child;
    // Ctrl-C ends the follower cleanly (not the safety timeout, not a crash), with compose's 130.
    expect(done.timedOut).toBe(false);
    expect({ code: done.exitCode, signal: done.signal, stderr: String(done.stderr) }).toEqual({ code: 130, signal: undefined, stderr: "" });
    expect(out.split("\n").filter((l) => l === "web-1  | boot 1")).toHaveLength(1);
    expect(out).not.toContain("web-2");
  });
});

describe("commands that need no engine", () => {
  it("`moor --version`, `moor version` and `moor config` never load dockerode, ink or react", async () => {
    // A module hook that fails any import of the engine client or the terminal UI.
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "moor-no-engine-"));
    const hooks = path.join(own, "deny-hooks.mjs");
    const register = path.join(own, "deny-register.mjs");
    fs.writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {\n  if (["dockerode", "ink", "react"].includes(specifier)) throw new Error("loaded " + specifier);\n  return next(specifier, context);\n}\n`,
    );
    fs.writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
    const cwd = path.join(repoRoot, "examples", "flask-redis");
    const run = (args: string[]) => execa(process.execPath, ["--import", register, path.join(repoRoot, "bin", "moor.js"), ...args], { cwd, reject: false });
    for (const args of [["--version"], ["version"], ["config", "--services"], ["config"]]) {
      const r = await run(args);
      expect({ args, code: r.exitCode, stderr: String(r.stderr) }).toEqual({ args, code: 0, stderr: "" });
    }
    // The hook does bite: importing any of the three fails under it.
    for (const name of ["dockerode", "ink", "react"]) {
      const r = await execa(process.execPath, ["--import", register, "--input-type=module", "-e", `await import(${JSON.stringify(name)})`], { cwd: repoRoot, reject: false });
      expect(r.stderr).toContain(`loaded ${name}`);
    }
    fs.rmSync(own, { recursive: true, force: true });
  });
});
