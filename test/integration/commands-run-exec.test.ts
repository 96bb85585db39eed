// `moor run`, `exec` and `attach` through the built CLI on a real engine: exit codes, one-off
// names and labels (read back with the docker CLI), dependencies started first, the run/exec
// flags, --index on a scaled service, and real terminals: a pseudo-terminal (python3's pty module)
// drives `moor exec SERVICE sh` and `moor run SERVICE sh` the way a person at a keyboard would.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, projectLabel, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-run-exec-test-"));
const projects: string[] = [];
const BOX = TEST_IMAGES.busybox;
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

function projectDir(compose: string): { name: string; dir: string } {
  const name = uniqueProject("run");
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
  return { name, dir };
}

const moor = (dir: string, name: string, args: string[], env?: Record<string, string>): Promise<MoorResult> => runMoor(["-p", name, ...args], { cwd: dir, env });
const moorOk = async (dir: string, name: string, args: string[], env?: Record<string, string>): Promise<MoorResult> => expectOk(await moor(dir, name, args, env), args);
const lines = (s: string) => s.split("\n").filter((l) => l !== "");
const psNames = async (name: string, extra: string[] = []) => lines(await docker(["ps", "-a", "--filter", `label=${projectLabel(name)}`, ...extra, "--format", "{{.Names}}"])).sort();
const inspect = async (container: string, format: string) => (await docker(["inspect", "--format", format, container])).trim();

