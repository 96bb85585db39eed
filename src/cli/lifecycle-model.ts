// The decisions behind start, stop, restart, rm and scale, made without an engine: which services
// a command touches (named ones, their dependencies or their dependants), in which order, and the
// plan of single engine calls that carries them out. The commands feed it one container list.
import type { Project, ServiceConfig, ServiceDependency } from "../compose/types.js";
import { LABELS, type ContainerSummary } from "../engine/types.js";
import { PlanBuilder, type ContainerRef, type Plan } from "../reconcile/plan-types.js";
import { UserError } from "./errors.js";
import { dependencyOrder, isOneOff, serviceOf } from "./service-containers.js";

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ref = (c: ContainerSummary): ContainerRef => ({ kind: "existing", id: c.id, name: c.name });

/**
 * `com.docker.compose.depends_on` (`db:service_healthy:true,cache:service_started:false`) back into
 * depends_on. compose's reading: an entry without a condition waits for running-or-healthy (we say
 * started), and one without the restart flag restarts with its dependency.
 */
export function parseDependsOnLabel(raw: string | undefined): Record<string, ServiceDependency> {
  const out: Record<string, ServiceDependency> = {};
  for (const entry of (raw ?? "").split(",")) {
    if (entry.trim() === "") continue;
    const [name, condition, restart] = entry.split(":");
    const known = ["service_started", "service_healthy", "service_completed_successfully"] as const;
    const cond = known.find((k) => k === condition) ?? "service_started";
    out[name!] = { condition: cond, restart: restart === undefined ? true : /^(1|t|true)$/i.test(restart), required: false };
  }
  return out;
}

/**
 * The project as its containers' labels describe it, for `-p NAME` with no compose file: one
 * service per service label (one-off containers left out), with depends_on from the label.
 */
export function projectFromContainers(name: string, containers: readonly ContainerSummary[]): Project {
  const services: Record<string, ServiceConfig> = {};
  for (const c of containers) {
    if (isOneOff(c)) continue;
    const service = serviceOf(c);
    if (service === "" || services[service]) continue;
    const dependsOn = parseDependsOnLabel(c.labels[LABELS.dependsOn]);
    services[service] = { name: service, ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}) };
  }
  return { name, services };
}

const dependsOnOf = (project: Project) => (service: string): string[] => Object.keys(project.services[service]?.depends_on ?? {});

/** The named services and everything they depend on, transitively (all services when none are named). */
export function withDependencies(project: Project, services: readonly string[]): string[] {
  if (services.length === 0) return Object.keys(project.services).sort(byName);
  const chosen = new Set<string>();
  const queue = [...services];
  while (queue.length > 0) {
    const s = queue.pop()!;
    if (chosen.has(s) || !project.services[s]) continue;
    chosen.add(s);
    queue.push(...dependsOnOf(project)(s));
  }
  return [...chosen].sort(byName);
}

const isUp = (c: ContainerSummary): boolean => c.state === "running" || c.state === "paused" || c.state === "restarting";
/** compose's test for "stopped": the engine's Running flag, which paused and restarting containers also have. */
export const isStopped = (c: ContainerSummary): boolean => !isUp(c) && c.state !== "removing";

const scaleOf = (svc: ServiceConfig | undefined): number | undefined => svc?.deploy?.replicas ?? svc?.scale;

/**
 * `start`: the stopped containers of the named services and their dependencies, dependencies
 * first; a dependant waits for `service_healthy` / `service_completed_successfully` conditions.
 * compose fails only when the project has no container at all ("service x has no container to start").
 */
export function planStart(project: Project, containers: readonly ContainerSummary[], services: readonly string[]): Plan {
  const b = new PlanBuilder(project.name);
  const mine = containers.filter((c) => !isOneOff(c));
  const chosen = withDependencies(project, services);
  const order = dependencyOrder(chosen, dependsOnOf(project));
  const starts = new Map<string, number[]>();
  const waits = new Map<string, number>();
  for (const name of order) {
    const svc = project.services[name];
    if (scaleOf(svc) === 0) continue;
    if (mine.length === 0) {
      b.errors.push(`service ${JSON.stringify(name)} has no container to start`);
      break;
    }
    const toStart = mine.filter((c) => serviceOf(c) === name && isStopped(c));
    if (toStart.length === 0) continue;
    const after: number[] = [];
    for (const [dep, d] of Object.entries(svc?.depends_on ?? {}).sort(([x], [y]) => byName(x, y))) {
      if (!chosen.includes(dep)) continue;
      // compose waits on a dependency's condition only when it has containers (else: not required).
      if (d.condition === "service_started" || !mine.some((c) => serviceOf(c) === dep)) {
        after.push(...(starts.get(dep) ?? []));
        continue;
      }
      const key = `${dep}:${d.condition}`;
      let wait = waits.get(key);
      if (wait === undefined) {
        wait = b.add({ kind: "wait-service", service: dep, condition: d.condition, cause: `${name} needs ${dep} ${d.condition.replace(/^service_/, "").replace(/_/g, " ")}`, deps: starts.get(dep) ?? [] });
        waits.set(key, wait);
      }
      after.push(wait);
    }
    starts.set(
      name,
      toStart.map((c) => b.add({ kind: "start-container", service: name, container: ref(c), cause: `start: was ${c.state}`, deps: after })),
    );
  }
  return b.build();
}

