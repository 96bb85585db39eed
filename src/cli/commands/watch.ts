// `moor watch` and `moor up --watch`: bring the project up, then keep it equal to its files until
// Ctrl-C. Three sources say "look again": the project's input files (compose, .env, env_file,
// include/extends, Dockerfiles and .dockerignore of built services) → reload, plan, apply the
// difference; `develop.watch` paths → sync / restart / exec / rebuild; engine events → a project
// container removed by hand is put back. All work runs one job at a time, so a reload never
// races a sync. Containers stay running when watch ends.
import fs from "node:fs";
import path from "node:path";
import { formatDiagnostic } from "../../compose/diagnostics.js";
import { loadProject } from "../../compose/load.js";
import type { LoadResult } from "../../compose/load-options.js";
import type { Project } from "../../compose/types.js";
import type { Engine } from "../../engine/engine.js";
import { parseIgnoreFile } from "../../engine/build-context.js";
import { NotFoundError } from "../../engine/errors.js";
import { LABELS, type ContainerSummary, type EngineEvent } from "../../engine/types.js";
import type { EventSink } from "../../reconcile/events.js";
import { destructiveActions, plan, type PlanOptions } from "../../reconcile/plan.js";
import { describeAction } from "../../reconcile/plan-text.js";
import { serviceImage } from "../../reconcile/container-spec.js";
import { Debouncer } from "../../watch/debounce.js";
import { OwnActivity } from "../../watch/own-activity.js";
import { startFileWatcher, type FileWatcher } from "../../watch/file-watcher.js";
import { classifyBatch, localContext, resolveRules, isSyncAction, watcherIgnores, type ResolvedRule } from "../../watch/rules.js";
import { isWithin } from "../../watch/path-filter.js";
import { walkRule, type ArchiveEntryInput } from "../../watch/sync-archive.js";
import { serviceContainers, syncToService } from "../../watch/syncer.js";
import { changesContainerView, type WatchActionInfo, type WatchedContainer } from "../../watch/watch-events.js";
import { ExitCode, formatDiagnostics, printDiagnostics, UserError } from "../errors.js";
import { loadOptionsFrom, type GlobalOptions } from "../global-options.js";
import { closeProgress, colorFor, resolveProgress } from "../progress.js";
import { connectEngine, loadOrThrow, observe, stderrColor, type LoadedProject } from "../project-context.js";
import { lineSink, linesWatchOutput, watchDiagnostic, type WatchOutput } from "../watch-output.js";
import { dashboardOutput, wantsDashboard, type DashboardTarget } from "../watch-dashboard.js";
import { executeContextFor, executeImagesFirst } from "../run-plan.js";
import { upCommand, type UpOptions } from "./up.js";

export interface WatchOptions {
  /** Do not build and start the services first. */
  noUp?: boolean;
  /** Remove the image a rebuild replaced, when nothing uses it any more (compose's --prune, on by default). */
  prune?: boolean;
  /** Hide build output. */
  quiet?: boolean;
}

/** How long a burst must be quiet before it is applied, and the longest it may wait (ms). */
const QUIET_MS = Number(process.env.MOOR_WATCH_QUIET_MS ?? 50);
const MAX_WAIT_MS = Math.max(QUIET_MS, Number(process.env.MOOR_WATCH_MAX_WAIT_MS ?? 500));
/** A sync rule with more changes than this in one batch is resynced whole. */
const MAX_BATCH = 1000;

/** MOOR_WATCH_TIMING=1: when each step of a reaction happened (benchmarks read it). */
const timing = process.env.MOOR_WATCH_TIMING ? (step: string) => process.stderr.write(`[watch timing] ${(performance.timeOrigin + performance.now()).toFixed(1)} ${step}\n`) : () => {};

