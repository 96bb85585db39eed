// The dependency graph of a normalized Project: what each service needs before it can start.
// Services depend on other services (depends_on and the references compose turns into implied
// dependencies: links, volumes_from, network_mode/ipc/pid/uts/cgroup "service:x") and on the
// resources they use (networks, named volumes, secrets, configs, models).
import type { Project, ServiceConfig, ServiceDependency } from "../compose/types.js";
import { Graph } from "./graph.js";

export type ProjectNodeKind = "service" | "network" | "volume" | "secret" | "config" | "model";

/** A node of the project graph; `name` is the key in the compose file. */
export type ProjectNode =
  | { readonly kind: "service"; readonly name: string; readonly service: ServiceConfig }
  | { readonly kind: Exclude<ProjectNodeKind, "service">; readonly name: string };

/** The service fields whose `service:<name>` value shares another service's namespace. */
export const SHARED_NAMESPACE_KEYS = ["network_mode", "ipc", "pid", "uts", "cgroup"] as const;
export type SharedNamespaceKey = (typeof SHARED_NAMESPACE_KEYS)[number];

/** Why one node depends on another; `index` points into the list the reference came from. */
export type ProjectEdge =
  | {
      readonly kind: "service";
      readonly via: "depends_on";
      readonly condition: ServiceDependency["condition"];
      readonly required: boolean;
      readonly restart: boolean;
    }
  | { readonly kind: "service"; readonly via: "links" | "volumes_from"; readonly index: number; readonly condition: "service_started" }
  | { readonly kind: "service"; readonly via: SharedNamespaceKey; readonly condition: "service_started" }
  | { readonly kind: "network" }
  | { readonly kind: "volume"; readonly index: number }
  | { readonly kind: "secret"; readonly index: number; readonly build: boolean }
  | { readonly kind: "config"; readonly index: number }
  | { readonly kind: "model" };

export type ProjectGraph = Graph<ProjectNode, ProjectEdge>;

/** The graph id of a project object: `service:web`, `network:default`, `volume:data`, … */
export function nodeId(kind: ProjectNodeKind, name: string): string {
  return `${kind}:${name}`;
}

/** The service a `service:<name>` reference names, or undefined for anything else (`container:…`, `host`). */
export function referencedService(value: string | undefined): string | undefined {
  return value?.startsWith("service:") ? value.slice("service:".length) : undefined;
}

/** The service a `links` entry names: `db` and `db:alias` both name `db`. */
export function linkTarget(link: string): string {
  const colon = link.indexOf(":");
  return colon === -1 ? link : link.slice(0, colon);
}

/** The service a `volumes_from` entry names (`db`, `db:ro`), or undefined for `container:…`. */
export function volumesFromTarget(entry: string): string | undefined {
  if (entry.startsWith("container:")) return undefined;
  return linkTarget(entry);
}

/** One service-to-service reference, wherever in the service it was written. */
export interface ServiceReference {
  readonly target: string;
  readonly edge: Extract<ProjectEdge, { kind: "service" }>;
  /** Where the reference sits, below `services.<name>`. */
  readonly path: readonly (string | number)[];
}

/**
 * Every service a service refers to, explicit depends_on first (so its condition is the one that
 * counts when the same service is also linked), then links, volumes_from and shared namespaces.
 */
export function serviceReferences(service: ServiceConfig): ServiceReference[] {
  const refs: ServiceReference[] = [];
  for (const [target, dep] of Object.entries(service.depends_on ?? {})) {
    refs.push({
      target,
      path: ["depends_on", target],
      edge: { kind: "service", via: "depends_on", condition: dep.condition, required: dep.required, restart: dep.restart ?? false },
    });
  }
  (service.links ?? []).forEach((link, index) => {
    refs.push({ target: linkTarget(link), path: ["links", index], edge: { kind: "service", via: "links", index, condition: "service_started" } });
  });
  (service.volumes_from ?? []).forEach((entry, index) => {
    const target = volumesFromTarget(entry);
    if (target === undefined) return;
    refs.push({ target, path: ["volumes_from", index], edge: { kind: "service", via: "volumes_from", index, condition: "service_started" } });
  });
  for (const key of SHARED_NAMESPACE_KEYS) {
    const target = referencedService(service[key]);
    if (target === undefined) continue;
    refs.push({ target, path: [key], edge: { kind: "service", via: key, condition: "service_started" } });
  }
  return refs;
}

/**
 * Builds the project's dependency graph. References to things the project does not define are left
 * out rather than invented: `checkConsistency` reports them, and the graph stays usable meanwhile.
 */
export function buildProjectGraph(project: Project): ProjectGraph {
  const g: ProjectGraph = new Graph();
  for (const [name, service] of Object.entries(project.services)) g.addNode(nodeId("service", name), { kind: "service", name, service });
  const resources: [Exclude<ProjectNodeKind, "service">, Record<string, unknown> | undefined][] = [
    ["network", project.networks],
    ["volume", project.volumes],
    ["secret", project.secrets],
    ["config", project.configs],
    ["model", project.models],
  ];
  for (const [kind, map] of resources) for (const name of Object.keys(map ?? {})) g.addNode(nodeId(kind, name), { kind, name });

  const link = (from: string, kind: ProjectNodeKind, name: string, edge: ProjectEdge, label?: string): void => {
    const to = nodeId(kind, name);
    if (g.hasNode(to)) g.addEdge(from, to, edge, label);
  };

  for (const [name, service] of Object.entries(project.services)) {
    const from = nodeId("service", name);
    for (const ref of serviceReferences(service)) link(from, "service", ref.target, ref.edge, ref.edge.condition);
    for (const network of Object.keys(service.networks ?? {})) link(from, "network", network, { kind: "network" });
    (service.volumes ?? []).forEach((volume, index) => {
      // Bind mounts, tmpfs and anonymous volumes need nothing created beforehand.
      if (volume.type === "volume" && volume.source) link(from, "volume", volume.source, { kind: "volume", index });
    });
    (service.secrets ?? []).forEach((s, index) => link(from, "secret", s.source, { kind: "secret", index, build: false }));
    (service.build?.secrets ?? []).forEach((s, index) => link(from, "secret", s.source, { kind: "secret", index, build: true }));
    (service.configs ?? []).forEach((c, index) => link(from, "config", c.source, { kind: "config", index }));
    for (const model of Object.keys(service.models ?? {})) link(from, "model", model, { kind: "model" });
  }
  return g;
}

/** The services alone and the dependencies between them: the graph `up`, `down` and cycle checks walk. */
export function serviceGraph(graph: ProjectGraph): ProjectGraph {
  return graph.filter((_id, node) => node.kind === "service");
}
