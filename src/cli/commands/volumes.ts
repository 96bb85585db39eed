// `moor volumes`: the project's volumes (those of the named services' running containers when
// services are given), in the docker CLI's volume table, JSON lines or a template.
import type { VolumeSummary } from "../../engine/types.js";
import { LABELS } from "../../engine/types.js";
import { formatItems, type FormatSpec, type TemplateItem } from "../format-template.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices, projectContainers } from "../service-containers.js";

export interface VolumesOptions {
  format?: string;
  quiet?: boolean;
}

export const VOLUME_FORMAT: FormatSpec = {
  defaultTable: "{{.Driver}}\t{{.Name}}",
  headers: {
    Availability: "AVAILABILITY",
    Driver: "DRIVER",
    Group: "GROUP",
    Labels: "LABELS",
    Links: "LINKS",
    Mountpoint: "MOUNTPOINT",
    Name: "VOLUME NAME",
    Scope: "SCOPE",
    Size: "SIZE",
    Status: "STATUS",
  },
};

/** A volume's fields as `docker volume ls --format` names them (cluster fields "N/A"). */
export function volumeItem(v: VolumeSummary): TemplateItem {
  return {
    Availability: "N/A",
    Driver: v.driver,
    Group: "N/A",
    Labels: Object.entries(v.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, val]) => `${k}=${val}`)
      .join(","),
    Links: "N/A",
    Mountpoint: v.mountpoint,
    Name: v.name,
    Scope: "local",
    Size: "N/A",
    Status: "N/A",
  };
}

export async function volumesCommand(global: GlobalOptions, services: string[], opts: VolumesOptions): Promise<void> {
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, services);
  const engine = await connectEngine();
  const [containers, all] = await Promise.all([projectContainers(engine, name, { services }), engine.listVolumes({ labels: [`${LABELS.project}=${name}`] })]);
  let volumes = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (services.length > 0) {
    const used = new Set(containers.flatMap((c) => c.mounts.map((m) => m.name).filter((n): n is string => n !== undefined)));
    volumes = volumes.filter((v) => used.has(v.name));
  }
  if (opts.quiet) {
    process.stdout.write(volumes.map((v) => `${v.name}\n`).join(""));
    return;
  }
  process.stdout.write(formatItems(volumes.map(volumeItem), opts.format, VOLUME_FORMAT));
}