/** `moor watch [SERVICE...]`. */
export async function watchCommand(global: GlobalOptions, services: string[], opts: WatchOptions): Promise<void> {
  if (global.file?.includes("-")) throw new UserError("watch cannot follow a compose file read from standard input", "save it to a file and pass it with -f");
  const loaded = await loadOrThrow(global, { services });
  for (const s of services) if (!loaded.project.services[s]) throw new UserError(`no such service: ${s}`);
  checkRules(loaded.project, services);
  // compose builds the watched services that have a build section before it watches (their pull
  // policy becomes "build"); up's --build is the nearest switch (it builds every built service).
  const chosen = services.length > 0 ? services : Object.keys(loaded.project.services);
  const build = chosen.some((s) => loaded.project.services[s]?.build && loaded.project.services[s]?.develop);
  if (!opts.noUp) await upCommand(global, services, { detach: true, quietPull: opts.quiet, build });
  if (global.dryRun) return;
  // On a terminal, the dashboard; plain lines otherwise (a pipe, --progress plain or json).
  const color = colorFor(global, process.stdout);
  const dashboard = wantsDashboard(resolveProgress(global)) ? await dashboardOutput({ color }) : undefined;
  const output = dashboard ?? linesWatchOutput(global, { quiet: opts.quiet, color: stderrColor() });
  try {
    // Without up in between, the project loaded above is still the one on disk.
    const session = await WatchSession.start(global, services, opts, output, opts.noUp ? loaded : undefined);
    dashboard?.connect(session, session.engineClient);
    await session.untilStopped();
  } finally {
    await output.close();
  }
}

/** `moor up --watch`: up, then watch beside the attached logs. */
export async function upWatchCommand(global: GlobalOptions, services: string[], up: UpOptions): Promise<void> {
  if (global.file?.includes("-")) throw new UserError("watch cannot follow a compose file read from standard input", "save it to a file and pass it with -f");
  // compose's own words for the flags that cannot go with --watch.
  if (up.detach || up.wait) throw new UserError("--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch");
  if (up.noBuild) throw new UserError("--no-build and --watch are incompatible");
  const loaded = await loadOrThrow(global, { services });
  checkRules(loaded.project, services);
  await upCommand(global, services, { ...up, detach: true });
  if (global.dryRun || up.dryRun || up.noStart) return;
  const session = await WatchSession.start(global, services, { prune: true });
  const { attachAndFollow } = await import("../attach.js");
  const engine = await connectEngine();
  let code = 0;
  let from: number | undefined;
  while (session.active) {
    const jobDone = session.nextJob();
    code = await attachAndFollow(engine, session.currentProject, services, up, global, lineSink(global), from, session);
    // The replacements start after the old containers ended, which is now: output from a second
    // before this on is theirs, however long the recreate and the wait below take.
    from = Math.floor(Date.now() / 1000) - 1;
    // Ctrl-C: the attached up stopped the project, as it does without --watch. (Watch turned off
    // from the menu also ends the loop: the attach it was in is over.)
    if (!session.active || code === 130) break;
    // Every attached container ended: a recreate replaced them, or they exited. Attach again
    // once watch has changed something.
    await Promise.race([jobDone, session.untilStopped()]);
  }
  await session.stop();
  if (code !== 0) throw new ExitCode(code);
}

function readDockerignore(contextDir: string): string[] {
  try {
    return parseIgnoreFile(fs.readFileSync(path.join(contextDir, ".dockerignore"), "utf8"));
  } catch (err) {
    // No .dockerignore is the common case; an unreadable one is the user's to fix.
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw new UserError(`cannot read ${path.join(contextDir, ".dockerignore")}: ${(err as Error).message}`);
  }
}

function checkRules(project: Project, services: string[]): void {
  const { problems } = resolveRules(project, services, readDockerignore);
  if (problems.length > 0) throw new UserError(problems.map((p) => p.message).join("\n"));
}

/** The Dockerfile and .dockerignore of each built service: a change rebuilds it. */
function buildInputs(project: Project): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, svc] of Object.entries(project.services)) {
    const ctx = localContext(svc);
    if (!ctx || !svc.build) continue;
    const dockerfile = svc.build.dockerfile_inline ? undefined : path.resolve(ctx, svc.build.dockerfile ?? "Dockerfile");
    for (const f of [dockerfile, path.join(ctx, ".dockerignore"), dockerfile && `${dockerfile}.dockerignore`]) {
      if (!f) continue;
      out.set(f, [...(out.get(f) ?? []), name]);
    }
  }
  return out;
}

