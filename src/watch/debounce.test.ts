import { describe, expect, it } from "vitest";
import { Debouncer, type Clock } from "./debounce.js";

/** A clock the test moves by hand: timers fire in deadline order as time passes them. */
class ManualClock implements Clock {
  time = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
  }
  get armed(): number {
    return this.timers.size;
  }
}

function setup(quietMs = 50, maxWaitMs = 200) {
  const clock = new ManualClock();
  const batches: { at: number; items: string[] }[] = [];
  const d = new Debouncer<string>({ quietMs, maxWaitMs, clock, onFlush: (items) => batches.push({ at: clock.time, items }) });
  return { clock, batches, d };
}

describe("Debouncer", () => {
  it("flushes one event after the quiet period, not before", () => {
    const { clock, batches, d } = setup();
    d.push("a");
    clock.advance(49);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([{ at: 50, items: ["a"] }]);
  });

  it("groups a burst into one batch of distinct items in first-seen order", () => {
    const { clock, batches, d } = setup();
    d.push("a");
    clock.advance(20);
    d.push("b");
    d.push("a");
    clock.advance(20);
    d.push("c");
    clock.advance(49);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([{ at: 90, items: ["a", "b", "c"] }]);
  });

  it("flushes at the maximum wait while events keep coming", () => {
    const { clock, batches, d } = setup(50, 200);
    for (let t = 0; t < 300; t += 10) {
      d.push(`f${t}`);
      clock.advance(10);
    }
    expect(batches[0]!.at).toBe(200);
    expect(batches[0]!.items).toHaveLength(20);
    clock.advance(100);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.items).toHaveLength(10);
    // the second batch started its own maximum wait at its first event
    expect(batches[1]!.at).toBe(340);
  });

  it("starts a fresh batch after a flush", () => {
    const { clock, batches, d } = setup();
    d.push("a");
    clock.advance(50);
    clock.advance(1000);
    d.push("b");
    clock.advance(50);
    expect(batches.map((b) => b.items)).toEqual([["a"], ["b"]]);
  });

  it("flush() hands over at once and leaves no timer behind", () => {
    const { clock, batches, d } = setup();
    d.push("a");
    expect(d.pending).toBe(1);
    d.flush();
    expect(batches).toEqual([{ at: 0, items: ["a"] }]);
    expect(clock.armed).toBe(0);
    d.flush();
    expect(batches).toHaveLength(1);
  });

  it("dispose() drops what waits and ignores later events", () => {
    const { clock, batches, d } = setup();
    d.push("a");
    d.dispose();
    d.push("b");
    clock.advance(1000);
    expect(batches).toEqual([]);
    expect(clock.armed).toBe(0);
  });

  it("rejects a maximum wait shorter than the quiet period", () => {
    expect(() => new Debouncer({ quietMs: 100, maxWaitMs: 50, onFlush: () => {} })).toThrow(RangeError);
  });
});
