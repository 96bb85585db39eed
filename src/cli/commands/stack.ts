// `moor stack ls|ps|services|rm|config`: docker stack's listings and removal, from the stack
// namespace label alone, so they work on stacks `docker stack deploy` made as well as on moor's.
// The stack defaults to the project's name (`-p`, or the compose file's project).
import type { SwarmService, SwarmTask } from "../../engine/swarm-engine.js";
import { EngineError } from "../../engine/errors.js";
import { formatRows } from "../../swarm/format.js";
import { stackLabel } from "../../swarm/observe.js";
import { STACK_LABELS } from "../../swarm/translate.js";
import { ExitCode, UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { loadOrName } from "../project-context.js";
import { asManager, connectSwarm } from "./deploy.js";

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

async function stackName(global: GlobalOptions, given: string | undefined): Promise<string> {
  const name = given ?? (await loadOrName(global)).name;
  if (!STACK_NAME.test(name)) throw new UserError(`invalid stack name: ${JSON.stringify(name)}`);
  return name;
}

/** Go-style natural order ("a2" before "a10"), as docker sorts stacks and services. */
function natural(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

export async function stackLsCommand(opts: { format?: string }): Promise<void> {
  const engine = connectSwarm();
  const services = await asManager(engine, () => engine.listServices({ labels: [STACK_LABELS.namespace] }));
  const counts = new Map<string, number>();
  for (const s of services) {
    const ns = s.Spec.Labels?.[STACK_LABELS.namespace];
    if (ns !== undefined) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  const rows = [...counts.entries()].sort(([a], [b]) => natural(a, b)).map(([Name, n]) => ({ Name, Services: String(n) }));
  process.stdout.write(formatRows(opts.format, "table {{.Name}}\t{{.Services}}", { Name: "NAME", Services: "SERVICES" }, rows));
}

function modeOf(s: SwarmService): string {
  const m = s.Spec.Mode ?? {};
  if (m.Global) return "global";
  if (m.ReplicatedJob) return "replicated job";
  if (m.GlobalJob) return "global job";
  return "replicated";
}

function replicasOf(s: SwarmService): string {
  const st = s.ServiceStatus;
  const m = s.Spec.Mode ?? {};
  if (m.ReplicatedJob || m.GlobalJob) return `${st?.RunningTasks ?? 0}/${st?.DesiredTasks ?? 0} (${st?.CompletedTasks ?? 0}/${m.ReplicatedJob?.TotalCompletions ?? st?.DesiredTasks ?? 0} completed)`;
  const max = s.Spec.TaskTemplate.Placement?.MaxReplicas;
  return `${st?.RunningTasks ?? 0}/${st?.DesiredTasks ?? 0}${max ? ` (max ${max} per node)` : ""}`;
}

/** The image without the digest docker stack's resolution added, as `docker service ls` shows it. */
function shortImage(image: string): string {
  return image.includes("@") && image.slice(0, image.indexOf("@")).includes(":") ? image.slice(0, image.indexOf("@")) : image;
}

function portsOf(ports: readonly { PublishedPort?: number; TargetPort: number; Protocol?: string; PublishMode?: string }[] | undefined, ingressOnly: boolean, sep = ", "): string {
  return (ports ?? [])
    .filter((p) => p.PublishedPort !== undefined && (!ingressOnly || (p.PublishMode ?? "ingress") === "ingress"))
    .map((p) => `*:${p.PublishedPort}->${p.TargetPort}/${p.Protocol ?? "tcp"}`)
    .join(sep);
}

function applyFilters(filters: string[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of filters ?? []) {
    const eq = f.indexOf("=");
    if (eq <= 0) throw new UserError(`bad format of filter (expected name=value): ${f}`);
    (out[f.slice(0, eq)] ??= []).push(f.slice(eq + 1));
  }
  return out;
}

export async function stackServicesCommand(global: GlobalOptions, stack: string | undefined, opts: { quiet?: boolean; format?: string; filter?: string[] }): Promise<void> {
  const name = await stackName(global, stack);
  const filters = applyFilters(opts.filter);
  const engine = connectSwarm();
  const services = (await asManager(engine, () => engine.listServices({ labels: [...stackLabel(name), ...(filters.label ?? [])], status: !opts.quiet })))
    .filter((s) => !filters.name || filters.name.some((n) => s.Spec.Name.startsWith(n)))
    .filter((s) => !filters.id || filters.id.some((i) => s.ID.startsWith(i)))
    .filter((s) => !filters.mode || filters.mode.includes(modeOf(s)));
  if (services.length === 0) {
    process.stderr.write(`Nothing found in stack: ${name}\n`);
    return;
  }
  services.sort((a, b) => natural(a.Spec.Name, b.Spec.Name));
  if (opts.quiet) {
    process.stdout.write(services.map((s) => `${s.ID}\n`).join(""));
    return;
  }
  const rows = services.map((s) => ({
    ID: s.ID.slice(0, 12),
    Name: s.Spec.Name,
    Mode: modeOf(s),
    Replicas: replicasOf(s),
    Image: shortImage(s.Spec.TaskTemplate.ContainerSpec.Image),
    Ports: portsOf(s.Endpoint?.Ports, true),
  }));
  process.stdout.write(
    formatRows(opts.format, "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}", { ID: "ID", Name: "NAME", Mode: "MODE", Replicas: "REPLICAS", Image: "IMAGE", Ports: "PORTS" }, rows),
  );
}

function since(timestamp: string | undefined, now: number): string {
  if (!timestamp) return "";
  const s = Math.max(0, Math.round((now - Date.parse(timestamp)) / 1000));
  if (s < 1) return "Less than a second ago";
  if (s < 60) return `${s} second${s === 1 ? "" : "s"} ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"} ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} hour${h === 1 ? "" : "s"} ago`;
  return `${Math.round(h / 24)} days ago`;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export async function stackPsCommand(
  global: GlobalOptions,
  stack: string | undefined,
  opts: { quiet?: boolean; format?: string; filter?: string[]; noTrunc?: boolean; noResolve?: boolean },
): Promise<void> {
  const name = await stackName(global, stack);
  const filters = applyFilters(opts.filter);
  const engine = connectSwarm();
  // Every filter goes to the engine, as docker stack ps sends them: it knows id, name (a prefix of
  // `service.slot`), node (name, id or "self"), service, desired-state and label, and rejects the rest.
  const tasks = await asManager(engine, () => engine.listTasks({ labels: stackLabel(name), filters }));
  if (tasks.length === 0) throw new UserError(`nothing found in stack: ${name}`);
  const [services, nodes] = opts.noResolve ? [[], []] : await Promise.all([engine.listServices({ labels: stackLabel(name) }), engine.listNodes()]);
  const serviceName = new Map(services.map((s) => [s.ID, s.Spec.Name]));
  const nodeName = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  // As docker: `service.slot` (global services: `service.node-id`), natural order, newest first
  // within a slot; in a table the older tasks of a slot are indented with "\_ ".
  const taskName = (t: SwarmTask) => `${serviceName.get(t.ServiceID) ?? t.ServiceID}.${t.Slot ? t.Slot : (t.NodeID ?? "")}`;
  const sorted = tasks.map((t) => ({ t, name: taskName(t) })).sort((a, b) => natural(a.name, b.name) || (b.t.CreatedAt ?? "").localeCompare(a.t.CreatedAt ?? ""));
  const id = (t: SwarmTask) => (opts.noTrunc ? t.ID : t.ID.slice(0, 12));
  const tableFormat = opts.format === undefined || opts.format === "table" || opts.format.startsWith("table ");
  if (opts.quiet && (opts.format === undefined || opts.format === "table")) {
    // docker's quiet format is `{{.ID}}`, truncated unless --no-trunc; a --format template wins over -q.
    process.stdout.write(sorted.map(({ t }) => `${id(t)}\n`).join(""));
    return;
  }
  const now = Date.now();
  let previous = "";
  const rows = sorted.map(({ t, name: base }) => {
    const displayName = base === previous && tableFormat ? ` \\_ ${base}` : base;
    previous = base;
    const image = t.Spec?.ContainerSpec?.Image ?? "";
    const err = t.Status.Err ?? "";
    return {
      ID: id(t),
      Name: displayName,
      Image: opts.noTrunc ? image : shortImage(image),
      Node: nodeName.get(t.NodeID ?? "") ?? t.NodeID ?? "",
      DesiredState: capital(t.DesiredState),
      CurrentState: `${capital(t.Status.State)} ${since(t.Status.Timestamp, now)}`,
      Error: err && !opts.noTrunc && err.length > 30 ? `"${err.slice(0, 29)}…"` : err ? `"${err}"` : "",
      Ports: portsOf(t.Status.PortStatus?.Ports, false, ","),
    };
  });
  process.stdout.write(
    formatRows(
      opts.format,
      "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}",
      { ID: "ID", Name: "NAME", Image: "IMAGE", Node: "NODE", DesiredState: "DESIRED STATE", CurrentState: "CURRENT STATE", Error: "ERROR", Ports: "PORTS" },
      rows,
    ),
  );
}

/** Removes services, secrets, configs, then networks of each stack, as docker stack rm does. */
export async function stackRmCommand(global: GlobalOptions, stacks: string[], opts: { detach?: boolean }): Promise<void> {
  const names = stacks.length > 0 ? stacks : [await stackName(global, undefined)];
  for (const n of names) if (!STACK_NAME.test(n)) throw new UserError(`invalid stack name: ${JSON.stringify(n)}`);
  const engine = connectSwarm();
  const failed: string[] = [];
  for (const name of names) {
    const label = stackLabel(name);
    const [services, networks, secrets, configs] = await asManager(engine, () =>
      Promise.all([engine.listServices({ labels: label }), engine.listNetworks({ labels: label }), engine.listSecrets({ labels: label }), engine.listConfigs({ labels: label })]),
    );
    if (services.length + networks.length + secrets.length + configs.length === 0) {
      process.stderr.write(`Nothing found in stack: ${name}\n`);
      continue;
    }
    let hasError = false;
    const attempt = async (what: string, id: string, fn: () => Promise<void>) => {
      process.stdout.write(`Removing ${what}\n`);
      try {
        await fn();
      } catch (err) {
        // A swarm network stays listed while its removal waits for the tasks; removing it again says "not found".
        if (err instanceof EngineError && (err.status === 404 || /not found/i.test(err.engineMessage))) return;
        hasError = true;
        process.stderr.write(`Failed to remove ${what.split(" ")[0]} ${id}: ${(err as Error).message}\n`);
      }
    };
    for (const s of [...services].sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name))) await attempt(`service ${s.Spec.Name}`, s.ID, () => engine.removeService(s.ID));
    for (const s of secrets) await attempt(`secret ${s.Spec.Name}`, s.ID, () => engine.removeSecret(s.ID));
    for (const c of configs) await attempt(`config ${c.Spec.Name}`, c.ID, () => engine.removeConfig(c.ID));
    for (const n of networks) await attempt(`network ${n.Name}`, n.Id, () => engine.removeNetwork(n.Id));
    if (hasError) {
      failed.push(name);
      continue;
    }
    if (opts.detach === false) {
      // Wait until the swarm has shut every task of the stack down.
      for (;;) {
        const left = await engine.listTasks({ labels: label });
        if (left.every((t) => ["complete", "shutdown", "failed", "rejected", "orphaned", "remove"].includes(t.Status.State))) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
  if (failed.length > 0) {
    process.stderr.write(failed.map((n) => `failed to remove some resources from stack: ${n}\n`).join(""));
    throw new ExitCode(1);
  }
}
