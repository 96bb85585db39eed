// `moor ls`: every compose project on the engine (moor's and docker compose's alike), found by
// the project label on containers: running ones, or all with -a.
import { LABELS } from "../../engine/types.js";
import { UserError } from "../errors.js";
import { connectEngine } from "../project-context.js";
import { matchesNameFilters, projectRows } from "../project-list.js";
import { COMPOSE_TABLE, tabwrite } from "../tabwriter.js";

export interface LsOptions {
  all?: boolean;
  filter?: string[];
  format?: string;
  quiet?: boolean;
}

export async function lsCommand(opts: LsOptions): Promise<void> {
  const names: string[] = [];
  for (const f of opts.filter ?? []) {
    const eq = f.indexOf("=");
    const key = eq < 0 ? f : f.slice(0, eq);
    if (key !== "name") throw new UserError(`invalid filter '${key}'`, "ls takes --filter name=NAME (a name or a regular expression)");
    if (eq < 0) throw new UserError(`bad format of filter (expected name=value): ${f}`);
    names.push(f.slice(eq + 1));
  }
  const format = opts.format ?? "table";
  if (!["table", "json", "pretty"].includes(format)) throw new UserError(`format value ${JSON.stringify(format)} could not be parsed`, "use table or json");
  const engine = await connectEngine();
  const containers = await engine.listContainers({ all: opts.all === true, labels: [LABELS.project, LABELS.configHash] });
  const rows = projectRows(containers).filter((r) => matchesNameFilters(r.Name, names));
  if (opts.quiet) {
    process.stdout.write(rows.map((r) => `${r.Name}\n`).join(""));
    return;
  }
  if (format === "json") {
    process.stdout.write(JSON.stringify(rows) + "\n");
    return;
  }
  process.stdout.write(tabwrite([["NAME", "STATUS", "CONFIG FILES"], ...rows.map((r) => [r.Name, r.Status, r.ConfigFiles])], COMPOSE_TABLE));
}
