// What `run SERVICE` does before it creates its one-off container, as compose does it: everything
// `up SERVICE` would do (networks, volumes, images, the dependencies' containers) except touching
// SERVICE's own containers; then it waits for SERVICE's `depends_on` conditions. Pure: both are
// cut from, or made as, ordinary plans that the executor runs.
import type { Project } from "../compose/types.js";
import { serviceReferences } from "../graph/project-graph.js";
import type { ObservedState } from "../reconcile/observed-state.js";
import type { Plan, PlanAction } from "../reconcile/plan.js";

const CONTAINER_KINDS = new Set<PlanAction["kind"]>([
  "create-container",
  "start-container",
  "stop-container",
  "remove-container",
  "rename-container",
  "connect-network",
  "disconnect-network",
]);

/**
 * `plan` (of `up SERVICE`) without the actions on SERVICE's containers, and without the waits
 * that only gated SERVICE's start: `run` waits for those itself, right before its container.
 */
export function dependenciesPlan(plan: Plan, service: string): Plan {
  const kept = plan.actions.filter((a) => !(CONTAINER_KINDS.has(a.kind) && "service" in a && a.service === service));
  const needed = new Set(kept.flatMap((a) => a.deps));
  const actions = kept.filter((a) => a.kind !== "wait-service" || needed.has(a.id));
  const ids = new Set(actions.map((a) => a.id));
  return { ...plan, actions: actions.map((a) => ({ ...a, deps: a.deps.filter((d) => ids.has(d)) })) };
}

/**
 * The waits for SERVICE's `depends_on` conditions, as a plan of wait actions. As in compose, a
 * started dependency needs no wait (it was started in order), nor one scaled to 0 or run by a provider.
 */
export function dependencyWaits(project: Project, service: string): Plan {
  const scale = (name: string): number => {
    const s = project.services[name];
    return s?.scale ?? s?.deploy?.replicas ?? 1;
  };
  const deps = Object.entries(project.services[service]?.depends_on ?? {})
    .filter(([name, dep]) => dep.condition !== "service_started" && project.services[name] !== undefined && !project.services[name]?.provider && scale(name) > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const actions: PlanAction[] = deps.map(([name, dep], i) => ({
    id: i + 1,
    deps: [],
    kind: "wait-service",
    service: name,
    condition: dep.condition,
    cause: `${service} needs ${name} ${dep.condition.replace(/^service_/, "").replace(/_/g, " ")}`,
  }));
  return { project: project.name, actions, warnings: [], errors: [] };
}

/**
 * The running containers of SERVICE's dependencies (transitively) that the plan leaves alone:
 * compose reports each as "Running", so the user sees what `run` relies on.
 */
export function untouchedDependencies(project: Project, observed: ObservedState, plan: Plan, service: string): string[] {
  const deps = new Set<string>();
  const queue = [service];
  while (queue.length > 0) {
    const svc = project.services[queue.pop() as string];
    for (const ref of svc ? serviceReferences(svc) : []) {
      if (ref.target === service || deps.has(ref.target) || !project.services[ref.target]) continue;
      deps.add(ref.target);
      queue.push(ref.target);
    }
  }
  const touched = new Set<string>();
  for (const a of plan.actions) {
    if ("container" in a && a.container.kind === "existing") touched.add(a.container.id);
    if (a.kind === "create-container" && a.replaces) touched.add(a.replaces);
  }
  return [...deps]
    .sort()
    .flatMap((name) => observed.services.get(name) ?? [])
    .filter((c) => c.state === "running" && !touched.has(c.id))
    .map((c) => c.name);
}
