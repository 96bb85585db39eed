// A small directed graph whose edges read "from depends on to". Every accessor returns ids in
// name order so that whatever walks the graph (sorts, renderers, error messages) is deterministic
// no matter in which order the compose file declared things.

/** One dependency: `from` needs `to`. `label` is what renderers print on the arrow. */
export interface Edge<E> {
  readonly from: string;
  readonly to: string;
  readonly data: E;
  readonly label?: string;
}

interface Vertex<N, E> {
  value: N;
  /** Dependencies of this node, by their id. */
  readonly out: Map<string, Edge<E>>;
  /** Dependents of this node, by their id. */
  readonly in: Map<string, Edge<E>>;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A DAG-to-be of nodes keyed by string ids; edges mean "from depends on to". Cycles are allowed and found by `findCycle`. */
export class Graph<N = undefined, E = undefined> {
  readonly #vertices = new Map<string, Vertex<N, E>>();

  /** Adds a node, or replaces the value of an existing one (its edges are kept). */
  addNode(id: string, value: N): this {
    const existing = this.#vertices.get(id);
    if (existing) existing.value = value;
    else this.#vertices.set(id, { value, out: new Map(), in: new Map() });
    return this;
  }

  /**
   * Records that `from` depends on `to`. Both nodes must exist: an edge to nowhere is a bug in the
   * caller, and silently creating a node would hide it. One edge per pair: the first one wins, so a
   * caller adds its most telling reason (an explicit depends_on) before the implied ones.
   */
  addEdge(from: string, to: string, data: E, label?: string): this {
    const source = this.#vertex(from);
    const target = this.#vertex(to);
    if (source.out.has(to)) return this;
    const edge: Edge<E> = label === undefined ? { from, to, data } : { from, to, data, label };
    source.out.set(to, edge);
    target.in.set(from, edge);
    return this;
  }

  hasNode(id: string): boolean {
    return this.#vertices.has(id);
  }

  hasEdge(from: string, to: string): boolean {
    return this.#vertices.get(from)?.out.has(to) ?? false;
  }

  /** The value stored for `id`, or undefined when there is no such node. */
  node(id: string): N | undefined {
    return this.#vertices.get(id)?.value;
  }

  edge(from: string, to: string): Edge<E> | undefined {
    return this.#vertices.get(from)?.out.get(to);
  }

  get size(): number {
    return this.#vertices.size;
  }

  /** All node ids in name order. */
  nodeIds(): string[] {
    return [...this.#vertices.keys()].sort(byName);
  }

  /** All edges, ordered by `from` then `to`. */
  edges(): Edge<E>[] {
    const out: Edge<E>[] = [];
    for (const id of this.nodeIds()) out.push(...this.outEdges(id));
    return out;
  }

  /** What `id` depends on, in name order. */
  dependencies(id: string): string[] {
    return [...this.#vertex(id).out.keys()].sort(byName);
  }

  /** What depends on `id`, in name order. */
  dependents(id: string): string[] {
    return [...this.#vertex(id).in.keys()].sort(byName);
  }

  /** The edges leaving `id` (its dependencies), ordered by target. */
  outEdges(id: string): Edge<E>[] {
    const v = this.#vertex(id);
    return this.dependencies(id).map((to) => v.out.get(to) as Edge<E>);
  }

  /** The same nodes with every edge turned around: dependents come first, as teardown needs. */
  reversed(): Graph<N, E> {
    const g = new Graph<N, E>();
    for (const [id, v] of this.#vertices) g.addNode(id, v.value);
    for (const [, v] of this.#vertices) {
      for (const e of v.out.values()) g.addEdge(e.to, e.from, e.data, e.label);
    }
    return g;
  }

  /** The nodes that satisfy `keep`, and the edges between them. */
  filter(keep: (id: string, value: N) => boolean): Graph<N, E> {
    const g = new Graph<N, E>();
    for (const [id, v] of this.#vertices) if (keep(id, v.value)) g.addNode(id, v.value);
    for (const [id, v] of this.#vertices) {
      if (!g.hasNode(id)) continue;
      for (const e of v.out.values()) if (g.hasNode(e.to)) g.addEdge(e.from, e.to, e.data, e.label);
    }
    return g;
  }

  #vertex(id: string): Vertex<N, E> {
    const v = this.#vertices.get(id);
    if (!v) throw new Error(`graph has no node "${id}"`);
    return v;
  }
}

/** Compares ids the way every ordering in this module does (code-unit order, locale-independent). */
export const compareIds = byName;
