// `moor restart [SERVICE...]`: restarts the named services' containers (all when none are named),
// stopped ones included, and the services that depend on them with `restart: true` (not with
// --no-deps), dependencies first. pre_stop hooks run before, post_start hooks after, as in compose.
import type { ContainerSummary } from "../../engine/types.js";
import { executePlan, runHook } from "../../reconcile/execute.js";
import { PlanBuilder } from "../../reconcile/plan-types.js";
import type { GlobalOptions } from "../global-options.js";
import { parseTimeout, restartOrder } from "../lifecycle-model.js";
import { executeContext, openTarget, runContainerTasks, type ContainerTask, type LifecycleTarget } from "../lifecycle-target.js";
import { isOneOff, serviceOf } from "../service-containers.js";

export interface RestartOptions {
  timeout?: string;
  noDeps?: boolean;
}

export async function restartCommand(global: GlobalOptions, services: string[], opts: RestartOptions): Promise<void> {
  const timeout = parseTimeout(opts.timeout);
  const target = await openTarget(global, services, { all: true });
  const containersOf = (service: string) => target.containers.filter((c) => serviceOf(c) === service && !isOneOff(c));
  const tasks: ContainerTask[] = [];
  for (const { service, after } of restartOrder(target.project, services, opts.noDeps === true)) {
    const gate = `gate:${service}`;
    // A dependant restarts once its dependencies restarted and meet their condition again.
    tasks.push({
      id: gate,
      deps: after.flatMap((d) => containersOf(d.service).map((c) => c.id)),
      run: async () => {
        for (const d of after) {
          if (d.condition === "service_started" || containersOf(d.service).length === 0) continue;
          const b = new PlanBuilder(target.name);
          b.add({ kind: "wait-service", service: d.service, condition: d.condition, cause: `${service} needs ${d.service}` });
          await executePlan(b.build(), target.engine, executeContext(target));
        }
      },
    });
    for (const c of containersOf(service)) {
      tasks.push({ id: c.id, deps: [gate], container: c, working: "Restarting", done: "Started", run: () => restartOne(target, c, timeout) });
    }
  }
  await runContainerTasks(target, tasks);
}

async function restartOne(target: LifecycleTarget, c: ContainerSummary, timeout: number | undefined): Promise<void> {
  const svc = target.project.services[serviceOf(c)];
  // A stopped container has nothing to run a pre_stop hook in.
  if (c.state === "running") for (const hook of svc?.pre_stop ?? []) await runHook(target.engine, c.id, serviceOf(c), hook);
  await target.engine.restartContainer(c.id, timeout);
  for (const hook of svc?.post_start ?? []) await runHook(target.engine, c.id, serviceOf(c), hook);
}
