// What start, stop, restart, kill, pause, unpause and rm share: the project (from the compose file,
// or from labels alone with `-p NAME`), one list of its containers, and the executor's context.
import type { Project } from "../compose/types.js";
import type { Engine } from "../engine/engine.js";
import type { ContainerSummary } from "../engine/types.js";
import type { EventSink, ResourceStatus } from "../reconcile/events.js";
import { executePlan, type ExecuteContext } from "../reconcile/execute.js";
import { observedStateFrom } from "../reconcile/observed-state.js";
import { planToString, type Plan } from "../reconcile/plan.js";
import { runDag } from "../reconcile/run-dag.js";
import type { GlobalOptions } from "./global-options.js";
import { projectFromContainers } from "./lifecycle-model.js";
import { progressSink } from "./progress.js";
import { connectEngine, loadOrName, loadOrThrow, parallelism, type LoadedProject } from "./project-context.js";
import { checkServices, projectContainers } from "./service-containers.js";
import { MOOR_VERSION } from "./version.js";

export interface LifecycleTarget {
  name: string;
  /** The compose file's project, or the one the containers' labels describe. */
  project: Project;
  loaded?: LoadedProject;
  engine: Engine;
  /** Every container of the project (one-offs too), stopped ones included when asked. */
  containers: ContainerSummary[];
  sink: EventSink;
  global: GlobalOptions;
}

/** Loads (or names) the project, checks the named services against the file, lists the containers once. */
export async function openTarget(global: GlobalOptions, services: readonly string[], opts: { all: boolean }): Promise<LifecycleTarget> {
  const found = await loadOrName(global);
  const name = found.name;
  let loaded = found.loaded;
  // A service named on the command line is enabled even when its profile is not (compose does so).
  if (loaded && services.some((s) => !found.loaded?.project.services[s])) loaded = await loadOrThrow(global, { services: [...services] });
  checkServices(loaded?.project, [...services]);
  const engine = await connectEngine();
  const containers = await projectContainers(engine, name, { all: opts.all });
  const project = loaded?.project ?? projectFromContainers(name, containers);
  return { name, project, loaded, engine, containers, sink: progressSink(global), global };
}

/** Runs a plan of container actions with the project's context; `--dry-run` prints it instead. */
export async function runPlan(target: LifecycleTarget, plan: Plan): Promise<void> {
  for (const w of plan.warnings) target.sink({ type: "warning", message: w });
  if (target.global.dryRun) {
    process.stdout.write(planToString(plan));
    return;
  }
  await executePlan(plan, target.engine, executeContext(target));
}

export function executeContext(target: LifecycleTarget): ExecuteContext {
  return {
    project: target.project,
    observed: observedStateFrom(target.name, { containers: target.containers, networks: [], volumes: [] }),
    configFiles: target.loaded?.result.configFiles ?? [],
    workingDir: target.loaded?.result.workingDir ?? process.cwd(),
    environmentFiles: target.loaded?.result.explicitEnvFiles,
    environment: target.loaded?.result.environment,
    version: MOOR_VERSION,
    parallel: parallelism(target.global),
    onEvent: target.sink,
  };
}

/** One engine call per container, as a DAG task: what the container is called and what to do. */
export interface ContainerTask {
  id: string;
  deps?: string[];
  container?: ContainerSummary;
  /** The progress words before and after the call; none for a task that shows nothing. */
  working?: ResourceStatus;
  done?: ResourceStatus;
  run: () => Promise<void>;
}

/**
 * Runs container tasks with the project's parallelism (dependencies first, the first failure stops
 * what has not started), reporting compose's progress lines; `--dry-run` reports without calling.
 */
export async function runContainerTasks(target: LifecycleTarget, tasks: readonly ContainerTask[]): Promise<void> {
  const emit = (t: ContainerTask, status: ResourceStatus | undefined, done: boolean) => {
    if (t.container && status) target.sink({ type: "resource", kind: "container", name: t.container.name, status, done });
  };
  await runDag(
    tasks.map((t) => ({ id: t.id, deps: t.deps ?? [], payload: t })),
    async ({ payload: t }) => {
      emit(t, t.working, false);
      try {
        if (!target.global.dryRun) await t.run();
      } catch (err) {
        emit(t, "Error", true);
        throw err;
      }
      emit(t, t.done, true);
    },
    { concurrency: parallelism(target.global) },
  );
}
