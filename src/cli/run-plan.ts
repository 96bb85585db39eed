// Running a plan for a project loaded from files: the executor's context, and builds and pulls
// before the containers (whose plan depends on the new image ids). Kept apart from
// project-context.ts so that read-only commands (ps, logs) do not load the executor.
import type { Project } from "../compose/types.js";
import type { LoadResult } from "../compose/load-options.js";
import type { Engine } from "../engine/engine.js";
import type { EventSink } from "../reconcile/events.js";
import { executePlan, type ExecuteContext } from "../reconcile/execute.js";
import type { ObservedState } from "../reconcile/observed-state.js";
import type { Plan } from "../reconcile/plan-types.js";
import type { GlobalOptions } from "./global-options.js";
import { observe, parallelism } from "./project-context.js";
import { MOOR_VERSION } from "./version.js";

/** What the executor needs besides the plan, for a project loaded from files. */
export function executeContextFor(global: GlobalOptions, result: LoadResult, project: Project, observed: ObservedState, onEvent: EventSink, signal?: AbortSignal): ExecuteContext {
  return {
    project,
    observed,
    configFiles: result.configFiles,
    workingDir: result.workingDir,
    environment: result.environment,
    environmentFiles: result.explicitEnvFiles,
    version: MOOR_VERSION,
    parallel: parallelism(global),
    onEvent,
    ...(signal ? { signal } : {}),
  };
}

const IMAGE_ACTIONS = new Set(["build-image", "pull-image"]);

/**
 * Runs a plan whose builds and pulls change image ids the plan could not know: the image actions
 * first, then the containers planned again against the new images (`replan`, given the new
 * observation). Returns the plan whose container actions ran. Stops after the images when the
 * context's signal was aborted meanwhile.
 */
export async function executeImagesFirst(thePlan: Plan, engine: Engine, ctx: ExecuteContext, replan: (observed: ObservedState) => Plan): Promise<Plan> {
  if (!thePlan.actions.some((a) => IMAGE_ACTIONS.has(a.kind))) {
    await executePlan(thePlan, engine, ctx);
    return thePlan;
  }
  const images = { ...thePlan, actions: thePlan.actions.filter((a) => IMAGE_ACTIONS.has(a.kind)).map((a) => ({ ...a, deps: [] })) };
  await executePlan(images, engine, ctx);
  if (ctx.signal?.aborted) return images;
  const again = await observe(engine, ctx.project.name);
  const second = replan(again);
  await executePlan(second, engine, { ...ctx, observed: again });
  return second;
}
