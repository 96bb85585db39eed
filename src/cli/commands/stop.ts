// `moor stop [SERVICE...]`: stops the named services' containers (all when none are named),
// dependants before their dependencies, running pre_stop hooks; removes nothing.
import type { GlobalOptions } from "../global-options.js";
import { parseTimeout, planStop } from "../lifecycle-model.js";
import { openTarget, runPlan } from "../lifecycle-target.js";

export interface StopOptions {
  timeout?: string;
}

export async function stopCommand(global: GlobalOptions, services: string[], opts: StopOptions): Promise<void> {
  const timeout = parseTimeout(opts.timeout);
  const target = await openTarget(global, services, { all: true });
  await runPlan(target, planStop(target.project, target.containers, services, timeout));
}