export class WatchSession implements DashboardTarget {
  private rules: ResolvedRule[] = [];
  private inputs = new Set<string>();
  private builds = new Map<string, string[]>();
  private watched = new Set<string>();
  private watcher!: FileWatcher;
  private readonly abort = new AbortController();
  private queue: Promise<void> = Promise.resolve();
  private jobWaiters: (() => void)[] = [];
  /** Service → its containers, as of the last sync; any engine event or other job clears it. */
  private readonly containerCache = new Map<string, ContainerSummary[]>();
  /** When jobs ran (ms since the epoch): a container that stops inside one was stopped by watch. */
  private readonly own = new OwnActivity();
  private stopped!: Promise<void>;
  private resolveStopped!: () => void;
  /** Progress of the job that runs (on a terminal, a live view closed when the job ends); plain lines between jobs. */
  private sink: EventSink;
  private readonly between: EventSink;
  private readonly configBatch: Debouncer<string>;
  private readonly fileBatch: Debouncer<string>;
  private readonly gone: Debouncer<string>;
  /** Engine events say "the containers changed": one list call after a burst of them. */
  private readonly containersChanged: Debouncer<string>;
  /** The compose file was invalid at the last reload. */
  private invalid = false;

  private constructor(
    private readonly global: GlobalOptions,
    private readonly services: string[],
    private readonly opts: WatchOptions,
    private readonly engine: Engine,
    private project: Project,
    private result: LoadResult,
    private readonly out: WatchOutput,
  ) {
    this.between = out.between;
    this.sink = this.between;
    this.configBatch = new Debouncer({ quietMs: QUIET_MS, maxWaitMs: MAX_WAIT_MS, onFlush: (b) => this.enqueue(() => this.reload(b)) });
    this.fileBatch = new Debouncer({ quietMs: QUIET_MS, maxWaitMs: MAX_WAIT_MS, onFlush: (b) => this.enqueue(() => this.applyBatch(b)) });
    this.gone = new Debouncer({ quietMs: QUIET_MS, maxWaitMs: MAX_WAIT_MS, onFlush: (b) => this.enqueue(() => this.restore(b)) });
    this.containersChanged = new Debouncer({ quietMs: QUIET_MS, maxWaitMs: MAX_WAIT_MS, onFlush: () => void this.reportContainers() });
    this.stopped = new Promise((r) => (this.resolveStopped = r));
  }

  /** Starts watching; `out` is where its events go (plain lines unless told otherwise). */
  static async start(global: GlobalOptions, services: string[], opts: WatchOptions, out: WatchOutput = linesWatchOutput(global, { color: stderrColor() }), loaded?: LoadedProject): Promise<WatchSession> {
    timing("session start");
    const { project, result } = loaded ?? (await loadOrThrow(global, { services }));
    timing("loaded");
    const engine = await connectEngine();
    timing("engine connected");
    const s = new WatchSession(global, services, opts, engine, project, result, out);
    const started = performance.now();
    s.adopt(project, result);
    s.watcher = startFileWatcher({
      paths: [...s.watchPaths()],
      ignores: (p, isDir) => watcherIgnores(p, isDir, s.rules, s.inputs),
      onChange: (c) => {
        timing(`${c.kind} ${c.path}`);
        if (s.inputs.has(c.path)) s.configBatch.push(c.path);
        // An input file under a sync rule's path (a rule on ".") is synced as well, as compose does.
        if (!s.inputs.has(c.path) || s.rules.some((r) => isSyncAction(r.action) && isWithin(r.path, c.path))) s.fileBatch.push(c.path);
      },
      onError: (err) => s.sink({ type: "warning", message: `watch: ${err.message}` }),
      backend: watchBackend(process.env.MOOR_WATCH_BACKEND, process.platform),
    });
    for (const p of s.watchPaths()) s.watched.add(p);
    await s.watcher.ready;
    if (process.env.MOOR_WATCH_TIMING) process.stderr.write(`watch ready in ${Math.round(performance.now() - started)} ms\n`);
    await s.initialSync(s.rules);
    void s.followEvents();
    const onSigint = () => void s.stop();
    process.once("SIGINT", onSigint);
    process.once("SIGTERM", onSigint);
    void s.stopped.then(() => {
      process.removeListener("SIGINT", onSigint);
      process.removeListener("SIGTERM", onSigint);
    });
    if (s.rules.length === 0) s.say("none of the selected services is configured for watch: following the compose files only");
    out.emit({ type: "enabled", project: project.name, services: s.watchedServices });
    await s.reportContainers();
    s.say("Watch enabled");
    return s;
  }

  private say(text: string): void {
    this.out.emit({ type: "message", text });
  }

  get projectName(): string {
    return this.project.name;
  }

  get engineClient(): Engine {
    return this.engine;
  }

