// `moor ps`: the project's containers, from one label-filtered list call, in compose's table or JSON.
import type { ContainerSummary } from "../../engine/types.js";
import { LABELS } from "../../engine/types.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { commandCell, createdCell, portsCell, psTable } from "../container-table.js";

export interface PsOptions {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status?: string[];
  filter?: string[];
  format?: string;
  noTrunc?: boolean;
  orphans?: boolean;
}

const STATUSES = ["paused", "restarting", "removing", "running", "dead", "created", "exited"];

export function psJson(c: ContainerSummary, project: string): Record<string, unknown> {
  return {
    Command: JSON.stringify(c.command),
    CreatedAt: new Date(c.created * 1000).toISOString(),
    ExitCode: Number(/Exited \((\d+)\)/.exec(c.status)?.[1] ?? 0),
    Health: c.health ?? "",
    ID: c.id,
    Image: c.image,
    Labels: Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(","),
    LocalVolumes: String(c.mounts.filter((m) => m.type === "volume").length),
    Mounts: c.mounts.map((m) => m.name ?? m.source ?? "").join(","),
    Name: c.name,
    Names: c.name,
    Networks: Object.keys(c.networks).join(","),
    Ports: portsCell(c.ports),
    Project: project,
    Publishers: c.ports.map((p) => ({ URL: p.ip ?? "", TargetPort: p.privatePort, PublishedPort: p.publicPort ?? 0, Protocol: p.type })),
    RunningFor: createdCell(c.created),
    Service: c.labels[LABELS.service] ?? "",
    Size: "0B",
    State: c.state,
    Status: c.status,
  };
}

export async function psCommand(global: GlobalOptions, services: string[], opts: PsOptions): Promise<void> {
  for (const s of opts.status ?? []) if (!STATUSES.includes(s)) throw new UserError(`invalid status ${JSON.stringify(s)}`, `use one of ${STATUSES.join(", ")}`);
  const { name, loaded } = await loadOrName(global);
  const engine = await connectEngine();
  const all = (await engine.listContainers({ all: true, labels: [`${LABELS.project}=${name}`, `${LABELS.oneoff}=False`] }))
    .filter((c) => services.length === 0 || services.includes(c.labels[LABELS.service] ?? ""))
    .filter((c) => opts.all || (opts.status?.length ?? 0) > 0 || c.state === "running" || c.state === "restarting" || c.state === "paused")
    .filter((c) => !opts.status?.length || opts.status.includes(c.state))
    .filter((c) => {
      for (const f of opts.filter ?? []) {
        const [key, value] = f.split("=", 2);
        if (key === "status" && c.state !== value) return false;
        if (key === "source" || key === "name") continue;
      }
      return true;
    })
    .filter((c) => !loaded || opts.orphans !== false || loaded.project.services[c.labels[LABELS.service] ?? ""] !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));

  if (opts.services) {
    process.stdout.write([...new Set(all.map((c) => c.labels[LABELS.service] ?? ""))].sort().map((s) => `${s}\n`).join(""));
    return;
  }
  if (opts.quiet) {
    process.stdout.write(all.map((c) => `${opts.noTrunc ? c.id : c.id.slice(0, 12)}\n`).join(""));
    return;
  }
  const format = opts.format ?? "table";
  if (format === "json") {
    process.stdout.write(all.map((c) => JSON.stringify(psJson(c, name)) + "\n").join(""));
    return;
  }
  if (format !== "table") throw new UserError(`unsupported --format ${JSON.stringify(format)}`, "use table or json");
  const rows = all.map((c) => [c.name, c.image, commandCell(c.command, !opts.noTrunc), c.labels[LABELS.service] ?? "", createdCell(c.created), c.status, portsCell(c.ports)]);
  process.stdout.write(psTable(rows));
}
