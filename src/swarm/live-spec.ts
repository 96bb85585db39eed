// A service spec in a form that compares: what moor would send and what the swarm runs now (a
// `GET /services` entry) become equal when they mean the same service. The engine fills in
// defaults (`Isolation: "default"`, `Runtime: "container"`, one replica, the update config's
// failure action and order, the endpoint's `vip` mode, a port's `tcp`/`ingress`), stores network
// targets as ids and adds the ids of secrets and configs; Go's JSON drops empty fields. So the
// planner can diff the desired spec against the live one and notice a change made outside moor
// (`docker service update --env-add`, `--replicas`), without updating a service that is unchanged.
import { canonicalJson } from "../reconcile/config-hash.js";
import type { SwarmPortConfig, SwarmServiceMode, SwarmServiceSpec, SwarmUpdateConfig } from "../engine/swarm-engine.js";
import { STACK_LABELS } from "./translate.js";

export interface SpecContext {
  /** Network id → name, for the networks the stack uses (its own and external ones). */
  networkNames: ReadonlyMap<string, string>;
}

function mode(m: SwarmServiceMode | undefined): SwarmServiceMode {
  if (!m || Object.keys(m).length === 0) return { Replicated: { Replicas: 1 } };
  if (m.Replicated) return { Replicated: { Replicas: m.Replicated.Replicas ?? 1 } };
  if (m.ReplicatedJob) {
    const max = m.ReplicatedJob.MaxConcurrent ?? 1;
    return { ReplicatedJob: { MaxConcurrent: max, TotalCompletions: m.ReplicatedJob.TotalCompletions ?? max } };
  }
  return m;
}

function update(u: SwarmUpdateConfig | undefined): SwarmUpdateConfig | undefined {
  if (!u) return undefined;
  return { ...u, FailureAction: u.FailureAction || "pause", Order: u.Order || "stop-first" };
}

function port(p: SwarmPortConfig): SwarmPortConfig {
  return { ...p, Protocol: p.Protocol || "tcp", PublishMode: p.PublishMode || "ingress" };
}

const byJson = (a: unknown, b: unknown): number => {
  const x = canonicalJson(a);
  const y = canonicalJson(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Drops what Go's JSON would drop: undefined, null, "", false, 0, empty lists and objects. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p === undefined || p === null || p === "" || p === false || p === 0) continue;
      if (Array.isArray(p) && p.length === 0) continue;
      if (typeof p === "object" && !Array.isArray(p) && Object.keys(p as object).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}

/** The spec with the engine's defaults made explicit, ids turned into names and moor's record left out. */
export function comparableSpec(spec: SwarmServiceSpec, ctx: SpecContext): SwarmServiceSpec {
  const labels = { ...(spec.Labels ?? {}) };
  delete labels[STACK_LABELS.spec];
  const { ForceUpdate: _force, ...task } = spec.TaskTemplate as SwarmServiceSpec["TaskTemplate"] & { Runtime?: string };
  if (task.Runtime === "container") delete task.Runtime;
  const c = { ...task.ContainerSpec };
  if (c.Isolation === "default") delete c.Isolation;
  if (c.Env) c.Env = [...c.Env].sort();
  if (c.Secrets) c.Secrets = c.Secrets.map(({ SecretID: _id, ...s }) => s).sort(byJson);
  if (c.Configs) c.Configs = c.Configs.map(({ ConfigID: _id, ...x }) => x).sort(byJson);
  const networks = task.Networks?.map((n) => ({ ...n, Target: ctx.networkNames.get(n.Target) ?? n.Target })).sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  const endpoint = spec.EndpointSpec ?? {};
  const out = prune({
    ...spec,
    Labels: labels,
    TaskTemplate: { ...task, ContainerSpec: c, ...(networks ? { Networks: networks } : {}) },
    Mode: undefined,
    UpdateConfig: update(spec.UpdateConfig),
    RollbackConfig: update(spec.RollbackConfig),
    EndpointSpec: { ...endpoint, Mode: endpoint.Mode || "vip", ...(endpoint.Ports ? { Ports: endpoint.Ports.map(port) } : {}) },
  }) as SwarmServiceSpec;
  // The mode after pruning: `Global: {}` is all that tells a global service from a global job.
  return { ...out, Mode: mode(spec.Mode) };
}

/** A readable form for diffs: the environment as a map, so a change names its variable. */
export function diffView(spec: SwarmServiceSpec): unknown {
  const { Env, ...container } = spec.TaskTemplate.ContainerSpec;
  const environment: Record<string, string | null> = {};
  for (const item of Env ?? []) {
    const eq = item.indexOf("=");
    if (eq < 0) environment[item] = null;
    else environment[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return { ...spec, TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: { ...container, ...(Env ? { environment } : {}) } } };
}

/** True when the two specs mean the same service. */
export function sameSpec(a: SwarmServiceSpec, b: SwarmServiceSpec, ctx: SpecContext): boolean {
  return canonicalJson(comparableSpec(a, ctx)) === canonicalJson(comparableSpec(b, ctx));
}
