// `moor plan`: what `up` would do and why, field by field. Nothing changes.
import { plan, planToString } from "../../reconcile/plan.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrThrow, observe } from "../project-context.js";
import { planOptionsFromUp, type UpOptions } from "./up.js";

export async function planCommand(global: GlobalOptions, services: string[], opts: UpOptions): Promise<void> {
  const { project } = await loadOrThrow(global, { services });
  const engine = await connectEngine();
  const observed = await observe(engine, project.name);
  process.stdout.write(planToString(plan(project, observed, planOptionsFromUp(services, opts))));
}
