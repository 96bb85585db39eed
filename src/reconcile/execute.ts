// Walks a Plan against the engine: one engine call per action, in dependency order, with bounded
// parallelism, reporting every state change as an event. All decisions were made by the planner;
// what is left here is the I/O and the waiting (health, completion) that only the engine can answer.
import type { Project, ServiceConfig, ServiceHook } from "../compose/types.js";
import type { Engine, NetworkCreateRequest } from "../engine/engine.js";
import { LABELS } from "../engine/types.js";
import { ConflictError, EngineError, NotFoundError } from "../engine/errors.js";
import { isNetworkTwinError, settleNetworkTwins, settleProjectNetworkTwins } from "./network-twins.js";
import { containerName, containerSpec, fileInjections, imageBuildLabels, networkLabels, volumeLabels, type ContainerCreateSpec, type FileInjection, type MountSpec } from "./container-spec.js";
import type { EventSink, MoorEvent, ResourceKind, ResourceStatus } from "./events.js";
import type { ObservedState } from "./observed-state.js";
import type { ContainerRef, Plan, PlanAction } from "./plan-types.js";
import { runDag } from "./run-dag.js";
import tarStream from "tar-stream";

/** What the executor needs from an engine: a narrow slice of the Engine port. */
export type ExecutorEngine = Pick<
  Engine,
  | "createNetwork"
  | "removeNetwork"
  | "createVolume"
  | "removeVolume"
  | "pullImage"
  | "buildImage"
  | "removeImage"
  | "createContainer"
  | "startContainer"
  | "stopContainer"
  | "removeContainer"
  | "renameContainer"
  | "connectNetwork"
  | "disconnectNetwork"
  | "listContainers"
  | "listNetworks"
  | "inspectContainer"
  | "inspectImage"
  | "exec"
  | "putArchive"
>;

export interface ExecuteContext {
  project: Project;
  observed: ObservedState;
  configFiles: string[];
  workingDir: string;
  environmentFiles?: string[];
  version: string;
  /** At most this many engine calls at once. */
  parallel: number;
  onEvent: EventSink;
  signal?: AbortSignal;
  /** How long `wait-service` waits before giving up (ms); compose waits without limit, we fail loudly. */
  waitTimeoutMs?: number;
  /** Injected for tests of the waiting logic; real sleeps otherwise. */
  sleep?: (ms: number) => Promise<void>;
  noCache?: boolean;
  buildArgs?: Record<string, string>;
  /** The project's environment (shell and .env): `environment:` secrets and DOCKER_DEFAULT_PLATFORM. */
  environment?: Readonly<Record<string, string>>;
}

/** A dependency that exited or turned unhealthy: an expected failure with the reason, not a hang. */
/**
 * Thrown by an engine wrapper (`down`'s) when a network it was asked to remove still has
 * containers attached: compose then reports "Resource is still in use" for it and goes on.
 */
export class NetworkInUseError extends Error {
  override name = "NetworkInUseError";
}