/**
 * `stop`: every container of the named services (all when none are named), dependants before their
 * dependencies; `pre_stop` hooks run in the running ones. Without `-t` the container's own stop
 * timeout (stop_grace_period) applies.
 */
export function planStop(project: Project, containers: readonly ContainerSummary[], services: readonly string[], timeout?: number): Plan {
  const b = new PlanBuilder(project.name);
  const chosen = services.length > 0 ? services.filter((s) => project.services[s]) : Object.keys(project.services);
  const dependsOn = dependsOnOf(project);
  const stops = new Map<string, number[]>();
  for (const name of dependencyOrder(chosen, dependsOn, true)) {
    const after = chosen.filter((s) => s !== name && dependsOn(s).includes(name)).flatMap((s) => stops.get(s) ?? []);
    const hooks = (project.services[name]?.pre_stop?.length ?? 0) > 0;
    const ids = containers
      .filter((c) => serviceOf(c) === name && !isOneOff(c))
      .map((c) =>
        b.add({
          kind: "stop-container",
          service: name,
          container: ref(c),
          ...(timeout === undefined ? {} : { timeout }),
          ...(hooks && c.state === "running" ? { preStop: true } : {}),
          cause: "stop",
          deps: after,
        }),
      );
    stops.set(name, ids);
  }
  return b.build();
}

/** `rm`: the stopped service containers of the named services (all when none are named), in parallel. */
export function planRemove(project: Project, containers: readonly ContainerSummary[], services: readonly string[], volumes: boolean): Plan {
  const b = new PlanBuilder(project.name);
  const chosen = new Set(services.length > 0 ? services : Object.keys(project.services));
  for (const c of removable(containers, chosen)) {
    b.add({ kind: "remove-container", service: serviceOf(c), container: ref(c), removeAnonymousVolumes: volumes, cause: `rm: ${c.state}` });
  }
  return b.build();
}

/** What `rm` would remove: stopped, not one-off, of a chosen service. */
export function removable(containers: readonly ContainerSummary[], chosen: ReadonlySet<string>): ContainerSummary[] {
  return containers.filter((c) => !isOneOff(c) && chosen.has(serviceOf(c)) && isStopped(c));
}

/**
 * `restart`: the services to restart, in start order, each with the dependencies it waits for.
 * Only `depends_on` entries with `restart: true` count (compose ignores the others here): naming a
 * service also restarts the services that depend on it that way, unless `--no-deps`.
 */
export function restartOrder(project: Project, services: readonly string[], noDeps: boolean): { service: string; after: { service: string; condition: ServiceDependency["condition"] }[] }[] {
  const restartDeps = (s: string): [string, ServiceDependency][] =>
    Object.entries(project.services[s]?.depends_on ?? {}).filter(([, d]) => d.restart === true).sort(([x], [y]) => byName(x, y));
  const all = Object.keys(project.services);
  const chosen = new Set(services.length > 0 ? services.filter((s) => project.services[s]) : all);
  if (services.length > 0 && !noDeps) {
    for (let grown = true; grown; ) {
      grown = false;
      for (const s of all) {
        if (!chosen.has(s) && restartDeps(s).some(([d]) => chosen.has(d))) {
          chosen.add(s);
          grown = true;
        }
      }
    }
  }
  const within = (s: string) => restartDeps(s).filter(([d]) => chosen.has(d));
  return dependencyOrder([...chosen], (s) => within(s).map(([d]) => d)).map((service) => ({
    service,
    after: within(service).map(([d, dep]) => ({ service: d, condition: dep.condition })),
  }));
}

/** `scale web=3 db=1` → { web: 3, db: 1 }, with compose's errors. */
export function parseReplicas(args: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const arg of args) {
    const at = arg.indexOf("=");
    const key = at < 0 ? "" : arg.slice(0, at);
    const value = at < 0 ? "" : arg.slice(at + 1);
    if (key === "" || value === "") throw new UserError(`invalid scale specifier: ${arg}`, "use SERVICE=REPLICAS, e.g. web=3");
    if (!/^\d+$/.test(value)) throw new UserError(`invalid scale specifier: can't parse replica value as int: ${arg}`, "use SERVICE=REPLICAS, e.g. web=3");
    out[key] = Number(value);
  }
  return out;
}

/** compose's reading of a typed answer: "y", or anything Go's ParseBool takes as true. */
export function isYes(answer: string): boolean {
  return /^(y|1|t|true)$/i.test(answer.trim());
}

/** `-t/--timeout` as whole seconds, or a clear error. */
export function parseTimeout(raw: string | undefined, flag = "--timeout"): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new UserError(`invalid ${flag} value ${JSON.stringify(raw)}`, "give a whole number of seconds");
  return Number(raw);
}
