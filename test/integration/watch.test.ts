// `moor watch` against a real engine: develop.watch rules (sync with deletes, ignore rules and
// the symlink guard, sync+exec, restart, rebuild), compose-file edits (a changed environment
// recreates only that service, a service added and removed, an invalid edit kept out and then
// fixed), a container removed by hand put back, and Ctrl-C leaving the project running.
// Every wait has a generous deadline and asserts on state, never on how long something took.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cleanupProject, docker, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-watch-test-"));
const BOX = TEST_IMAGES.busybox;
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

interface Watching {
  proc: ResultPromise;
  output: () => string;
  /** Resolves when the output contains `text` (after `from`, an earlier output length). */
  waitForOutput: (text: string | RegExp, from?: number) => Promise<void>;
  stop: () => Promise<{ exitCode: number | undefined; output: string }>;
}

const sessions: Watching[] = [];
const projects: string[] = [];
const images: string[] = [];

function startWatch(dir: string, args: string[]): Watching {
  const proc = execa(process.execPath, ["--", path.join(repoRoot, "bin", "moor.js"), ...args], {
    cwd: dir,
    env: { NO_COLOR: "1" },
    extendEnv: true,
    reject: false,
    all: true,
    buffer: false,
  });
  let out = "";
  proc.all?.on("data", (c: Buffer) => (out += c.toString()));
  let exited = false;
  const done = proc.then((r) => {
    exited = true;
    return r;
  });
  const w: Watching = {
    proc,
    output: () => out,
    waitForOutput: async (text, from = 0) => {
      await until(() => {
        if (exited) throw new Error(`moor exited while waiting for ${String(text)}:\n${out}`);
        const rest = out.slice(from);
        return typeof text === "string" ? rest.includes(text) : text.test(rest);
      }, `output ${String(text)}`, () => out);
    },
    stop: async () => {
      if (!exited) proc.kill("SIGINT");
      const r = await done;
      return { exitCode: r.exitCode, output: out };
    },
  };
  sessions.push(w);
  return w;
}