export class DependencyFailedError extends Error {
  readonly expected = true;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "DependencyFailedError";
  }
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs the plan; resolves when every action is done, rejects (DagError) on the first failure. */
export async function executePlan(plan: Plan, engine: ExecutorEngine, ctx: ExecuteContext): Promise<void> {
  if (plan.errors.length > 0) throw new DependencyFailedError(plan.errors.join("; "));
  const created = new Map<number, string>();
  const emit = (kind: ResourceKind, name: string, status: ResourceStatus, done: boolean, extra: Partial<Extract<MoorEvent, { type: "resource" }>> = {}) =>
    ctx.onEvent({ type: "resource", kind, name, status, done, ...extra });
  const idOf = (ref: ContainerRef): string => {
    if (ref.kind === "existing") return ref.id;
    const id = created.get(ref.action);
    if (id === undefined) throw new Error(`bug: container ${ref.name} was used before action #${ref.action} created it`);
    return id;
  };
  const services = ctx.project.services;
  // One look-up per distinct image, however many containers run it (100 replicas: 1 call, not 100).
  const images = new Map<string, ReturnType<ExecutorEngine["inspectImage"]>>();
  const imageOf = (ref: string) => {
    if (!images.has(ref)) images.set(ref, engine.inspectImage(ref));
    return images.get(ref)!;
  };
  // A recreate is one step for the user (compose shows "Recreate" … "Recreated" under the final
  // name): the old container's stop and remove and the rename are parts of it, not lines of their own.
  const replaced = new Set<string>();
  const recreates = new Set<number>();
  for (const a of plan.actions) {
    if (a.kind === "create-container" && a.replaces !== undefined) {
      replaced.add(a.replaces);
      recreates.add(a.id);
    }
  }
  const partOfRecreate = (ref: ContainerRef): boolean => ref.kind === "existing" && replaced.has(ref.id);
  const stopTimeout = (service: ServiceConfig | undefined, explicit: number | undefined): number | undefined => {
    if (explicit !== undefined) return explicit;
    const grace = service?.stop_grace_period;
    return grace === undefined ? undefined : Math.ceil(goSeconds(grace));
  };

  const run = async (a: PlanAction): Promise<void> => {
    switch (a.kind) {
      case "create-network": {
        emit("network", a.name, "Creating", false);
        const c = a.config;
        const spec: NetworkCreateRequest = {
          Name: a.name,
          Driver: c.driver,
          Options: c.driver_opts,
          Internal: c.internal,
          Attachable: c.attachable,
          EnableIPv6: c.enable_ipv6,
          IPAM: c.ipam ? { Driver: c.ipam.driver, Config: c.ipam.config?.map(ipamPool), Options: c.ipam.options } : undefined,
          Labels: networkLabels(ctx.project.name, a.key, c, ctx.version),
          CheckDuplicate: true,
        };
        try {
          await engine.createNetwork(spec);
        } catch (err) {
          // Another run of this project (a concurrent `up`) created it between our look and now.
          if (!(err instanceof ConflictError) || !(await sameProjectNetwork(engine, a.name, spec.Labels))) throw err;
        }
        // An engine before 25 may have let a concurrent run create a twin of it: keep one.
        await settleNetworkTwins(engine, ctx.project.name, a.key, a.name);
        emit("network", a.name, "Created", true);
        return;
      }
      case "remove-network":
        emit("network", a.name, "Removing", false);
        try {
          await engine.removeNetwork(a.name);
        } catch (err) {
          if (!(err instanceof NetworkInUseError)) throw err;
          emit("network", a.name, "Warning", true, { detail: "Resource is still in use" });
          return;
        }
        emit("network", a.name, "Removed", true);
        return;
      case "create-volume":
        emit("volume", a.name, "Creating", false);
        await engine.createVolume({
          Name: a.name,
          Driver: a.config.driver,
          DriverOpts: a.config.driver_opts,
          Labels: volumeLabels(ctx.project.name, a.key, a.config, ctx.version),
        });
        emit("volume", a.name, "Created", true);
        return;
      case "remove-volume":
        emit("volume", a.name, "Removing", false);
        await engine.removeVolume(a.name);
        emit("volume", a.name, "Removed", true);
        return;
      case "pull-image":
        emit("image", a.image, "Pulling", false);
        await engine.pullImage(a.image, (text) => ctx.onEvent({ type: "progress", kind: "image", name: a.image, text }));
        emit("image", a.image, "Pulled", true);
        return;
      case "build-image": {
        const svc = services[a.service];
        const build = svc?.build;
        if (!build) throw new Error(`bug: ${a.service} has no build section`);
        emit("image", a.image, "Building", false);
        const args: Record<string, string> = {};
        for (const [k, v] of Object.entries(build.args ?? {})) if (v !== null) args[k] = v;
        Object.assign(args, ctx.buildArgs ?? {});
        await engine.buildImage(
          {
            contextDir: build.context,
            dockerfile: build.dockerfile,
            dockerfileInline: build.dockerfile_inline,
            args,
            target: build.target,
            labels: imageBuildLabels(ctx.project.name, svc, ctx.version),
            network: build.network,
            extraHosts: Object.entries(build.extra_hosts ?? {}).flatMap(([h, ips]) => ips.map((ip) => `${h}:${ip}`)),
            cacheFrom: build.cache_from,
            shmSize: build.shm_size,
            tags: [a.image, ...(build.tags ?? [])],
            noCache: ctx.noCache ?? build.no_cache,
            pull: build.pull,
          },
          (text) => ctx.onEvent({ type: "progress", kind: "image", name: a.image, text }),
        );
        emit("image", a.image, "Built", true);
        return;
      }
      case "remove-image":
        emit("image", a.image, "Removing", false);
        await engine.removeImage(a.image);
        emit("image", a.image, "Removed", true);
        return;
      case "create-container": {
        const svc = services[a.service];
        if (!svc) throw new Error(`bug: no service ${a.service}`);
        // A recreate works under a temporary name; users know the container by its final one.
        const shownName = a.replaces ? containerName(ctx.project, svc, a.number) : a.name;
        emit("container", shownName, a.replaces ? "Recreate" : "Creating", false);
        const image = await imageOf(svc.image ?? `${ctx.project.name}-${svc.name}`);
        const spec = containerSpec(ctx.project, svc, a.number, {
          configFiles: ctx.configFiles,
          workingDir: ctx.workingDir,
          environmentFiles: ctx.environmentFiles,
          version: ctx.version,
          imageId: image?.id,
          replaces: a.replaces,
          name: a.name,
          defaultPlatform: ctx.environment?.DOCKER_DEFAULT_PLATFORM,
        });
        if (a.inheritVolumesFrom) inheritAnonymousVolumes(spec, svc, ctx.observed, a.inheritVolumesFrom);
        let id: string;
        try {
          id = await engine.createContainer(spec);
        } catch (err) {
          // The name is deterministic, so a 409 means another run (a concurrent `up`) created this
          // very container after we looked: adopt it when it is the same config, else report it.
          const twin = err instanceof ConflictError ? await sameContainer(engine, spec) : undefined;
          if (twin === undefined) throw err;
          id = twin;
        }
        created.set(a.id, id);
        // Extra networks are joined by the plan's own connect-network actions.
        if (!a.replaces) emit("container", shownName, "Created", true);
        return;
      }
      case "start-container": {
        emit("container", a.container.name, "Starting", false);
        const cid = idOf(a.container);
        const svc = services[a.service];
        // `environment:`/`content:` secrets and configs have no file to bind: copy them in first.
        if (svc) for (const file of fileInjections(ctx.project, svc, ctx.environment ?? {}).files) await engine.putArchive(cid, "/", await oneFileTar(file), { copyUIDGID: file.copyUidGid });
        const start = async () => {
          try {
            await engine.startContainer(cid);
          } catch (err) {
            // Observed while a concurrent run was still creating it: listed, not yet startable.
            if (!(err instanceof NotFoundError) || a.container.kind !== "existing") throw err;
            await engine.startContainer(await whenUsable(engine, cid));
          }
        };
        await retryOnNetworkTwins(start, engine, ctx.project.name).catch((err: unknown) => {
          throw staleTask(err, a.container.name, a.service) ?? err;
        });
        for (const hook of svc?.post_start ?? []) await runHook(engine, cid, a.service, hook);
        emit("container", a.container.name, "Started", true);
        return;
      }
      case "stop-container": {
        const quiet = partOfRecreate(a.container);
        if (!quiet) emit("container", a.container.name, "Stopping", false);
        if (a.preStop) for (const hook of services[a.service]?.pre_stop ?? []) await runHook(engine, idOf(a.container), a.service, hook);
        // Already gone (removed by hand or by a concurrent `down`) is what a stop wants.
        const sid = idOf(a.container);
        await goneIsDone(engine.stopContainer(sid, stopTimeout(services[a.service], a.timeout)), () => engine.inspectContainer(sid));
        if (!quiet) emit("container", a.container.name, "Stopped", true);
        return;
      }
      case "remove-container": {
        const quiet = partOfRecreate(a.container);
        if (!quiet) emit("container", a.container.name, "Removing", false);
        const rid = idOf(a.container);
        await goneIsDone(engine.removeContainer(rid, { force: true, volumes: a.removeAnonymousVolumes }), () => engine.inspectContainer(rid));
        if (!quiet) emit("container", a.container.name, "Removed", true);
        return;
      }
      case "rename-container":
        await engine.renameContainer(idOf(a.container), a.to);
        if (a.container.kind === "planned" && recreates.has(a.container.action)) emit("container", a.to, "Recreated", true);
        return;
      case "connect-network":
        await retryOnNetworkTwins(() => engine.connectNetwork(a.network, idOf(a.container), a.endpoint), engine, ctx.project.name);
        return;
      case "disconnect-network":
        await engine.disconnectNetwork(a.network, idOf(a.container), true);
        return;
      case "wait-service":
        await waitForService(engine, ctx, a.service, a.condition, emit);
        return;
    }
  };

  await runDag(
    plan.actions.map((a) => ({ id: String(a.id), deps: a.deps.map(String), payload: a })),
    async (task) => {
      try {
        await run(task.payload);
      } catch (err) {
        // compose marks the resource that failed (" Container x  Error") before it prints the error.
        const shown = shownResource(task.payload, ctx.project);
        if (shown && !(err instanceof DependencyFailedError)) emit(shown.kind, shown.name, "Error", true);
        throw err;
      }
    },
    { concurrency: ctx.parallel, signal: ctx.signal },
  );
}

