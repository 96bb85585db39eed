import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "../watch/watch-events.js";
import { WatchDashboard } from "./watch-dashboard.js";
import { WatchStore, type DashboardCommand } from "./watch-model.js";
import { dashboardLines } from "./watch-lines.js";

const settle = () => new Promise((r) => setTimeout(r, 20));
const timeOfDay = (ms: number) => `T+${Math.round((ms - 1_000_000) / 1000)}s`;
const T0 = 1_000_000;

const containers = (web: string, db: string, health?: "healthy" | "unhealthy" | "starting"): WatchEvent => ({
  type: "containers",
  containers: [
    { service: "web", name: "demo-web-1", state: web, status: "" },
    { service: "db", name: "demo-db-1", state: db, status: "", ...(health ? { health } : {}) },
  ],
});

function mount(o: { keys?: boolean; rows?: number } = {}) {
  let now = T0;
  const store = new WatchStore();
  const commands: DashboardCommand[] = [];
  const app = render(
    <WatchDashboard
      store={store}
      clock={() => now}
      color={false}
      size={() => ({ columns: 90, rows: o.rows ?? 30 })}
      keys={o.keys ?? true}
      onCommand={(c) => commands.push(c)}
      timeOfDay={timeOfDay}
    />,
  );
  return {
    store,
    app,
    commands,
    async send(e: WatchEvent, advance = 0) {
      now += advance;
      store.apply(e);
      await settle();
    },
    async key(k: string) {
      app.stdin.write(k);
      await settle();
    },
    frame: () => app.lastFrame() ?? "",
  };
}

const started = async (v: ReturnType<typeof mount>) => {
  await v.send({ type: "enabled", project: "demo", services: ["web", "db"] });
  await v.send(containers("running", "running", "starting"));
};

