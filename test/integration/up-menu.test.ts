// compose's navigation menu under an attached `moor up` in a real terminal (tmux): the menu line,
// `w` without a watch configuration, `d` detaching with the containers left running, Ctrl-C read
// as a key in raw mode stopping gracefully (exit 130) with the terminal given back, `w` turning
// watch on and off, and COMPOSE_MENU=0 turning the menu off.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { docker, repoRoot, requireEngine, requireImages, TEST_IMAGES, uniqueProject } from "./harness.js";
import { endTerminalSuite, hasTmux } from "./tmux.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-menu-test-"));
const projects: string[] = [];
const sockets: string[] = [];

const TICKER = `["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 1; done"]`;

function project(develop: boolean): { name: string; dir: string } {
  const name = uniqueProject("menu");
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  const watch = develop ? "    develop:\n      watch:\n        - path: ./src\n          action: sync\n          target: /src\n" : "";
  fs.writeFileSync(path.join(dir, "compose.yaml"), `services:\n  app:\n    image: ${TEST_IMAGES.busybox}\n    command: ${TICKER}\n${watch}`);
  return { name, dir };
}

/** Starts `moor up` in a tmux server of its own; the shell prints the exit code and whether the terminal is back in canonical mode. */
async function terminal(dir: string, name: string, env: string[] = [], upFlags: string[] = []) {
  const socket = `moor-menu-${process.pid}-${sockets.length}`;
  sockets.push(socket);
  const tmux = (a: string[]) => execa("tmux", ["-L", socket, "-f", "/dev/null", ...a]);
  const bin = path.join(repoRoot, "bin", "moor.js");
  const line = `cd '${dir}' && env -u CI -u NO_COLOR -u COMPOSE_PROGRESS -u COMPOSE_ANSI -u COMPOSE_MENU ${env.join(" ")} TERM=xterm-256color '${process.execPath}' '${bin}' -p ${name} up ${upFlags.join(" ")}; echo "__EXIT=$?__ $(stty -a | grep -o -- ' -\\?icanon' | tr -d ' ')"; sleep 600`;
  await tmux(["new-session", "-d", "-s", "m", "-x", "120", "-y", "30", line]);
  const screen = async () => String((await tmux(["capture-pane", "-p", "-J", "-S", "-300", "-t", "m"])).stdout);
  const waitFor = async (what: RegExp): Promise<RegExpExecArray> => {
    const end = Date.now() + 60_000;
    for (;;) {
      const s = await screen();
      const m = what.exec(s);
      if (m) return m;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${s}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { screen, waitFor, keys: (...k: string[]) => tmux(["send-keys", "-t", "m", ...k]) };
}

const containerState = async (name: string) => (await docker(["inspect", "-f", "{{.State.Status}}", `${name}-app-1`])).trim();

afterAll(() => endTerminalSuite(sockets, engine, projects, scratch));

describe.skipIf(!engine || !hasTmux)("the navigation menu of an attached up", () => {
  it("shows `w Enable Watch   d Detach`; w without develop.watch says so; d detaches and leaves the containers running", async () => {
    await requireImages(engine!);
    const { name, dir } = project(false);
    const t = await terminal(dir, name);
    await t.waitFor(/app-1 +\| tick 2/);
    // The menu is the last line, under the logs.
    await t.waitFor(/tick \d+\n+w Enable Watch {3}d Detach\s*$/);
    await t.keys("w");
    await t.waitFor(/watch is not yet configured\. Learn more: https:\/\/docs\.docker\.com\/compose\/file-watch\//);
    await t.keys("d");
    const done = await t.waitFor(/__EXIT=(\d+)__ (-?icanon)/);
    expect([done[1], done[2]]).toEqual(["0", "icanon"]);
    expect(await containerState(name)).toBe("running");
  });

  it("Ctrl-C read as a key stops the project gracefully (exit 130) and gives the terminal back", async () => {
    const { name, dir } = project(false);
    const t = await terminal(dir, name);
    await t.waitFor(/w Enable Watch/);
    await t.keys("C-c");
    const done = await t.waitFor(/__EXIT=(\d+)__ (-?icanon)/);
    expect([done[1], done[2]]).toEqual(["130", "icanon"]);
    const screen = await t.screen();
    expect(screen).toContain("Gracefully stopping... (press Ctrl+C again to force)");
    expect(screen).toMatch(/✔ Container \S+-app-1 +Stopped/);
    expect(screen).not.toContain("Failed");
    expect(await containerState(name)).toBe("exited");
  });

  it("w turns watch on (files sync) and off again", async () => {
    const { name, dir } = project(true);
    const t = await terminal(dir, name);
    await t.waitFor(/w Enable Watch/);
    await t.keys("w");
    await t.waitFor(/Watch enabled[\s\S]*w Disable Watch/);
    fs.writeFileSync(path.join(dir, "src", "a.txt"), "synced\n");
    const end = Date.now() + 60_000;
    while ((await execa("docker", ["exec", `${name}-app-1`, "cat", "/src/a.txt"], { reject: false })).stdout !== "synced") {
      if (Date.now() > end) throw new Error(`a.txt never synced:\n${await t.screen()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await t.keys("w");
    await t.waitFor(/Watch disabled[\s\S]*w Enable Watch/);
    await t.keys("d");
    expect((await t.waitFor(/__EXIT=(\d+)__/))[1]).toBe("0");
  });

  it("under up --watch the menu starts with watch on: w turns it off, d detaches (watch ends, containers run)", async () => {
    const { name, dir } = project(true);
    const t = await terminal(dir, name, [], ["--watch"]);
    await t.waitFor(/Watch enabled[\s\S]*w Disable Watch {3}d Detach\s*$/);
    await t.keys("w");
    await t.waitFor(/Watch disabled[\s\S]*w Enable Watch/);
    await t.keys("w");
    await t.waitFor(/w Disable Watch/);
    await t.keys("d");
    const done = await t.waitFor(/__EXIT=(\d+)__ (-?icanon)/);
    expect([done[1], done[2]]).toEqual(["0", "icanon"]);
    expect(await containerState(name)).toBe("running");
  });

  it("COMPOSE_MENU=0 leaves the menu out", async () => {
    const { name, dir } = project(false);
    const t = await terminal(dir, name, ["COMPOSE_MENU=0"]);
    await t.waitFor(/app-1 +\| tick 2/);
    expect(await t.screen()).not.toContain("Detach");
    await t.keys("C-c");
    expect((await t.waitFor(/__EXIT=(\d+)__/))[1]).toBe("130");
  });
});
