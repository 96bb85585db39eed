// `moor ps`: the project's containers, from one label-filtered list call, in compose's table or JSON.
import type { ContainerSummary } from "../../engine/types.js";
import { LABELS } from "../../engine/types.js";
import { UserError } from "../errors.js";
import { formatItems, type FormatSpec, type TemplateItem } from "../format-template.js";
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

/** Go's time.Time.String() of a unix time in local time, as compose prints CreatedAt:
 * "2026-11-24 16:30:05 +0000 UTC". */
export function goTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const hhmm = `${sign}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  // The zone's abbreviation as tzdata has it ("UTC", "CET", "EST"); ICU knows it under different
  // locales for different zones, and Go prints the offset when there is none.
  const abbreviation = ["en-US", "en-GB"]
    .map((locale) => /\s([A-Z]{2,5})$/.exec(d.toLocaleTimeString(locale, { timeZoneName: "short" }))?.[1])
    .find((z) => z !== undefined && z !== "GMT");
  const name = abbreviation ?? (offset === 0 ? "UTC" : hhmm.slice(0, offset % 60 === 0 ? 3 : 5));
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${hhmm} ${name}`;
}

export function psJson(c: ContainerSummary, project: string): Record<string, unknown> {
  return {
    Command: JSON.stringify(c.command),
    CreatedAt: goTime(c.created),
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

/** The fields a `--format` template sees: the JSON object's, as text (ID and Command shortened
 * unless --no-trunc, as the docker CLI's container formatter does). */
export function psTemplateItem(c: ContainerSummary, project: string, noTrunc: boolean): TemplateItem {
  const item: TemplateItem = {};
  for (const [key, value] of Object.entries(psJson(c, project))) item[key] = typeof value === "string" ? value : JSON.stringify(value);
  if (!noTrunc) {
    item.ID = c.id.slice(0, 12);
    item.Command = commandCell(c.command, true);
  }
  return item;
}

const PS_TEMPLATE: FormatSpec = {
  defaultTable: "{{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}",
  headers: {
    ID: "CONTAINER ID", Name: "NAME", Names: "NAMES", Image: "IMAGE", Command: "COMMAND", Service: "SERVICE", Project: "PROJECT",
    CreatedAt: "CREATED AT", RunningFor: "CREATED", Status: "STATUS", State: "STATE", Health: "HEALTH", ExitCode: "EXIT CODE",
    Ports: "PORTS", Publishers: "PUBLISHERS", Labels: "LABELS", Mounts: "MOUNTS", LocalVolumes: "LOCAL VOLUMES", Networks: "NETWORKS", Size: "SIZE",
  },
};

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
  if (format !== "table") {
    process.stdout.write(formatItems(all.map((c) => psTemplateItem(c, name, opts.noTrunc === true)), format, PS_TEMPLATE));
    return;
  }
  const rows = all.map((c) => [c.name, c.image, commandCell(c.command, !opts.noTrunc), c.labels[LABELS.service] ?? "", createdCell(c.created), c.status, portsCell(c.ports)]);
  process.stdout.write(psTable(rows));
}
