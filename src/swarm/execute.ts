// Applies a deploy plan through the SwarmEngine port, then (unless detached) waits until every
// service it created or updated has converged: its up-to-date tasks running (jobs: completed),
// and no update or rollback in progress. One services list and one tasks list per poll for the
// whole stack, whatever its size. A failed update (paused, rolled back) or a task the swarm
// rejected ends the wait with the task errors.
import type { EventSink } from "../reconcile/events.js";
import { DagError, runDag } from "../reconcile/run-dag.js";
import type { SwarmEngine, SwarmService, SwarmServiceSpec, SwarmTask, SwarmWriteOptions } from "../engine/swarm-engine.js";
import { specWithRecord, type ObservedStack, type SwarmAction, type SwarmPlan } from "./plan.js";
import { STACK_LABELS } from "./translate.js";

export interface ExecuteDeployOptions {
  /** The X-Registry-Auth value for an image (`--with-registry-auth`). */
  registryAuth?: (image: string) => string | undefined;
  onEvent: EventSink;
  /** Parallel engine calls within one phase. */
  parallel?: number;
}

export interface ExecuteDeployResult {
  /** Ids of the services created or updated: the ones to wait for. */
  touched: string[];
}

/** Runs the plan's actions in dependency order; independent ones in parallel. */
export async function executeDeploy(plan: SwarmPlan, observed: ObservedStack, engine: SwarmEngine, opts: ExecuteDeployOptions): Promise<ExecuteDeployResult> {
  const secretIds = new Map(observed.secrets.map((s) => [s.Spec.Name, s.ID]));
  const configIds = new Map(observed.configs.map((c) => [c.Spec.Name, c.ID]));
  const services = new Map(observed.services.map((s) => [s.ID, s]));
  const touched: string[] = [];
  const write = (spec: SwarmServiceSpec): SwarmWriteOptions => {
    const auth = opts.registryAuth?.(spec.TaskTemplate.ContainerSpec.Image);
    return auth ? { registryAuth: auth } : {};
  };
  const emit = (kind: "network" | "secret" | "config" | "service", name: string, status: "Creating" | "Created" | "Updating" | "Updated" | "Removing" | "Removed", finished: boolean) =>
    opts.onEvent({ type: "resource", kind, name, status, done: finished });

  const withIds = (spec: SwarmServiceSpec): SwarmServiceSpec => {
    const c = spec.TaskTemplate.ContainerSpec;
    return {
      ...spec,
      TaskTemplate: {
        ...spec.TaskTemplate,
        ContainerSpec: {
          ...c,
          ...(c.Secrets ? { Secrets: c.Secrets.map((s) => ({ ...s, SecretID: secretIds.get(s.SecretName) ?? s.SecretName })) } : {}),
          ...(c.Configs ? { Configs: c.Configs.map((x) => ({ ...x, ConfigID: configIds.get(x.ConfigName) ?? x.ConfigName })) } : {}),
        },
      },
    };
  };

  const run = async (a: SwarmAction): Promise<void> => {
    switch (a.kind) {
      case "create-network":
        emit("network", a.name, "Creating", false);
        await engine.createNetwork(a.spec);
        emit("network", a.name, "Created", true);
        return;
      case "create-secret":
        emit("secret", a.name, "Creating", false);
        secretIds.set(a.name, await engine.createSecret(a.spec));
        emit("secret", a.name, "Created", true);
        return;
      case "create-config":
        emit("config", a.name, "Creating", false);
        configIds.set(a.name, await engine.createConfig(a.spec));
        emit("config", a.name, "Created", true);
        return;
      case "create-service": {
        emit("service", a.name, "Creating", false);
        const r = await engine.createService(withIds(specWithRecord(a.spec)), write(a.spec));
        for (const w of r.warnings) opts.onEvent({ type: "warning", message: w });
        touched.push(r.id);
        emit("service", a.name, "Created", true);
        return;
      }
      case "update-service": {
        emit("service", a.name, "Updating", false);
        const spec = withIds(specWithRecord(a.spec));
        // As docker stack deploy: keep ForceUpdate, so the update alone does not restart tasks.
        const force = services.get(a.serviceId)?.Spec.TaskTemplate.ForceUpdate;
        if (force !== undefined) spec.TaskTemplate = { ...spec.TaskTemplate, ForceUpdate: force };
        const r = await engine.updateService(a.serviceId, a.version, spec, write(a.spec));
        for (const w of r.warnings) opts.onEvent({ type: "warning", message: w });
        touched.push(a.serviceId);
        emit("service", a.name, "Updated", true);
        return;
      }
      case "remove-service":
        emit("service", a.name, "Removing", false);
        await engine.removeService(a.serviceId);
        emit("service", a.name, "Removed", true);
        return;
      case "remove-secret":
        emit("secret", a.name, "Removing", false);
        await engine.removeSecret(a.objectId);
        emit("secret", a.name, "Removed", true);
        return;
      case "remove-config":
        emit("config", a.name, "Removing", false);
        await engine.removeConfig(a.objectId);
        emit("config", a.name, "Removed", true);
        return;
    }
  };

  // Each action starts as soon as what it depends on is done and a slot is free (not wave by
  // wave): on a first deploy the services' creates follow the network's without waiting for the
  // slowest of a batch. A failure starts nothing new; the error is the first failure's own.
  try {
    await runDag(
      plan.actions.map((a) => ({ id: String(a.id), deps: a.deps.map(String), payload: a })),
      (t) => run(t.payload),
      { concurrency: Math.max(1, opts.parallel ?? 16) },
    );
  } catch (err) {
    throw err instanceof DagError && err.failures[0] ? err.failures[0].error : err;
  }
  return { touched };
}

