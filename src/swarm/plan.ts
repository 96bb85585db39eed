// The deploy planner: desired stack (translate.ts) + what the swarm runs now → actions, each one
// engine call with its cause. Pure. A service is compared with its live spec (live-spec.ts: the
// engine's defaults made explicit, ids turned into names), so a change made outside moor
// (`docker service update`) is noticed and put back, with the fields that differ; an unchanged
// service gets no action (its version stays). The spec moor recorded on the service
// (`dev.moor.swarm.spec`) only tells the cause apart: the project changed, or the live service
// did. Secrets and configs are content-versioned: a new version is created before the services,
// the superseded one removed after them.
import { canonicalJson } from "../reconcile/config-hash.js";
import { diffConfigs } from "../reconcile/plan-diff.js";
import { comparableSpec, diffView, type SpecContext } from "./live-spec.js";
import type { SwarmFileObject, SwarmFileObjectSpec, SwarmNetwork, SwarmNetworkSpec, SwarmService, SwarmServiceSpec } from "../engine/swarm-engine.js";
import { STACK_LABELS, type DesiredStack } from "./translate.js";

/** One snapshot of the swarm: one list call per kind (and an inspect per external network). */
export interface ObservedStack {
  /** Services carrying the stack's namespace label. */
  services: SwarmService[];
  /** Networks carrying the stack's namespace label. */
  networks: SwarmNetwork[];
  /** Every secret and config (external ones are looked up by name). */
  secrets: SwarmFileObject[];
  configs: SwarmFileObject[];
  /** The external networks the stack names, by name; undefined when missing. */
  externalNetworks: Record<string, SwarmNetwork | undefined>;
}

export interface SwarmPlanOptions {
  /** Remove the stack's services the project no longer has (`--prune`), and secrets/configs no service uses. */
  prune?: boolean;
  /** The services the deploy was limited to; prune then only looks at those. */
  selected?: readonly string[];
}

interface ActionBase {
  readonly id: number;
  readonly deps: readonly number[];
  readonly cause: string;
  readonly changes?: readonly string[];
}

export type SwarmAction = ActionBase &
  (
    | { readonly kind: "create-network"; readonly name: string; readonly spec: SwarmNetworkSpec }
    | { readonly kind: "create-secret" | "create-config"; readonly key: string; readonly name: string; readonly spec: SwarmFileObjectSpec }
    | { readonly kind: "create-service"; readonly key: string; readonly name: string; readonly spec: SwarmServiceSpec }
    | { readonly kind: "update-service"; readonly key: string; readonly name: string; readonly serviceId: string; readonly version: number; readonly spec: SwarmServiceSpec; readonly previousImage: string }
    | { readonly kind: "remove-service"; readonly name: string; readonly serviceId: string }
    | { readonly kind: "remove-secret" | "remove-config"; readonly name: string; readonly objectId: string }
  );

