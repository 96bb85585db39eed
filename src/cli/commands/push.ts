// `moor push`: pushes the images of services that have both `build` and `image` (compose skips the
// others), every tag of each in parallel; `--ignore-push-failures` turns failures into warnings.
import pLimit from "p-limit";
import type { Project } from "../../compose/types.js";
import type { Engine } from "../../engine/engine.js";
import type { EventSink } from "../../reconcile/events.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { progressSink } from "../progress.js";
import { connectEngine, loadOrThrow, parallelism } from "../project-context.js";
import { selectServices } from "../service-selection.js";

export interface PushOptions {
  ignorePushFailures?: boolean;
  includeDeps?: boolean;
  quiet?: boolean;
}

/** Pushes the services' images; rejects with every failure's message unless failures are ignored. */
export async function pushServices(engine: Engine, project: Project, services: string[], opts: { ignoreFailures: boolean; parallel: number; sink: EventSink; dryRun?: boolean }): Promise<void> {
  const limit = pLimit(opts.parallel);
  const failures: Error[] = [];
  const jobs: Promise<void>[] = [];
  for (const name of services) {
    const svc = project.services[name]!;
    if (!svc.build || !svc.image) {
      opts.sink({ type: "resource", kind: "service", name, status: "Skipped", done: true });
      continue;
    }
    for (const tag of [svc.image, ...(svc.build.tags ?? [])]) {
      jobs.push(
        limit(async () => {
          opts.sink({ type: "resource", kind: "image", name: tag, status: "Pushing", done: false });
          try {
            if (!opts.dryRun) await engine.pushImage(tag);
            opts.sink({ type: "resource", kind: "image", name: tag, status: "Pushed", done: true });
          } catch (err) {
            const message = (err as Error).message;
            opts.sink({ type: "resource", kind: "image", name: tag, status: opts.ignoreFailures ? "Warning" : "Error", detail: message, done: true });
            if (!opts.ignoreFailures) failures.push(err as Error);
          }
        }),
      );
    }
  }
  await Promise.all(jobs);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new UserError(failures.map((f) => f.message).join("\n"), (failures[0] as { hint?: string }).hint);
}

export async function pushCommand(global: GlobalOptions, services: string[], opts: PushOptions): Promise<void> {
  const { project } = await loadOrThrow(global, { services });
  const selected = selectServices(project, services, opts.includeDeps === true);
  const engine = await connectEngine();
  const sink = opts.quiet ? () => {} : progressSink(global);
  await pushServices(engine, project, selected, { ignoreFailures: opts.ignorePushFailures === true, parallel: parallelism(global), sink, dryRun: global.dryRun });
}
