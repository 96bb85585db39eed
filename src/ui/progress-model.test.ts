import { describe, expect, it } from "vitest";
import type { MoorEvent } from "../reconcile/events.js";
import { describeCounts, ProgressStore } from "./progress-model.js";

const res = (name: string, status: string, done: boolean, kind = "container"): MoorEvent => ({ type: "resource", kind, name, status, done }) as MoorEvent;

describe("ProgressStore", () => {
  it("keeps one row per resource in first-seen order, its clock from the first event to the last", () => {
    const s = new ProgressStore(0);
    s.apply(res("b", "Creating", false), 10);
    s.apply(res("a", "Creating", false), 20);
    s.apply(res("b", "Created", true), 30);
    s.apply(res("b", "Starting", false), 40);
    s.apply(res("b", "Started", true), 90);
    const snap = s.getSnapshot();
    expect(snap.rows.map((r) => [r.name, r.status, r.state, r.started, r.ended])).toEqual([
      ["b", "Started", "done", 10, 90],
      ["a", "Creating", "working", 20, undefined],
    ]);
  });

  it("notifies subscribers with a new snapshot on every change", () => {
    const s = new ProgressStore(0);
    const seen: unknown[] = [];
    const off = s.subscribe(() => seen.push(s.getSnapshot()));
    s.apply(res("a", "Creating", false), 1);
    s.apply({ type: "warning", message: "w" }, 2);
    off();
    s.apply(res("a", "Created", true), 3);
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("moves the oldest finished rows above when the live area is full; a moved resource that comes back gets a new line", () => {
    const s = new ProgressStore(0, 2);
    s.apply(res("a", "Started", true), 1);
    s.apply(res("b", "Creating", false), 2);
    s.apply(res("c", "Creating", false), 3);
    let snap = s.getSnapshot();
    expect(snap.rows.map((r) => r.name)).toEqual(["b", "c"]);
    expect(snap.printed.map((p) => (p.type === "row" ? p.row.name : p.text))).toEqual(["a"]);
    s.apply(res("a", "Stopping", false), 4);
    snap = s.getSnapshot();
    // All three are live now (only finished rows move), and a's old line stays printed.
    expect(snap.rows.map((r) => r.name)).toEqual(["b", "c", "a"]);
    expect(snap.printed).toHaveLength(1);
  });

  it("counts finished resources by kind and failures apart; ok follows the failures unless told", () => {
    const s = new ProgressStore(100);
    s.apply(res("net", "Created", true, "network"), 110);
    s.apply(res("a", "Started", true), 120);
    s.apply(res("b", "Error", true), 130);
    s.apply(res("c", "Creating", false), 140);
    expect(s.summary(200)).toEqual({ ok: false, ms: 100, counts: { network: 1, container: 1, error: 1 } });
    expect(s.finish(300, true)).toEqual({ ok: true, ms: 200, counts: { network: 1, container: 1, error: 1 } });
    // Finishing twice keeps the first summary.
    expect(s.finish(400).ms).toBe(200);
  });

  it("describes counts in a fixed order, singular and plural", () => {
    expect(describeCounts({ container: 3, network: 1, volume: 2, error: 1 })).toBe("1 network, 2 volumes, 3 containers");
    expect(describeCounts({})).toBe("");
  });
});
