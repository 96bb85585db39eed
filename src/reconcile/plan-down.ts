// Planning `down`: containers stop dependants-first and are removed, then the project's networks,
// and with `volumes` its named volumes, with `rmi` its images. Only what carries this project's
// label is touched (the observed state holds nothing else), and external resources never are.
import type { Project } from "../compose/types.js";
import { buildProjectGraph, serviceGraph } from "../graph/project-graph.js";
import { teardownOrder } from "../graph/topo-sort.js";
import { LABELS } from "../engine/types.js";
import { networksByPriority, projectNetwork, serviceImage } from "./container-spec.js";
import type { ObservedContainer, ObservedState } from "./observed-state.js";
import { PlanBuilder } from "./plan-types.js";
import type { Plan } from "./plan-types.js";

export interface DownOptions {
  /** `-v`: also remove named volumes and the containers' anonymous volumes. */
  volumes?: boolean;
  removeOrphans?: boolean;
  /** `--rmi`: "local" removes images built without a custom tag, "all" every image the services use. */
  rmi?: "local" | "all";
  /** Stop timeout in seconds. */
  timeout?: number;
  /** Only these services and the services that depend on them. */
  services?: string[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const isUp = (c: ObservedContainer): boolean => c.state === "running" || c.state === "restarting" || c.state === "paused";

/** The services to take down, dependants before their dependencies. */
function teardownServices(project: Project | undefined, observed: ObservedState, dependsOn: (service: string) => string[]): string[] {
  if (!project) {
    // Dependants first: repeatedly take the services nothing left depends on, in name order.
    const left = new Set(observed.services.keys());
    const order: string[] = [];
    while (left.size > 0) {
      const free = [...left].filter((s) => ![...left].some((o) => o !== s && dependsOn(o).includes(s))).sort(byName);
      const next = free.length > 0 ? free : [...left].sort(byName).slice(0, 1);
      for (const s of next) {
        order.push(s);
        left.delete(s);
      }
    }
    return order;
  }
  try {
    return teardownOrder(serviceGraph(buildProjectGraph(project))).map((id) => id.slice("service:".length));
  } catch {
    // A cycle cannot be ordered; name order still takes everything down.
    return Object.keys(project.services).sort(byName);
  }
}

/** With `services`, the named ones and every service that (transitively) depends on them. */
function withDependants(project: Project | undefined, names: string[]): Set<string> {
  const chosen = new Set(names);
  if (!project) return chosen;
  for (let grown = true; grown; ) {
    grown = false;
    for (const [name, svc] of Object.entries(project.services)) {
      if (!chosen.has(name) && Object.keys(svc.depends_on ?? {}).some((d) => chosen.has(d))) {
        chosen.add(name);
        grown = true;
      }
    }
  }
  return chosen;
}

/** Plans `down` for a project (or, without a compose file, for whatever carries the project's label). */
export function planDown(project: Project | undefined, observed: ObservedState, options: DownOptions = {}): Plan {
  const b = new PlanBuilder(observed.project);
  const partial = options.services !== undefined && options.services.length > 0;
  const chosen = partial ? withDependants(project, options.services ?? []) : undefined;
  const removeVolumes = options.volumes ?? false;
  const removals: number[] = [];
  /** Service → its stop actions, so a dependency stops only after its dependants. */
  const stops = new Map<string, number[]>();

  const takeDown = (c: ObservedContainer, why: string, after: number[]): void => {
    const ref = { kind: "existing", id: c.id, name: c.name } as const;
    const stop = isUp(c)
      ? b.add({
          kind: "stop-container",
          service: c.service,
          container: ref,
          timeout: options.timeout,
          ...((project?.services[c.service]?.pre_stop?.length ?? 0) > 0 ? { preStop: true } : {}),
          cause: why,
          deps: after,
        })
      : undefined;
    if (stop !== undefined) stops.set(c.service, [...(stops.get(c.service) ?? []), stop]);
    // Anonymous volumes belong to the container: `-v` removes them with it, as compose does.
    removals.push(b.add({ kind: "remove-container", service: c.service, container: ref, removeAnonymousVolumes: removeVolumes, cause: why, deps: [stop ?? 0, ...after].filter((d) => d > 0) }));
  };

  // Without a compose file the containers' depends_on labels still give the order, as compose reads them.
  const labelDeps = new Map<string, string[]>();
  for (const c of [...observed.services.values()].flat()) {
    const deps = (c.summary.labels[LABELS.dependsOn] ?? "").split(",").filter((d) => d !== "").map((d) => d.split(":")[0] ?? d);
    labelDeps.set(c.service, deps);
  }
  const dependsOn = (service: string): string[] => (project ? Object.keys(project.services[service]?.depends_on ?? {}) : (labelDeps.get(service) ?? []));
  const services = project ? Object.keys(project.services) : [...observed.services.keys()];
  const dependantsOf = (service: string): string[] => services.filter((s) => dependsOn(s).includes(service));

  for (const service of teardownServices(project, observed, dependsOn)) {
    if (chosen && !chosen.has(service)) continue;
    const after = dependantsOf(service).flatMap((d) => stops.get(d) ?? []);
    for (const c of observed.services.get(service) ?? []) takeDown(c, "down", after);
    if (options.removeOrphans) {
      for (const c of observed.oneoffs.filter((o) => o.service === service)) takeDown(c, `one-off container of ${service}`, after);
    }
  }

  const known = new Set(project ? Object.keys(project.services) : [...observed.services.keys()]);
  const orphans = partial
    ? []
    : [...[...observed.services.entries()].filter(([s]) => !known.has(s)).flatMap(([, l]) => l), ...observed.oneoffs.filter((o) => !known.has(o.service))];
  if (orphans.length > 0) {
    if (options.removeOrphans) for (const c of orphans) takeDown(c, `orphan: service ${c.service} is not in the compose file`, []);
    else b.warnings.push(`orphan containers left running (their service is not in the compose file): ${orphans.map((c) => c.name).join(", ")}; --remove-orphans removes them`);
  }

  if (partial) return b.build();

  // Networks: the declared ones (default included) when the file is known, else every labelled one.
  const networkKeys = project
    ? [...new Set([...Object.keys(project.networks ?? {}), ...Object.values(project.services).flatMap((s) => (s.network_mode ? [] : networksByPriority(s)))])].sort(byName)
    : [...observed.networks.keys()];
  for (const key of networkKeys) {
    if (project && projectNetwork(project, key).external) continue;
    const name = project ? projectNetwork(project, key).name : undefined;
    for (const n of observed.networks.get(key) ?? []) {
      if (name !== undefined && n.name !== name) continue;
      b.add({ kind: "remove-network", key, name: n.name, cause: "down", deps: removals });
    }
  }

  if (options.volumes) {
    const volumeKeys = project ? Object.keys(project.volumes ?? {}).sort(byName) : [...observed.volumes.keys()];
    for (const key of volumeKeys) {
      const cfg = project?.volumes?.[key];
      if (cfg?.external) continue;
      for (const v of observed.volumes.get(key) ?? []) {
        if (cfg && v.name !== cfg.name) continue;
        b.add({ kind: "remove-volume", key, name: v.name, cause: "down -v", deps: removals });
      }
    }
  }

  if (options.rmi) {
    const images = new Set<string>();
    if (project) {
      for (const svc of Object.values(project.services)) {
        // "local": only images compose named itself, i.e. built without an `image:` tag.
        if (options.rmi === "all" || (svc.build && !svc.image)) images.add(serviceImage(project.name, svc));
      }
    } else {
      for (const c of [...observed.services.values()].flat()) {
        const local = c.summary.image === `${observed.project}-${c.service}`;
        if (options.rmi === "all" || local) images.add(c.summary.image);
      }
    }
    for (const image of [...images].sort(byName)) b.add({ kind: "remove-image", image, cause: `down --rmi ${options.rmi}`, deps: removals });
  }

  // compose's words, which it prints as "Warning: …" outside its progress output.
  if (b.actions.length === 0 && b.warnings.length === 0) b.warnings.push(`No resource found to remove for project ${JSON.stringify(observed.project)}.`);
  return b.build();
}