export interface ServiceConvergence {
  name: string;
  running: number;
  desired: number;
  done: boolean;
  /** The update failed (paused or rolled back), or the swarm rejected a task: the reason. */
  failure?: string;
  /** The newest task error, e.g. "no suitable node" or "No such image". */
  lastError?: string;
}

const TERMINAL_FAILURES = new Set(["rejected"]);

/** Pure: where each touched service stands, from one services list (with status) and one tasks list. */
export function convergence(services: readonly SwarmService[], tasks: readonly SwarmTask[], touched: ReadonlySet<string>, activeNodes: number): ServiceConvergence[] {
  const out: ServiceConvergence[] = [];
  for (const s of services) {
    if (!touched.has(s.ID)) continue;
    const own = tasks.filter((t) => t.ServiceID === s.ID);
    const latestError = [...own]
      .filter((t) => t.Status.Err)
      .sort((a, b) => (b.Status.Timestamp ?? "").localeCompare(a.Status.Timestamp ?? ""))[0]?.Status.Err;
    const mode = s.Spec.Mode ?? {};
    const isJob = mode.ReplicatedJob !== undefined || mode.GlobalJob !== undefined;
    const desired = mode.Replicated ? (mode.Replicated.Replicas ?? 1) : mode.ReplicatedJob ? (mode.ReplicatedJob.TotalCompletions ?? 1) : (s.ServiceStatus?.DesiredTasks ?? activeNodes);
    const running = isJob ? own.filter((t) => t.Status.State === "complete").length : own.filter((t) => t.DesiredState === "running" && t.Status.State === "running").length;
    const state = s.UpdateStatus?.State;
    let failure: string | undefined;
    if (state === "paused") failure = `update paused: ${s.UpdateStatus?.Message ?? ""}`;
    else if (state === "rollback_paused") failure = `rollback paused: ${s.UpdateStatus?.Message ?? ""}`;
    else if (state === "rollback_completed") failure = `update rolled back: ${s.UpdateStatus?.Message ?? ""}`;
    const rejected = own.find((t) => TERMINAL_FAILURES.has(t.Status.State) && t.DesiredState !== "shutdown");
    if (!failure && rejected && running < desired) failure = `task rejected: ${rejected.Status.Err ?? rejected.Status.Message ?? "rejected"}`;
    const updating = state === "updating" || state === "rollback_started";
    out.push({ name: s.Spec.Name, running, desired, done: !updating && running >= desired && failure === undefined, failure, lastError: latestError });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface WaitOptions {
  namespace: string;
  onEvent: EventSink;
  /** Give up after this many milliseconds (undefined: wait as long as it takes). */
  timeoutMs?: number;
  /** Milliseconds between polls. */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Waits until every touched service converged; rejects with the task errors when one failed. */
export async function waitForConvergence(engine: SwarmEngine, touched: readonly string[], opts: WaitOptions): Promise<void> {
  if (touched.length === 0) return;
  const ids = new Set(touched);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const start = now();
  const label = [`${STACK_LABELS.namespace}=${opts.namespace}`];
  const shown = new Map<string, string>();
  let nodes: number | undefined;
  for (;;) {
    const [services, tasks] = await Promise.all([engine.listServices({ labels: label, status: true }), engine.listTasks({ labels: label, upToDate: true })]);
    if (nodes === undefined && services.some((s) => ids.has(s.ID) && (s.Spec.Mode?.Global || s.Spec.Mode?.GlobalJob) && s.ServiceStatus?.DesiredTasks === undefined)) {
      nodes = (await engine.listNodes()).filter((n) => n.Status?.State === "ready" && n.Spec?.Availability === "active").length;
    }
    const states = convergence(services, tasks, ids, nodes ?? 1);
    for (const s of states) {
      const text = `${s.running}/${s.desired}${s.lastError && !s.done ? ` ${s.lastError}` : ""}`;
      const key = `${s.done}:${text}`;
      if (shown.get(s.name) === key) continue;
      shown.set(s.name, key);
      opts.onEvent({ type: "resource", kind: "service", name: s.name, status: s.done ? "Running" : "Waiting", detail: text, done: s.done });
    }
    const failed = states.filter((s) => s.failure !== undefined);
    if (failed.length > 0) throw new DeployFailedError(failed.map((s) => `${s.name}: ${s.failure}`));
    const missing = touched.filter((id) => !services.some((s) => s.ID === id));
    if (missing.length > 0) throw new DeployFailedError(missing.map((id) => `service ${id} disappeared while waiting`));
    if (states.every((s) => s.done)) return;
    if (opts.timeoutMs !== undefined && now() - start > opts.timeoutMs) {
      throw new DeployFailedError(states.filter((s) => !s.done).map((s) => `${s.name}: ${s.running}/${s.desired} running${s.lastError ? ` (${s.lastError})` : ""} after ${Math.round(opts.timeoutMs! / 1000)}s`));
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** The stack did not converge: one line per failed service, with its task error. */
export class DeployFailedError extends Error {
  readonly expected = true;
  constructor(readonly failures: string[]) {
    super(`the stack did not converge:\n  ${failures.join("\n  ")}`);
    this.name = "DeployFailedError";
  }
}
