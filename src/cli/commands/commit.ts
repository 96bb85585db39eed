// `moor commit SERVICE [REPOSITORY[:TAG]]`: a new image from a service container, as
// `docker compose commit` makes it (progress lines, nothing on standard output).
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { progressSink } from "../progress.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices, pickContainer, projectContainers } from "../service-containers.js";

export interface CommitOptions {
  author?: string;
  change?: string[];
  message?: string;
  pause?: boolean;
  index?: string;
}

/** `repo[:tag]` split as the engine wants it; a digest cannot be committed to. */
export function commitTarget(reference: string | undefined): { repo?: string; tag?: string } {
  if (reference === undefined || reference === "") return {};
  if (reference.includes("@")) throw new UserError(`invalid reference ${JSON.stringify(reference)}: cannot commit to a digest`, "give REPOSITORY or REPOSITORY:TAG");
  // A colon after the last slash starts the tag; one before it belongs to a registry's port.
  const colon = reference.lastIndexOf(":");
  if (colon > reference.lastIndexOf("/")) return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repo: reference, tag: "latest" };
}

export async function commitCommand(global: GlobalOptions, service: string, reference: string | undefined, opts: CommitOptions): Promise<void> {
  const index = opts.index === undefined ? undefined : Number.parseInt(opts.index, 10);
  if (index !== undefined && (!Number.isInteger(index) || index < 1)) throw new UserError(`invalid --index ${JSON.stringify(opts.index)}`, "give a replica number, 1 or more");
  const target = commitTarget(reference);
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, [service]);
  const engine = await connectEngine();
  const container = pickContainer(await projectContainers(engine, name, { all: true, services: [service] }), service, index);
  const sink = progressSink(global);
  sink({ type: "resource", kind: "container", name: container.name, status: "Committing", done: false });
  if (global.dryRun) {
    sink({ type: "resource", kind: "container", name: container.name, status: "Committed", done: true });
    return;
  }
  try {
    await engine.commitContainer(container.id, { ...target, author: opts.author, comment: opts.message, pause: opts.pause !== false, changes: opts.change });
  } catch (err) {
    sink({ type: "resource", kind: "container", name: container.name, status: "Error", done: true });
    throw err;
  }
  sink({ type: "resource", kind: "container", name: container.name, status: "Committed", done: true });
}
