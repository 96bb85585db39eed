// `moor start [SERVICE...]`: starts the existing containers of the named services and of what they
// depend on, dependencies first, waiting on health/completion conditions; creates nothing.
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { parseTimeout, planStart, withDependencies } from "../lifecycle-model.js";
import { openTarget, runPlan } from "../lifecycle-target.js";
import { waitForProject } from "../wait-project.js";

export interface StartOptions {
  wait?: boolean;
  waitTimeout?: string;
}

export async function startCommand(global: GlobalOptions, services: string[], opts: StartOptions): Promise<void> {
  const waitTimeout = parseTimeout(opts.waitTimeout, "--wait-timeout");
  const target = await openTarget(global, services, { all: true });
  if (!target.loaded) {
    // compose's words when the labels describe no project at all, or not the named service.
    if (target.containers.length === 0) throw new UserError(`no container found for project ${JSON.stringify(target.name)}`, "create the containers with `moor up` or `moor create`");
    const missing = services.filter((s) => !target.project.services[s]);
    if (missing.length > 0) throw new UserError(`no such service: ${JSON.stringify(missing[0])}`, `the project's services are ${Object.keys(target.project.services).sort().join(", ")}`);
  }
  await runPlan(target, planStart(target.project, target.containers, services));
  if (opts.wait && !global.dryRun) {
    const chosen = withDependencies(target.project, services);
    await waitForProject(target.engine, target.project, chosen, target.sink, waitTimeout !== undefined && waitTimeout > 0 ? waitTimeout * 1000 : undefined);
  }
}
