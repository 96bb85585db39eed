import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { MoorEvent } from "../reconcile/events.js";
import { ProgressStore } from "./progress-model.js";
import { ProgressView } from "./progress-view.js";

const settle = () => new Promise((r) => setTimeout(r, 5));

function mount(rows = 30) {
  let now = 1_000;
  const clock = () => now;
  const store = new ProgressStore(now, rows - 6);
  const app = render(<ProgressView store={store} clock={clock} color={false} size={() => ({ columns: 100, rows })} />);
  return {
    store,
    app,
    async send(e: MoorEvent, advance = 100) {
      now += advance;
      store.apply(e, now);
      await settle();
    },
    async finish() {
      now += 50;
      store.finish(now);
      await settle();
    },
  };
}

const res = (kind: "network" | "container" | "volume" | "image", name: string, status: string, done: boolean, detail?: string): MoorEvent =>
  ({ type: "resource", kind, name, status, done, ...(detail ? { detail } : {}) }) as MoorEvent;

describe("ProgressView", () => {
  it("shows each resource once, updated in place, with spinner, state and elapsed time, then the summary", async () => {
    const v = mount();
    await v.send(res("network", "demo_default", "Creating", false));
    expect(v.app.lastFrame()).toBe(["[⠙] Running 0/1", " ⠙ Network demo_default  Creating    0.0s"].join("\n"));
    await v.send(res("network", "demo_default", "Created", true));
    await v.send(res("container", "demo-web-1", "Creating", false));
    await v.send(res("container", "demo-db-1", "Creating", false), 300);
    expect(v.app.lastFrame()).toBe(
      [
        "[⠦] Running 1/3",
        " ✔ Network demo_default  Created     0.1s",
        " ⠦ Container demo-web-1  Creating    0.3s",
        " ⠦ Container demo-db-1   Creating    0.0s",
      ].join("\n"),
    );
    await v.send(res("container", "demo-web-1", "Created", true));
    await v.send(res("container", "demo-db-1", "Created", true));
    await v.send(res("container", "demo-db-1", "Starting", false));
    await v.send(res("container", "demo-db-1", "Started", true), 1200);
    await v.send(res("container", "demo-web-1", "Starting", false));
    await v.send(res("container", "demo-web-1", "Started", true), 400);
    await v.finish();
    expect(v.app.lastFrame()).toBe(
      [
        "[+] Running 3/3",
        " ✔ Network demo_default  Created     0.1s",
        " ✔ Container demo-web-1  Started     2.3s",
        " ✔ Container demo-db-1   Started     1.5s",
        " ✔ Done in 2.6s: 1 network, 2 containers",
      ].join("\n"),
    );
    v.app.unmount();
  });

  it("marks failures and warnings, shows their detail, and the summary says it failed", async () => {
    const v = mount();
    await v.send(res("container", "demo-db-1", "Starting", false));
    await v.send(res("container", "demo-db-1", "Error", true, "port is already allocated"));
    await v.send(res("container", "demo-job-1", "Warning", true, "exited 3"));
    await v.send({ type: "warning", message: "Found orphan containers" });
    await v.finish();
    const frame = v.app.lastFrame()!;
    expect(frame).toContain("WARN Found orphan containers");
    expect(frame).toContain(" ✘ Container demo-db-1   Error       0.1s  port is already allocated");
    expect(frame).toContain(" ! Container demo-job-1  Warning     0.0s  exited 3");
    expect(frame).toContain(" ✘ Failed in 0.5s: 1 failed; 1 container");
    v.app.unmount();
  });

  it("shows pull and build progress beside the image while it runs", async () => {
    const v = mount();
    await v.send(res("image", "redis:7", "Pulling", false));
    await v.send({ type: "progress", kind: "image", name: "redis:7", text: "Downloading", current: 1, total: 4 });
    expect(v.app.lastFrame()).toContain(" Image redis:7  Pulling     0.1s  Downloading 25%");
    await v.send(res("image", "redis:7", "Pulled", true));
    expect(v.app.lastFrame()).not.toContain("Downloading");
    v.app.unmount();
  });

  it("never grows taller than the screen: finished lines move above, printed once, and none is lost", async () => {
    const rows = 10;
    const v = mount(rows);
    const names = Array.from({ length: 20 }, (_, i) => `demo-s${String(i).padStart(2, "0")}-1`);
    for (const n of names) await v.send(res("container", n, "Creating", false), 10);
    for (const n of names) await v.send(res("container", n, "Started", true), 10);
    await v.finish();
    // In debug mode each frame is the printed lines followed by the live area.
    const frame = v.app.lastFrame()!;
    for (const n of names) expect(frame.split("\n").filter((l) => l.includes(` ${n} `))).toHaveLength(1);
    const live = frame.slice(frame.indexOf("[+]")).split("\n");
    expect(live.length).toBeLessThanOrEqual(rows - 2);
    expect(live.at(-1)).toContain("Done in");
    v.app.unmount();
  });

  it("caps a live area of unfinished lines with a count of the rest", async () => {
    const v = mount(8);
    for (let i = 0; i < 12; i++) await v.send(res("container", `demo-s${i}-1`, "Creating", false), 1);
    const lines = v.app.lastFrame()!.split("\n");
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines.at(-1)).toMatch(/… \d+ more/);
    v.app.unmount();
  });
});
