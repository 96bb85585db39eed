import { describe, expect, it } from "vitest";
import { DagError, runDag, type DagTask } from "./run-dag.js";

const task = (id: string, deps: string[] = []): DagTask<null> => ({ id, deps, payload: null });
const tick = () => new Promise((r) => setTimeout(r, 1));

describe("runDag", () => {
  it("runs dependencies before dependants", async () => {
    const order: string[] = [];
    await runDag([task("c", ["b"]), task("b", ["a"]), task("a")], async (t) => {
      await tick();
      order.push(t.id);
    }, { concurrency: 4 });
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("never runs more than the concurrency limit at once", async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, (_, i) => task(`t${i}`));
    await runDag(tasks, async () => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
    }, { concurrency: 3 });
    expect(peak).toBe(3);
  });

  it("fails fast: nothing new starts after a failure, and dependants are skipped", async () => {
    const ran: string[] = [];
    const events: string[] = [];
    const run = runDag([task("a"), task("b", ["a"]), task("c", ["b"]), task("x")], async (t) => {
      ran.push(t.id);
      if (t.id === "a") throw new Error("boom");
      await tick();
    }, { concurrency: 1, onEvent: (e) => events.push(`${e.type}:${e.task.id}`) });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DagError);
    expect((err as DagError).message).toBe("boom");
    expect((err as DagError).skipped.sort()).toEqual(["b", "c", "x"]);
    expect(ran).toEqual(["a"]);
    expect(events).toContain("failed:a");
  });

  it("reports tasks that can never start instead of hanging", async () => {
    const err = await runDag([task("a", ["b"]), task("b", ["a"])], async () => {}, { concurrency: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DagError);
    expect((err as Error).message).toMatch(/never became ready/);
  });

  it("ignores dependencies on tasks that are not in the plan", async () => {
    const ran: string[] = [];
    await runDag([task("a", ["not-planned"])], async (t) => void ran.push(t.id), { concurrency: 1 });
    expect(ran).toEqual(["a"]);
  });
});
