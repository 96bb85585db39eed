// The watch dashboard in a real terminal: `moor watch` runs inside tmux (a pty of known size that
// redraws as a terminal does) against the real engine; the test reads the screen as a person
// would, edits a synced file, types keys, and checks what compose's own `watch` leaves behind on
// quit (it stops watching; the containers keep running).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { docker, repoRoot, requireEngine, requireImages, TEST_IMAGES, uniqueProject } from "./harness.js";
import { endTerminalSuite, hasTmux } from "./tmux.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-ui-watch-"));
const projects: string[] = [];
const sockets: string[] = [];

afterAll(() => endTerminalSuite(sockets, engine, projects, scratch));

/** A terminal running `moor watch` in `dir`: read its screen, type keys. */
async function terminal(dir: string, args: string[]) {
  const socket = `moor-uiw-${process.pid}-${sockets.length}`;
  sockets.push(socket);
  const tmux = (a: string[]) => execa("tmux", ["-L", socket, "-f", "/dev/null", ...a]);
  const bin = path.join(repoRoot, "bin", "moor.js");
  const line = `cd '${dir}' && env -u CI -u NO_COLOR -u COMPOSE_PROGRESS -u COMPOSE_ANSI TERM=xterm-256color '${process.execPath}' '${bin}' ${args.map((a) => `'${a}'`).join(" ")}; echo "__EXIT=$?__"; sleep 600`;
  await tmux(["new-session", "-d", "-s", "w", "-x", "100", "-y", "30", line]);
  const screen = async () => String((await tmux(["capture-pane", "-p", "-J", "-t", "w"])).stdout);
  return {
    screen,
    keys: (k: string) => tmux(["send-keys", "-t", "w", k]),
    /** Polls the screen until `ok` holds; the bound only turns a hang into a failure with the screen. */
    async until(ok: (screen: string) => boolean, what: string): Promise<string> {
      const give = Date.now() + 90_000;
      for (;;) {
        const s = await screen();
        if (ok(s)) return s;
        if (/__EXIT=\d+__/.test(s) || Date.now() > give) throw new Error(`waiting for ${what}; the screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

describe.skipIf(!engine || !hasTmux)("the watch dashboard in a real terminal", () => {
  it("shows the service running, a sync when a file is edited, the logs on l, a recreate on r, and q exits 0 leaving the containers running", async () => {
    await requireImages(engine!);
    const name = uniqueProject("uiwatch");
    projects.push(name);
    const dir = path.join(scratch, name);
    fs.mkdirSync(path.join(dir, "app"), { recursive: true });
    fs.writeFileSync(path.join(dir, "app", "index.txt"), "one\n");
    fs.writeFileSync(
      path.join(dir, "compose.yaml"),
      [
        "services:",
        "  web:",
        `    image: ${TEST_IMAGES.busybox}`,
        "    command: sh -c 'echo web-says-hello; exec sleep 3600'",
        "    init: true",
        "    develop:",
        "      watch:",
        "        - action: sync",
        "          path: ./app",
        "          target: /app",
        "",
      ].join("\n"),
    );
    const t = await terminal(dir, ["-p", name, "watch"]);
    const row = new RegExp(`^› web +${name}-web-1 +running`, "m");
    await t.until((s) => row.test(s) && s.includes(`Watching ${name}`), "the dashboard with web running");
    expect(await t.screen()).toContain("q quit");

    fs.writeFileSync(path.join(dir, "app", "index.txt"), "two\n");
    const synced = await t.until((s) => /✔ Last: sync of 1 file to web in \d+( ms|\.\ds) at \d\d:\d\d:\d\d/.test(s), "the sync line");
    expect(synced).toMatch(row);
    expect((await docker(["exec", `${name}-web-1`, "cat", "/app/index.txt"])).trim()).toBe("two");

    await t.keys("l");
    await t.until((s) => s.includes("── logs") && /web-1 +\| web-says-hello/.test(s), "the logs pane with web's output");
    await t.keys("l");
    await t.until((s) => !s.includes("── logs"), "the logs pane hidden");

    // r on the selected service (web, no build section): its container is recreated.
    const before = (await docker(["inspect", "-f", "{{.Id}}", `${name}-web-1`])).trim();
    await t.keys("r");
    await t.until((s) => /✔ Last: recreate of web in \d+( ms|\.\ds) at /.test(s) && row.test(s), "the recreate line with web running again");
    expect((await docker(["inspect", "-f", "{{.Id}}", `${name}-web-1`])).trim()).not.toBe(before);

    await t.keys("q");
    const end = await t.until((s) => /__EXIT=\d+__/.test(s), "watch to exit");
    expect(end).toContain("__EXIT=0__");
    expect(end).toContain("Watch disabled");
    // As `docker compose watch`: quitting stops watching, the containers keep running.
    const running = await docker(["ps", "--filter", `label=com.docker.compose.project=${name}`, "--format", "{{.Names}} {{.State}}"]);
    expect(running.trim()).toBe(`${name}-web-1 running`);
  });

  it("shows the compose file's error while it is invalid and clears it when fixed", async () => {
    const name = uniqueProject("uiwatchbad");
    projects.push(name);
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir, { recursive: true });
    const good = ["services:", "  only:", `    image: ${TEST_IMAGES.busybox}`, "    command: sleep 3600", "    init: true", ""].join("\n");
    fs.writeFileSync(path.join(dir, "compose.yaml"), good);
    const t = await terminal(dir, ["-p", name, "watch"]);
    await t.until((s) => new RegExp(`${name}-only-1 +running`).test(s), "the dashboard with only running");
    fs.writeFileSync(path.join(dir, "compose.yaml"), good.replace("    command:", "    comand:"));
    const bad = await t.until((s) => s.includes("The compose file is invalid"), "the compose error");
    // A long error line is wrapped on the dashboard (its continuation indented by two spaces).
    expect(bad.replace(/\n {2}/g, "")).toMatch(/compose\.yaml:4:5: error: services\.only\.comand: unknown key `comand`/);
    expect(bad).toContain("hint: did you mean `command`?");
    expect(bad).toMatch(new RegExp(`${name}-only-1 +running`));
    fs.writeFileSync(path.join(dir, "compose.yaml"), good);
    await t.until((s) => !s.includes("The compose file is invalid") && /✔ Last: compose-file reload/.test(s), "the error cleared");
    await t.keys("q");
    expect(await t.until((s) => /__EXIT=\d+__/.test(s), "watch to exit")).toContain("__EXIT=0__");
  });
});