describe("WatchDashboard", () => {
  it("lists each watched service with its container's state and health, and the keys", async () => {
    const v = mount();
    await started(v);
    expect(v.frame()).toBe(
      [
        "Watching demo  ↑/↓ select  r rebuild  l logs  q quit",
        "  SERVICE   CONTAINER    STATE     HEALTH",
        "› web       demo-web-1   running",
        "  db        demo-db-1    running   starting",
        "  Waiting for changes",
      ].join("\n"),
    );
    await v.send(containers("running", "running", "healthy"));
    expect(v.frame()).toContain("  db        demo-db-1    running   healthy");
    v.app.unmount();
  });

  it("shows a sync while it runs and then as the last action, with the time it took and when", async () => {
    const v = mount();
    await started(v);
    await v.send({ type: "message", text: 'Syncing service "web" after 3 changes were detected' });
    await v.send({ type: "action-start", at: T0 + 5000, kind: "sync", services: ["web"], files: 3 }, 5000);
    expect(v.frame()).toMatch(/^. Now: sync of 3 files to web 0\.0s$/m);
    await v.send({ type: "action-end", at: T0 + 5042, kind: "sync", services: ["web"], files: 3, ms: 42, ok: true }, 42);
    const frame = v.frame();
    expect(frame).toContain("✔ Last: sync of 3 files to web in 42 ms at T+5s");
    expect(frame).not.toContain("Now:");
    expect(frame).toContain('  Syncing service "web" after 3 changes were detected');
    v.app.unmount();
  });

  it("shows a rebuild's current step, then its time; a failed one says why", async () => {
    const v = mount();
    await started(v);
    await v.send({ type: "action-start", at: T0 + 1000, kind: "rebuild", services: ["web"] }, 1000);
    v.store.applyProgress({ type: "resource", kind: "container", name: "demo-web-1", status: "Recreate", done: false });
    await v.send(containers("created", "running", "healthy"), 1500);
    expect(v.frame()).toContain("Now: rebuild of web 1.5s  Container demo-web-1 Recreate");
    expect(v.frame()).toContain("› web       demo-web-1   created");
    await v.send({ type: "action-end", at: T0 + 3500, kind: "rebuild", services: ["web"], ms: 2500, ok: true }, 1000);
    expect(v.frame()).toContain("✔ Last: rebuild of web in 2.5s at T+4s");
    await v.send({ type: "action-start", at: T0 + 9000, kind: "rebuild", services: ["web"] });
    await v.send({ type: "action-end", at: T0 + 9100, kind: "rebuild", services: ["web"], ms: 100, ok: false, error: "building web failed" });
    expect(v.frame()).toContain("✘ Last: rebuild of web in 100 ms at T+9s: building web failed");
    v.app.unmount();
  });

  it("shows the compose file's error with its location and hint while it is invalid, and clears it when fixed", async () => {
    const v = mount();
    await started(v);
    const text = [
      "/p/compose.yaml:4:5: error: services.web.prots: unknown key `prots` in service `web`",
      "  3 |     image: busybox",
      "> 4 |     prots:",
      "    |     ^^^^^",
      "  hint: did you mean `ports`?",
      "",
    ].join("\n");
    await v.send({ type: "action-start", at: T0 + 2000, kind: "reload", services: [], files: 1 });
    await v.send({ type: "compose-invalid", at: T0 + 2000, count: 1, text, diagnostics: [] });
    await v.send({ type: "action-end", at: T0 + 2003, kind: "reload", services: [], files: 1, ms: 3, ok: false, error: "the compose file is invalid" });
    const frame = v.frame();
    expect(frame).toContain("✘ Last: compose-file reload in 3 ms at T+2s: the compose file is invalid");
    expect(frame).toContain("✘ The compose file is invalid (1 error since T+2s): everything keeps running as it was");
    expect(frame).toContain("  /p/compose.yaml:4:5: error: services.web.prots: unknown key `prots` in service `web`");
    expect(frame).toContain("  > 4 |     prots:");
    expect(frame).toContain("    hint: did you mean `ports`?");
    // The services are still shown as they run.
    expect(frame).toContain("› web       demo-web-1   running");
    await v.send({ type: "action-start", at: T0 + 4000, kind: "reload", services: [], files: 1 });
    await v.send({ type: "compose-valid", at: T0 + 4000 });
    await v.send({ type: "action-end", at: T0 + 4020, kind: "reload", services: [], files: 1, ms: 20, ok: true });
    expect(v.frame()).not.toContain("invalid");
    expect(v.frame()).not.toContain("prots");
    expect(v.frame()).toContain("✔ Last: compose-file reload in 20 ms at T+4s");
    v.app.unmount();
  });

  it("keys: ↓ and r rebuild the selected service, l toggles the logs pane, q quits", async () => {
    const v = mount();
    await started(v);
    await v.key("r");
    await v.key("\u001B[B"); // down arrow
    expect(v.frame()).toContain("› db        demo-db-1");
    await v.key("r");
    await v.key("j"); // stays on the last service
    await v.key("k");
    await v.key("r");
    expect(v.commands).toEqual([
      { type: "rebuild", service: "web" },
      { type: "rebuild", service: "db" },
      { type: "rebuild", service: "web" },
    ]);
    await v.key("l");
    expect(v.commands.at(-1)).toEqual({ type: "logs", visible: true });
    expect(v.frame()).toContain("── logs ──");
    expect(v.frame()).toContain("(no output yet)");
    v.store.addLogs(["web-1  | listening on :80", "db-1   | ready"]);
    await v.send({ type: "message", text: "x" });
    expect(v.frame().split("\n").slice(-2)).toEqual(["web-1  | listening on :80", "db-1   | ready"]);
    await v.key("l");
    expect(v.commands.at(-1)).toEqual({ type: "logs", visible: false });
    expect(v.frame()).not.toContain("listening");
    await v.key("q");
    expect(v.commands.at(-1)).toEqual({ type: "quit" });
    await v.key("\u0003"); // Ctrl-C is the same as q
    expect(v.commands.at(-1)).toEqual({ type: "quit" });
    expect(v.commands).toHaveLength(7);
    // Watch stopping, then stopped: the frame says so and keys are no longer offered.
    await v.send({ type: "stopping" });
    expect(v.frame().split("\n")[0]).toBe("Stopping watch…");
    await v.send({ type: "disabled" });
    expect(v.frame().split("\n")[0]).toBe("Watch disabled");
    expect(v.frame()).not.toContain("›");
    await v.key("r");
    expect(v.commands).toHaveLength(7);
    v.app.unmount();
  });

  it("without keys (stdin is not a terminal) offers none and ignores input", async () => {
    const v = mount({ keys: false });
    await started(v);
    expect(v.frame().split("\n")[0]).toBe("Watching demo");
    expect(v.frame()).not.toContain("›");
    v.app.unmount();
  });

  it("the logs pane fills the room left and the frame stays two lines shorter than the screen", async () => {
    const v = mount({ rows: 12 });
    await started(v);
    await v.key("l");
    v.store.addLogs(Array.from({ length: 50 }, (_, i) => `web-1  | line ${i}`));
    await v.send({ type: "message", text: "Watch enabled" });
    const lines = v.frame().split("\n");
    expect(lines.length).toBe(10);
    expect(lines.at(-1)).toBe("web-1  | line 49");
    v.app.unmount();
  });
});