/**
 * A stop or remove whose container is already gone, or being removed by someone else (a concurrent
 * `down`), has done its work: runs converge instead of failing on each other.
 */
async function goneIsDone(call: Promise<void>, inspect: () => Promise<unknown>): Promise<void> {
  try {
    await call;
    return;
  } catch (err) {
    if (err instanceof NotFoundError) return;
    if (!(err instanceof ConflictError && /removal of container .* is already in progress/i.test(err.message))) throw err;
  }
  // Someone else is removing it: wait until the name is free, or a rename to it would fail.
  for (let i = 0; i < 600; i++) {
    try {
      await inspect();
    } catch (err) {
      if (err instanceof NotFoundError) return;
      throw err;
    }
    await sleepReal(100);
  }
}

/**
 * An engine stopped while it was starting a container can keep the container's task in containerd
 * after it comes back: every later start then fails with "task <id>: already exists" (or, when
 * containerd still has the container itself, "id already in use"), whoever asks. Only a new
 * container gets past it, so say that, with the command that makes one (a recreate carries the
 * anonymous volumes over).
 */
function staleTask(err: unknown, name: string, service: string): EngineError | undefined {
  if (!(err instanceof EngineError) || !/task [0-9a-f]+: already exists|\bid already in use\b/.test(err.message)) return undefined;
  return new EngineError(`container ${name} cannot start: the engine still holds its task from before the engine stopped or restarted (${err.engineMessage})`, {
    operation: err.operation,
    status: err.status,
    engineMessage: err.engineMessage,
    expected: true,
    hint: `recreate it with \`up -d --force-recreate ${service}\` (anonymous volumes are carried over); other containers marked Error above may need the same`,
    cause: err,
  });
}