export interface SwarmPlan {
  readonly stack: string;
  readonly actions: readonly SwarmAction[];
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

type Input = SwarmAction extends infer A ? (A extends SwarmAction ? Omit<A, "id" | "deps"> & { deps?: number[] } : never) : never;

/** The spec as moor records it on the service: everything it sends but its own record. */
export function recordedSpec(spec: SwarmServiceSpec): string {
  const labels = { ...(spec.Labels ?? {}) };
  delete labels[STACK_LABELS.spec];
  return canonicalJson({ ...spec, Labels: labels });
}

/** The spec sent to the engine: the desired one plus moor's record of it. */
export function specWithRecord(spec: SwarmServiceSpec): SwarmServiceSpec {
  return { ...spec, Labels: { ...(spec.Labels ?? {}), [STACK_LABELS.spec]: recordedSpec(spec) } };
}

/** Desired vs observed → the actions that make the swarm match the project. */
export function planDeploy(desired: DesiredStack, observed: ObservedStack, options: SwarmPlanOptions = {}): SwarmPlan {
  const actions: SwarmAction[] = [];
  const warnings = [...desired.warnings];
  const errors = [...desired.errors];
  const add = (input: Input): number => {
    const id = actions.length + 1;
    actions.push({ ...input, id, deps: [...new Set(input.deps ?? [])].sort((a, b) => a - b) } as SwarmAction);
    return id;
  };
  const ns = desired.namespace;

  // Networks: created when missing; never updated (Swarm cannot change a network in use).
  const before: number[] = [];
  const existingNetworks = new Set(observed.networks.map((n) => n.Name));
  for (const net of desired.networks) {
    if (net.external) {
      const found = observed.externalNetworks[net.name];
      if (!found && !["host", "bridge", "none"].includes(net.name)) {
        errors.push(`network "${net.name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`);
      } else if (found && found.Scope !== undefined && found.Scope !== "swarm") {
        errors.push(`network "${net.name}" is declared as external, but it is not in the right scope: "${found.Scope}" instead of "swarm"`);
      }
      continue;
    }
    if (existingNetworks.has(net.name)) continue;
    before.push(add({ kind: "create-network", name: net.name, spec: net.spec, cause: "no existing network" }));
  }

  // Secrets and configs: a version per content; the older versions of a key go after the services.
  const superseded: { kind: "remove-secret" | "remove-config"; name: string; objectId: string; cause: string }[] = [];
  for (const [kind, list, all] of [
    ["secret", desired.secrets, observed.secrets],
    ["config", desired.configs, observed.configs],
  ] as const) {
    const byName = new Map(all.map((o) => [o.Spec.Name, o]));
    const wanted = new Set(list.map((o) => o.name));
    for (const obj of list) {
      if (obj.external) {
        if (!byName.has(obj.name)) errors.push(`${kind} not found: ${obj.name}`);
        continue;
      }
      if (!byName.has(obj.name) && obj.spec) {
        const previous = all.find((o) => o.Spec.Labels?.[STACK_LABELS.namespace] === ns && (o.Spec.Labels?.[STACK_LABELS.key] === obj.key || o.Spec.Name === obj.baseName));
        const cause = previous ? `${kind} ${obj.key} changed (content hash ${obj.spec.Labels[STACK_LABELS.contentHash]})` : `no existing ${kind}`;
        before.push(add({ kind: kind === "secret" ? "create-secret" : "create-config", key: obj.key, name: obj.name, spec: obj.spec, cause }));
      }
      for (const o of all) {
        if (wanted.has(o.Spec.Name) || o.Spec.Labels?.[STACK_LABELS.namespace] !== ns) continue;
        if (o.Spec.Labels?.[STACK_LABELS.key] === obj.key || o.Spec.Name === obj.baseName) {
          superseded.push({ kind: kind === "secret" ? "remove-secret" : "remove-config", name: o.Spec.Name, objectId: o.ID, cause: `superseded by ${obj.name}` });
        }
      }
    }
    if (options.prune && !(options.selected && options.selected.length > 0)) {
      const keys = new Set(list.map((o) => o.key));
      const bases = new Set(list.map((o) => o.baseName));
      for (const o of all) {
        if (wanted.has(o.Spec.Name) || o.Spec.Labels?.[STACK_LABELS.namespace] !== ns) continue;
        const key = o.Spec.Labels?.[STACK_LABELS.key];
        if ((key !== undefined && keys.has(key)) || bases.has(o.Spec.Name)) continue;
        superseded.push({ kind: kind === "secret" ? "remove-secret" : "remove-config", name: o.Spec.Name, objectId: o.ID, cause: `no service uses it (--prune)` });
      }
    }
  }

  // Services: create, update with the fields that differ from the live spec, or nothing.
  const ctx = specContext(observed);
  const observedByName = new Map(observed.services.map((s) => [s.Spec.Name, s]));
  const serviceActions: number[] = [];
  for (const svc of desired.services) {
    const existing = observedByName.get(svc.name);
    if (!existing) {
      serviceActions.push(add({ kind: "create-service", key: svc.key, name: svc.name, spec: svc.spec, cause: "no existing service", deps: before }));
      continue;
    }
    const live = comparableSpec(existing.Spec, ctx);
    const want = comparableSpec(svc.spec, ctx);
    if (canonicalJson(live) === canonicalJson(want)) continue;
    const changes = diffConfigs(diffView(live), diffView(want));
    const cause = updateCause(existing.Spec.Labels?.[STACK_LABELS.spec], live, want, ctx);
    serviceActions.push(
      add({
        kind: "update-service",
        key: svc.key,
        name: svc.name,
        serviceId: existing.ID,
        version: existing.Version.Index,
        spec: svc.spec,
        previousImage: existing.Spec.Labels?.[STACK_LABELS.image] ?? "",
        cause,
        ...(changes.length > 0 ? { changes } : {}),
        deps: before,
      }),
    );
  }
  if (options.prune) {
    const keep = new Set(desired.services.map((s) => s.name));
    const limit = options.selected && options.selected.length > 0 ? new Set(options.selected.map((k) => `${ns}_${k}`)) : undefined;
    for (const s of [...observed.services].sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name))) {
      if (keep.has(s.Spec.Name) || (limit && !limit.has(s.Spec.Name))) continue;
      serviceActions.push(add({ kind: "remove-service", name: s.Spec.Name, serviceId: s.ID, cause: "not in the project (--prune)" }));
    }
  }
  for (const r of superseded) add({ ...r, deps: serviceActions });
  return { stack: ns, actions, warnings, errors };
}

