// `moor up`: observe once, plan, (ask before losing data), execute; then follow logs when attached.
import { destructiveActions, plan, planToString, type PlanOptions } from "../../reconcile/plan.js";
import { confirm } from "../confirm.js";
import { ExitCode, UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { closeProgress, progressSink, type ProgressSink } from "../progress.js";
import { connectEngine, loadOrThrow, observe } from "../project-context.js";
import { attachAndFollow } from "../attach.js";
import { waitForProject } from "../wait-project.js";
import { executeContextFor, executeImagesFirst } from "../run-plan.js";
import type { Project } from "../../compose/types.js";
import { serviceReferences } from "../../graph/project-graph.js";
import type { ObservedState } from "../../reconcile/observed-state.js";
import type { Plan } from "../../reconcile/plan.js";
import type { EventSink } from "../../reconcile/events.js";

export interface UpOptions {
  detach?: boolean;
  quietBuild?: boolean;
  build?: boolean;
  noBuild?: boolean;
  pull?: string;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  scale?: string[];
  wait?: boolean;
  waitTimeout?: string;
  noDeps?: boolean;
  noStart?: boolean;
  renewAnonVolumes?: boolean;
  alwaysRecreateDeps?: boolean;
  abortOnContainerExit?: boolean;
  abortOnContainerFailure?: boolean;
  exitCodeFrom?: string;
  attach?: string[];
  noAttach?: string[];
  attachDependencies?: boolean;
  timeout?: string;
  timestamps?: boolean;
  /** `--menu` (true/false as given); unset: COMPOSE_MENU, else on for a terminal. */
  menu?: boolean | string;
  /** `up --watch`. */
  watch?: boolean;
  color?: boolean;
  logPrefix?: boolean;
  yes?: boolean;
  quietPull?: boolean;
  dryRun?: boolean;
}

/** `--scale web=3` pairs into a map, with compose's error for a malformed one. */
export function parseScale(pairs: string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const m = /^([^=]+)=(\d+)$/.exec(pair);
    if (!m) throw new UserError(`invalid --scale value ${JSON.stringify(pair)}`, "use SERVICE=NUMBER, e.g. --scale web=3");
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function planOptionsFromUp(services: string[], opts: UpOptions): PlanOptions {
  if (opts.forceRecreate && opts.noRecreate) throw new UserError("--force-recreate and --no-recreate are incompatible");
  if (opts.build && opts.noBuild) throw new UserError("--build and --no-build are incompatible");
  if (opts.detach && (opts.abortOnContainerExit || opts.abortOnContainerFailure)) throw new UserError("--abort-on-container-exit and --detach are incompatible");
  const pull = opts.pull as PlanOptions["pull"] | "build" | undefined;
  if (pull !== undefined && !["always", "missing", "never", "build"].includes(pull)) {
    throw new UserError(`invalid --pull policy ${JSON.stringify(opts.pull)}`, "use always, missing or never");
  }
  return {
    services,
    noDeps: opts.noDeps,
    forceRecreate: opts.forceRecreate,
    noRecreate: opts.noRecreate,
    alwaysRecreateDeps: opts.alwaysRecreateDeps,
    renewAnonVolumes: opts.renewAnonVolumes,
    removeOrphans: opts.removeOrphans ?? /^(1|true)$/i.test(process.env.COMPOSE_REMOVE_ORPHANS ?? ""),
    scale: parseScale(opts.scale),
    noStart: opts.noStart,
    build: opts.build,
    noBuild: opts.noBuild,
    pull: pull === "build" ? undefined : pull,
    timeout: opts.timeout === undefined ? undefined : Number(opts.timeout),
  };
}

export async function upCommand(global: GlobalOptions, services: string[], opts: UpOptions): Promise<void> {
  const { project, result } = await loadOrThrow(global, { services });
  for (const s of services) if (!project.services[s]) throw new UserError(`no such service: ${s}`);
  const planOptions = planOptionsFromUp(services, opts);
  const engine = await connectEngine();
  const observed = await observe(engine, project.name);
  planOptions.environment = result.environment;
  const thePlan = plan(project, observed, planOptions);
  const sink = quietSink(progressSink(global), thePlan, opts.quietBuild === true);
  // COMPOSE_IGNORE_ORPHANS: compose does not warn about orphan containers then.
  const ignoreOrphans = /^(1|true)$/i.test(process.env.COMPOSE_IGNORE_ORPHANS ?? "");
  for (const w of thePlan.warnings) if (!(ignoreOrphans && w.startsWith("Found orphan containers"))) sink({ type: "warning", message: w });

  if (global.dryRun || opts.dryRun) {
    process.stdout.write(planToString(thePlan));
    return;
  }
  const destructive = destructiveActions(thePlan);
  if (destructive.length > 0) {
    process.stderr.write(destructive.map((a) => `  ${a.destructive}\n`).join(""));
    if (!(await confirm("This plan would lose data. Continue?", opts.yes === true))) throw new ExitCode(1);
  }

  reportUnchanged(project, observed, thePlan, planOptions.services ?? [], planOptions.noDeps === true, sink);

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  const execCtx = executeContextFor(global, result, project, observed, sink, abort.signal);
  try {
    await executeImagesFirst(thePlan, engine, execCtx, (again) => plan(project, again, { ...planOptions, build: false, pull: "never" }));
  } catch (err) {
    // The live view's final frame first, then the error under it.
    await closeProgress(sink, false);
    throw err;
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
  }
  if (abort.signal.aborted) {
    await closeProgress(sink, false);
    throw new ExitCode(130);
  }
  if (opts.noStart) return closeProgress(sink);

  if (opts.detach) {
    try {
      if (opts.wait) {
        const timeoutMs = opts.waitTimeout === undefined ? undefined : Number(opts.waitTimeout) * 1000;
        await waitForProject(engine, project, services, sink, timeoutMs);
      }
    } catch (err) {
      await closeProgress(sink, false);
      throw err;
    }
    return closeProgress(sink);
  }
  // Logs follow: the progress view ends before the first log line.
  await closeProgress(sink);
  const code = await attachAndFollow(engine, project, services, opts, global, sink);
  if (code !== 0) throw new ExitCode(code);
}

/**
 * compose says "Running" for each container of the services it converges that is up to date and
 * running: without it, a no-op `up` would print nothing about what is there.
 */
function reportUnchanged(project: Project, observed: ObservedState, thePlan: Plan, services: string[], noDeps: boolean, sink: EventSink): void {
  const chosen = new Set(services.length > 0 ? services : Object.keys(project.services));
  if (!noDeps) {
    const queue = [...chosen];
    while (queue.length > 0) {
      const svc = project.services[queue.pop() as string];
      for (const ref of svc ? serviceReferences(svc) : []) {
        if (chosen.has(ref.target)) continue;
        chosen.add(ref.target);
        queue.push(ref.target);
      }
    }
  }
  const touched = new Set<string>();
  for (const a of thePlan.actions) if ("container" in a && a.container.kind === "existing") touched.add(a.container.id);
  for (const a of thePlan.actions) if (a.kind === "create-container" && a.replaces) touched.add(a.replaces);
  for (const [service, containers] of observed.services) {
    if (!chosen.has(service) || !project.services[service]) continue;
    for (const c of containers) if (c.state === "running" && !touched.has(c.id)) sink({ type: "resource", kind: "container", name: c.name, status: "Running", done: true });
  }
}

/** --quiet-build: the progress of the plan's builds is dropped; their Building/Built lines stay. */
export function quietSink(base: ProgressSink, thePlan: Plan, quietBuild: boolean): ProgressSink {
  if (!quietBuild) return base;
  const built = new Set(thePlan.actions.flatMap((a) => (a.kind === "build-image" ? [a.image] : [])));
  const sink: ProgressSink = (event) => {
    if (event.type === "progress" && event.kind === "image" && built.has(event.name)) return;
    base(event);
  };
  if (base.close) sink.close = base.close;
  return sink;
}