/**
 * Runs a start or connect again after settling twin networks, while the engine finds a network
 * name ambiguous or just removed (a concurrent run on an engine before 25 made a twin, and one of
 * the runs is settling them: see network-twins.ts).
 */
async function retryOnNetworkTwins(call: () => Promise<void>, engine: ExecutorEngine, project: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await call();
      return;
    } catch (err) {
      if (!isNetworkTwinError(err) || attempt >= 5) throw err;
      // The other run may still be creating its twin; once settled, a moment for it to show.
      if ((await settleProjectNetworkTwins(engine, project)) === 0) await sleepReal(200 * attempt);
    }
  }
}

/** The network of that name, when it carries the same project and network labels (so another run of this project made it). */
async function sameProjectNetwork(engine: ExecutorEngine, name: string, labels: Record<string, string> | undefined): Promise<boolean> {
  const project = labels?.[LABELS.project];
  const key = labels?.[LABELS.network];
  if (project === undefined || key === undefined) return false;
  const found = await engine.listNetworks({ labels: [`${LABELS.project}=${project}`, `${LABELS.network}=${key}`] });
  return found.some((n) => n.name === name);
}

/** The id of the container that holds the spec's name with the same project, service, number and config hash; else undefined. */
async function sameContainer(engine: ExecutorEngine, spec: ContainerCreateSpec): Promise<string | undefined> {
  const want = spec.body.Labels;
  const keys = [LABELS.project, LABELS.service, LABELS.containerNumber, LABELS.oneoff];
  if (keys.some((k) => want[k] === undefined)) return undefined;
  // The engine reserves the name before the container shows in lists: look again for a while.
  for (let i = 0; i < 50; i++) {
    const found = await engine.listContainers({ all: true, labels: keys.map((k) => `${k}=${want[k]}`) });
    const named = found.find((c) => c.name === spec.name);
    if (named) return named.labels[LABELS.configHash] === want[LABELS.configHash] ? await whenUsable(engine, named.id) : undefined;
    await sleepReal(100);
  }
  return undefined;
}

