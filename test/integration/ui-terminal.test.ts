// The live progress view in a real terminal: `moor up -d` runs inside tmux (a pty of known size,
// with real redrawing), and the test reads the screen and the scrollback as a person would see
// them. Falls back to `script` (a pty without a screen model) when tmux is missing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020.js";
import { progressJsonSchema } from "../../src/ui/json-lines.js";
import { repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";
import { endTerminalSuite, hasTmux } from "./tmux.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-ui-test-"));
const projects: string[] = [];
const sockets: string[] = [];

function project(services: string[]): { name: string; dir: string } {
  const name = uniqueProject("ui");
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  const body = services
    .map((s, i) => `  ${s}:\n    image: ${TEST_IMAGES.busybox}\n    command: sleep 3600\n${i === 0 ? "    volumes: [data:/data]\n" : ""}`)
    .join("");
  fs.writeFileSync(path.join(dir, "compose.yaml"), `services:\n${body}volumes:\n  data: {}\n`);
  return { name, dir };
}

/** The shell line run in the terminal; CI is unset so Ink redraws live, as on a desk. */
function command(dir: string, args: string[]): string {
  const bin = path.join(repoRoot, "bin", "moor.js");
  const quoted = args.map((a) => `'${a}'`).join(" ");
  return `cd '${dir}' && env -u CI -u NO_COLOR -u COMPOSE_PROGRESS -u COMPOSE_ANSI TERM=xterm-256color '${process.execPath}' '${bin}' ${quoted}; echo "__EXIT=$?__"; sleep 600`;
}

