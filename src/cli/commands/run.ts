// `moor run SERVICE [COMMAND...]`: start what SERVICE depends on (the planner and executor `up`
// uses), wait for its depends_on conditions, create a one-off container from the service's config
// (compose's labels and `<project>-<service>-run-<slug>` name, no ports unless -P/-p), then attach
// to it with stdin and a TTY like `docker run -it`, and end with the command's exit code.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { Project, ServiceConfig } from "../../compose/types.js";
import type { ContainerCreateBody, ContainerCreateRequest, Engine } from "../../engine/engine.js";
import { EngineError } from "../../engine/errors.js";
import { containerSpec, fileInjections, networksByPriority, serviceImage, type EndpointSpec } from "../../reconcile/container-spec.js";
import type { EventSink } from "../../reconcile/events.js";
import { executePlan, oneFileTar, runHook } from "../../reconcile/execute.js";
import { destructiveActions, plan, type PlanOptions } from "../../reconcile/plan.js";
import { confirm } from "../confirm.js";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../detach-keys.js";
import { ExitCode, UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { dependenciesPlan, dependencyWaits, untouchedDependencies } from "../oneoff-plan.js";
import { closeProgress, progressSink } from "../progress.js";
import { executeContextFor, executeImagesFirst } from "../run-plan.js";
import { quietSink } from "./up.js";
import { connectEngine, loadOrThrow, observe, type LoadedProject } from "../project-context.js";
import { checkRunFlags, oneOffService, SLUG_LABEL, type OneOffConfig, type RunFlags } from "../run-options.js";
import { proxySignals, runSession } from "../terminal-session.js";
import { MOOR_VERSION } from "../version.js";

export interface RunOptions {
  detach?: boolean;
  quietBuild?: boolean;
  rm?: boolean;
  name?: string;
  env?: string[];
  envFromFile?: string[];
  label?: string[];
  publish?: string[];
  servicePorts?: boolean;
  useAliases?: boolean;
  user?: string;
  volume?: string[];
  workdir?: string;
  entrypoint?: string;
  noDeps?: boolean;
  build?: boolean;
  pull?: string;
  /** -T given. */
  noTty?: boolean;
  /** -t given (hidden, for `run -it`). */
  tty?: boolean;
  interactive?: boolean;
  /** Which of -T, -t, -i were given explicitly: compose's TTY default depends on it. */
  explicit?: { noTty: boolean; tty: boolean; interactive: boolean };
  capAdd?: string[];
  capDrop?: string[];
  removeOrphans?: boolean;
  quiet?: boolean;
  quietPull?: boolean;
}

export interface TerminalFacts {
  stdinIsTerminal: boolean;
  stdoutIsTerminal: boolean;
}

/**
 * Whether the one-off container gets a TTY, as compose decides: -t and -T cannot go together;
 * either wins when given; by default there is one when stdout is a terminal, and none when stdin
 * is not a terminal and none of -T, -t, -i was given (a script piping into `run`).
 */
export function runTty(opts: Pick<RunOptions, "noTty" | "tty" | "explicit">, term: TerminalFacts): boolean {
  const explicit = opts.explicit ?? { noTty: false, tty: false, interactive: false };
  if (explicit.tty && explicit.noTty) throw new UserError("--tty and --no-tty can't be used together");
  if (explicit.tty) return opts.tty !== false;
  if (explicit.noTty) return !opts.noTty;
  if (!explicit.interactive && !term.stdinIsTerminal) return false;
  return term.stdoutIsTerminal;
}

function readEnvFiles(files: string[]): { file: string; text: string }[] {
  return files.map((file) => {
    try {
      return { file, text: fs.readFileSync(file, "utf8") };
    } catch (err) {
      throw new UserError(`cannot read --env-from-file ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
    }
  });
}

export async function runCommand(global: GlobalOptions, service: string, command: string[], opts: RunOptions): Promise<void> {
  const term: TerminalFacts = { stdinIsTerminal: process.stdin.isTTY === true, stdoutIsTerminal: process.stdout.isTTY === true };
  const tty = runTty(opts, term);
  const interactive = opts.interactive !== false;
  checkRunFlags({ publish: opts.publish ?? [], servicePorts: opts.servicePorts === true });
  const pull = opts.pull === undefined || opts.pull === "policy" ? undefined : opts.pull;
  if (pull !== undefined && !["always", "missing", "never"].includes(pull)) throw new UserError(`invalid --pull policy ${JSON.stringify(opts.pull)}`, "use always, missing or never");
  // docker refuses to give a TTY to input that is not one (only reachable with an explicit -t).
  if (interactive && tty && !term.stdinIsTerminal) throw new UserError("the input device is not a TTY", "drop -t, or pass -T to run without a TTY");

  const loaded = await loadOrThrow(global, { services: [service] });
  const { project, result } = loaded;
  const base = project.services[service];
  if (!base) throw new UserError(`no such service: ${service}`, `the project's services are ${Object.keys(project.services).sort().join(", ")}`);
  const flags: RunFlags = {
    command,
    env: opts.env ?? [],
    envFiles: readEnvFiles(opts.envFromFile ?? []),
    labels: opts.label ?? [],
    publish: opts.publish ?? [],
    servicePorts: opts.servicePorts === true,
    volumes: opts.volume ?? [],
    user: opts.user,
    workdir: opts.workdir,
    entrypoint: opts.entrypoint,
    capAdd: opts.capAdd ?? [],
    capDrop: opts.capDrop ?? [],
    name: opts.name,
    tty,
    interactive,
  };
  const oneoff = oneOffService(project.name, base, flags, { lookup: (k) => result.environment[k], cwd: process.cwd(), slug: randomBytes(32).toString("hex") });

  const engine = await connectEngine();
  const sink: EventSink = opts.quiet ? () => {} : progressSink(global);
  let id: string;
  try {
    await startDependencies(engine, loaded, service, { ...opts, pull }, global, sink);
    id = await createOneOff(engine, loaded, oneoff, { autoRemove: opts.rm === true, attachStdin: interactive, useAliases: opts.useAliases === true }, sink);
  } catch (err) {
    await closeProgress(sink, false);
    throw err;
  }
  // The progress view ends before the container's own output (or shell) takes the terminal.
  await closeProgress(sink);
  if (opts.detach) {
    await startOrClean(engine, id, opts.rm === true);
    await runPostStart(engine, id, oneoff.service);
    // compose (docker start without attaching) prints the container's id.
    process.stdout.write(`${id}\n`);
    return;
  }
  const code = await startAttached(engine, id, oneoff.service, { tty, interactive, autoRemove: opts.rm === true });
  if (code !== 0) throw new ExitCode(code);
}

/** Networks, volumes, images and the dependencies' containers, as `up SERVICE` makes them; then SERVICE's depends_on waits. */
async function startDependencies(engine: Engine, { project, result }: LoadedProject, service: string, opts: RunOptions, global: GlobalOptions, progress: EventSink): Promise<void> {
  const planOptions: PlanOptions = {
    services: [service],
    noDeps: opts.noDeps,
    build: opts.build,
    pull: opts.pull as PlanOptions["pull"],
    removeOrphans: opts.removeOrphans ?? /^(1|true)$/i.test(process.env.COMPOSE_REMOVE_ORPHANS ?? ""),
    environment: result.environment,
  };
  const observed = await observe(engine, project.name);
  const first = dependenciesPlan(plan(project, observed, planOptions), service);
  const sink = quietSink(progress, first, opts.quietBuild === true);
  const ignoreOrphans = /^(1|true)$/i.test(process.env.COMPOSE_IGNORE_ORPHANS ?? "");
  for (const w of first.warnings) if (!(ignoreOrphans && w.startsWith("Found orphan containers"))) sink({ type: "warning", message: w });
  const destructive = destructiveActions(first);
  if (destructive.length > 0) {
    process.stderr.write(destructive.map((a) => `  ${a.destructive}\n`).join(""));
    if (!(await confirm("This plan would lose data. Continue?", false))) throw new ExitCode(1);
  }
  if (!opts.noDeps) {
    for (const container of untouchedDependencies(project, observed, first, service)) sink({ type: "resource", kind: "container", name: container, status: "Running", done: true });
  }
  const ctx = executeContextFor(global, result, project, observed, sink);
  await executeImagesFirst(first, engine, ctx, (again) => ({ ...dependenciesPlan(plan(project, again, { ...planOptions, build: false, pull: "never" }), service), warnings: [] }));
  if (!opts.noDeps) await executePlan(dependencyWaits(project, service), engine, ctx);
}

/** The one-off container's create call: the service's spec with compose's one-off labels and attach settings. */
export function oneOffSpec(
  project: Project,
  oneoff: OneOffConfig,
  ctx: { configFiles: string[]; workingDir: string; environmentFiles?: string[]; imageId?: string; defaultPlatform?: string },
  opts: { autoRemove: boolean; attachStdin: boolean; useAliases: boolean },
): { request: ContainerCreateRequest; extraNetworks: { network: string; endpoint: EndpointSpec }[] } {
  const svc = oneoff.service;
  const spec = containerSpec(project, svc, 1, { ...ctx, version: MOOR_VERSION, oneoff: true, name: oneoff.name });
  spec.body.Labels[SLUG_LABEL] = oneoff.slug;
  if (opts.useAliases) {
    // --use-aliases: the service's name and its network aliases resolve to this container too.
    const keys = networksByPriority(svc);
    const withAliases = (key: string | undefined, aliases: string[] | undefined): string[] => [...(aliases ?? []), svc.name, ...((key && svc.networks?.[key]?.aliases) || [])];
    for (const endpoint of Object.values(spec.body.NetworkingConfig?.EndpointsConfig ?? {})) endpoint.Aliases = withAliases(keys[0], endpoint.Aliases);
    spec.extraNetworks.forEach((n, i) => (n.endpoint.Aliases = withAliases(keys[i + 1], n.endpoint.Aliases)));
  }
  const body: ContainerCreateBody = {
    ...spec.body,
    Tty: svc.tty === true,
    OpenStdin: svc.stdin_open === true,
    AttachStdin: opts.attachStdin,
    // Closes the container's stdin when the attached client closes its own (end of piped input).
    StdinOnce: opts.attachStdin && svc.stdin_open === true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { ...spec.body.HostConfig, ...(opts.autoRemove ? { AutoRemove: true } : {}) },
  };
  return { request: { name: spec.name, body, ...(spec.platform ? { platform: spec.platform } : {}) }, extraNetworks: spec.extraNetworks };
}

async function createOneOff(engine: Engine, { project, result }: LoadedProject, oneoff: OneOffConfig, opts: { autoRemove: boolean; attachStdin: boolean; useAliases: boolean }, sink: EventSink): Promise<string> {
  const image = await engine.inspectImage(serviceImage(project.name, oneoff.service));
  const spec = oneOffSpec(
    project,
    oneoff,
    { configFiles: result.configFiles, workingDir: result.workingDir, environmentFiles: result.explicitEnvFiles, imageId: image?.id, defaultPlatform: result.environment.DOCKER_DEFAULT_PLATFORM },
    opts,
  );
  sink({ type: "resource", kind: "container", name: oneoff.name, status: "Creating", done: false });
  let id: string;
  try {
    id = await engine.createContainer(spec.request);
    for (const extra of spec.extraNetworks) await engine.connectNetwork(extra.network, id, extra.endpoint);
    for (const file of fileInjections(project, oneoff.service, result.environment).files) {
      await engine.putArchive(id, "/", await oneFileTar(file), { copyUIDGID: file.copyUidGid });
    }
  } catch (err) {
    sink({ type: "resource", kind: "container", name: oneoff.name, status: "Error", done: true });
    throw err;
  }
  sink({ type: "resource", kind: "container", name: oneoff.name, status: "Created", done: true });
  return id;
}

/** Starts the container; a container that cannot start is not left behind with --rm. */
async function startOrClean(engine: Engine, id: string, autoRemove: boolean): Promise<void> {
  try {
    await engine.startContainer(id);
  } catch (err) {
    if (autoRemove) await engine.removeContainer(id, { force: true, volumes: true }).catch(() => undefined);
    throw err;
  }
}

/** The service's post_start hooks, run in the started container; a failing one fails `run`, as in compose. */
async function runPostStart(engine: Engine, id: string, svc: ServiceConfig): Promise<void> {
  for (const hook of svc.post_start ?? []) await runHook(engine, id, svc.name, hook);
}

/**
 * `docker start -a -i`: attach before the start so no output is lost, register the exit wait
 * before the start so a quick exit is never missed, forward signals, follow the terminal's size,
 * and resolve with the exit code (0 after a detach).
 */
async function startAttached(engine: Engine, id: string, svc: ServiceConfig, opts: { tty: boolean; interactive: boolean; autoRemove: boolean }): Promise<number> {
  const watch = await engine.watchContainerExit(id, opts.autoRemove ? "removed" : "next-exit");
  const stream = await engine.attachContainer(id, { stdin: opts.interactive, tty: opts.tty, detachKeys: DEFAULT_DETACH_KEYS });
  const stopProxy = proxySignals((signal) => engine.killContainer(id, signal));
  try {
    try {
      await startOrClean(engine, id, opts.autoRemove);
    } catch (err) {
      stream.close();
      throw err;
    }
    // Hooks run beside the session (the command may be waiting for input); their failure is reported after it.
    const hooks = runPostStart(engine, id, svc).then(
      () => undefined,
      (err: unknown) => err,
    );
    const end = await runSession(stream, {
      tty: opts.tty,
      stdin: opts.interactive,
      detachKeys: parseDetachKeys(DEFAULT_DETACH_KEYS),
      resize: opts.tty ? (size) => engine.resizeContainer(id, size) : undefined,
    });
    const hookError = await hooks;
    if (hookError) throw hookError;
    if (end === "detached") return 0;
    const { exitCode, error } = await watch.exit;
    if (error) throw new EngineError(error, { operation: "containers.wait", expected: true });
    return exitCode;
  } finally {
    stopProxy();
    // Detached or failed: nothing may keep the process waiting for this container.
    watch.cancel();
  }
}