/** A container the other run is still creating is listed before it can be used (a start gets 404): wait for it. */
async function whenUsable(engine: ExecutorEngine, id: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      await engine.inspectContainer(id);
      return id;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    await sleepReal(100);
  }
  return id;
}

/** Runs a post_start/pre_stop hook in the container; a non-zero exit fails the operation, as in compose. */
export async function runHook(engine: Pick<ExecutorEngine, "exec">, containerId: string, service: string, hook: ServiceHook): Promise<void> {
  const env = Object.entries(hook.environment ?? {}).map(([k, v]) => (v === null ? k : `${k}=${v}`));
  const result = await engine.exec(containerId, { cmd: hook.command, user: hook.user, privileged: hook.privileged, workingDir: hook.working_dir, env });
  if (result.exitCode !== 0) {
    throw new DependencyFailedError(`${service} hook exited with status ${result.exitCode}`, result.stderr.trim() ? `its output: ${result.stderr.trim().split("\n").slice(-3).join(" / ")}` : undefined);
  }
}

/** A tar holding one file at its absolute target, with its mode and owner (secrets and configs copied in). */
export async function oneFileTar(file: FileInjection): Promise<Buffer> {
  const pack = tarStream.pack();
  pack.entry({ name: file.target.replace(/^\/+/, ""), mode: file.mode, uid: file.uid ?? 0, gid: file.gid ?? 0 }, file.content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The resource an action's progress lines are about, under the name users know it by. */
function shownResource(a: PlanAction, project: Project): { kind: ResourceKind; name: string } | undefined {
  switch (a.kind) {
    case "create-network":
    case "remove-network":
      return { kind: "network", name: a.name };
    case "create-volume":
    case "remove-volume":
      return { kind: "volume", name: a.name };
    case "pull-image":
    case "build-image":
    case "remove-image":
      return { kind: "image", name: a.image };
    case "create-container": {
      const svc = project.services[a.service];
      return { kind: "container", name: a.replaces && svc ? containerName(project, svc, a.number) : a.name };
    }
    case "wait-service":
      return undefined;
    default:
      return { kind: "container", name: a.kind === "rename-container" ? a.to : a.container.name };
  }
}

/** Seconds in a Go duration string as the normalized project carries them ("1m30s"). */
function goSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9 };
  let total = 0;
  for (const m of text.matchAll(/([\d.]+)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * (units[m[2]!] ?? 0);
  return total;
}

function ipamPool(pool: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (pool.subnet !== undefined) out.Subnet = pool.subnet;
  if (pool.ip_range !== undefined) out.IPRange = pool.ip_range;
  if (pool.gateway !== undefined) out.Gateway = pool.gateway;
  if (pool.aux_addresses !== undefined) out.AuxiliaryAddresses = pool.aux_addresses;
  return out;
}

/** A recreated container keeps the old one's anonymous volumes, as compose does (`-V` renews them). */
function inheritAnonymousVolumes(spec: ContainerCreateSpec, svc: ServiceConfig, observed: ObservedState, fromId: string): void {
  const old = [...observed.services.values()].flat().find((c) => c.id === fromId);
  if (!old) return;
  const anonymousTargets = new Set((svc.volumes ?? []).filter((v) => v.type === "volume" && !v.source).map((v) => v.target));
  const inherited: MountSpec[] = [];
  for (const m of old.summary.mounts) {
    if (m.type === "volume" && m.name && anonymousTargets.has(m.destination)) inherited.push({ Type: "volume", Source: m.name, Target: m.destination });
  }
  if (inherited.length === 0) return;
  const hc = spec.body.HostConfig;
  hc.Mounts = [...(hc.Mounts ?? []).filter((m) => !(m.Type === "volume" && !m.Source && anonymousTargets.has(m.Target))), ...inherited];
  hc.Binds = hc.Binds?.filter((b) => !anonymousTargets.has(b));
}

/** Waits until every container of `service` meets the condition; fails fast on exit or unhealthy, with compose's words. */
async function waitForService(
  engine: ExecutorEngine,
  ctx: ExecuteContext,
  service: string,
  condition: "service_started" | "service_healthy" | "service_completed_successfully",
  emit: (kind: ResourceKind, name: string, status: ResourceStatus, done: boolean, extra?: { detail?: string }) => void,
): Promise<void> {
  const sleep = ctx.sleep ?? sleepReal;
  const deadline = Date.now() + (ctx.waitTimeoutMs ?? 10 * 60_000);
  const labels = [`${LABELS.project}=${ctx.project.name}`, `${LABELS.service}=${service}`, `${LABELS.oneoff}=False`];
  const hint = `see \`moor logs ${service}\``;
  // compose shows progress only for the conditions that make `up` wait; a started service needs no line.
  const visible = condition !== "service_started";
  let announced = false;
  const fail = (name: string, message: string): never => {
    emit("container", name, "Error", true);
    throw new DependencyFailedError(message, hint);
  };
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal?.aborted) throw new DependencyFailedError(`interrupted while waiting for ${service}`);
    const containers = await engine.listContainers({ all: true, labels });
    if (containers.length === 0) throw new DependencyFailedError(`service ${service} has no container to wait for`);
    let ready = true;
    for (const c of containers) {
      if (!announced && visible) emit("container", c.name, "Waiting", false);
      if (condition === "service_completed_successfully") {
        if (c.state === "running" || c.state === "created" || c.state === "restarting") ready = false;
        else {
          const info = await engine.inspectContainer(c.id);
          if (info.state.exitCode !== 0) fail(c.name, `service ${JSON.stringify(service)} didn't complete successfully: exit ${info.state.exitCode}`);
        }
      } else {
        if (c.state === "exited" || c.state === "dead") {
          const info = await engine.inspectContainer(c.id);
          fail(c.name, `dependency failed to start: container ${c.name} exited (${info.state.exitCode})`);
        }
        if (condition === "service_healthy") {
          // The list's status text names no health while a container restarts or is created;
          // compose reads the health from an inspect, so a restarting container that has a
          // healthcheck is "unhealthy" or "starting", not one without a healthcheck.
          const health = c.health ?? (await engine.inspectContainer(c.id)).state.health;
          if (health === undefined) fail(c.name, `dependency failed to start: container ${c.name} has no healthcheck configured`);
          if (health === "unhealthy") fail(c.name, `dependency failed to start: container ${c.name} is unhealthy`);
          if (health !== "healthy") ready = false;
        } else if (c.state !== "running") ready = false;
      }
    }
    announced = true;
    if (ready) {
      if (visible) for (const c of containers) emit("container", c.name, condition === "service_healthy" ? "Healthy" : "Exited", true);
      return;
    }
    if (Date.now() > deadline) throw new DependencyFailedError(`timed out waiting for ${service} to be ${condition.replace(/^service_/, "").replace(/_/g, " ")}`);
    await sleep(Math.min(100 * 2 ** Math.min(attempt, 4), 1000));
  }
}
