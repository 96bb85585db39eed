import { describe, expect, it } from "vitest";
import type { Project } from "../compose/types.js";
import { Graph } from "./graph.js";
import { buildProjectGraph } from "./project-graph.js";
import { GRAPH_FORMATS, renderGraph, renderGraphDot, renderGraphMermaid, renderGraphText } from "./render-graph.js";

// Declared in a deliberately scrambled order: renders must not depend on it.
const stack: Project = {
  name: "shop",
  services: {
    web: {
      name: "web",
      image: "shop/web",
      depends_on: { db: { condition: "service_healthy", required: true }, cache: { condition: "service_started", required: true } },
      networks: { default: null },
      secrets: [{ source: "api_key" }],
    },
    db: { name: "db", image: "postgres", networks: { default: null }, volumes: [{ type: "volume", source: "pg-data", target: "/var/lib/postgresql/data" }] },
    cache: { name: "cache", image: "redis", networks: { default: null } },
  },
  volumes: { "pg-data": { name: "shop_pg-data" }, spare: { name: "shop_spare" } },
  networks: { default: { name: "shop_default" } },
  secrets: { api_key: { name: "shop_api_key", file: "/run/key" } },
};

describe("renderers (golden)", () => {
  const graph = buildProjectGraph(stack);

  it("text", () => {
    expect(renderGraphText(graph)).toBe(
      [
        "service:cache --> network:default",
        "service:db --> network:default",
        "service:db --> volume:pg-data",
        "service:web --> network:default",
        "service:web --> secret:api_key",
        "service:web --> service:cache : service_started",
        "service:web --> service:db : service_healthy",
        "volume:spare",
        "",
      ].join("\n"),
    );
  });

  it("dot", () => {
    expect(renderGraphDot(graph, { title: "shop" })).toBe(
      [
        'digraph "shop" {',
        "  rankdir=LR;",
        '  "network:default" [label="network:default", shape=ellipse];',
        '  "secret:api_key" [label="secret:api_key", shape=note];',
        '  "service:cache" [label="service:cache", shape=box];',
        '  "service:db" [label="service:db", shape=box];',
        '  "service:web" [label="service:web", shape=box];',
        '  "volume:pg-data" [label="volume:pg-data", shape=cylinder];',
        '  "volume:spare" [label="volume:spare", shape=cylinder];',
        '  "service:cache" -> "network:default";',
        '  "service:db" -> "network:default";',
        '  "service:db" -> "volume:pg-data";',
        '  "service:web" -> "network:default";',
        '  "service:web" -> "secret:api_key";',
        '  "service:web" -> "service:cache" [label="service_started"];',
        '  "service:web" -> "service:db" [label="service_healthy"];',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("mermaid", () => {
    expect(renderGraphMermaid(graph)).toBe(
      [
        "flowchart LR",
        '  n_network_3a_default(["network:default"])',
        '  n_secret_3a_api_5f_key>"secret:api_key"]',
        '  n_service_3a_cache["service:cache"]',
        '  n_service_3a_db["service:db"]',
        '  n_service_3a_web["service:web"]',
        '  n_volume_3a_pg_2d_data[("volume:pg-data")]',
        '  n_volume_3a_spare[("volume:spare")]',
        "  n_service_3a_cache --> n_network_3a_default",
        "  n_service_3a_db --> n_network_3a_default",
        "  n_service_3a_db --> n_volume_3a_pg_2d_data",
        "  n_service_3a_web --> n_network_3a_default",
        "  n_service_3a_web --> n_secret_3a_api_5f_key",
        "  n_service_3a_web -->|service_started| n_service_3a_cache",
        "  n_service_3a_web -->|service_healthy| n_service_3a_db",
        "",
      ].join("\n"),
    );
  });

  it.each(GRAPH_FORMATS)("renderGraph(%s) is the named renderer", (format) => {
    const direct = { text: renderGraphText, dot: renderGraphDot, mermaid: renderGraphMermaid }[format];
    expect(renderGraph(graph, format)).toBe(direct(graph));
  });

  it("is the same whatever the declaration order", () => {
    const reordered: Project = {
      ...stack,
      services: { cache: stack.services.cache!, web: stack.services.web!, db: stack.services.db! },
      volumes: { spare: stack.volumes!.spare!, "pg-data": stack.volumes!["pg-data"]! },
    };
    const other = buildProjectGraph(reordered);
    expect(renderGraphText(other)).toBe(renderGraphText(graph));
    expect(renderGraphDot(other)).toBe(renderGraphDot(graph));
    expect(renderGraphMermaid(other)).toBe(renderGraphMermaid(graph));
  });
});

describe("escaping", () => {
  const g = new Graph<string, undefined>()
    .addNode('odd "name"\\x', "v")
    .addNode("a_b", "v")
    .addNode("a-b", "v")
    .addNode("end", "v");
  g.addEdge('odd "name"\\x', "end", undefined, "a|b");

  it("dot escapes quotes and backslashes", () => {
    expect(renderGraphDot(g)).toContain('"odd \\"name\\"\\\\x" -> "end" [label="a|b"];');
  });

  it("mermaid ids never collide and labels use entity codes", () => {
    const out = renderGraphMermaid(g);
    expect(out).toContain('  n_a_5f_b["a_b"]');
    expect(out).toContain('  n_a_2d_b["a-b"]');
    expect(out).toContain('  n_end["end"]');
    expect(out).toContain('["odd #quot;name#quot;\\x"]');
    expect(out).toContain("-->|a#124;b| n_end");
  });

  it("custom node labels", () => {
    expect(renderGraphText(g, { nodeLabel: (id) => id.toUpperCase() })).toContain('ODD "NAME"\\X --> END : a|b');
  });

  it("empty graph", () => {
    expect(renderGraphText(new Graph())).toBe("");
    expect(renderGraphMermaid(new Graph())).toBe("flowchart LR\n");
  });
});
