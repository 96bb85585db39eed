// Orderings over a Graph: start order, teardown order, parallel levels, and cycles with their path.
// Every walk is iterative, so a project of any depth cannot overflow the call stack, and every
// choice between equals is made by name, so the same project always yields the same order.
import { compareIds, type Graph } from "./graph.js";

/** Thrown when an order is asked of a graph that has a cycle; `cycle` is its path, first node repeated last. */
export class CycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(" → ")}`);
    this.name = "CycleError";
  }
}

/** A binary min-heap of ids: Kahn's algorithm needs "the smallest ready name" many times over. */
class IdHeap {
  readonly #items: string[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(id: string): void {
    const items = this.#items;
    items.push(id);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareIds(items[parent] as string, id) <= 0) break;
      items[i] = items[parent] as string;
      i = parent;
    }
    items[i] = id;
  }

  pop(): string | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && compareIds(items[right] as string, items[left] as string) < 0 ? right : left;
      if (compareIds(items[child] as string, last) >= 0) break;
      items[i] = items[child] as string;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** Kahn's algorithm; returns the order and, per node, the length of its longest dependency chain. */
function kahn<N, E>(graph: Graph<N, E>): { order: string[]; depth: Map<string, number> } {
  const remaining = new Map<string, number>();
  const ready = new IdHeap();
  for (const id of graph.nodeIds()) {
    const n = graph.dependencies(id).length;
    remaining.set(id, n);
    if (n === 0) ready.push(id);
  }
  const order: string[] = [];
  const depth = new Map<string, number>();
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    const level = depth.get(id) ?? 0;
    for (const dependent of graph.dependents(id)) {
      depth.set(dependent, Math.max(depth.get(dependent) ?? 0, level + 1));
      const left = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (order.length !== graph.size) {
    // Kahn stalls exactly when a cycle exists; find it to say which.
    throw new CycleError(findCycle(graph) ?? []);
  }
  return { order, depth };
}

/** Every node after all of its dependencies; among nodes that are ready together, by name. Throws `CycleError`. */
export function topologicalOrder<N, E>(graph: Graph<N, E>): string[] {
  return kahn(graph).order;
}

/** Every node before all of its dependencies (the order to stop and remove); ties by name. Throws `CycleError`. */
export function teardownOrder<N, E>(graph: Graph<N, E>): string[] {
  return kahn(graph.reversed()).order;
}

/**
 * Groups that can run in parallel: level 0 has no dependencies, and each node sits one level after
 * its deepest dependency, so a level may start once the previous one is done. Throws `CycleError`.
 */
export function levels<N, E>(graph: Graph<N, E>): string[][] {
  const { order, depth } = kahn(graph);
  const groups: string[][] = [];
  // `order` is already sorted by name within ties, but a node's level is not its rank in `order`,
  // so each group is sorted on its own.
  for (const id of order) {
    const level = depth.get(id) ?? 0;
    while (groups.length <= level) groups.push([]);
    (groups[level] as string[]).push(id);
  }
  for (const g of groups) g.sort(compareIds);
  return groups;
}

/** Levels for teardown: the first group has no dependents left running. Throws `CycleError`. */
export function teardownLevels<N, E>(graph: Graph<N, E>): string[][] {
  return levels(graph.reversed());
}

/** Strongly connected components by Tarjan's algorithm, with an explicit stack instead of recursion. */
function stronglyConnected<N, E>(graph: Graph<N, E>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
  };

  for (const root of graph.nodeIds()) {
    if (index.has(root)) continue;
    const frames: { id: string; deps: string[]; next: number }[] = [];
    visit(root);
    frames.push({ id: root, deps: graph.dependencies(root), next: 0 });
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++] as string;
        if (!index.has(dep)) {
          visit(dep);
          frames.push({ id: dep, deps: graph.dependencies(dep), next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(dep) as number));
        }
        continue;
      }
      frames.pop();
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        for (;;) {
          const member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
          if (member === frame.id) break;
        }
        components.push(component);
      }
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
    }
  }
  return components;
}

/** The shortest cycle through `start` that stays inside `members` (breadth-first, neighbours by name). */
function shortestCycleThrough<N, E>(graph: Graph<N, E>, start: string, members: ReadonlySet<string>): string[] | undefined {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    for (const dep of graph.dependencies(id)) {
      if (!members.has(dep)) continue;
      if (dep === start) {
        const path = [id];
        for (let at = id; at !== start; ) {
          at = cameFrom.get(at) as string;
          path.push(at);
        }
        path.reverse();
        path.push(start);
        return path;
      }
      if (!cameFrom.has(dep) && dep !== start) {
        cameFrom.set(dep, id);
        queue.push(dep);
      }
    }
  }
  return undefined;
}

/**
 * One cycle per strongly connected knot of the graph, each as a path that starts and ends at the
 * knot's first node by name (`["api", "web", "api"]`), and the shortest such path so messages stay
 * short. Knots are listed by that first node. Empty when the graph is a DAG.
 */
export function findCycles<N, E>(graph: Graph<N, E>): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component);
    const start = [...component].sort(compareIds)[0] as string;
    if (component.length === 1 && !graph.hasEdge(start, start)) continue;
    const cycle = shortestCycleThrough(graph, start, members);
    if (cycle) cycles.push(cycle);
  }
  return cycles.sort((a, b) => compareIds(a[0] as string, b[0] as string));
}

/** A cycle's path with its first node repeated last (`["web", "api", "web"]`), or undefined for a DAG. */
export function findCycle<N, E>(graph: Graph<N, E>): string[] | undefined {
  return findCycles(graph)[0];
}

/**
 * `roots` and everything they reach: their transitive dependencies (what `up web` must start too), or
 * with "dependents", everything that needs them (what `stop db` must stop first). In name order.
 */
export function reachableFrom<N, E>(
  graph: Graph<N, E>,
  roots: Iterable<string>,
  direction: "dependencies" | "dependents" = "dependencies",
): string[] {
  const seen = new Set<string>();
  const pending: string[] = [];
  for (const root of roots) {
    if (!graph.hasNode(root) || seen.has(root)) continue;
    seen.add(root);
    pending.push(root);
  }
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const next = direction === "dependencies" ? graph.dependencies(id) : graph.dependents(id);
    for (const n of next) {
      if (seen.has(n)) continue;
      seen.add(n);
      pending.push(n);
    }
  }
  return [...seen].sort(compareIds);
}
