// The deploy executor's scheduling, through a recording stand-in for the SwarmEngine port (what
// the engine does with the calls is tested against a real swarm in test/integration).
import { describe, expect, it } from "vitest";
import type { SwarmEngine, SwarmServiceSpec } from "../engine/swarm-engine.js";
import { executeDeploy } from "./execute.js";
import type { ObservedStack, SwarmAction, SwarmPlan } from "./plan.js";

const observed: ObservedStack = { services: [], networks: [], secrets: [], configs: [], externalNetworks: {} };
const spec = (name: string): SwarmServiceSpec => ({ Name: name, TaskTemplate: { ContainerSpec: { Image: "busybox" } } });

function plan(services: number): SwarmPlan {
  const actions: SwarmAction[] = [{ id: 0, deps: [], cause: "missing", kind: "create-network", name: "st_default", spec: { Name: "st_default" } as never }];
  for (let i = 1; i <= services; i++) actions.push({ id: i, deps: [0], cause: "no existing service", kind: "create-service", key: `s${i}`, name: `st_s${i}`, spec: spec(`st_s${i}`) });
  return { stack: "st", actions, warnings: [], errors: [] };
}

/** Calls are held until released by name; `log` records starts and ends in order. */
function heldEngine() {
  const log: string[] = [];
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const started = new Set<string>();
  const hold = (name: string) =>
    new Promise<void>((resolve, reject) => {
      log.push(`start ${name}`);
      started.add(name);
      waiting.set(name, { resolve, reject });
    }).then(() => void log.push(`end ${name}`));
  const engine = {
    createNetwork: async (s: { Name: string }) => (await hold(s.Name), `id-${s.Name}`),
    createService: async (s: SwarmServiceSpec) => (await hold(s.Name), { id: `id-${s.Name}`, warnings: [] }),
  } as unknown as SwarmEngine;
  const until = async (name: string) => {
    for (let i = 0; i < 1000 && !started.has(name); i++) await new Promise((r) => setImmediate(r));
    expect(started.has(name), `${name} started`).toBe(true);
  };
  return { engine, log, until, release: (name: string) => waiting.get(name)!.resolve(), fail: (name: string, e: Error) => waiting.get(name)!.reject(e) };
}

describe("executeDeploy", () => {
  it("creates the services after the network, and a free slot takes the next create at once", async () => {
    const h = heldEngine();
    const run = executeDeploy(plan(3), observed, h.engine, { onEvent: () => {}, parallel: 2 });
    await h.until("st_default");
    expect(h.log).toEqual(["start st_default"]);
    h.release("st_default");
    await h.until("st_s2");
    expect(h.log.filter((l) => l.startsWith("start"))).toEqual(["start st_default", "start st_s1", "start st_s2"]);
    // st_s2 is still running: with batches, st_s3 would wait for it; with a pool it starts now.
    h.release("st_s1");
    await h.until("st_s3");
    expect(h.log.includes("end st_s2")).toBe(false);
    h.release("st_s2");
    h.release("st_s3");
    const result = await run;
    expect(result.touched.sort()).toEqual(["id-st_s1", "id-st_s2", "id-st_s3"]);
  });

  it("fails with the engine's own error and starts nothing after it", async () => {
    const h = heldEngine();
    class NoSuitableNode extends Error {}
    const run = executeDeploy(plan(3), observed, h.engine, { onEvent: () => {}, parallel: 1 });
    await h.until("st_default");
    h.release("st_default");
    await h.until("st_s1");
    h.fail("st_s1", new NoSuitableNode("no suitable node"));
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuitableNode);
    expect(h.log.some((l) => l.startsWith("start st_s2"))).toBe(false);
  });
});