/** Runs `args` in a fresh tmux server of its own and returns the screen plus scrollback once it exits. */
async function inTmux(dir: string, args: string[], size: { columns: number; rows: number }): Promise<{ code: number; screen: string }> {
  const socket = `moor-ui-${process.pid}-${sockets.length}`;
  sockets.push(socket);
  const tmux = (a: string[]) => execa("tmux", ["-L", socket, "-f", "/dev/null", ...a]);
  await tmux(["new-session", "-d", "-s", "ui", "-x", String(size.columns), "-y", String(size.rows), command(dir, args)]);
  // Waits for the command, not for a time: the loop ends when the shell prints the exit marker.
  for (;;) {
    const { stdout } = await tmux(["capture-pane", "-p", "-J", "-S", "-500", "-t", "ui"]);
    const m = /__EXIT=(\d+)__/.exec(stdout);
    if (m) return { code: Number(m[1]), screen: stdout.slice(0, m.index) };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The same through `script`: the raw bytes, escapes stripped (no screen model, so no redraw check). */
async function inScript(dir: string, args: string[]): Promise<{ code: number; screen: string }> {
  const r = await execa("script", ["-qfec", command(dir, args).replace("; sleep 600", ""), "/dev/null"], { reject: false });
  // eslint-disable-next-line no-control-regex
  const text = String(r.stdout).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  const m = /__EXIT=(\d+)__/.exec(text);
  return { code: m ? Number(m[1]) : -1, screen: m ? text.slice(0, m.index) : text };
}

const run = (dir: string, args: string[], size = { columns: 100, rows: 30 }) => (hasTmux ? inTmux(dir, args, size) : inScript(dir, args));

afterAll(() => endTerminalSuite(sockets, engine, projects, scratch));

describe.skipIf(!engine)("the live progress view in a real terminal", () => {
  it("`moor up -d` ends with every resource's final line and a summary, each shown once", async () => {
    await requireImages(engine!);
    const { name, dir } = project(["db", "api", "web"]);
    const { code, screen } = await run(dir, ["-p", name, "up", "-d"]);
    expect({ code, screen }).toMatchObject({ code: 0 });
    const lines = screen.split("\n").map((l) => l.trimEnd());
    for (const svc of ["db", "api", "web"]) {
      const mine = lines.filter((l) => l.includes(` Container ${name}-${svc}-1 `));
      expect(mine, screen).toHaveLength(1);
      expect(mine[0]).toMatch(new RegExp(`^ ✔ Container ${name}-${svc}-1 +Started +\\d+\\.\\ds$`));
    }
    expect(lines.filter((l) => l.includes(`Network ${name}_default`)), screen).toEqual([expect.stringMatching(/^ ✔ Network \S+ +Created +\d+\.\ds$/)]);
    expect(lines.filter((l) => l.includes(`Volume ${name}_data`)), screen).toEqual([expect.stringMatching(/^ ✔ Volume \S+ +Created +\d+\.\ds$/)]);
    expect(lines).toContain("[+] Running 5/5");
    expect(lines.filter((l) => l.startsWith(" ✔ Done in")), screen).toEqual([expect.stringMatching(/^ ✔ Done in \d+\.\ds: 1 network, 1 volume, 3 containers$/)]);
    // The summary is the last thing the command printed.
    expect(lines.filter((l) => l !== "").at(-1)).toMatch(/Done in/);
    const running = await execa("docker", ["ps", "--filter", `label=com.docker.compose.project=${name}`, "--format", "{{.Names}}"]);
    expect(String(running.stdout).split("\n").sort()).toEqual([`${name}-api-1`, `${name}-db-1`, `${name}-web-1`]);
  });

  it.skipIf(!hasTmux)("20 services on a short terminal: no line is lost, finished lines scroll up, each printed once", async () => {
    const services = Array.from({ length: 20 }, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
    const { name, dir } = project(services);
    const { code, screen } = await run(dir, ["-p", name, "up", "-d"], { columns: 90, rows: 10 });
    expect(code, screen).toBe(0);
    const lines = screen.split("\n").map((l) => l.trimEnd());
    for (const svc of services) {
      const mine = lines.filter((l) => l.includes(` Container ${name}-${svc}-1 `));
      // A container can show twice at most when it scrolled up after `Created` and came back for
      // `Started`; its last line is always the final state.
      expect(mine.length, screen).toBeGreaterThanOrEqual(1);
      expect(mine.at(-1), screen).toMatch(/Started +\d+\.\ds$/);
    }
    expect(lines.filter((l) => l.startsWith(" ✔ Done in")), screen).toHaveLength(1);
    expect(lines.filter((l) => l !== "").at(-1)).toMatch(/Done in .*20 containers$/);
    // Nothing garbled: every non-empty line is a header, a resource line or the summary.
    for (const l of lines.filter((x) => x !== "")) expect(l, screen).toMatch(/^(\[\+\] Running \d+\/\d+| [✔⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (Network|Volume|Container) \S+ +\w+ +\d+\.\ds| ✔ Done in .*)$/);
  });

  it("a second `up -d` (nothing to do) lists the running containers, and `--progress plain` stays plain on a terminal", async () => {
    const { name, dir } = project(["only"]);
    expect((await run(dir, ["-p", name, "up", "-d"])).code).toBe(0);
    const again = await run(dir, ["-p", name, "up", "-d"]);
    expect(again.code).toBe(0);
    expect(again.screen).toMatch(new RegExp(` ✔ Container ${name}-only-1 +Running +\\d+\\.\\ds`));
    const plain = await run(dir, ["-p", name, "--progress", "plain", "up", "-d"]);
    expect(plain.screen.split("\n").map((l) => l.trimEnd())).toContain(` Container ${name}-only-1  Running`);
    expect(plain.screen).not.toContain("[+]");
  });
});

describe.skipIf(!engine)("--progress json through the CLI", () => {
  it("every stderr line of `up -d` and `down` parses and validates against the documented schema", async () => {
    const { name, dir } = project(["db", "web"]);
    const ajv = new Ajv2020.default({ allErrors: true });
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const validate = ajv.compile(progressJsonSchema);
    for (const args of [["-p", name, "--progress", "json", "up", "-d"], ["-p", name, "--progress", "json", "down", "-t", "0"]]) {
      const r = await runMoor(args, { cwd: dir });
      expect(r.exitCode, r.all).toBe(0);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) {
        const obj = JSON.parse(line) as unknown;
        expect(validate(obj), `${line}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: "summary", ok: true });
    }
  });
});

describe.skipIf(!hasTmux)("errors on a terminal", () => {
  it("a compose-file mistake shows the file, the line with its neighbours and a caret under the key", async () => {
    const dir = path.join(scratch, "broken");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "compose.yaml"), `services:\n  web:\n    image: ${TEST_IMAGES.busybox}\n    prots:\n      - "8080:80"\n`);
    const { code, screen } = await inTmux(dir, ["config"], { columns: 120, rows: 20 });
    expect(code).toBe(1);
    const lines = screen.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
    expect(lines[0]).toMatch(/compose\.yaml:4:5: error: services\.web\.prots: /);
    expect(lines.slice(1, 5)).toEqual([`  3 |     image: ${TEST_IMAGES.busybox}`, "> 4 |     prots:", "    |     ^^^^^", '  5 |       - "8080:80"']);
    expect(lines[5]).toMatch(/^ {2}hint: /);
  });
});
