// `build` and `pull` run the executor's own build-image and pull-image actions (the code `up`
// uses), so an image is built or pulled one way only: same build request, labels, progress words.
import type { Project } from "../compose/types.js";
import type { LoadResult } from "../compose/load-options.js";
import type { Engine } from "../engine/engine.js";
import type { EventSink } from "../reconcile/events.js";
import { executePlan } from "../reconcile/execute.js";
import { observedStateFrom } from "../reconcile/observed-state.js";
import { planToString } from "../reconcile/plan-text.js";
import { PlanBuilder, type ActionInput } from "../reconcile/plan-types.js";
import { MOOR_VERSION } from "./version.js";

export interface ImageRunOptions {
  parallel: number;
  onEvent: EventSink;
  noCache?: boolean;
  buildArgs?: Record<string, string>;
  /** `--dry-run`: print the actions (as `moor plan` does) and run nothing. */
  dryRun?: boolean;
}

/** Runs build-image / pull-image actions side by side (no order between them), failing on the first error. */
export async function runImageActions(project: Project, result: LoadResult, engine: Engine, actions: ActionInput[], opts: ImageRunOptions): Promise<void> {
  const b = new PlanBuilder(project.name);
  for (const a of actions) b.add(a);
  if (opts.dryRun) {
    process.stdout.write(planToString(b.build()));
    return;
  }
  await executePlan(b.build(), engine, {
    project,
    observed: observedStateFrom(project.name, { containers: [], networks: [], volumes: [] }),
    configFiles: result.configFiles,
    workingDir: result.workingDir,
    environmentFiles: result.explicitEnvFiles,
    environment: result.environment,
    version: MOOR_VERSION,
    parallel: opts.parallel,
    onEvent: opts.onEvent,
    noCache: opts.noCache,
    buildArgs: opts.buildArgs,
  });
}
