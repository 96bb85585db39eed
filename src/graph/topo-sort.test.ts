import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Graph } from "./graph.js";
import { CycleError, findCycle, findCycles, levels, reachableFrom, teardownLevels, teardownOrder, topologicalOrder } from "./topo-sort.js";

/** Builds a graph from "a>b" strings (a depends on b); bare names are nodes without edges. */
function graphOf(...specs: string[]): Graph {
  const g = new Graph();
  for (const spec of specs) {
    const [from, to] = spec.split(">") as [string, string | undefined];
    g.addNode(from, undefined);
    if (to !== undefined) {
      if (!g.hasNode(to)) g.addNode(to, undefined);
      g.addEdge(from, to, undefined);
    }
  }
  return g;
}

describe("topologicalOrder", () => {
  it.each([
    { name: "empty graph", specs: [], order: [] },
    { name: "independent nodes by name", specs: ["c", "a", "b"], order: ["a", "b", "c"] },
    { name: "chain", specs: ["web>api", "api>db"], order: ["db", "api", "web"] },
    { name: "diamond, ties by name", specs: ["web>b", "web>a", "a>db", "b>db"], order: ["db", "a", "b", "web"] },
    // "z" is ready first; "a" only once "z" is done, and then it is the smallest ready name.
    { name: "smallest ready name first", specs: ["a>z", "m"], order: ["m", "z", "a"] },
    { name: "declaration order does not matter", specs: ["b>c", "a>c", "c"], order: ["c", "a", "b"] },
  ])("$name", ({ specs, order }) => {
    expect(topologicalOrder(graphOf(...specs))).toEqual(order);
  });

  it("teardown puts dependents first", () => {
    const g = graphOf("web>api", "api>db", "worker>db");
    expect(teardownOrder(g)).toEqual(["web", "api", "worker", "db"]);
  });

  it("throws a CycleError that names the cycle", () => {
    const g = graphOf("web>api", "api>web", "db");
    expect(() => topologicalOrder(g)).toThrow(CycleError);
    try {
      topologicalOrder(g);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CycleError);
      expect((e as CycleError).cycle).toEqual(["api", "web", "api"]);
      expect((e as CycleError).message).toBe("dependency cycle: api → web → api");
    }
  });

  it("every edge points backwards in the order (property)", () => {
    // Random DAGs: edges only from a higher to a lower index, so there is never a cycle.
    const dag = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 80 })),
    );
    fc.assert(
      fc.property(dag, ([n, pairs]) => {
        const g = new Graph();
        for (let i = 0; i < n; i++) g.addNode(`s${i}`, undefined);
        for (const [a, b] of pairs) if (a > b) g.addEdge(`s${a}`, `s${b}`, undefined);
        const order = topologicalOrder(g);
        const rank = new Map(order.map((id, i) => [id, i]));
        expect(order).toHaveLength(n);
        for (const e of g.edges()) expect(rank.get(e.from)).toBeGreaterThan(rank.get(e.to) as number);
        const grouped = levels(g);
        const levelOf = new Map(grouped.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
        for (const e of g.edges()) expect(levelOf.get(e.from)).toBeGreaterThan(levelOf.get(e.to) as number);
        expect(findCycle(g)).toBeUndefined();
      }),
    );
  });
});

describe("levels", () => {
  it.each([
    { name: "empty", specs: [], groups: [] },
    { name: "all independent", specs: ["b", "a"], groups: [["a", "b"]] },
    {
      name: "a node waits for its deepest dependency",
      specs: ["web>api", "web>cache", "api>db"],
      groups: [["cache", "db"], ["api"], ["web"]],
    },
    { name: "diamond", specs: ["web>a", "web>b", "a>db", "b>db"], groups: [["db"], ["a", "b"], ["web"]] },
  ])("$name", ({ specs, groups }) => {
    expect(levels(graphOf(...specs))).toEqual(groups);
  });

  it("teardown levels start with what nothing depends on", () => {
    expect(teardownLevels(graphOf("web>api", "web>cache", "api>db"))).toEqual([["web"], ["api", "cache"], ["db"]]);
  });

  it("throws on a cycle", () => {
    expect(() => levels(graphOf("a>b", "b>a"))).toThrow(/dependency cycle: a → b → a/);
  });
});

