// `moor plan`: what `up` would do and why, field by field. Nothing changes.
import { plan, planToString } from "../../reconcile/plan.js";
import { renderPlanDiff } from "../../ui/plan-diff.js";
import type { GlobalOptions } from "../global-options.js";
import { colorFor } from "../progress.js";
import { connectEngine, loadOrThrow, observe } from "../project-context.js";
import { planOptionsFromUp, type UpOptions } from "./up.js";

export async function planCommand(global: GlobalOptions, services: string[], opts: UpOptions): Promise<void> {
  const { project } = await loadOrThrow(global, { services });
  const engine = await connectEngine();
  const observed = await observe(engine, project.name);
  const thePlan = plan(project, observed, planOptionsFromUp(services, opts));
  // A terminal gets the diff view (+ create, ~ recreate with the fields, - remove); pipes and
  // files get the stable text the golden tests pin.
  process.stdout.write(process.stdout.isTTY ? renderPlanDiff(thePlan, { color: colorFor(global, process.stdout) }) : planToString(thePlan));
}
