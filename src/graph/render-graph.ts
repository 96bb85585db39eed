// Text, Graphviz DOT and Mermaid renderings of a graph, for `moor graph`. Output depends only on
// the graph's content (never on insertion order), so it can be diffed and kept as golden text.
import type { Edge, Graph } from "./graph.js";

/** How a node is drawn; project graphs get a shape per kind from their `kind:` id prefix. */
export interface RenderOptions<N> {
  /** The text shown for a node; its id by default. */
  readonly nodeLabel?: (id: string, value: N | undefined) => string;
  /** The graph's name in DOT output. */
  readonly title?: string;
}

const kindOf = (id: string): string => {
  const colon = id.indexOf(":");
  return colon === -1 ? "" : id.slice(0, colon);
};

function labelFor<N, E>(graph: Graph<N, E>, id: string, options: RenderOptions<N>): string {
  return options.nodeLabel ? options.nodeLabel(id, graph.node(id)) : id;
}

/** Nodes with neither dependencies nor dependents: shown on their own, or they would vanish. */
function isolated<N, E>(graph: Graph<N, E>, id: string): boolean {
  return graph.dependencies(id).length === 0 && graph.dependents(id).length === 0;
}

/**
 * One line per dependency, `service:web --> service:db : service_healthy`, ordered by the dependent
 * then the dependency; a node with no edges at all gets a line of its own.
 */
export function renderGraphText<N, E>(graph: Graph<N, E>, options: RenderOptions<N> = {}): string {
  const lines: string[] = [];
  for (const id of graph.nodeIds()) {
    const from = labelFor(graph, id, options);
    if (isolated(graph, id)) lines.push(from);
    for (const edge of graph.outEdges(id)) {
      const to = labelFor(graph, edge.to, options);
      lines.push(edge.label === undefined ? `${from} --> ${to}` : `${from} --> ${to} : ${edge.label}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

const DOT_SHAPES: Readonly<Record<string, string>> = {
  service: "box",
  network: "ellipse",
  volume: "cylinder",
  secret: "note",
  config: "note",
  model: "component",
};

/** A DOT string literal: quotes and backslashes escaped, newlines kept as DOT's `\n`. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** A Graphviz digraph: every node declared (with a shape per kind), then every edge. */
export function renderGraphDot<N, E>(graph: Graph<N, E>, options: RenderOptions<N> = {}): string {
  const lines = [`digraph ${dotString(options.title ?? "moor")} {`, "  rankdir=LR;"];
  for (const id of graph.nodeIds()) {
    const attrs = [`label=${dotString(labelFor(graph, id, options))}`];
    const shape = DOT_SHAPES[kindOf(id)];
    if (shape) attrs.push(`shape=${shape}`);
    lines.push(`  ${dotString(id)} [${attrs.join(", ")}];`);
  }
  for (const edge of graph.edges()) {
    const attrs = edge.label === undefined ? "" : ` [label=${dotString(edge.label)}]`;
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${attrs};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * A Mermaid node id: letters and digits kept, every other character spelled as `_<hex>_`, so two
 * different ids never collide, an id never reads as a keyword (`end`), and the id of a node does
 * not change when others are added.
 */
function mermaidId(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, (c) => `_${(c.codePointAt(0) ?? 0).toString(16)}_`)}`;
}

/** Text inside a Mermaid label: quotes and pipes as entity codes, which Mermaid renders as the characters. */
function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/\|/g, "#124;");
}

const MERMAID_SHAPES: Readonly<Record<string, readonly [string, string]>> = {
  service: ["[", "]"],
  network: ["([", "])"],
  volume: ["[(", ")]"],
  secret: [">", "]"],
  config: [">", "]"],
  model: ["[[", "]]"],
};

function mermaidEdge<E>(edge: Edge<E>): string {
  const arrow = edge.label === undefined ? "-->" : `-->|${mermaidText(edge.label)}|`;
  return `  ${mermaidId(edge.from)} ${arrow} ${mermaidId(edge.to)}`;
}

/** A Mermaid flowchart (left to right): every node declared with a shape per kind, then every edge. */
export function renderGraphMermaid<N, E>(graph: Graph<N, E>, options: RenderOptions<N> = {}): string {
  const lines = ["flowchart LR"];
  for (const id of graph.nodeIds()) {
    const [open, close] = MERMAID_SHAPES[kindOf(id)] ?? ["[", "]"];
    lines.push(`  ${mermaidId(id)}${open}"${mermaidText(labelFor(graph, id, options))}"${close}`);
  }
  for (const edge of graph.edges()) lines.push(mermaidEdge(edge));
  return `${lines.join("\n")}\n`;
}

/** The formats `moor graph --format` offers. */
export const GRAPH_FORMATS = ["text", "dot", "mermaid"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Renders in the named format: one entry point for the CLI. */
export function renderGraph<N, E>(graph: Graph<N, E>, format: GraphFormat, options: RenderOptions<N> = {}): string {
  switch (format) {
    case "text":
      return renderGraphText(graph, options);
    case "dot":
      return renderGraphDot(graph, options);
    case "mermaid":
      return renderGraphMermaid(graph, options);
  }
}
