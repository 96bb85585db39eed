// `moor export SERVICE`: a service container's filesystem as a tar, to `-o FILE` or to standard
// output (never to a terminal), as `docker compose export` writes it.
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { progressSink } from "../progress.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices, pickContainer, projectContainers } from "../service-containers.js";

export interface ExportOptions {
  output?: string;
  index?: string;
}

export async function exportCommand(global: GlobalOptions, service: string, opts: ExportOptions): Promise<void> {
  const index = opts.index === undefined ? undefined : Number.parseInt(opts.index, 10);
  if (index !== undefined && (!Number.isInteger(index) || index < 1)) throw new UserError(`invalid --index ${JSON.stringify(opts.index)}`, "give a replica number, 1 or more");
  if (!opts.output && process.stdout.isTTY) throw new UserError("output option is required when exporting to terminal", "use -o FILE or redirect standard output");
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, [service]);
  const engine = await connectEngine();
  const container = pickContainer(await projectContainers(engine, name, { all: true, services: [service] }), service, index);
  const sink = progressSink(global);
  sink({ type: "resource", kind: "container", name: container.name, status: "Exporting", done: false });
  if (global.dryRun) {
    sink({ type: "resource", kind: "container", name: container.name, status: "Exported", done: true });
    return;
  }
  try {
    const tar = await engine.exportContainer(container.id);
    // A file is written whole or not at all: into a temporary name, renamed when complete.
    if (opts.output) {
      const partial = `${opts.output}.moor-partial`;
      await pipeline(tar, fs.createWriteStream(partial));
      fs.renameSync(partial, opts.output);
    } else {
      await pipeline(tar, process.stdout, { end: false });
    }
  } catch (err) {
    sink({ type: "resource", kind: "container", name: container.name, status: "Error", done: true });
    throw err;
  }
  sink({ type: "resource", kind: "container", name: container.name, status: "Exported", done: true });
}