/** Network ids → names for the comparison: the stack's own networks and the external ones it names. */
export function specContext(observed: ObservedStack): SpecContext {
  const networkNames = new Map<string, string>();
  for (const n of observed.networks) networkNames.set(n.Id, n.Name);
  for (const [name, n] of Object.entries(observed.externalNetworks)) if (n) networkNames.set(n.Id, name);
  return { networkNames };
}

/** Why a service that differs is updated: its live spec moved away from moor's record of it, or the project changed. */
function updateCause(record: string | undefined, live: SwarmServiceSpec, want: SwarmServiceSpec, ctx: SpecContext): string {
  if (record === undefined) return "differs from the project (deployed without moor's record, by docker stack deploy?)";
  let recorded: string;
  try {
    recorded = canonicalJson(comparableSpec(JSON.parse(record) as SwarmServiceSpec, ctx));
  } catch {
    return "spec changed (moor's record of it is unreadable)";
  }
  const drifted = recorded !== canonicalJson(live);
  const changed = recorded !== canonicalJson(want);
  if (drifted && changed) return "changed outside moor, and in the project";
  if (drifted) return "changed outside moor: putting back the project's spec";
  return "spec changed";
}

/** `#id verb object`, as in `moor plan`. */
export function describeSwarmAction(a: SwarmAction): string {
  switch (a.kind) {
    case "create-network":
      return `create network ${a.name}`;
    case "create-secret":
      return `create secret ${a.name}`;
    case "create-config":
      return `create config ${a.name}`;
    case "create-service":
      return `create service ${a.name}`;
    case "update-service":
      return `update service ${a.name} (${a.serviceId.slice(0, 12)})`;
    case "remove-service":
      return `remove service ${a.name} (${a.serviceId.slice(0, 12)})`;
    case "remove-secret":
      return `remove secret ${a.name}`;
    case "remove-config":
      return `remove config ${a.name}`;
  }
}

/** The plan as stable text: `moor deploy --dry-run`'s output and the golden oracle. */
export function swarmPlanToString(plan: SwarmPlan): string {
  const n = plan.actions.length;
  const lines = [n === 0 ? `stack ${plan.stack}: nothing to do` : `stack ${plan.stack}: ${n} action${n === 1 ? "" : "s"}`];
  for (const a of plan.actions) {
    const after = a.deps.length > 0 ? ` [after ${a.deps.map((d) => `#${d}`).join(" ")}]` : "";
    lines.push(`#${a.id} ${describeSwarmAction(a)}${after}: ${a.cause}`);
    for (const change of a.changes ?? []) lines.push(`    ${change}`);
  }
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const e of plan.errors) lines.push(`error: ${e}`);
  return `${lines.join("\n")}\n`;
}

export type ResolveImage = "always" | "changed" | "never";

/** The images `--resolve-image` asks the registry about: all (always), new or changed ones (changed), none (never). */
export function imagesToResolve(desired: DesiredStack, observed: ObservedStack, mode: ResolveImage): string[] {
  if (mode === "never") return [];
  const byName = new Map(observed.services.map((s) => [s.Spec.Name, s]));
  const out = new Set<string>();
  for (const svc of desired.services) {
    const image = svc.spec.TaskTemplate.ContainerSpec.Image;
    const existing = byName.get(svc.name);
    if (mode === "always" || !existing || existing.Spec.Labels?.[STACK_LABELS.image] !== image) out.add(image);
  }
  return [...out].sort();
}

/**
 * The images the services will run, as docker stack deploy picks them: a digest the registry
 * resolved (`resolved`), else, when the compose image is the one deployed before, the image the
 * service already runs if that is the compose image with a digest from an earlier resolution,
 * else the compose image (so an image changed with `docker service update --image` is put back).
 */
export function pinImages(desired: DesiredStack, observed: ObservedStack, resolved: Readonly<Record<string, string>>): DesiredStack {
  const byName = new Map(observed.services.map((s) => [s.Spec.Name, s]));
  const services = desired.services.map((svc) => {
    const image = svc.spec.TaskTemplate.ContainerSpec.Image;
    const existing = byName.get(svc.name);
    let pinned = resolved[image];
    const running = existing?.Spec.TaskTemplate.ContainerSpec.Image;
    if (pinned === undefined && running?.startsWith(`${image.replace(/@.*$/, "")}@`) && existing?.Spec.Labels?.[STACK_LABELS.image] === image) pinned = running;
    if (pinned === undefined || pinned === image) return svc;
    return { ...svc, spec: { ...svc.spec, TaskTemplate: { ...svc.spec.TaskTemplate, ContainerSpec: { ...svc.spec.TaskTemplate.ContainerSpec, Image: pinned } } } };
  });
  return { ...desired, services };
}
