// The navigation menu of an attached `moor up` and the terminal's job control, in a real terminal
// (an interactive bash in tmux) against the real engine: Ctrl-Z (a byte in raw mode) suspends moor
// with the terminal back in canonical mode, `fg` brings the logs and the menu back, `d` then
// detaches with exit 0 and the terminal still canonical.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, repoRoot, requireEngine, requireImages, TEST_IMAGES, uniqueProject } from "./harness.js";
import { hasTmux } from "./tmux.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-menu-suspend-"));
const name = uniqueProject("menuz");
const socket = `moor-menuz-${process.pid}`;
const tmux = (a: string[]) => execa("tmux", ["-L", socket, "-f", "/dev/null", ...a]);
const screen = async () => String((await tmux(["capture-pane", "-p", "-J", "-S", "-300", "-t", "m"])).stdout);

async function waitFor(what: RegExp, from = 0): Promise<string> {
  const end = Date.now() + 60_000;
  for (;;) {
    const s = await screen();
    if (what.test(s.slice(from))) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${s}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  await execa("tmux", ["-L", socket, "kill-server"], { reject: false });
  if (engine) await cleanupProject(engine, name);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!engine || !hasTmux)("the navigation menu and Ctrl-Z", () => {
  it("Ctrl-Z suspends moor with the terminal in canonical mode; fg brings the menu back; d detaches", async () => {
    await requireImages(engine!);
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir, { recursive: true });
    const ticker = `["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 1; done"]`;
    fs.writeFileSync(path.join(dir, "compose.yaml"), `services:\n  app:\n    image: ${TEST_IMAGES.busybox}\n    command: ${ticker}\n`);
    // An interactive shell, so Ctrl-Z has a job control to stop the job for.
    await tmux(["new-session", "-d", "-s", "m", "-x", "120", "-y", "40", `env -u CI -u NO_COLOR -u COMPOSE_PROGRESS -u COMPOSE_ANSI -u COMPOSE_MENU PS1='$ ' bash --norc --noprofile -i`]);
    await waitFor(/\$ $/m);
    const bin = path.join(repoRoot, "bin", "moor.js");
    await tmux(["send-keys", "-t", "m", `cd '${dir}' && TERM=xterm-256color '${process.execPath}' '${bin}' -p ${name} up`, "Enter"]);
    await waitFor(/app-1 +\| tick 1[\s\S]*w Enable Watch {3}d Detach/);

    await tmux(["send-keys", "-t", "m", "C-z"]);
    await waitFor(/Stopped/);
    await tmux(["send-keys", "-t", "m", "stty -a | grep -o -- ' -\\?icanon' | sed 's/^/MODE=/'", "Enter"]);
    const suspended = await waitFor(/MODE= ?-?icanon/);
    expect(suspended).toMatch(/MODE= icanon/);
    // Stopped means stopped: the container keeps running, moor is a stopped job.
    expect((await docker(["inspect", "-f", "{{.State.Status}}", `${name}-app-1`])).trim()).toBe("running");

    const before = (await screen()).length;
    await tmux(["send-keys", "-t", "m", "fg", "Enter"]);
    await waitFor(/w Enable Watch {3}d Detach\s*$/, before);
    await tmux(["send-keys", "-t", "m", "d"]);
    // A bare prompt again (every earlier one has a command after it): moor has exited, so keys
    // typed now go to the shell, not to moor.
    await waitFor(/^\$ ?$/m);
    await tmux(["send-keys", "-t", "m", "echo \"EXIT=$?\"; stty -a | grep -o -- ' -\\?icanon' | sed 's/^/AFTER=/'", "Enter"]);
    const end = await waitFor(/AFTER= ?-?icanon/);
    expect(end).toMatch(/EXIT=0/);
    expect(end).toMatch(/AFTER= icanon/);
    expect((await docker(["inspect", "-f", "{{.State.Status}}", `${name}-app-1`])).trim()).toBe("running");
  });
});
