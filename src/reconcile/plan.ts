// The planner: the project as it should be, what runs, and the options of `up`/`create` in; a DAG of
// engine calls out, each with its cause. Pure and deterministic: services in dependency order,
// everything else in name order. docs/planner.md describes the decisions and where they come from.
import type { NetworkConfig, Project, ServiceConfig, ServiceDependency, VolumeConfig } from "../compose/types.js";
import type { ImageSummary, NetworkSummary, VolumeSummary } from "../engine/types.js";
import { LABELS } from "../engine/types.js";
import { buildProjectGraph, serviceGraph, serviceReferences, volumesFromTarget, referencedService } from "../graph/project-graph.js";
import { topologicalOrder } from "../graph/topo-sort.js";
import { networkConfigHash, networkHashInput, recordedServiceConfig, serviceConfigHash, volumeConfigHash, volumeHashInput } from "./config-hash.js";
import { containerName, fileInjections, goDurationToNanos, healthcheckError, networksByPriority, projectNetwork, serviceEndpoint, serviceImage } from "./container-spec.js";
import { MOOR_CONFIG_LABEL, MOOR_HASH_LABEL } from "./observed-state.js";
import type { ObservedContainer, ObservedState } from "./observed-state.js";
import { diffConfigs } from "./plan-diff.js";
import { PlanBuilder } from "./plan-types.js";
import type { ContainerRef, Plan } from "./plan-types.js";

export type { ContainerRef, Plan, PlanAction, PlanActionKind } from "./plan-types.js";
export { destructiveActions } from "./plan-types.js";
export { planDown } from "./plan-down.js";
export type { DownOptions } from "./plan-down.js";
export { planToString } from "./plan-text.js";

/** The options of `up` and `create` that change what gets planned. */
export interface PlanOptions {
  /** The services named on the command line; empty or absent means all. */
  services?: string[];
  /** Plan only the named services, not what they depend on (`--no-deps`). */
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  /** Recreate the named services' dependencies too (`--always-recreate-deps`). */
  alwaysRecreateDeps?: boolean;
  /** New anonymous volumes instead of the old container's (`-V`). */
  renewAnonVolumes?: boolean;
  removeOrphans?: boolean;
  /** `--scale service=n`. */
  scale?: Record<string, number>;
  /** Create but do not start (`create`, `up --no-start`). */
  noStart?: boolean;
  /** `--build`: build every service that has a build section. */
  build?: boolean;
  /** `--no-build`: never build, even when an image is missing. */
  noBuild?: boolean;
  /** `--pull`: "always" pulls every image without a build; "never" never pulls; absent follows pull_policy. */
  pull?: "always" | "missing" | "never";
  /** Stop timeout in seconds (`-t`); otherwise each service's stop_grace_period. */
  timeout?: number;
  /**
   * The project's environment (shell and `.env`, as the loader resolved it). When given, secrets and
   * configs defined by `environment:` are checked: an unset variable is a plan error, as compose
   * fails on it before starting the container.
   */
  environment?: Readonly<Record<string, string>>;
  /** Services the file declares but profiles disabled: their containers are not orphans. */
  disabledServices?: string[];
}

type RecreatePolicy = "diverged" | "force" | "never";