describe("dashboardLines", () => {
  const base = () => {
    const s = new WatchStore();
    s.apply({ type: "enabled", project: "demo", services: ["web", "api", "db"] });
    s.apply({
      type: "containers",
      containers: [
        { service: "web", name: "demo-web-2", state: "running", status: "" },
        { service: "web", name: "demo-web-1", state: "exited", status: "Exited (137)" },
        { service: "db", name: "demo-db-1", state: "running", health: "unhealthy", status: "" },
        { service: "other", name: "demo-other-1", state: "running", status: "" },
      ],
    });
    return s;
  };

  it("one line per container (replicas under their service), a service without one says so, others are left out", () => {
    const lines = dashboardLines(base().getSnapshot(), { now: 0, color: false, columns: 80, rows: 30, keys: true, timeOfDay });
    expect(lines.slice(1, 6)).toEqual([
      "  SERVICE   CONTAINER    STATE          HEALTH",
      "› web       demo-web-1   exited",
      "            demo-web-2   running",
      "  api       -            no container",
      "  db        demo-db-1    running        unhealthy",
    ]);
  });

  it("colours states and health only when asked", () => {
    const plain = dashboardLines(base().getSnapshot(), { now: 0, color: false, columns: 80, rows: 30, keys: true, timeOfDay }).join("\n");
    expect(plain).not.toContain("\x1b[");
    const coloured = dashboardLines(base().getSnapshot(), { now: 0, color: true, columns: 80, rows: 30, keys: true, timeOfDay }).join("\n");
    expect(coloured).toContain("\x1b[32mrunning\x1b[39m");
    expect(coloured).toContain("\x1b[31mexited\x1b[39m");
    expect(coloured).toContain("\x1b[31munhealthy\x1b[39m");
  });

  it("cuts every line to the terminal's width", () => {
    const s = base();
    s.apply({ type: "message", text: "x".repeat(200) });
    for (const l of dashboardLines(s.getSnapshot(), { now: 0, color: false, columns: 40, rows: 30, keys: true, timeOfDay })) expect([...l].length).toBeLessThanOrEqual(40);
  });

  it("keeps the latest messages only", () => {
    const s = base();
    for (let i = 0; i < 9; i++) s.apply({ type: "message", text: `m${i}` });
    const lines = dashboardLines(s.getSnapshot(), { now: 0, color: false, columns: 80, rows: 30, keys: true, timeOfDay });
    expect(lines.filter((l) => /^ {2}m\d$/.test(l))).toEqual(["  m4", "  m5", "  m6", "  m7", "  m8"]);
  });
});

describe("dashboardLines: the compose error", () => {
  it("wraps a long error line instead of cutting off its message", () => {
    const s = new WatchStore();
    s.apply({ type: "enabled", project: "demo", services: ["web"] });
    const text = `/a/very/long/path/${"x".repeat(60)}/compose.yaml:4:5: error: services.web.prots: unknown key \`prots\`\n`;
    s.apply({ type: "compose-invalid", at: T0, count: 1, text, diagnostics: [] });
    const lines = dashboardLines(s.getSnapshot(), { now: 0, color: false, columns: 60, rows: 30, keys: true, timeOfDay });
    const start = lines.findIndex((l) => l.startsWith("  /a/very"));
    expect(lines.slice(start, start + 3).map((l) => l.slice(2)).join("")).toBe(text.trimEnd());
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
  });
});

describe("dashboardLines: before watch is enabled", () => {
  it("says it is starting and offers no keys yet", () => {
    const lines = dashboardLines(new WatchStore().getSnapshot(), { now: 0, color: false, columns: 80, rows: 30, keys: true, timeOfDay });
    expect(lines[0]).toBe("Starting watch…");
  });
});