  /** The services watch keeps up to date: the ones named, or all of the project's. */
  get watchedServices(): string[] {
    return this.services.length > 0 ? [...this.services] : Object.keys(this.project.services);
  }

  /** The project's containers to the output (the dashboard's table); nothing when it does not show them. */
  private async reportContainers(): Promise<void> {
    if (!this.out.wantsContainers || this.abort.signal.aborted) return;
    try {
      const list = await this.engine.listContainers({ all: true, labels: [`${LABELS.project}=${this.project.name}`, `${LABELS.oneoff}=False`] });
      const containers: WatchedContainer[] = list.map((c) => ({ service: c.labels[LABELS.service] ?? "", name: c.name, state: c.state, health: c.health, status: c.status }));
      this.out.emit({ type: "containers", containers });
    } catch (err) {
      this.between({ type: "warning", message: `cannot list the containers: ${(err as Error).message}` });
    }
  }

  /** Runs one action of a job, telling the output when it starts and ends and how long it took. */
  private async action<T>(info: WatchActionInfo, run: () => Promise<T>, failure?: (result: T) => string | undefined): Promise<T> {
    const started = performance.now();
    this.out.emit({ type: "action-start", at: Date.now(), ...info });
    try {
      const r = await run();
      const error = failure?.(r);
      this.out.emit({ type: "action-end", at: Date.now(), ms: performance.now() - started, ok: error === undefined, ...(error === undefined ? {} : { error }), ...info });
      return r;
    } catch (err) {
      this.out.emit({ type: "action-end", at: Date.now(), ms: performance.now() - started, ok: false, error: (err as Error).message, ...info });
      throw err;
    }
  }

  /**
   * The dashboard's `r`: a service with a build section is rebuilt and its containers recreated
   * (a \`rebuild\` rule's work); one without is recreated from its image.
   */
  rebuild(service: string): void {
    this.enqueue(async () => {
      if (!this.project.services[service]) return;
      const built = this.project.services[service]?.build !== undefined;
      const recreated = await this.action({ kind: built ? "rebuild" : "recreate", services: [service] }, () =>
        built ? this.rebuildServices([service]) : this.converge({ services: [service], noDeps: true, forceRecreate: true }, "the files"),
      );
      await this.initialSync(this.rules.filter((r) => recreated.has(r.service)));
    });
  }

  get active(): boolean {
    return !this.abort.signal.aborted;
  }

  get currentProject(): Project {
    return this.project;
  }

  /** Resolves when the next job (a reload, a sync, a rebuild, a restore) has finished. */
  nextJob(): Promise<void> {
    return new Promise((resolve) => this.jobWaiters.push(resolve));
  }

  untilStopped(): Promise<void> {
    return this.stopped;
  }

  async stop(): Promise<void> {
    if (this.abort.signal.aborted) return this.stopped;
    this.out.emit({ type: "stopping" });
    this.abort.abort();
    this.configBatch.dispose();
    this.fileBatch.dispose();
    this.gone.dispose();
    this.containersChanged.dispose();
    await this.watcher.close();
    // Let the job that runs finish: an interrupted sync or recreate would leave a half-done state.
    await this.queue;
    this.out.emit({ type: "disabled" });
    this.resolveStopped();
    return this.stopped;
  }

  private adopt(project: Project, result: LoadResult): void {
    this.project = project;
    this.result = result;
    const { rules, warnings } = resolveRules(project, this.services, readDockerignore);
    for (const w of warnings) this.sink({ type: "warning", message: w });
    this.rules = rules;
    this.builds = buildInputs(project);
    this.inputs = new Set([...result.inputFiles.filter((f) => f !== "-").map((f) => path.resolve(f)), ...this.builds.keys()]);
    // A `.env` created after start changes interpolation too.
    if (!this.global.envFile?.length) this.inputs.add(path.join(result.workingDir, ".env"));
  }

  private watchPaths(): Set<string> {
    return new Set([...this.inputs, ...this.rules.map((r) => r.path)]);
  }

  /** Watches what a reloaded project adds and forgets what it dropped. */
  private rewatch(): void {
    const want = this.watchPaths();
    const add = [...want].filter((p) => !this.watched.has(p));
    const drop = [...this.watched].filter((p) => !want.has(p));
    if (add.length > 0) this.watcher.add(add);
    if (drop.length > 0) this.watcher.unwatch(drop);
    this.watched = want;
  }