/** Per container of a service: whether it must be replaced, and why. */
interface Verdict {
  readonly container: ObservedContainer;
  /** Undefined when up to date. */
  readonly reason?: { cause: string; changes?: string[] };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Docker's reference normalization, enough to match a compose `image:` against an image's RepoTags. */
export function normalizeImageRef(ref: string): string {
  const digestless = ref.split("@")[0] ?? ref;
  const lastSlash = digestless.lastIndexOf("/");
  const hasTag = digestless.lastIndexOf(":") > lastSlash;
  let name = hasTag ? digestless : `${digestless}:latest`;
  const first = name.split("/")[0] ?? "";
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) name = name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`;
  return name;
}

function findImage(images: readonly ImageSummary[], ref: string): ImageSummary | undefined {
  const wanted = normalizeImageRef(ref);
  const exact = images.find((img) => img.repoTags.some((tag) => normalizeImageRef(tag) === wanted) || img.id === ref);
  if (exact || !wanted.startsWith("docker.io/")) return exact;
  // Podman keeps images it built or loaded as `localhost/<name>` and resolves a short name to
  // them; Docker never names images so by itself. Only a fallback, when nothing matches exactly.
  const short = normalizeImageRef(ref).replace(/^docker\.io\/(library\/)?/, "");
  const local = `localhost/${short}`;
  return images.find((img) => img.repoTags.includes(local));
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

function expectedScale(service: ServiceConfig, options: PlanOptions): number {
  const fromCli = options.scale?.[service.name];
  if (fromCli !== undefined) return fromCli;
  if (service.deploy?.mode === "global") return 1;
  return service.scale ?? service.deploy?.replicas ?? 1;
}

function stopTimeout(service: ServiceConfig | undefined, options: PlanOptions): number | undefined {
  if (options.timeout !== undefined) return options.timeout;
  const grace = service?.stop_grace_period;
  const ns = grace === undefined ? undefined : goDurationToNanos(grace);
  return ns === undefined ? undefined : Math.ceil(ns / 1e9);
}

const isUp = (c: ObservedContainer): boolean => c.state === "running" || c.state === "restarting" || c.state === "paused";

/** Picks the live resource for a compose key: the one with the wanted name, else the first by name. */
function pick<T extends { name: string }>(list: readonly T[] | undefined, name: string): T | undefined {
  return list?.find((x) => x.name === name) ?? list?.[0];
}

/** The observable part of a network's configuration, to judge a network moor cannot read the hash of. */
function networkObservableDiff(cfg: NetworkConfig, n: NetworkSummary): string[] {
  const changes: string[] = [];
  const driver = cfg.driver ?? "bridge";
  if (n.driver !== driver) changes.push(`driver: ${JSON.stringify(n.driver)} → ${JSON.stringify(driver)}`);
  if (n.internal !== (cfg.internal ?? false)) changes.push(`internal: ${n.internal} → ${cfg.internal ?? false}`);
  if (n.enableIPv6 !== (cfg.enable_ipv6 ?? n.enableIPv6)) changes.push(`enable_ipv6: ${n.enableIPv6} → ${String(cfg.enable_ipv6)}`);
  return changes;
}

function volumeObservableDiff(cfg: VolumeConfig, v: VolumeSummary): string[] {
  const driver = cfg.driver ?? "local";
  const changes = v.driver !== driver ? [`driver: ${JSON.stringify(v.driver)} → ${JSON.stringify(driver)}`] : [];
  for (const [k, val] of Object.entries(cfg.driver_opts ?? {})) {
    if (v.options[k] !== val) changes.push(`driver_opts.${k}: ${JSON.stringify(v.options[k] ?? null)} → ${JSON.stringify(val)}`);
  }
  return changes;
}

/** The changes between a resource's recorded config (moor's label) and the wanted one; or the observable ones. */
function resourceChanges(labels: Record<string, string>, wanted: unknown, observable: () => string[]): string[] {
  const recorded = labels[MOOR_CONFIG_LABEL];
  if (recorded === undefined) return observable();
  try {
    const changes = diffConfigs(JSON.parse(recorded), wanted);
    return changes.length > 0 ? changes : ["recorded configuration differs"];
  } catch (e) {
    // A label that is not JSON was not written by this version of moor: say so rather than guess.
    return [`configuration label unreadable (${(e as Error).message})`];
  }
}

/** Services to plan: the named ones and, unless noDeps, everything they need, transitively. */
function selectServices(project: Project, options: PlanOptions): Set<string> {
  const all = Object.keys(project.services);
  if (!options.services || options.services.length === 0) return new Set(all);
  const selected = new Set<string>();
  const queue = options.services.filter((s) => project.services[s] !== undefined);
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (selected.has(name)) continue;
    selected.add(name);
    if (options.noDeps) continue;
    const svc = project.services[name];
    if (svc) for (const ref of serviceReferences(svc)) if (project.services[ref.target]) queue.push(ref.target);
  }
  return selected;
}

/** Services whose containers mount the volume, directly or through volumes_from. */
function servicesUsingVolume(project: Project, key: string): string[] {
  const using = new Set<string>();
  for (const [name, svc] of Object.entries(project.services)) {
    if ((svc.volumes ?? []).some((v) => v.type === "volume" && v.source === key)) using.add(name);
  }
  for (let grown = true; grown; ) {
    grown = false;
    for (const [name, svc] of Object.entries(project.services)) {
      if (using.has(name)) continue;
      if ((svc.volumes_from ?? []).some((e) => using.has(volumesFromTarget(e) ?? ""))) {
        using.add(name);
        grown = true;
      }
    }
  }
  return [...using].sort(byName);
}

class UpPlanner {
  readonly b: PlanBuilder;
  readonly selected: Set<string>;
  /** Compose network key → the action that (re)creates it. */
  readonly networkNodes = new Map<string, number>();
  /** Networks created because they were missing: a container that exists still points at the old, removed one. */
  readonly missingNetworks = new Set<string>();
  readonly volumeNodes = new Map<string, number>();
  /** Image reference → the pull or build action that provides it. */
  readonly imageNodes = new Map<string, number>();
  /** Service → its last container-changing action, which dependants' creates wait for. */
  readonly serviceNodes = new Map<string, number>();
  /** Service → the start actions planned for it, which waits on it depend on. */
  readonly startNodes = new Map<string, number[]>();
  /** Container id → the stop action already planned for it. */
  readonly stopped = new Map<string, number>();
  /** Container id → connect actions planned on it (network recreate), which a remove must wait for. */
  readonly reconnects = new Map<string, number[]>();
  readonly recreatedServices = new Set<string>();
  /** Services whose containers a volume recreate removes: they are planned as if they had none. */
  readonly cleared = new Set<string>();
  /** "service:condition" → the wait action, shared by every dependant. */
  readonly waits = new Map<string, number>();

  constructor(
    readonly project: Project,
    readonly observed: ObservedState,
    readonly options: PlanOptions,
  ) {
    this.b = new PlanBuilder(project.name);
    this.selected = selectServices(project, options);
  }

  containersOf(service: string): readonly ObservedContainer[] {
    return this.cleared.has(service) ? [] : (this.observed.services.get(service) ?? []);
  }

  /** `preStop`: a stop compose runs the service's pre_stop hooks for (scale-down), unlike a recreate's. */
  stop(c: ObservedContainer, cause: string, deps: (number | undefined)[] = [], preStop = false): number | undefined {
    const known = this.stopped.get(c.id);
    if (known !== undefined) return known;
    if (!isUp(c)) return undefined;
    const id = this.b.add({
      kind: "stop-container",
      service: c.service,
      container: { kind: "existing", id: c.id, name: c.name },
      timeout: stopTimeout(this.project.services[c.service], this.options),
      ...(preStop && (this.project.services[c.service]?.pre_stop?.length ?? 0) > 0 ? { preStop: true } : {}),
      cause,
      deps,
    });
    this.stopped.set(c.id, id);
    return id;
  }

  usedNetworks(): string[] {
    const keys = new Set<string>();
    for (const name of this.selected) {
      const svc = this.project.services[name];
      if (svc && !svc.network_mode) for (const key of networksByPriority(svc)) keys.add(key);
    }
    return [...keys].sort(byName);
  }

  usedVolumes(): string[] {
    const keys = new Set<string>();
    for (const name of this.selected) {
      for (const v of this.project.services[name]?.volumes ?? []) if (v.type === "volume" && v.source && this.project.volumes?.[v.source]) keys.add(v.source);
    }
    return [...keys].sort(byName);
  }

  planNetworks(): void {
    for (const key of this.usedNetworks()) {
      const cfg = projectNetwork(this.project, key);
      if (cfg.external) {
        if (!this.observed.networksByName.has(cfg.name)) this.b.errors.push(`external network ${cfg.name} (networks.${key}) does not exist; create it first`);
        continue;
      }
      const live = pick(this.observed.networks.get(key), cfg.name);
      if (!live) {
        const unlabelled = this.observed.networksByName.get(cfg.name);
        if (unlabelled) {
          this.b.warnings.push(`network ${cfg.name} exists but was not created by compose or moor; it is used as it is`);
          continue;
        }
        this.networkNodes.set(key, this.b.add({ kind: "create-network", key, name: cfg.name, config: cfg, cause: `network ${key} does not exist` }));
        this.missingNetworks.add(key);
        continue;
      }
      const hash = live.labels[MOOR_HASH_LABEL] ?? live.labels[LABELS.configHash] ?? "";
      if (hash === "" || hash === networkConfigHash(cfg)) continue;
      const changes = resourceChanges(live.labels, networkHashInput(cfg), () => networkObservableDiff(cfg, live));
      if (changes.length === 0) continue;
      this.recreateNetwork(key, cfg, live, changes);
    }
  }

  /** Stop, disconnect, remove, create, reconnect: containers keep their identity, as compose does. */
  recreateNetwork(key: string, cfg: NetworkConfig, live: NetworkSummary, changes: string[]): void {
    const attached = [...this.observed.services.values()].flat().filter((c) => c.summary.networks[live.name] !== undefined);
    const disconnects: number[] = [];
    for (const c of attached) {
      const stop = this.stop(c, `network ${key} is recreated`);
      disconnects.push(
        this.b.add({
          kind: "disconnect-network",
          service: c.service,
          container: { kind: "existing", id: c.id, name: c.name },
          network: live.name,
          cause: `network ${key} is recreated`,
          deps: [stop],
        }),
      );
    }
    const renamed = live.name !== cfg.name;
    const removed = this.b.add({ kind: "remove-network", key, name: live.name, cause: renamed ? `network ${key} was renamed to ${cfg.name}` : `network ${key} configuration changed`, changes, deps: disconnects });
    const created = this.b.add({ kind: "create-network", key, name: cfg.name, config: cfg, cause: renamed ? `network ${key} was renamed` : `network ${key} configuration changed`, deps: [removed] });
    this.networkNodes.set(key, created);
    for (const c of attached) {
      const svc = this.project.services[c.service];
      const id = this.b.add({
        kind: "connect-network",
        service: c.service,
        container: { kind: "existing", id: c.id, name: c.name },
        network: cfg.name,
        ...(svc ? { endpoint: serviceEndpoint(this.project, svc, c.number ?? 1, key) } : {}),
        cause: `network ${key} was recreated`,
        deps: [created],
      });
      this.reconnects.set(c.id, [...(this.reconnects.get(c.id) ?? []), id]);
    }
  }

  planVolumes(): void {
    const diverged: string[] = [];
    for (const key of this.usedVolumes()) {
      const cfg = this.project.volumes?.[key] as VolumeConfig;
      if (cfg.external) {
        if (!this.observed.volumesByName.has(cfg.name)) this.b.errors.push(`external volume ${cfg.name} (volumes.${key}) does not exist; create it first`);
        continue;
      }
      const live = pick(this.observed.volumes.get(key), cfg.name);
      if (!live) {
        if (this.observed.volumesByName.has(cfg.name)) {
          this.b.warnings.push(`volume ${cfg.name} exists but was not created by compose or moor; it is used as it is`);
          continue;
        }
        this.volumeNodes.set(key, this.b.add({ kind: "create-volume", key, name: cfg.name, config: cfg, cause: `volume ${key} does not exist` }));
        continue;
      }
      if (live.name !== cfg.name) {
        // A renamed volume is a new volume; the old one keeps its data and is left alone.
        this.b.warnings.push(`volume ${key} is now named ${cfg.name}; the old volume ${live.name} is kept with its data`);
        this.volumeNodes.set(key, this.b.add({ kind: "create-volume", key, name: cfg.name, config: cfg, cause: `volume ${key} was renamed from ${live.name}` }));
        continue;
      }
      const hash = live.labels[MOOR_HASH_LABEL] ?? live.labels[LABELS.configHash] ?? "";
      if (hash === "" || hash === volumeConfigHash(cfg)) continue;
      const changes = resourceChanges(live.labels, volumeHashInput(cfg), () => volumeObservableDiff(cfg, live));
      if (changes.length === 0) continue;
      diverged.push(key);
      this.recreateVolume(key, cfg, live, changes);
    }
    for (const key of diverged) for (const svc of servicesUsingVolume(this.project, key)) this.cleared.add(svc);
  }

  /** Containers must go before their volume can: stop, remove them, remove and create the volume; they are created afresh later. */
  recreateVolume(key: string, cfg: VolumeConfig, live: VolumeSummary, changes: string[]): void {
    const removes: number[] = [];
    for (const svc of servicesUsingVolume(this.project, key)) {
      for (const c of this.observed.services.get(svc) ?? []) {
        const stop = this.stop(c, `volume ${key} is recreated`);
        removes.push(
          this.b.add({
            kind: "remove-container",
            service: c.service,
            container: { kind: "existing", id: c.id, name: c.name },
            removeAnonymousVolumes: false,
            cause: `volume ${key} is recreated`,
            deps: [stop, ...(this.reconnects.get(c.id) ?? [])],
          }),
        );
      }
      this.recreatedServices.add(svc);
    }
    const removed = this.b.add({
      kind: "remove-volume",
      key,
      name: live.name,
      cause: `volume ${key} configuration changed`,
      changes,
      destructive: `removing volume ${live.name} deletes the data in it`,
      deps: removes,
    });
    this.volumeNodes.set(key, this.b.add({ kind: "create-volume", key, name: cfg.name, config: cfg, cause: `volume ${key} configuration changed`, deps: [removed] }));
  }

  planImages(): void {
    const images = this.observed.images;
    if (images === undefined) return;
    for (const name of [...this.selected].sort(byName)) {
      const svc = this.project.services[name] as ServiceConfig;
      const ref = serviceImage(this.project.name, svc);
      const present = findImage(images, ref) !== undefined;
      const policy = svc.pull_policy ?? "missing";
      if (svc.build && !this.options.noBuild) {
        const why = this.options.build ? "--build" : policy === "build" ? "pull_policy is build" : present ? undefined : `image ${ref} is not present locally`;
        if (why !== undefined && !this.imageNodes.has(ref)) this.imageNodes.set(ref, this.b.add({ kind: "build-image", image: ref, service: name, cause: why }));
        continue;
      }
      // `--pull` overrides the service's pull_policy; daily/weekly/every_* count as missing (the list has no pull time).
      const mode = this.options.pull ?? (policy === "always" || policy === "never" ? policy : "missing");
      const source = this.options.pull ? `--pull ${this.options.pull}` : `pull_policy is ${policy}`;
      let why: string | undefined;
      if (mode === "always") why = source;
      else if (!present) {
        if (mode === "never") this.b.errors.push(`image ${ref} for service ${name} is not present locally and ${source}`);
        else if (svc.build && !svc.image) this.b.errors.push(`image ${ref} for service ${name} is not present locally and --no-build is set`);
        else why = `image ${ref} is not present locally`;
      }
      if (why === undefined) continue;
      const known = this.imageNodes.get(ref);
      if (known === undefined) this.imageNodes.set(ref, this.b.add({ kind: "pull-image", image: ref, services: [name], cause: why }));
      else {
        const action = this.b.actions[known - 1];
        if (action?.kind === "pull-image") (action.services as string[]).push(name);
      }
    }
  }

  policyFor(service: string): RecreatePolicy {
    const targeted = !this.options.services || this.options.services.length === 0 || this.options.services.includes(service);
    if (this.options.noRecreate) return "never";
    if (targeted) return this.options.forceRecreate ? "force" : "diverged";
    return this.options.alwaysRecreateDeps ? "force" : "diverged";
  }

  /** The services whose namespaces or volumes this one shares; recreating them leaves stale references here. */
  sharedParents(svc: ServiceConfig): string[] {
    const parents: string[] = [];
    for (const v of [svc.network_mode, svc.ipc, svc.pid]) {
      const t = referencedService(v);
      if (t) parents.push(t);
    }
    for (const e of svc.volumes_from ?? []) {
      const t = volumesFromTarget(e);
      if (t) parents.push(t);
    }
    return parents;
  }

  verdict(svc: ServiceConfig, c: ObservedContainer, policy: RecreatePolicy, hash: string): Verdict {
    if (policy === "never") return { container: c };
    if (policy === "force") {
      const targeted = !this.options.services?.length || this.options.services.includes(svc.name);
      return { container: c, reason: { cause: targeted ? "--force-recreate" : "--always-recreate-deps" } };
    }
    const parent = this.sharedParents(svc).find((p) => this.recreatedServices.has(p));
    if (parent) return { container: c, reason: { cause: `shares namespaces or volumes with ${parent}, which is recreated` } };
    // Left by an interrupted recreate (a killed run, a concurrent `down`): the temporary name
    // `<old id>_<name>` would stick, and a created container keeps the id of a network that is
    // gone (its start fails), so both are replaced under the right name on the right network.
    const finalName = containerName(this.project, svc, c.number ?? 1);
    if (c.name !== finalName && /^[0-9a-f]{12}_/.test(c.name) && c.name.slice(13) === finalName) {
      return { container: c, reason: { cause: `left under the temporary name of an interrupted recreate` } };
    }
    const gone = svc.network_mode
      ? undefined
      : networksByPriority(svc).find((k) => this.missingNetworks.has(k) && c.summary.networks[projectNetwork(this.project, k).name] !== undefined);
    if (gone !== undefined) return { container: c, reason: { cause: `network ${gone} was removed and is created again` } };
    if (c.configHash !== hash) {
      if (c.createdByMoor) {
        const changes = resourceChanges(c.summary.labels, recordedServiceConfig(svc), () => []);
        return { container: c, reason: { cause: "config changed", changes } };
      }
      // A container created by docker compose: its hash is over Go's JSON and cannot be compared.
      // Judge what the list call shows instead of recreating blindly (docs/planner.md).
      const changes = this.observableChanges(svc, c);
      if (changes.length > 0) return { container: c, reason: { cause: "config changed (seen on a container created by docker compose)", changes } };
      this.b.warnings.push(
        `${c.name} was created by docker compose ${c.summary.labels[LABELS.version] ?? "(unknown version)"}; its config hash cannot be compared, and what the engine shows matches, so it is kept (use --force-recreate to replace it)`,
      );
      return { container: c };
    }
    const image = this.observed.images ? findImage(this.observed.images, serviceImage(this.project.name, svc)) : undefined;
    if (image && c.summary.imageId && image.id !== c.summary.imageId) {
      return { container: c, reason: { cause: "image changed", changes: [`image id: ${shortId(c.summary.imageId)} → ${shortId(image.id)}`] } };
    }
    // A created container too: a run killed between its create and its connects left it short of
    // networks. But one the list shows on no network at all is still being created by a concurrent
    // run (the engine lists a container before its settings are filled in): that run finishes it,
    // and replacing it here would pull it from under that run's start.
    if (c.state === "running" || (c.state === "created" && Object.keys(c.summary.networks).length > 0)) {
      const missing = networksByPriority(svc).filter((k) => !svc.network_mode && c.summary.networks[projectNetwork(this.project, k).name] === undefined);
      if (missing.length > 0) return { container: c, reason: { cause: `not connected to network ${missing.join(", ")}` } };
    }
    // The hash names volumes by key; a volume renamed under the same key only shows in the mounts.
    const unmounted = (svc.volumes ?? [])
      .filter((v) => v.type === "volume" && v.source && this.project.volumes?.[v.source])
      .map((v) => this.project.volumes?.[v.source as string]?.name as string)
      .filter((name) => !c.summary.mounts.some((m) => m.type === "volume" && m.name === name));
    if (unmounted.length > 0) return { container: c, reason: { cause: `volume ${unmounted.join(", ")} is not mounted` } };
    return { container: c };
  }

  /** What a container list shows of a service: image, published ports, networks, named volumes. */
  observableChanges(svc: ServiceConfig, c: ObservedContainer): string[] {
    const changes: string[] = [];
    const image = serviceImage(this.project.name, svc);
    if (normalizeImageRef(c.summary.image) !== normalizeImageRef(image) && c.summary.image !== c.summary.imageId) {
      changes.push(`image: ${JSON.stringify(c.summary.image)} → ${JSON.stringify(image)}`);
    }
    const wantedPorts = (svc.ports ?? []).filter((p) => p.published).map((p) => `${p.published}:${p.target}/${p.protocol}`);
    const livePorts = [...new Set(c.summary.ports.filter((p) => p.publicPort !== undefined).map((p) => `${p.publicPort}:${p.privatePort}/${p.type}`))];
    if (c.state === "running" && wantedPorts.some((p) => !p.includes("-")) && [...wantedPorts].sort().join() !== livePorts.sort().join()) {
      changes.push(`ports: ${JSON.stringify(livePorts.sort())} → ${JSON.stringify(wantedPorts.sort())}`);
    }
    if (!svc.network_mode) {
      const wanted = networksByPriority(svc).map((k) => projectNetwork(this.project, k).name).sort(byName);
      const live = Object.keys(c.summary.networks).sort(byName);
      if (wanted.join() !== live.join()) changes.push(`networks: ${JSON.stringify(live)} → ${JSON.stringify(wanted)}`);
    }
    for (const v of svc.volumes ?? []) {
      if (v.type !== "volume" || !v.source) continue;
      const name = this.project.volumes?.[v.source]?.name ?? v.source;
      if (!c.summary.mounts.some((m) => m.name === name && m.destination === v.target)) changes.push(`volumes: ${name}:${v.target} not mounted`);
    }
    return changes;
  }

  infraDeps(svc: ServiceConfig): (number | undefined)[] {
    const deps: (number | undefined)[] = [];
    if (!svc.network_mode) for (const k of networksByPriority(svc)) deps.push(this.networkNodes.get(k));
    for (const v of svc.volumes ?? []) if (v.type === "volume" && v.source) deps.push(this.volumeNodes.get(v.source));
    deps.push(this.imageNodes.get(serviceImage(this.project.name, svc)));
    for (const ref of serviceReferences(svc)) if (this.selected.has(ref.target)) deps.push(this.serviceNodes.get(ref.target));
    return deps;
  }

  /** Connects a new container to its networks beyond the first (engine API 1.41 takes one at create). */
  connectExtras(svc: ServiceConfig, number: number, ref: ContainerRef, after: number): number[] {
    if (svc.network_mode) return [];
    return networksByPriority(svc)
      .slice(1)
      .map((k) => {
        const network = projectNetwork(this.project, k).name;
        return this.b.add({ kind: "connect-network", service: svc.name, container: ref, network, endpoint: serviceEndpoint(this.project, svc, number, k), cause: `${svc.name} also joins network ${k}`, deps: [after] });
      });
  }

  /** Stops the running containers of services that asked to restart when `svc` is recreated. */
  stopRestartingDependants(svc: ServiceConfig): number[] {
    const stops: number[] = [];
    for (const name of Object.keys(this.project.services).sort(byName)) {
      const dep = this.project.services[name]?.depends_on?.[svc.name];
      if (!dep?.restart || !this.selected.has(name)) continue;
      for (const c of this.containersOf(name)) {
        const id = this.stop(c, `depends on ${svc.name} with restart: true, and ${svc.name} is recreated`);
        if (id !== undefined) stops.push(id);
      }
    }
    return stops;
  }

  /**
   * Two containers with one number are what an interrupted recreate leaves (the new one under its
   * temporary name beside the old one). Keeps one per number, the up-to-date one under its final
   * name first, and removes the others.
   */
  removeDuplicateNumbers(svc: ServiceConfig, containers: readonly ObservedContainer[], hash: string): { ids: Set<string>; removals: number[] } {
    const byNumber = new Map<number, ObservedContainer[]>();
    for (const c of containers) byNumber.set(c.number ?? 1, [...(byNumber.get(c.number ?? 1) ?? []), c]);
    const ids = new Set<string>();
    const removals: number[] = [];
    for (const [number, group] of byNumber) {
      if (group.length < 2) continue;
      const finalName = containerName(this.project, svc, number);
      const rank = (c: ObservedContainer): number => (c.configHash === hash ? 0 : 2) + (c.name === finalName ? 0 : 1);
      for (const extra of [...group].sort((a, b) => rank(a) - rank(b) || byName(a.name, b.name)).slice(1)) {
        const cause = `another container of ${svc.name} has number ${number} (left by an interrupted run)`;
        const stop = this.stop(extra, cause);
        removals.push(this.b.add({ kind: "remove-container", service: svc.name, container: { kind: "existing", id: extra.id, name: extra.name }, removeAnonymousVolumes: false, cause, deps: [stop] }));
        ids.add(extra.id);
      }
    }
    return { ids, removals };
  }

  planService(svc: ServiceConfig): { ref: ContainerRef; ready: number | undefined; cause: string }[] {
    const name = svc.name;
    let expected = expectedScale(svc, this.options);
    if (svc.container_name && expected > 1) {
      this.b.errors.push(`service ${name} sets container_name ${svc.container_name} and cannot have ${expected} containers`);
      expected = 1;
    }
    const hash = serviceConfigHash(svc);
    const policy = this.policyFor(name);
    const duplicates = this.removeDuplicateNumbers(svc, this.containersOf(name), hash);
    const containers = this.containersOf(name).filter((c) => !duplicates.ids.has(c.id));
    const verdicts = containers.map((c) => this.verdict(svc, c, policy, hash));
    // Up-to-date containers first, lowest numbers first; the stale ones after them. Scaling down
    // removes from the end: stale containers go first, then the highest numbers (as compose does).
    const ordered = [...verdicts.filter((v) => !v.reason), ...verdicts.filter((v) => v.reason)];
    // Creates wait for the duplicates to go: a rename to the final name needs it free.
    const infra = [...this.infraDeps(svc), ...duplicates.removals];
    const toStart: { ref: ContainerRef; ready: number | undefined; cause: string }[] = [];
    let last: number | undefined;

    ordered.forEach((v, i) => {
      const c = v.container;
      const existing: ContainerRef = { kind: "existing", id: c.id, name: c.name };
      if (i >= expected) {
        const stop = this.stop(c, `scale down: ${name} wants ${expected}, has ${containers.length}`, [], true);
        last = this.b.add({ kind: "remove-container", service: name, container: existing, removeAnonymousVolumes: false, cause: `scale down: ${name} wants ${expected}, has ${containers.length}`, deps: [stop] });
        return;
      }
      if (v.reason) {
        const { create, rename } = this.recreate(svc, c, v.reason, infra);
        last = rename;
        toStart.push({ ref: { kind: "planned", action: create, name: containerName(this.project, svc, c.number ?? 1) }, ready: rename, cause: `replaces ${c.name}` });
        return;
      }
      const stoppedHere = this.stopped.get(c.id);
      if (stoppedHere !== undefined) {
        toStart.push({ ref: existing, ready: Math.max(stoppedHere, ...(this.reconnects.get(c.id) ?? [])), cause: "started again after the stop above" });
      } else if (c.state === "created" || c.state === "exited" || c.state === "dead") {
        toStart.push({ ref: existing, ready: undefined, cause: `was ${c.state}` });
      } else if (c.state === "paused") {
        this.b.warnings.push(`${c.name} is paused; it is left paused (moor unpause ${name})`);
      }
    });

    // New containers take the lowest free numbers. compose takes the highest plus one, which only
    // differs after a container was removed by hand; taking the free ones lets runs that race
    // agree: both pick the same numbers, the engine's name conflict makes one of them adopt the
    // other's container, and the service ends with the wanted count instead of one too many.
    const taken = new Set(containers.map((c) => c.number ?? 1));
    let next = 0;
    for (let n = containers.length; n < expected; n++) {
      do next++;
      while (taken.has(next));
      const cname = containerName(this.project, svc, next);
      const create = this.b.add({ kind: "create-container", service: name, number: next, name: cname, cause: `${name} wants ${expected} container${expected === 1 ? "" : "s"}, has ${containers.length}`, deps: infra });
      const ref: ContainerRef = { kind: "planned", action: create, name: cname };
      const extras = this.connectExtras(svc, next, ref, create);
      last = Math.max(create, ...extras);
      toStart.push({ ref, ready: last, cause: `created by #${create}` });
    }
    if (last !== undefined) this.serviceNodes.set(name, last);
    return toStart;
  }

  /** Create the replacement under a temporary name, stop and remove the old one, give the new one its name. */
  recreate(svc: ServiceConfig, c: ObservedContainer, reason: { cause: string; changes?: string[] }, infra: (number | undefined)[]): { create: number; rename: number } {
    this.recreatedServices.add(svc.name);
    const dependants = this.stopRestartingDependants(svc);
    const finalName = containerName(this.project, svc, c.number ?? 1);
    const tmpName = `${shortId(c.id)}_${finalName}`;
    const create = this.b.add({
      kind: "create-container",
      service: svc.name,
      number: c.number ?? 1,
      name: tmpName,
      replaces: c.id,
      ...(this.options.renewAnonVolumes ? {} : { inheritVolumesFrom: c.id }),
      cause: this.options.renewAnonVolumes ? `${reason.cause}; new anonymous volumes (-V)` : reason.cause,
      ...(reason.changes && reason.changes.length > 0 ? { changes: reason.changes } : {}),
      deps: [...infra, ...dependants],
    });
    const ref: ContainerRef = { kind: "planned", action: create, name: tmpName };
    const extras = this.connectExtras(svc, c.number ?? 1, ref, create);
    const old: ContainerRef = { kind: "existing", id: c.id, name: c.name };
    const stop = this.stop(c, `replaced by #${create}`, [create]);
    const remove = this.b.add({
      kind: "remove-container",
      service: svc.name,
      container: old,
      removeAnonymousVolumes: false,
      cause: `replaced by #${create}`,
      deps: [create, stop, ...(this.reconnects.get(c.id) ?? [])],
    });
    const rename = this.b.add({ kind: "rename-container", service: svc.name, container: ref, to: finalName, cause: `takes the name of the container it replaces`, deps: [remove, ...extras] });
    return { create, rename };
  }

  wait(service: string, condition: ServiceDependency["condition"], dependant: string): number {
    const key = `${service}:${condition}`;
    const known = this.waits.get(key);
    if (known !== undefined) return known;
    const what = { service_started: "started", service_healthy: "healthy", service_completed_successfully: "completed successfully" }[condition];
    const id = this.b.add({ kind: "wait-service", service, condition, cause: `${dependant} needs ${service} ${what}`, deps: [...(this.startNodes.get(service) ?? []), this.serviceNodes.get(service)] });
    this.waits.set(key, id);
    return id;
  }

  /**
   * A container stopped only to swap a network under it, whose service is not being planned (not
   * named on the command line), was running before: it runs again afterwards.
   */
  restartStopped(): void {
    const handled = new Set<string>();
    for (const a of this.b.actions) {
      if ((a.kind === "start-container" || a.kind === "remove-container") && a.container.kind === "existing") handled.add(a.container.id);
    }
    for (const c of [...this.observed.services.values()].flat()) {
      const stop = this.stopped.get(c.id);
      if (stop === undefined || handled.has(c.id)) continue;
      this.b.add({
        kind: "start-container",
        service: c.service,
        container: { kind: "existing", id: c.id, name: c.name },
        cause: "started again after the stop above",
        deps: [stop, ...(this.reconnects.get(c.id) ?? [])],
      });
    }
  }

  planOrphans(): void {
    const known = new Set([...Object.keys(this.project.services), ...(this.options.disabledServices ?? [])]);
    // One-off containers of a service that is gone are orphans too (compose counts them).
    const orphans = [
      ...[...this.observed.services.entries()].filter(([svc]) => !known.has(svc)).flatMap(([, list]) => list),
      ...this.observed.oneoffs.filter((c) => !known.has(c.service)),
    ];
    if (orphans.length === 0) return;
    if (!this.options.removeOrphans) {
      // compose's own words, so scripts and people that know them recognise the warning.
      this.b.warnings.push(
        `Found orphan containers ([${orphans.map((c) => c.name).join(" ")}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
      );
      return;
    }
    for (const c of orphans) {
      const stop = this.stop(c, `orphan: service ${c.service} is not in the compose file`);
      this.b.add({ kind: "remove-container", service: c.service, container: { kind: "existing", id: c.id, name: c.name }, removeAnonymousVolumes: false, cause: `orphan: service ${c.service} is not in the compose file`, deps: [stop] });
    }
  }

  run(): Plan {
    let order: string[];
    try {
      order = topologicalOrder(serviceGraph(buildProjectGraph(this.project))).map((id) => id.slice("service:".length));
    } catch (e) {
      this.b.errors.push((e as Error).message);
      return this.b.build();
    }
    for (const name of order.filter((s) => this.selected.has(s))) {
      const error = healthcheckError(this.project.services[name] as ServiceConfig);
      if (error) this.b.errors.push(error);
    }
    if (this.options.environment) {
      for (const name of order.filter((s) => this.selected.has(s))) {
        const svc = this.project.services[name] as ServiceConfig;
        this.b.errors.push(...fileInjections(this.project, svc, this.options.environment).errors);
      }
    }
    this.planNetworks();
    this.planVolumes();
    // A service whose containers go with a recreated volume must be created again even when it
    // was not named on the command line.
    for (const name of this.cleared) this.selected.add(name);
    this.planImages();
    for (const name of order.filter((s) => this.selected.has(s))) {
      const svc = this.project.services[name] as ServiceConfig;
      if (svc.provider) {
        this.b.warnings.push(`service ${name} is run by the ${svc.provider.type} provider, which moor does not run yet; skipped`);
        continue;
      }
      const toStart = this.planService(svc);
      if (this.options.noStart || toStart.length === 0) continue;
      const waits = serviceReferences(svc)
        .filter((ref) => this.selected.has(ref.target))
        .map((ref) => this.wait(ref.target, ref.edge.condition, name));
      const starts = toStart.map((s) =>
        this.b.add({ kind: "start-container", service: name, container: s.ref, cause: s.cause, deps: [s.ready, ...waits] }),
      );
      this.startNodes.set(name, starts);
    }
    this.planOrphans();
    this.restartStopped();
    return this.b.build();
  }
}

/** Plans `up` (or `create` with `noStart`): what to create, replace, start and remove so the project runs as declared. */
export function plan(project: Project, observed: ObservedState, options: PlanOptions = {}): Plan {
  return new UpPlanner(project, observed, options).run();
}
