import { describe, expect, it } from "vitest";
import type { Project, ServiceConfig } from "../compose/types.js";
import { buildProjectGraph, linkTarget, referencedService, serviceGraph, volumesFromTarget } from "./project-graph.js";
import { levels, teardownOrder, topologicalOrder } from "./topo-sort.js";

type ServiceSpec = Omit<ServiceConfig, "name">;

/** A normalized project with names filled in, as the loader would hand it over. */
function project(
  services: Record<string, ServiceSpec>,
  resources: { networks?: string[]; volumes?: string[]; secrets?: string[]; configs?: string[]; models?: string[] } = {},
): Project {
  const named = <T>(names: string[] | undefined, make: (n: string) => T): Record<string, T> | undefined =>
    names ? Object.fromEntries(names.map((n) => [n, make(n)])) : undefined;
  return {
    name: "demo",
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, { name, ...s }])),
    networks: named(resources.networks, (n) => ({ name: `demo_${n}` })),
    volumes: named(resources.volumes, (n) => ({ name: `demo_${n}` })),
    secrets: named(resources.secrets, (n) => ({ name: `demo_${n}`, file: `/run/${n}` })),
    configs: named(resources.configs, (n) => ({ name: `demo_${n}`, file: `/etc/${n}` })),
    models: named(resources.models, (n) => ({ model: `ai/${n}` })),
  };
}

const edgesOf = (p: Project): string[] =>
  buildProjectGraph(p)
    .edges()
    .map((e) => (e.label ? `${e.from} -> ${e.to} (${e.label})` : `${e.from} -> ${e.to}`));

describe("buildProjectGraph", () => {
  it.each([
    {
      name: "depends_on keeps its condition",
      p: project({
        web: { image: "web", depends_on: { db: { condition: "service_healthy", required: true } } },
        db: { image: "pg" },
      }),
      edges: ["service:web -> service:db (service_healthy)"],
    },
    {
      name: "links, with and without alias",
      p: project({ web: { image: "w", links: ["db:database", "cache"] }, db: { image: "d" }, cache: { image: "c" } }),
      edges: ["service:web -> service:cache (service_started)", "service:web -> service:db (service_started)"],
    },
    {
      name: "explicit depends_on wins over an implied link",
      p: project({
        web: { image: "w", links: ["db"], depends_on: { db: { condition: "service_completed_successfully", required: true } } },
        db: { image: "d" },
      }),
      edges: ["service:web -> service:db (service_completed_successfully)"],
    },
    {
      name: "network_mode and other shared namespaces",
      p: project({ vpn: { image: "v" }, app: { image: "a", network_mode: "service:vpn", pid: "service:vpn" }, dbg: { image: "x", ipc: "service:app" } }),
      edges: ["service:app -> service:vpn (service_started)", "service:dbg -> service:app (service_started)"],
    },
    {
      name: "network_mode host and container: add nothing",
      p: project({ a: { image: "a", network_mode: "host" }, b: { image: "b", network_mode: "container:abc" } }),
      edges: [],
    },
    {
      name: "volumes_from a service, not a container",
      p: project({ app: { image: "a", volumes_from: ["data:ro", "container:legacy"] }, data: { image: "d" } }),
      edges: ["service:app -> service:data (service_started)"],
    },
    {
      name: "networks, named volumes, secrets, configs, models",
      p: project(
        {
          web: {
            image: "w",
            networks: { front: null, default: null },
            volumes: [
              { type: "volume", source: "data", target: "/data" },
              { type: "bind", source: "/src", target: "/src" },
              { type: "volume", target: "/anon" },
            ],
            secrets: [{ source: "token" }],
            configs: [{ source: "nginx" }],
            models: { llm: null },
            build: { context: "/ctx", secrets: [{ source: "npmrc" }] },
          },
        },
        { networks: ["default", "front"], volumes: ["data"], secrets: ["token", "npmrc"], configs: ["nginx"], models: ["llm"] },
      ),
      edges: [
        "service:web -> config:nginx",
        "service:web -> model:llm",
        "service:web -> network:default",
        "service:web -> network:front",
        "service:web -> secret:npmrc",
        "service:web -> secret:token",
        "service:web -> volume:data",
      ],
    },
    {
      name: "references to undefined things are left to checkConsistency",
      p: project({
        web: { image: "w", depends_on: { ghost: { condition: "service_started", required: false } }, networks: { nowhere: null }, links: ["nobody"] },
      }),
      edges: [],
    },
  ])("$name", ({ p, edges }) => {
    expect(edgesOf(p)).toEqual(edges);
  });

  it("makes a node for every resource, used or not", () => {
    const g = buildProjectGraph(project({ web: { image: "w" } }, { networks: ["default"], volumes: ["unused"] }));
    expect(g.nodeIds()).toEqual(["network:default", "service:web", "volume:unused"]);
    expect(g.node("service:web")).toMatchObject({ kind: "service", name: "web" });
    expect(g.node("volume:unused")).toEqual({ kind: "volume", name: "unused" });
  });

  it("orders a typical stack for up and down", () => {
    const p = project(
      {
        proxy: { image: "p", depends_on: { web: { condition: "service_started", required: true } }, networks: { front: null } },
        web: {
          image: "w",
          depends_on: { db: { condition: "service_healthy", required: true }, cache: { condition: "service_started", required: true } },
          networks: { front: null, back: null },
        },
        db: { image: "d", volumes: [{ type: "volume", source: "pg", target: "/var/lib/postgresql" }], networks: { back: null } },
        cache: { image: "c", networks: { back: null } },
      },
      { networks: ["front", "back"], volumes: ["pg"] },
    );
    const services = serviceGraph(buildProjectGraph(p));
    expect(topologicalOrder(services)).toEqual(["service:cache", "service:db", "service:web", "service:proxy"]);
    expect(levels(services)).toEqual([["service:cache", "service:db"], ["service:web"], ["service:proxy"]]);
    expect(teardownOrder(services)).toEqual(["service:proxy", "service:web", "service:cache", "service:db"]);
    expect(levels(buildProjectGraph(p))[0]).toEqual(["network:back", "network:front", "volume:pg"]);
  });
});

describe("reference parsing", () => {
  it.each([
    ["service:vpn", "vpn"],
    ["container:abc", undefined],
    ["host", undefined],
    [undefined, undefined],
  ])("referencedService(%j) = %j", (value, target) => {
    expect(referencedService(value)).toBe(target);
  });

  it.each([
    ["db", "db"],
    ["db:alias", "db"],
  ])("linkTarget(%j) = %j", (link, target) => {
    expect(linkTarget(link)).toBe(target);
  });

  it.each([
    ["data", "data"],
    ["data:ro", "data"],
    ["container:legacy", undefined],
    ["container:legacy:rw", undefined],
  ])("volumesFromTarget(%j) = %j", (entry, target) => {
    expect(volumesFromTarget(entry)).toBe(target);
  });
});