  private enqueue(job: () => Promise<void>): void {
    if (this.abort.signal.aborted) return;
    this.queue = this.queue.then(async () => {
      if (this.abort.signal.aborted) return;
      const end = this.own.begin(Date.now());
      const progress = this.out.jobSink();
      this.sink = progress;
      let ok = true;
      try {
        await job();
      } catch (err) {
        ok = false;
        this.sink({ type: "warning", message: `Error handling changes: ${(err as Error).message}` });
      } finally {
        await closeProgress(progress, ok);
        this.sink = this.between;
        end(Date.now());
        await this.reportContainers();
        for (const resolve of this.jobWaiters.splice(0)) resolve();
      }
    });
  }

  // ---- compose-file edits ----------------------------------------------------------------

  private async reload(changed: string[]): Promise<void> {
    const names = changed.map((f) => path.relative(this.result.workingDir, f) || f).join(", ");
    this.say(`${names} changed: reloading the project`);
    const recreated = await this.action({ kind: "reload", services: [], files: changed.length }, () => this.reloadProject(changed), (r) => (r ? undefined : "the compose file is invalid"));
    if (recreated) await this.initialSync(this.rules.filter((r) => recreated.has(r.service)));
  }

  /** Reloads and applies the difference; undefined when the files are invalid (nothing touched). */
  private async reloadProject(changed: string[]): Promise<Set<string> | undefined> {
    timing("reload");
    const result = loadProject(loadOptionsFrom(this.global, { services: this.services }));
    timing("loaded");
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0 || !result.project) {
      this.invalid = true;
      this.out.emit({
        type: "compose-invalid",
        at: Date.now(),
        count: errors.length,
        text: formatDiagnostics(errors, { color: this.out.color, frames: this.out.frames }),
        diagnostics: errors.map(watchDiagnostic),
      });
      // A new include or env file named by the broken text is still worth watching.
      for (const f of result.inputFiles) if (f !== "-") this.inputs.add(path.resolve(f));
      this.rewatch();
      return undefined;
    }
    if (this.invalid) {
      this.invalid = false;
      this.out.emit({ type: "compose-valid", at: Date.now() });
    }
    const warnings = result.diagnostics.filter((d) => d.severity === "warning");
    if (this.out.json) for (const d of warnings) this.sink({ type: "warning", message: formatDiagnostic(d) });
    else printDiagnostics(warnings, { stderr: process.stderr, color: stderrColor() });
    const before = this.project;
    this.adopt(result.project, result);
    this.rewatch();
    const removed = Object.keys(before.services).filter((s) => !result.project!.services[s]);
    const changedBuilds = new Set(changed.flatMap((f) => this.builds.get(f) ?? []));
    const recreated = await this.converge({ removeOrphans: removed.length > 0 }, "the files");
    if (changedBuilds.size > 0) {
      const list = [...changedBuilds].sort();
      for (const s of await this.rebuildServices(list)) recreated.add(s);
    }
    return recreated;
  }

  /**
   * Observe, plan, print each action with its cause, execute (images first, then plan again with
   * the new image ids, as `up` does). A plan that would lose data is not applied. Returns the
   * services that got new containers.
   */
  private async converge(extra: Partial<PlanOptions>, why: string): Promise<Set<string>> {
    const project = this.project;
    this.containerCache.clear();
    const options: PlanOptions = { services: this.services, environment: this.result.environment, ...extra };
    const observed = await observe(this.engine, project.name);
    timing("observed");
    const first = plan(project, observed, options);
    timing("planned");
    const recreated = new Set<string>();
    if (first.actions.length === 0) {
      this.say(`Project ${project.name} already matches ${why}`);
      return recreated;
    }
    const lost = destructiveActions(first);
    if (lost.length > 0) {
      for (const a of lost) this.sink({ type: "warning", message: a.destructive ?? "" });
      this.say("This change would lose data: not applied. Run `moor up` to apply it.");
      return recreated;
    }
    for (const a of first.actions) {
      this.say(`  ${describeAction(a)}: ${a.cause}`);
      for (const change of a.changes ?? []) this.say(`      ${change}`);
    }
    const ctx = executeContextFor(this.global, this.result, project, observed, this.sink);
    const last = await executeImagesFirst(first, this.engine, ctx, (again) => plan(project, again, { ...options, build: false, pull: "never" }));
    for (const a of last.actions) if (a.kind === "create-container") recreated.add(a.service);
    this.containerCache.clear();
    return recreated;
  }

  // ---- develop.watch ---------------------------------------------------------------------

  private async applyBatch(batch: string[]): Promise<void> {
    timing(`batch of ${batch.length}`);
    const work = classifyBatch(batch, this.rules, MAX_BATCH);
    if (work.size === 0) return;
    const rebuild = [...work.entries()].filter(([, w]) => w.rebuild).map(([s]) => s).sort();
    if (rebuild.length > 0) {
      const recreated = await this.action({ kind: "rebuild", services: rebuild }, () => this.rebuildServices(rebuild));
      await this.initialSync(this.rules.filter((r) => recreated.has(r.service)));
    }
    for (const [service, w] of [...work.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (w.rebuild) continue;
      const entries: ArchiveEntryInput[] = [...w.sync];
      for (const rule of w.resync) entries.push(...this.ruleEntries(rule));
      if (entries.length > 0) {
        if (w.resync.length > 0) this.say(`Large batch of file changes detected for service "${service}": syncing its watched paths again`);
        const changes = w.sync.length + w.resync.length;
        this.say(`Syncing service "${service}" after ${changes} changes were detected`);
        const r = await this.action({ kind: "sync", services: [service], files: changes }, () => this.sync(service, entries));
        timing(`synced ${r.written.length} written, ${r.deleted.length} deleted`);
        for (const s of r.skipped) this.sink({ type: "warning", message: `not synced: ${s.hostPath}: ${s.reason}` });
      }
      if (w.restart) {
        await this.action({ kind: "restart", services: [service] }, async () => {
          const containers = await serviceContainers(this.engine, this.project.name, service);
          await Promise.all(containers.map((c) => this.engine.restartContainer(c.id)));
        });
        this.say(`service(s) ["${service}"] restarted`);
      }
      for (const rule of w.exec) await this.action({ kind: "exec", services: [service] }, () => this.runHook(service, rule));
    }
  }

  private ruleEntries(rule: ResolvedRule): ArchiveEntryInput[] {
    const skip = new Set([...this.inputs]);
    const files = walkRule(rule.path, (p, isDir) => !skip.has(p) && !rule.filter.ignores(p, isDir) && (isDir || rule.filter.includes(p)));
    const target = rule.target ?? "/";
    return files.map((f) => ({ hostPath: f, containerPath: f === rule.path ? target : path.posix.join(target, path.relative(rule.path, f).split(path.sep).join("/")), root: rule.path }));
  }

  /** Syncs whole `initial_sync` rules (at start, and after their service's containers were recreated). */
  private async initialSync(rules: readonly ResolvedRule[]): Promise<void> {
    for (const rule of rules) {
      if (!rule.initialSync || !isSyncAction(rule.action) || rule.target === undefined) continue;
      const entries = this.ruleEntries(rule);
      if (entries.length === 0) continue;
      const r = await this.sync(rule.service, entries);
      for (const s of r.skipped) this.sink({ type: "warning", message: `not synced: ${s.hostPath}: ${s.reason}` });
    }
  }

  /**
   * Syncs with the service's container list from the last sync: engine events and every other
   * job drop it, and a container gone meanwhile makes one retry with a fresh list.
   */
  private async sync(service: string, entries: ArchiveEntryInput[]) {
    const known = this.containerCache.get(service);
    try {
      const r = await syncToService(this.engine, this.project.name, service, entries, known);
      this.containerCache.set(service, [...r.containers]);
      return r;
    } catch (err) {
      if (!known || !(err instanceof NotFoundError)) throw err;
      this.containerCache.delete(service);
      return syncToService(this.engine, this.project.name, service, entries);
    }
  }

  private async runHook(service: string, rule: ResolvedRule): Promise<void> {
    const hook = rule.exec;
    if (!hook) return;
    const containers = (await serviceContainers(this.engine, this.project.name, service)).filter((c) => c.state === "running");
    const env = Object.entries(hook.environment ?? {}).flatMap(([k, v]) => (v === null || v === undefined ? [] : [`${k}=${v}`]));
    await Promise.all(
      containers.map(async (c) => {
        const r = await this.engine.exec(c.id, { cmd: hook.command, user: hook.user, privileged: hook.privileged, workingDir: hook.working_dir, env, onLine: (l) => process.stdout.write(`${c.name}  | ${l.text}\n`) });
        if (r.exitCode !== 0) this.sink({ type: "warning", message: `exec in ${c.name} exited with code ${r.exitCode}` });
      }),
    );
  }

  private async rebuildServices(services: string[]): Promise<Set<string>> {
    this.say(`Rebuilding service(s) ${JSON.stringify(services)} after changes were detected...`);
    const oldImages = new Map<string, string>();
    if (this.opts.prune !== false) {
      for (const s of services) {
        const svc = this.project.services[s];
        const img = svc && (await this.engine.inspectImage(serviceImage(this.project.name, svc)));
        if (img) oldImages.set(s, img.id);
      }
    }
    const recreated = await this.converge({ services, noDeps: true, build: true }, "the rebuilt images");
    this.say(`service(s) ${JSON.stringify(services)} successfully built`);
    // --prune: the image a rebuild replaced goes when nothing else holds it (a busy image stays).
    for (const [s, id] of oldImages) {
      const svc = this.project.services[s];
      if (svc && (await this.engine.inspectImage(serviceImage(this.project.name, svc)))?.id === id) continue;
      // An image still used by a container (or tagged elsewhere) is refused by the engine: keeping it is right.
      await this.engine.removeImage(id).catch((err: Error) => this.sink({ type: "info", message: `kept image ${id.slice(0, 19)}: ${err.message}` }));
    }
    return recreated;
  }

  // ---- engine events ---------------------------------------------------------------------

  /** Follows the project's container events; a stream that breaks (an engine restart) is opened again. */
  private async followEvents(): Promise<void> {
    // The stream is asked from the second watch started (so what happens before the request is
    // answered is not lost) and what came before the exact start, or was seen already, is skipped.
    let after = Date.now();
    while (!this.abort.signal.aborted) {
      try {
        const filters = { type: ["container"], label: [`${LABELS.project}=${this.project.name}`] };
        for await (const ev of this.engine.events({ filters, since: Math.floor(after / 1000), signal: this.abort.signal })) {
          const at = ev.timeNano / 1e6;
          if (at < after) continue;
          after = at + 0.001;
          this.onEngineEvent(ev);
        }
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.sink({ type: "warning", message: `engine events interrupted (${(err as Error).message}); following them again` });
      }
      if (this.abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, 1000));
      // Whatever happened while the stream was down is seen by one look at the project.
      this.gone.push(...Object.keys(this.project.services));
    }
  }

  private onEngineEvent(ev: EngineEvent): void {
    const a = ev.attributes;
    this.containerCache.clear();
    if (a[LABELS.oneoff] === "True") return;
    const service = a[LABELS.service] ?? "";
    if (this.out.wantsContainers && changesContainerView(ev.action)) this.containersChanged.push(ev.id);
    if (ev.action === "die" && !this.own.caused(ev.timeNano / 1e6)) this.say(`container ${a.name ?? ev.id.slice(0, 12)} exited with code ${a.exitCode ?? "?"}`);
    if (ev.action === "destroy" && this.project.services[service]) this.gone.push(service);
  }

  /** Containers went away: plan their services again (a no-op when watch itself replaced them). */
  private async restore(services: string[]): Promise<void> {
    const wanted = services.filter((s) => this.project.services[s] && (this.services.length === 0 || this.services.includes(s))).sort();
    if (wanted.length === 0) return;
    const observed = await observe(this.engine, this.project.name, false);
    const missing = wanted.filter((s) => (observed.services.get(s) ?? []).length < (this.project.services[s]?.scale ?? this.project.services[s]?.deploy?.replicas ?? 1));
    if (missing.length === 0) return;
    this.say(`container of ${missing.join(", ")} was removed: converging again`);
    const recreated = await this.action({ kind: "restore", services: missing }, () => this.converge({ services: missing, noDeps: true }, "the files"));
    await this.initialSync(this.rules.filter((r) => recreated.has(r.service)));
  }
}

/**
 * The native watcher (one fs.watch per directory) on Linux, where it was faster, lighter and far
 * cheaper in inotify watches than chokidar in every measurement of docs/watch.md; chokidar
 * elsewhere. MOOR_WATCH_BACKEND=chokidar|native overrides.
 */
export function watchBackend(env: string | undefined, platform: string): "native" | "chokidar" {
  if (env === "native" || env === "chokidar") return env;
  return platform === "linux" ? "native" : "chokidar";
}