/** Retries a check until it passes (a detached command finishing), a bounded number of times. */
async function eventually(check: () => Promise<boolean>, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// A keyboard on a pseudo-terminal: runs the command with the pty as its stdin/stdout/stderr at
// the given size, and plays the steps: wait for a pattern in the output (after the last match),
// optionally type something, optionally resize the terminal (the kernel sends SIGWINCH), and
// retype a step until its pattern shows (a resize reaches the container a moment later).
const PTY_DRIVER = String.raw`
import json, os, pty, re, select, signal, struct, sys, termios, fcntl, time
spec = json.load(open(sys.argv[1]))
rows, cols = spec["size"]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], dict(os.environ, **spec["env"]))
out = b""
pos = 0
def read_some(timeout):
    # True: read something; None: nothing came in time; False: the command has closed the terminal.
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return None
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    out += data
    return True
def wait_for(pattern, timeout):
    global pos
    rx = re.compile(pattern.encode())
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = rx.search(out, pos)
        if m:
            pos = m.end()
            return True
        if read_some(0.1) is False:
            m = rx.search(out, pos)
            if m:
                pos = m.end()
                return True
            return False
    return False
failed = None
for step in spec["steps"]:
    if "resize" in step:
        r, c = step["resize"]
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
    tries = step.get("retries", 1)
    ok = "expect" not in step and "send" not in step
    for attempt in range(tries):
        if "send" in step:
            os.write(fd, step["send"].encode())
        if "expect" not in step:
            ok = True
            break
        if wait_for(step["expect"], step.get("timeout", 60) if tries == 1 else 1.5):
            ok = True
            break
    if not ok:
        failed = step
        break
if failed:
    os.kill(pid, signal.SIGKILL)
while read_some(120) is True:
    pass
deadline = time.time() + 60
done, status = os.waitpid(pid, os.WNOHANG)
while done == 0 and time.time() < deadline:
    time.sleep(0.05)
    done, status = os.waitpid(pid, os.WNOHANG)
if done == 0:
    failed = failed or {"still running": True}
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
print(json.dumps({"code": code, "failed": failed, "output": out.decode("utf-8", "replace")}))
`;

interface PtyStep {
  expect?: string;
  send?: string;
  resize?: [number, number];
  retries?: number;
}

async function onTerminal(dir: string, args: string[], steps: PtyStep[]): Promise<{ code: number; failed: PtyStep | null; output: string }> {
  const driver = path.join(scratch, "pty-driver.py");
  if (!fs.existsSync(driver)) fs.writeFileSync(driver, PTY_DRIVER);
  const specFile = path.join(scratch, `pty-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(specFile, JSON.stringify({ size: [40, 100], cwd: dir, argv: [process.execPath, "--", path.join(repoRoot, "bin", "moor.js"), ...args], env: { NO_COLOR: "1" }, steps }));
  const r = await execa("python3", [driver, specFile], { reject: false, timeout: 180_000 });
  if (r.exitCode !== 0) throw new Error(`pty driver failed: ${String(r.stderr)}`);
  return JSON.parse(String(r.stdout)) as { code: number; failed: PtyStep | null; output: string };
}

const app = (extra = "") => `
services:
  db:
    image: ${BOX}
    command: ${SERVE}
    healthcheck:
      test: ["CMD", "true"]
      interval: 500ms
      retries: 20
  app:
    image: ${BOX}
    command: ["echo", "from the service"]
    working_dir: /
    ports: ["80"]
    environment:
      FROM_FILE: compose
    depends_on:
      db:
        condition: service_healthy
${extra}`;

describe.skipIf(!engine)("moor run, exec, attach on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
    const py = await execa("python3", ["-c", "import pty, termios, fcntl"], { reject: false });
    if (py.exitCode !== 0) throw new Error("python3 with the pty module is needed for the terminal tests");
  });

  afterAll(async () => {
    for (const p of projects) await cleanupProject(e, p);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("run --rm ends with the command's exit code and leaves no container; the dependency is started and healthy", async () => {
    const { name, dir } = projectDir(app());
    const r = await moor(dir, name, ["run", "--rm", "app", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe("to-stdout\n");
    expect(r.stderr).toContain("to-stderr\n");
    expect(r.stderr).toContain(`Container ${name}-db-1  Started`);
    expect(await psNames(name, ["--filter", "label=com.docker.compose.oneoff=True"])).toEqual([]);
    expect(await psNames(name)).toEqual([`${name}-db-1`]);
    expect(await inspect(`${name}-db-1`, "{{.State.Health.Status}}")).toBe("healthy");
    expect(await inspect(`${name}-db-1`, "{{index .Config.Labels \"com.docker.compose.oneoff\"}}")).toBe("False");
    // A second run finds the dependency running, says so, and leaves it alone.
    const dbId = await inspect(`${name}-db-1`, "{{.Id}}");
    const again = await moorOk(dir, name, ["run", "--rm", "-T", "app", "true"]);
    expect(again.stderr).toContain(`Container ${name}-db-1  Running`);
    expect(await inspect(`${name}-db-1`, "{{.Id}}")).toBe(dbId);
  });

  it("names and labels the one-off container as compose does, runs the service's command, and publishes no ports", async () => {
    const { name, dir } = projectDir(app());
    const r = await moorOk(dir, name, ["run", "-T", "app"]);
    expect(r.stdout).toBe("from the service\n");
    const [runName, ...more] = await psNames(name, ["--filter", "label=com.docker.compose.oneoff=True"]);
    expect(more).toEqual([]);
    expect(runName).toMatch(new RegExp(`^${name}-app-run-[0-9a-f]{12}$`));
    const labels = JSON.parse(await inspect(runName!, "{{json .Config.Labels}}")) as Record<string, string>;
    expect(labels["com.docker.compose.project"]).toBe(name);
    expect(labels["com.docker.compose.service"]).toBe("app");
    expect(labels["com.docker.compose.oneoff"]).toBe("True");
    expect(labels["com.docker.compose.container-number"]).toBeUndefined();
    expect(labels["com.docker.compose.slug"]).toMatch(/^[0-9a-f]{64}$/);
    expect(runName!.endsWith(labels["com.docker.compose.slug"]!.slice(0, 12))).toBe(true);
    expect(await inspect(runName!, "{{json .HostConfig.PortBindings}}")).toMatch(/^(null|\{\})$/);
    expect(await inspect(runName!, "{{.HostConfig.RestartPolicy.Name}}")).toMatch(/^(no|)$/);
    // The one-off answers to its own name on the network, not to the service's.
    const aliases = await inspect(runName!, `{{json (index .NetworkSettings.Networks "${name}_default").Aliases}}`);
    expect(aliases).toContain(runName!);
    expect(aliases).not.toContain('"app"');
    // `up` does not count it as one of the service's containers.
    await moorOk(dir, name, ["up", "-d", "--no-deps", "db"]);
    expect(await psNames(name, ["--filter", "label=com.docker.compose.service=app"])).toEqual([runName]);
  });

  it("-d prints the container's id; --name, -l, -p and -P", async () => {
    const { name, dir } = projectDir(app());
    const d = await moorOk(dir, name, ["run", "-d", "--name", `${name}-mine`, "-l", "purpose=test", "-p", "127.0.0.1::80", "app", "sleep", "300"]);
    const id = d.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await inspect(id, "{{.Name}}")).toBe(`/${name}-mine`);
    expect(await inspect(id, "{{.State.Running}}")).toBe("true");
    expect(await inspect(id, "{{index .Config.Labels \"purpose\"}}")).toBe("test");
    expect(await inspect(id, "{{json .HostConfig.PortBindings}}")).toBe('{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":""}]}');
    const withService = await moorOk(dir, name, ["run", "-d", "-P", "app", "sleep", "300"]);
    expect(await inspect(withService.stdout.trim(), "{{json .HostConfig.PortBindings}}")).toBe('{"80/tcp":[{"HostIp":"","HostPort":""}]}');
    const both = await moor(dir, name, ["run", "-P", "-p", "80", "app"]);
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toContain("--service-ports and --publish are incompatible");
  });

  it("-e, --env-from-file, -w, -u, --entrypoint and -v change what the command sees", async () => {
    const { name, dir } = projectDir(app());
    fs.writeFileSync(path.join(dir, "extra.env"), "FROM_ENV_FILE=yes\nFROM_CLI=the file loses\n");
    const hostDir = path.join(dir, "shared");
    fs.mkdirSync(hostDir);
    fs.writeFileSync(path.join(hostDir, "hello.txt"), "hello from the host\n");
    const r = await moorOk(
      dir,
      name,
      [
        "run", "--rm", "-T",
        "-e", "FROM_CLI=cli", "-e", "FROM_SHELL", "-e", "NOT_SET_ANYWHERE", "--env-from-file", "extra.env",
        "-w", "/tmp", "-u", "4321:4321", "-v", "./shared:/mnt/shared:ro",
        "app", "sh", "-c", 'echo "$FROM_CLI|$FROM_SHELL|$FROM_ENV_FILE|$FROM_FILE|${NOT_SET_ANYWHERE-unset}"; pwd; id -u; cat /mnt/shared/hello.txt',
      ],
      { FROM_SHELL: "shell" },
    );
    expect(lines(r.stdout)).toEqual(["cli|shell|yes|compose|unset", "/tmp", "4321", "hello from the host"]);
    const ep = await moorOk(dir, name, ["run", "--rm", "-T", "--entrypoint", "echo entry", "app", "point"]);
    expect(ep.stdout).toBe("entry point\n");
    // An entrypoint without a command runs without the service's command.
    const bare = await moorOk(dir, name, ["run", "--rm", "-T", "--entrypoint", "echo", "app"]);
    expect(bare.stdout).toBe("\n");
  });

  it("--no-deps starts nothing else; an unknown service is a clear error", async () => {
    const { name, dir } = projectDir(app());
    const r = await moorOk(dir, name, ["run", "--rm", "--no-deps", "-T", "app", "true"]);
    expect(r.stderr).not.toContain("db-1");
    expect(await psNames(name)).toEqual([]);
    const unknown = await moor(dir, name, ["run", "nope"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("no such service: nope");
    expect(unknown.stderr).not.toContain("    at ");
  });

  it("run passes the signals it receives on to the container", async () => {
    const { name, dir } = projectDir(app());
    const child = spawn(
      process.execPath,
      ["--", path.join(repoRoot, "bin", "moor.js"), "-p", name, "run", "--rm", "--no-deps", "-T", "app", "sh", "-c", "trap 'echo got-term; exit 9' TERM; echo ready; while true; do sleep 0.1; done"],
      { cwd: dir, env: { ...process.env, NO_COLOR: "1" } },
    );
    let out = "";
    const ready = new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await ready;
    child.kill("SIGTERM");
    expect(await exited).toBe(9);
    expect(out).toContain("got-term\n");
    expect(await psNames(name)).toEqual([]);
  });

  it("exec: exit code, -e, -w, -u, --index on a scaled service, -d", async () => {
    const { name, dir } = projectDir(`
services:
  web:
    image: ${BOX}
    command: ${SERVE}
    scale: 2
`);
    await moorOk(dir, name, ["up", "-d"]);
    const failed = await moor(dir, name, ["exec", "-T", "web", "sh", "-c", "echo out; echo err >&2; exit 4"]);
    expect(failed.exitCode).toBe(4);
    expect(failed.stdout).toBe("out\n");
    expect(failed.stderr).toBe("err\n");
    const r = await moorOk(dir, name, ["exec", "-T", "-e", "A=1", "-e", "FROM_SHELL", "-w", "/tmp", "-u", "1234", "web", "sh", "-c", "echo $A $FROM_SHELL; pwd; id -u"], { FROM_SHELL: "shell" });
    expect(lines(r.stdout)).toEqual(["1 shell", "/tmp", "1234"]);
    const second = (await inspect(`${name}-web-2`, "{{.Config.Hostname}}")).trim();
    expect((await moorOk(dir, name, ["exec", "-T", "--index", "2", "web", "hostname"])).stdout.trim()).toBe(second);
    expect((await moorOk(dir, name, ["exec", "-T", "web", "hostname"])).stdout.trim()).toBe((await inspect(`${name}-web-1`, "{{.Config.Hostname}}")).trim());
    const missing = await moor(dir, name, ["exec", "-T", "--index", "3", "web", "true"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('service "web" is not running container #3');
    // Piped input reaches the command and its end ends the command's input.
    const piped = await runMoor(["-p", name, "exec", "-T", "web", "sh", "-c", "cat; echo done"], { cwd: dir, input: "piped line\n" });
    expect(piped.stdout).toBe("piped line\ndone\n");
    const detached = await moorOk(dir, name, ["exec", "-d", "web", "sh", "-c", "sleep 1; touch /tmp/detached-done"]);
    expect(detached.stdout).toBe("");
    expect(await eventually(async () => (await moor(dir, name, ["exec", "-T", "web", "test", "-f", "/tmp/detached-done"])).exitCode === 0)).toBe(true);
  });

  it("attach follows a running container's output until it exits, with its exit code", async () => {
    const { name, dir } = projectDir(`
services:
  ticker:
    image: ${BOX}
    command: ["sh", "-c", "while [ ! -f /tmp/go ]; do echo tick; sleep 0.2; done; echo bye; exit 6"]
`);
    await moorOk(dir, name, ["up", "-d"]);
    const child = spawn(process.execPath, ["--", path.join(repoRoot, "bin", "moor.js"), "-p", name, "attach", "--no-stdin", "ticker"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    const ticked = new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("tick")) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await ticked;
    await moorOk(dir, name, ["exec", "-T", "ticker", "touch", "/tmp/go"]);
    expect(await exited).toBe(6);
    expect(out).toContain("bye\n");
  });

  it("attach on a real terminal: typed input reaches the container's shell; ctrl-p ctrl-q detaches and leaves it running", async () => {
    const { name, dir } = projectDir(`
services:
  shell:
    image: ${BOX}
    command: ["sh"]
    tty: true
    stdin_open: true
`);
    await moorOk(dir, name, ["up", "-d"]);
    const r = await onTerminal(dir, ["-p", name, "attach", "shell"], [
      // The shell printed its prompt before anyone was attached: type until it answers.
      { send: "echo $((20 + 22))\r", expect: "42", retries: 20 },
      { send: "\x10\x11", expect: "read escape sequence" },
    ]);
    expect(r.failed, r.output).toBeNull();
    // As `docker attach`: a detach is reported, with status 1.
    expect(r.code, r.output).toBe(1);
    expect(await inspect(`${name}-shell-1`, "{{.State.Running}}")).toBe("true");
  });

  it("exec on a real terminal: a TTY, the terminal's size followed, typed commands, exit code", async () => {
    const { name, dir } = projectDir(`
services:
  web:
    image: ${BOX}
    command: ${SERVE}
`);
    await moorOk(dir, name, ["up", "-d"]);
    const r = await onTerminal(dir, ["-p", name, "exec", "web", "sh"], [
      { expect: "# " },
      { send: "tty\r", expect: "/dev/pts/\\d+" },
      { send: "stty size\r", expect: "40 100" },
      // The terminal turns each "\n" into "\r\n" on the way out: lines end in \r\r\n here.
      { send: "echo $((6 * 7))\r", expect: "\\n42\\r*\\n" },
      // A new window size reaches the exec's TTY (SIGWINCH → resize).
      { resize: [50, 120] },
      { send: "stty size\r", expect: "50 120", retries: 20 },
      { send: "exit 7\r" },
    ]);
    expect(r.failed, r.output).toBeNull();
    expect(r.code, r.output).toBe(7);
  });

  it("run on a real terminal: a TTY for the one-off, typed commands, exit code, removed with --rm; ctrl-p ctrl-q detaches", async () => {
    const { name, dir } = projectDir(app());
    const r = await onTerminal(dir, ["-p", name, "run", "--rm", "app", "sh"], [
      { expect: "# " },
      { send: "tty\r", expect: "/dev/pts/\\d+" },
      { send: "stty size\r", expect: "40 100" },
      { send: "echo $FROM_FILE-$((2 + 3))\r", expect: "compose-5" },
      { send: "exit 7\r" },
    ]);
    expect(r.failed, r.output).toBeNull();
    expect(r.code, r.output).toBe(7);
    expect(await psNames(name, ["--filter", "label=com.docker.compose.oneoff=True"])).toEqual([]);

    const detached = await onTerminal(dir, ["-p", name, "run", "app", "sh"], [{ expect: "# " }, { send: "\x10\x11" }]);
    expect(detached.failed, detached.output).toBeNull();
    expect(detached.code, detached.output).toBe(0);
    const [left] = await psNames(name, ["--filter", "label=com.docker.compose.oneoff=True", "--filter", "status=running"]);
    expect(left).toMatch(new RegExp(`^${name}-app-run-[0-9a-f]{12}$`));
  });
});

// The same `run` on Podman's Docker-compatible API (scripts/podman-up.sh), where two engine
// differences matter: its "removed" wait reports status 0, and it hands an attach request's body
// to the container's stdin. Skipped when no Podman service answers (as test/integration/podman.test.ts).
const PODMAN_SOCK = process.env.MOOR_PODMAN_SOCK ?? "/run/moor-podman.sock";
const podmanUp = (await execa("curl", ["-fsS", "--max-time", "3", "--unix-socket", PODMAN_SOCK, "http://podman/_ping"], { reject: false })).exitCode === 0;

// .ci/run starts Podman's service: in CI its absence is a failure, not a skip.
if (!podmanUp && process.env.CI === "true") throw new Error(`CI=true and no Podman service answers at ${PODMAN_SOCK}: scripts/podman-up.sh should have started it`);
describe.skipIf(!podmanUp)("moor run on Podman", () => {
  const project = uniqueProject("run-podman");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-run-podman-"));
  const env = { DOCKER_HOST: `unix://${PODMAN_SOCK}` };
  const podman = async (args: string[]) => String((await execa("podman", args, { reject: false })).stdout).trim();
  fs.writeFileSync(path.join(dir, "compose.yaml"), `services:\n  web:\n    image: ${BOX}\n`);

  afterAll(async () => {
    const ids = (await podman(["ps", "-aq", "--filter", `label=${projectLabel(project)}`])).split("\n").filter((l) => l !== "");
    if (ids.length > 0) await podman(["rm", "-f", ...ids]);
    await podman(["network", "rm", `${project}_default`]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("run --rm ends with the command's exit code, sends piped input as it is, and leaves no container", async () => {
    const failed = await runMoor(["-p", project, "run", "--rm", "-T", "web", "sh", "-c", "exit 3"], { cwd: dir, env });
    expect(failed.exitCode, failed.all).toBe(3);
    const piped = await runMoor(["-p", project, "run", "--rm", "-T", "web", "cat"], { cwd: dir, env, input: "piped line\n" });
    expect(piped.exitCode, piped.all).toBe(0);
    expect(piped.stdout).toBe("piped line\n");
    expect(await podman(["ps", "-a", "--filter", `label=${projectLabel(project)}`, "--format", "{{.Names}}"])).toBe("");
  });
});