describe("findCycle", () => {
  it.each([
    { name: "none in a DAG", specs: ["a>b", "b>c", "a>c"], cycle: undefined },
    { name: "self dependency", specs: ["web>web"], cycle: ["web", "web"] },
    { name: "two nodes", specs: ["web>api", "api>web"], cycle: ["api", "web", "api"] },
    { name: "starts at the smallest name", specs: ["x>y", "y>z", "z>x"], cycle: ["x", "y", "z", "x"] },
    {
      name: "the shortest way back",
      specs: ["a>b", "b>c", "c>d", "d>a", "b>a"],
      cycle: ["a", "b", "a"],
    },
    { name: "a cycle below an acyclic root", specs: ["app>x", "x>y", "y>x"], cycle: ["x", "y", "x"] },
  ])("$name", ({ specs, cycle }) => {
    expect(findCycle(graphOf(...specs))).toEqual(cycle);
  });

  it("finds a real cycle exactly when there is no order (property)", () => {
    const anyGraph = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 })),
    );
    fc.assert(
      fc.property(anyGraph, ([n, pairs]) => {
        const g = new Graph();
        for (let i = 0; i < n; i++) g.addNode(`s${i}`, undefined);
        for (const [a, b] of pairs) g.addEdge(`s${a}`, `s${b}`, undefined);
        const cycles = findCycles(g);
        let ordered = true;
        try {
          topologicalOrder(g);
        } catch (e) {
          expect(e).toBeInstanceOf(CycleError);
          ordered = false;
        }
        expect(cycles.length === 0).toBe(ordered);
        for (const cycle of cycles) {
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          // Every step is an edge, and no node repeats inside the cycle.
          for (let i = 0; i + 1 < cycle.length; i++) expect(g.hasEdge(cycle[i] as string, cycle[i + 1] as string)).toBe(true);
          expect(new Set(cycle.slice(1)).size).toBe(cycle.length - 1);
        }
      }),
    );
  });

  it("reports one cycle per knot", () => {
    const g = graphOf("a>b", "b>a", "m>m", "x>y", "y>z", "z>x", "free>a");
    expect(findCycles(g)).toEqual([
      ["a", "b", "a"],
      ["m", "m"],
      ["x", "y", "z", "x"],
    ]);
  });

  it("handles 10,000 nodes in a chain without recursion", () => {
    const g = new Graph();
    const n = 10_000;
    for (let i = 0; i < n; i++) g.addNode(`s${String(i).padStart(5, "0")}`, undefined);
    for (let i = 0; i + 1 < n; i++) g.addEdge(`s${String(i).padStart(5, "0")}`, `s${String(i + 1).padStart(5, "0")}`, undefined);
    expect(findCycle(g)).toBeUndefined();
    const order = topologicalOrder(g);
    expect(order[0]).toBe("s09999");
    expect(order[n - 1]).toBe("s00000");
    expect(levels(g)).toHaveLength(n);

    // Closing the chain makes one cycle through all 10,000 nodes.
    g.addEdge("s09999", "s00000", undefined);
    const cycle = findCycle(g);
    expect(cycle).toHaveLength(n + 1);
    expect(cycle?.[0]).toBe("s00000");
    expect(cycle?.[n]).toBe("s00000");
    expect(cycle?.[1]).toBe("s00001");
    expect(() => topologicalOrder(g)).toThrow(CycleError);
  });

  it("finds a cycle at the bottom of a wide, deep graph", () => {
    const g = new Graph();
    for (let i = 0; i < 10_000; i++) g.addNode(`n${i}`, undefined);
    // Every node depends on the next two: deep and branching, acyclic until the last edge.
    for (let i = 0; i < 10_000; i++) {
      if (i + 1 < 10_000) g.addEdge(`n${i}`, `n${i + 1}`, undefined);
      if (i + 2 < 10_000) g.addEdge(`n${i}`, `n${i + 2}`, undefined);
    }
    expect(findCycle(g)).toBeUndefined();
    g.addEdge("n9999", "n9998", undefined);
    expect(findCycle(g)).toEqual(["n9998", "n9999", "n9998"]);
  });
});

describe("reachableFrom", () => {
  const g = graphOf("web>api", "api>db", "worker>db", "admin");
  it.each([
    { roots: ["web"], direction: "dependencies" as const, ids: ["api", "db", "web"] },
    { roots: ["db"], direction: "dependents" as const, ids: ["api", "db", "web", "worker"] },
    { roots: ["admin", "worker"], direction: "dependencies" as const, ids: ["admin", "db", "worker"] },
    { roots: ["missing"], direction: "dependencies" as const, ids: [] },
  ])("$roots by $direction", ({ roots, direction, ids }) => {
    expect(reachableFrom(g, roots, direction)).toEqual(ids);
  });
});

describe("Graph", () => {
  it("keeps the first edge between a pair", () => {
    const g = new Graph<undefined, string>().addNode("a", undefined).addNode("b", undefined);
    g.addEdge("a", "b", "first", "one").addEdge("a", "b", "second", "two");
    expect(g.edges()).toEqual([{ from: "a", to: "b", data: "first", label: "one" }]);
    expect(g.dependents("b")).toEqual(["a"]);
  });

  it("refuses an edge to an unknown node", () => {
    const g = new Graph().addNode("a", undefined);
    expect(() => g.addEdge("a", "ghost", undefined)).toThrow(/no node "ghost"/);
  });

  it("reversed and filtered graphs keep the right edges", () => {
    const g = graphOf("web>api", "api>db");
    expect(g.reversed().edges().map((e) => `${e.from}>${e.to}`)).toEqual(["api>web", "db>api"]);
    expect(g.filter((id) => id !== "db").edges().map((e) => `${e.from}>${e.to}`)).toEqual(["web>api"]);
  });
});
