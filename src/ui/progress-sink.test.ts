import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { MoorEvent } from "../reconcile/events.js";
import { stripAnsi } from "./ansi.js";
import { inkProgressSink } from "./progress-sink.js";

/** A terminal-like stream that records what is written. */
class FakeTerminal extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  text = "";
  write(chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean {
    this.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    const done = typeof enc === "function" ? enc : cb;
    if (typeof done === "function") setImmediate(done as () => void);
    return true;
  }
}

/** The screen's text: what a terminal shows once cursor moves and erases are applied, roughly. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return stripAnsi(text).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

const res = (name: string, status: string, done: boolean): MoorEvent => ({ type: "resource", kind: "container", name, status, done }) as MoorEvent;

/** Waits for the view to be mounted (the streams are patched once it is). */
async function mounted(t: { err: FakeTerminal }): Promise<void> {
  while (!Object.prototype.hasOwnProperty.call(t.err, "write")) await new Promise((r) => setTimeout(r, 10));
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

function setup(load?: () => Promise<typeof import("./ink-progress.js")>, intercept = false, loadDelayMs = 0) {
  const err = new FakeTerminal();
  const out = new FakeTerminal();
  let loads = 0;
  const sink = inkProgressSink({
    stderr: err as unknown as NodeJS.WriteStream,
    stdout: out as unknown as NodeJS.WriteStream,
    color: false,
    intercept,
    loadDelayMs,
    load: () => {
      loads++;
      return (load ?? (() => import("./ink-progress.js")))();
    },
  });
  return { err, out, sink, loads: () => loads };
}

describe("inkProgressSink", () => {
  it("loads the view only on the first resource event; messages before it print at once", async () => {
    const t = setup();
    t.sink({ type: "warning", message: "orphans" });
    expect(t.loads()).toBe(0);
    expect(t.err.text).toBe("WARN orphans\n");
    await t.sink.close();
    expect(t.loads()).toBe(0);
    t.sink(res("demo-web-1", "Creating", false));
    await tick();
    expect(t.loads()).toBe(1);
    await t.sink.close();
  });

  it("a command done before the load delay prints the same final frame without ever loading Ink", async () => {
    const t = setup(undefined, false, 60_000);
    t.sink({ type: "warning", message: "orphans" });
    t.sink(res("demo-db-1", "Running", true));
    t.sink(res("demo-web-1", "Running", true));
    await t.sink.close();
    expect(t.loads()).toBe(0);
    expect(t.err.text).toMatch(/^WARN orphans\n\[\+\] Running 2\/2\n ✔ Container demo-db-1 {3}Running {5}0\.0s\n ✔ Container demo-web-1 {2}Running {5}0\.0s\n ✔ Done in \d+\.\ds: 2 containers\n$/);
  });

  it("loses no event sent while the view loads, and close() resolves after the final frame", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = setup(async () => {
      await gate;
      return import("./ink-progress.js");
    });
    const names = Array.from({ length: 8 }, (_, i) => `demo-s${i}-1`);
    for (const n of names) t.sink(res(n, "Creating", false));
    await tick();
    expect(t.loads()).toBe(1);
    for (const n of names) t.sink(res(n, "Started", true));
    expect(t.err.text).toBe("");
    const closing = t.sink.close();
    release();
    await closing;
    const screen = visible(t.err.text);
    for (const n of names) expect(screen).toContain(`✔ Container ${n}  Started`);
    expect(screen).toMatch(/✔ Done in \d+\.\ds: 8 containers/);
    // Nothing more is written after close() resolved.
    const after = t.err.text;
    await new Promise((r) => setTimeout(r, 50));
    expect(t.err.text).toBe(after);
  });

  it("falls back to plain lines when the view cannot load", async () => {
    const t = setup(() => Promise.reject(new Error("no ink")));
    t.sink(res("demo-web-1", "Creating", false));
    await tick();
    await t.sink.close();
    t.sink(res("demo-web-1", "Started", true));
    expect(t.err.text).toContain("WARN the live progress view could not start (no ink)");
    expect(t.err.text).toContain(" Container demo-web-1  Creating\n");
  });

  it("routes other writes above the live area and hands the streams back on close", async () => {
    const t = setup(undefined, true);
    const ownWrite = t.err.write;
    t.sink(res("demo-web-1", "Creating", false));
    await mounted(t);
    (t.err as unknown as NodeJS.WriteStream).write("error: something\n");
    (t.out as unknown as NodeJS.WriteStream).write("web-1  | hello world\n");
    // Still live: complete lines do not end the view.
    expect(Object.prototype.hasOwnProperty.call(t.out, "write")).toBe(true);
    t.sink(res("demo-web-1", "Started", true));
    await t.sink.close();
    expect(t.err.write).toBe(ownWrite);
    expect(Object.prototype.hasOwnProperty.call(t.err, "write")).toBe(false);
    expect(t.out.text).toContain("web-1  | hello world\n");
    const screen = visible(t.err.text);
    expect(screen).toContain("error: something\n");
    // The final frame comes after the message, so the summary is the last thing on screen.
    expect(screen.lastIndexOf("Done in")).toBeGreaterThan(screen.indexOf("error: something"));
  });

  it("writes a burst of lines above the view together, in order, on the next turn (one redraw, not one per line)", async () => {
    const t = setup(undefined, true);
    t.sink(res("demo-web-1", "Creating", false));
    await mounted(t);
    const before = t.err.text.length;
    for (let i = 0; i < 200; i++) (t.err as unknown as NodeJS.WriteStream).write(`line ${i}\n`);
    expect(t.err.text.length).toBe(before);
    await new Promise((r) => setImmediate(r));
    const text = visible(t.err.text.slice(before));
    const order = [...text.matchAll(/line (\d+)\n/g)].map((m) => Number(m[1]));
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await t.sink.close();
  });

  it("a line left open (a prompt, an interactive session) ends the view at once and shows below its final frame", async () => {
    const t = setup(undefined, true);
    t.sink(res("demo-db-1", "Started", true));
    await mounted(t);
    (t.out as unknown as NodeJS.WriteStream).write("db-1  | ready\n");
    (t.out as unknown as NodeJS.WriteStream).write("/ # ");
    // Handed back synchronously: what follows goes straight to the terminal.
    expect(Object.prototype.hasOwnProperty.call(t.out, "write")).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(t.err, "write")).toBe(false);
    expect(t.out.text.endsWith("db-1  | ready\n/ # ")).toBe(true);
    expect(visible(t.err.text)).toMatch(/✔ Done in \d+\.\ds: 1 container\n$/);
    await t.sink.close();
    // A new event after that starts a new view (closed before Ink was needed: printed directly).
    t.sink(res("demo-db-1", "Stopping", false));
    await t.sink.close();
    expect(visible(t.err.text)).toMatch(/Container demo-db-1 {2}Stopping +\d+\.\ds\n ✔ Done in/);
  });

  it("starts a new view for events after close", async () => {
    const t = setup();
    t.sink(res("demo-web-1", "Started", true));
    await tick();
    await t.sink.close();
    t.sink(res("demo-web-1", "Stopping", false));
    await tick();
    t.sink(res("demo-web-1", "Stopped", true));
    await t.sink.close();
    expect(t.loads()).toBe(2);
    expect(visible(t.err.text).match(/Done in/g)).toHaveLength(2);
    expect(visible(t.err.text)).toContain("Container demo-web-1  Stopped");
  });
});