/** Polls until `check` holds; fails with what it waited for after a generous deadline. */
async function until(check: () => boolean | Promise<boolean>, what: string, context: () => string = () => "", deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function project(files: Record<string, string>, prefix = "watch"): { name: string; dir: string; write: (file: string, text: string) => void } {
  const name = uniqueProject(prefix);
  projects.push(name);
  const dir = path.join(scratch, name);
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  for (const [f, t] of Object.entries(files)) write(f, t);
  return { name, dir, write };
}

async function containerIds(name: string): Promise<Record<string, string>> {
  const out = await docker(["ps", "-a", "--filter", `label=com.docker.compose.project=${name}`, "--format", '{{.Label "com.docker.compose.service"}} {{.ID}} {{.State}}']);
  const map: Record<string, string> = {};
  for (const line of out.split("\n").filter(Boolean)) {
    const [svc, id, state] = line.split(" ");
    map[svc!] = `${id} ${state}`;
  }
  return map;
}

async function catIn(container: string, file: string): Promise<string | undefined> {
  const r = await execa("docker", ["exec", container, "cat", file], { reject: false });
  return r.exitCode === 0 ? String(r.stdout) : undefined;
}

async function existsIn(container: string, file: string): Promise<boolean> {
  const r = await execa("docker", ["exec", container, "test", "-e", file], { reject: false });
  return r.exitCode === 0;
}

describe.skipIf(!engine)("moor watch on a real engine", () => {
  const e = engine!;

  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.stop();
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    for (const i of images) await e.removeImage(i, { force: true }).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("syncs saved files into the container, removes deleted ones, and honours ignore rules and the symlink guard", async () => {
    await requireImages(e);
    const outside = path.join(scratch, "outside-secret.txt");
    fs.writeFileSync(outside, "host secret\n");
    const p = project({
      "compose.yaml": `
services:
  app:
    image: ${BOX}
    command: ${SERVE}
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app/src
          ignore: [generated/]
          initial_sync: true
`,
      "src/existing.txt": "was there before\n",
      ".dockerignore": "",
    });
    const w = startWatch(p.dir, ["-p", p.name, "watch"]);
    await w.waitForOutput("Watch enabled");
    const c = `${p.name}-app-1`;
    // initial_sync: a file present before watch started is in the container.
    expect(await catIn(c, "/app/src/existing.txt")).toBe("was there before");

    p.write("src/hello.txt", "hello\n");
    await until(async () => (await catIn(c, "/app/src/hello.txt")) === "hello", "hello.txt in the container", w.output);
    p.write("src/deep/er/nested.txt", "nested\n");
    await until(async () => (await catIn(c, "/app/src/deep/er/nested.txt")) === "nested", "nested.txt", w.output);

    fs.rmSync(path.join(p.dir, "src/hello.txt"));
    await until(async () => !(await existsIn(c, "/app/src/hello.txt")), "hello.txt removed in the container", w.output);

    // Ignored: the rule's ignore, editor temp files, .git; a link to a host file outside the path.
    p.write("src/generated/out.txt", "generated\n");
    p.write("src/.notes.txt.swp", "swap\n");
    p.write("src/.git/HEAD", "ref\n");
    fs.symlinkSync(outside, path.join(p.dir, "src/leak.txt"));
    fs.symlinkSync("deep/er/nested.txt", path.join(p.dir, "src/inner-link.txt"));
    // Written last: once it is there, everything written before it has been handled.
    p.write("src/sentinel.txt", "done\n");
    await until(async () => (await catIn(c, "/app/src/sentinel.txt")) === "done", "sentinel.txt", w.output);
    expect(await existsIn(c, "/app/src/generated/out.txt")).toBe(false);
    expect(await existsIn(c, "/app/src/.notes.txt.swp")).toBe(false);
    expect(await existsIn(c, "/app/src/.git/HEAD")).toBe(false);
    expect(await existsIn(c, "/app/src/leak.txt")).toBe(false);
    expect(await catIn(c, "/app/src/inner-link.txt")).toBe("nested");
    expect(w.output()).toMatch(/not synced: .*leak\.txt: it is a symlink to .*outside the watched path/);

    const { exitCode, output } = await w.stop();
    expect(exitCode).toBe(0);
    expect(output).toContain("Watch disabled");
    // Ctrl-C ends watch; the project keeps running.
    expect((await containerIds(p.name)).app).toMatch(/ running$/);
  });

  it("ignores the build context's .dockerignore and never syncs from an ignored directory", async () => {
    const p = project({
      "compose.yaml": `
services:
  app:
    build: .
    image: ${uniqueProject("img")}:latest
    command: ${SERVE}
    develop:
      watch:
        - path: .
          action: sync
          target: /work
`,
      Dockerfile: `FROM ${BOX}\n`,
      ".dockerignore": "node_modules\n*.log\n",
      "node_modules/pkg/index.js": "module\n",
    });
    images.push(fs.readFileSync(path.join(p.dir, "compose.yaml"), "utf8").match(/image: (\S+)/)![1]!);
    const w = startWatch(p.dir, ["-p", p.name, "watch"]);
    await w.waitForOutput("Watch enabled");
    const c = `${p.name}-app-1`;
    p.write("node_modules/pkg/changed.js", "x\n");
    p.write("debug.log", "log\n");
    p.write("main.js", "main\n");
    await until(async () => (await catIn(c, "/work/main.js")) === "main", "main.js", w.output);
    expect(await existsIn(c, "/work/node_modules")).toBe(false);
    expect(await existsIn(c, "/work/debug.log")).toBe(false);
  });

  it("applies compose-file edits: a changed environment recreates only that service; services added and removed; an invalid edit keeps things running until it is fixed", async () => {
    const compose = (envValue: string, extra = "") => `
services:
  a:
    image: ${BOX}
    command: ${SERVE}
    environment:
      MODE: "${envValue}"
  b:
    image: ${BOX}
    command: ${SERVE}
${extra}`;
    const p = project({ "compose.yaml": compose("one") });
    const w = startWatch(p.dir, ["-p", p.name, "watch"]);
    await w.waitForOutput("Watch enabled");
    const before = await containerIds(p.name);
    expect(Object.keys(before).sort()).toEqual(["a", "b"]);

    let mark = w.output().length;
    p.write("compose.yaml", compose("two"));
    await w.waitForOutput(/environment\.MODE/, mark);
    await until(async () => ((await containerIds(p.name)).a ?? "") !== before.a && / running$/.test((await containerIds(p.name)).a ?? ""), "a recreated", w.output);
    const after = await containerIds(p.name);
    expect(after.b).toBe(before.b);
    expect(await docker(["exec", `${p.name}-a-1`, "sh", "-c", "echo $MODE"])).toBe("two");

    // An invalid edit: located error, nothing touched.
    mark = w.output().length;
    p.write("compose.yaml", compose("two").replace("    command:", "    command:\n   bad: ["));
    await w.waitForOutput("everything keeps running", mark);
    expect(w.output().slice(mark)).toMatch(/compose\.yaml:\d+:\d+: error/);
    expect(await containerIds(p.name)).toEqual(after);

    // The fix, which also adds a service.
    p.write("compose.yaml", compose("two", `  c:\n    image: ${BOX}\n    command: ${SERVE}\n`));
    await until(async () => / running$/.test((await containerIds(p.name)).c ?? ""), "c started", w.output);
    expect((await containerIds(p.name)).a).toBe(after.a);

    // Removing a service stops and removes it.
    p.write("compose.yaml", compose("two"));
    await until(async () => (await containerIds(p.name)).c === undefined, "c removed", w.output);
    expect((await containerIds(p.name)).b).toBe(before.b);
  });

  it("notices a container that dies and puts back one removed by hand", async () => {
    const p = project({ "compose.yaml": `services:\n  a:\n    image: ${BOX}\n    command: ${SERVE}\n` });
    const w = startWatch(p.dir, ["-p", p.name, "watch"]);
    await w.waitForOutput("Watch enabled");
    const before = (await containerIds(p.name)).a!;
    // A container that dies is noticed (and left as it is, as compose leaves it).
    await docker(["kill", before.split(" ")[0]!]);
    await w.waitForOutput(/container \S+-a-1 exited with code 137/);
    await docker(["rm", "-f", before.split(" ")[0]!]);
    await until(async () => {
      const now = (await containerIds(p.name)).a;
      return now !== undefined && now !== before && / running$/.test(now);
    }, "a put back", w.output);
    expect(w.output()).toContain("was removed: converging again");
  });

  it("sync+exec runs the hook after the sync; restart restarts; rebuild builds and recreates", async () => {
    const image = `${uniqueProject("rebuild")}:latest`;
    images.push(image);
    const p = project({
      "compose.yaml": `
services:
  app:
    build: ./app
    image: ${image}
    command: ${SERVE}
    develop:
      watch:
        - path: ./app/version.txt
          action: rebuild
        - path: ./hooks
          action: sync+exec
          target: /hooks
          exec:
            command: ["sh", "-c", "cat /hooks/in.txt > /tmp/exec-ran"]
        - path: ./conf
          action: restart
`,
      "app/Dockerfile": `FROM ${BOX}\nCOPY version.txt /version.txt\n`,
      "app/version.txt": "v1\n",
      "conf/app.conf": "x=1\n",
    });
    const w = startWatch(p.dir, ["-p", p.name, "watch"]);
    await w.waitForOutput("Watch enabled");
    const c = `${p.name}-app-1`;
    expect(await catIn(c, "/version.txt")).toBe("v1");

    p.write("hooks/in.txt", "from the hook\n");
    await until(async () => (await catIn(c, "/tmp/exec-ran")) === "from the hook", "the exec hook's file", w.output);

    const started = await docker(["inspect", "-f", "{{.State.StartedAt}}", c]);
    p.write("conf/app.conf", "x=2\n");
    await until(async () => (await docker(["inspect", "-f", "{{.State.StartedAt}}", c])) !== started, "a restart", w.output);
    await w.waitForOutput('service(s) ["app"] restarted');

    // A Dockerfile is an input of the project: editing it rebuilds and recreates the service.
    p.write("app/Dockerfile", `FROM ${BOX}\nCOPY version.txt /version.txt\nENV FROM_DOCKERFILE=yes\n`);
    await until(async () => (await execa("docker", ["exec", c, "sh", "-c", "echo $FROM_DOCKERFILE"], { reject: false })).stdout === "yes", "the Dockerfile's ENV", w.output);

    const id = (await containerIds(p.name)).app;
    const oldImage = (await docker(["image", "inspect", "-f", "{{.Id}}", image])).trim();
    p.write("app/version.txt", "v2\n");
    await until(async () => (await catIn(c, "/version.txt")) === "v2", "the rebuilt image's file", w.output);
    expect((await containerIds(p.name)).app).not.toBe(id);
    expect(w.output()).toContain('service(s) ["app"] successfully built');
    // --prune is on by default: the replaced image, used by nothing now, is gone.
    await until(async () => (await execa("docker", ["image", "inspect", oldImage], { reject: false })).exitCode !== 0, "the old image pruned", w.output);
  });

  it("up --watch attaches, watches, and Ctrl-C stops the project as an attached up does", async () => {
    const p = project({
      "compose.yaml": `
services:
  app:
    image: ${BOX}
    command: ["sh", "-c", "echo app is up; trap 'exit 0' TERM; while true; do sleep 1; done"]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /src
  other:
    image: ${BOX}
    command: ["sh", "-c", "echo other is up; trap 'exit 0' TERM; while true; do sleep 1; done"]
`,
    });
    const w = startWatch(p.dir, ["-p", p.name, "up", "--watch"]);
    await w.waitForOutput("Watch enabled");
    await w.waitForOutput("app is up");
    p.write("src/x.txt", "x\n");
    await until(async () => (await catIn(`${p.name}-app-1`, "/src/x.txt")) === "x", "x.txt", w.output);
    // A recreate ends the attached container's log; up --watch attaches to its replacement, also
    // while another attached service (other) keeps running.
    const before = (await containerIds(p.name)).app;
    const mark = w.output().length;
    p.write(".env", "GREETING=hello again\n");
    p.write("compose.yaml", fs.readFileSync(path.join(p.dir, "compose.yaml"), "utf8").replace("echo app is up", "echo app is up: $${GREETING}").replace("    image:", "    environment: [GREETING]\n    image:"));
    await w.waitForOutput("app-1    | app is up: hello again", mark);
    expect((await containerIds(p.name)).app).not.toBe(before);
    expect(w.output()).toContain("other-1  | other is up");
    const { output } = await w.stop();
    expect(output).toContain("Watch disabled");
    expect((await containerIds(p.name)).app).toMatch(/ exited$/);
  });

  it("--no-up starts nothing, and a sync path under a bind mount is skipped with compose's warning", async () => {
    const p = project({
      "compose.yaml": `
services:
  app:
    image: ${BOX}
    command: ${SERVE}
    volumes: [./src:/src]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /src
`,
      "src/a.txt": "a\n",
    });
    const w = startWatch(p.dir, ["-p", p.name, "watch", "--no-up"]);
    await w.waitForOutput("Watch enabled");
    expect(w.output()).toContain("path '");
    expect(w.output()).toContain("also declared by a bind mount volume, this path won't be monitored!");
    expect(await containerIds(p.name)).toEqual({});
    const { exitCode } = await w.stop();
    expect(exitCode).toBe(0);
  });

  it("refuses up --watch with --detach or --no-build, and a rebuild rule without a build section", async () => {
    const p = project({ "compose.yaml": `services:\n  app:\n    image: ${BOX}\n    develop:\n      watch:\n        - path: ./src\n          action: rebuild\n` });
    const detached = await runMoor(["-p", p.name, "up", "-d", "--watch"], { cwd: p.dir });
    expect(detached.exitCode).toBe(1);
    expect(detached.stderr).toContain("--detach cannot be combined with");
    const noBuild = await runMoor(["-p", p.name, "up", "--no-build", "--watch"], { cwd: p.dir });
    expect(noBuild.exitCode).toBe(1);
    expect(noBuild.stderr).toContain("--no-build and --watch are incompatible");
    const rebuild = await runMoor(["-p", p.name, "watch"], { cwd: p.dir });
    expect(rebuild.exitCode).toBe(1);
    expect(rebuild.stderr).toContain(`can't watch service "app" with action rebuild without a build context`);
    expect(await containerIds(p.name)).toEqual({});
  });
});
