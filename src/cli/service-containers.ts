// The project's containers as the per-service commands (exec, stop, start, kill, port, cp, top…)
// see them: one label-filtered list call, ordered by service and number, and picked by
// `--index` the way compose picks them.
import type { Project } from "../compose/types.js";
import type { Engine } from "../engine/engine.js";
import { LABELS, type ContainerSummary } from "../engine/types.js";
import { UserError } from "./errors.js";

export interface ProjectContainersOptions {
  /** Include stopped containers. */
  all?: boolean;
  /** true: only one-off (`run`) containers; false: only service containers; undefined: both. */
  oneoff?: boolean;
  /** Only these services (none: every service). */
  services?: string[];
}

export const serviceOf = (c: ContainerSummary): string => c.labels[LABELS.service] ?? "";
export const numberOf = (c: ContainerSummary): number => Number.parseInt(c.labels[LABELS.containerNumber] ?? "0", 10) || 0;
export const isOneOff = (c: ContainerSummary): boolean => /^true$/i.test(c.labels[LABELS.oneoff] ?? "");

/** One list call; sorted by service name, then container number, then name. */
export async function projectContainers(engine: Engine, project: string, opts: ProjectContainersOptions = {}): Promise<ContainerSummary[]> {
  const labels = [`${LABELS.project}=${project}`];
  if (opts.oneoff !== undefined) labels.push(`${LABELS.oneoff}=${opts.oneoff ? "True" : "False"}`);
  const list = await engine.listContainers({ all: opts.all ?? false, labels });
  const wanted = opts.services && opts.services.length > 0 ? new Set(opts.services) : undefined;
  return list
    .filter((c) => !wanted || wanted.has(serviceOf(c)))
    .sort((a, b) => serviceOf(a).localeCompare(serviceOf(b)) || numberOf(a) - numberOf(b) || a.name.localeCompare(b.name));
}

/**
 * The container `--index N` names (compose: the container whose number is N; without an index,
 * the lowest-numbered one). Throws compose's message when there is none.
 */
export function pickContainer(containers: ContainerSummary[], service: string, index?: number): ContainerSummary {
  const mine = containers.filter((c) => serviceOf(c) === service && !isOneOff(c));
  const found = index === undefined ? mine[0] : mine.find((c) => numberOf(c) === index);
  if (!found) {
    throw new UserError(
      index === undefined ? `service "${service}" is not running` : `service "${service}" is not running container #${index}`,
      "start it with `moor up -d " + service + "`, or check `moor ps -a`",
    );
  }
  return found;
}

/** Throws when a named service is not in the project (compose: "no such service: x"). */
export function checkServices(project: Project | undefined, services: string[]): void {
  if (!project) return;
  const unknown = services.filter((s) => project.services[s] === undefined);
  if (unknown.length > 0) throw new UserError(`no such service: ${unknown.join(", ")}`, `the project's services are ${Object.keys(project.services).sort().join(", ")}`);
}

/**
 * Services in start order (dependencies first), from the project's `depends_on`, or from the
 * containers' depends_on labels when there is no compose file. `reverse` gives stop order.
 */
export function dependencyOrder(services: string[], dependsOn: (service: string) => string[], reverse = false): string[] {
  const left = new Set(services);
  const out: string[] = [];
  while (left.size > 0) {
    const ready = [...left].filter((s) => !dependsOn(s).some((d) => left.has(d) && d !== s)).sort();
    // A cycle (the loader rejects them; labels could still hold one): take the rest by name.
    const take = ready.length > 0 ? ready : [...left].sort();
    for (const s of take) {
      left.delete(s);
      out.push(s);
    }
  }
  return reverse ? out.reverse() : out;
}

/** `depends_on` of a service: from the loaded project, else from a container's label. */
export function dependsOnFrom(project: Project | undefined, containers: ContainerSummary[]): (service: string) => string[] {
  if (project) return (s) => Object.keys(project.services[s]?.depends_on ?? {});
  const byService = new Map<string, string[]>();
  for (const c of containers) {
    const raw = c.labels[LABELS.dependsOn] ?? "";
    byService.set(serviceOf(c), raw.split(",").filter((d) => d !== "").map((d) => d.split(":")[0] ?? d));
  }
  return (s) => byService.get(s) ?? [];
}
