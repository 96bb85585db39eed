// `moor top`: the processes of the project's running containers in one table, as compose prints
// it: SERVICE and replica number first, then the columns `ps` gives, CMD last.
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { LABELS } from "../../engine/types.js";
import { checkServices, projectContainers, serviceOf } from "../service-containers.js";
import { tabwrite } from "../tabwriter.js";

export interface ContainerProcesses {
  name: string;
  service: string;
  replica: string;
  titles: string[];
  processes: string[][];
}

/** One table for every container; a column missing for a container prints "-". */
export function topTable(containers: readonly ContainerProcesses[]): string {
  const sorted = [...containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header = ["SERVICE", "#"];
  for (const c of sorted) for (const t of c.titles) if (!header.includes(t)) header.push(t);
  // CMD is always the last column, as the command line is the widest and least regular.
  if (header.includes("CMD")) header.push(...header.splice(header.indexOf("CMD"), 1));
  const rows: string[][] = [];
  for (const c of sorted) {
    for (const proc of c.processes) {
      const entry = new Map<string, string>([["SERVICE", c.service], ["#", c.replica]]);
      c.titles.forEach((t, i) => entry.set(t, proc[i] ?? ""));
      rows.push(header.map((h) => entry.get(h) ?? "-"));
    }
  }
  if (rows.length === 0) return "";
  return tabwrite([header, ...rows], { minWidth: 4, padding: 2 });
}

export async function topCommand(global: GlobalOptions, services: string[]): Promise<void> {
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, services);
  const engine = await connectEngine();
  const containers = await projectContainers(engine, name, { services });
  const tops = await Promise.all(
    containers.map(async (c): Promise<ContainerProcesses> => {
      const top = await engine.topContainer(c.id);
      return { name: c.name, service: serviceOf(c) || c.name, replica: c.labels[LABELS.containerNumber] ?? "", titles: top.titles, processes: top.processes };
    }),
  );
  process.stdout.write(topTable(tops));
}
