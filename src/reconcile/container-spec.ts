// A normalized service turned into the body of the Docker Engine API's container create call
// (API v1.41: one network endpoint at create time, the others connected afterwards). Pure: every
// name it needs (networks, volumes, containers of other services) is derived from the Project, so
// the executor only adds the engine calls.
import type { DeviceRequest, NetworkConfig, Project, ServiceConfig, ServiceFileReference, ServiceVolumeConfig, VolumeConfig } from "../compose/types.js";
import type { EndpointConfig } from "../engine/engine.js";
import { LABELS } from "../engine/types.js";
import { canonicalJson, networkConfigHash, networkHashInput, recordedServiceConfig, serviceConfigHash, volumeConfigHash, volumeHashInput } from "./config-hash.js";
import { MOOR_CONFIG_LABEL, MOOR_HASH_LABEL } from "./observed-state.js";

/** One network endpoint of the create call (`NetworkingConfig.EndpointsConfig[name]`) or of a connect call. */
export type EndpointSpec = EndpointConfig;

export interface MountSpec {
  Type: "bind" | "volume" | "tmpfs" | "npipe" | "image";
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean; NonRecursive?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string; Labels?: Record<string, string> };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  ImageOptions?: { Subpath?: string };
}

export interface HostConfigSpec {
  Binds?: string[];
  Mounts?: MountSpec[];
  Tmpfs?: Record<string, string>;
  PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[]>;
  NetworkMode?: string;
  RestartPolicy?: { Name: string; MaximumRetryCount?: number };
  CapAdd?: string[];
  CapDrop?: string[];
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  Init?: boolean;
  ShmSize?: number;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuCount?: number;
  CpuPercent?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  BlkioWeight?: number;
  BlkioWeightDevice?: { Path: string; Weight: number }[];
  BlkioDeviceReadBps?: { Path: string; Rate: number }[];
  BlkioDeviceWriteBps?: { Path: string; Rate: number }[];
  BlkioDeviceReadIOps?: { Path: string; Rate: number }[];
  BlkioDeviceWriteIOps?: { Path: string; Rate: number }[];
  CpusetCpus?: string;
  PidsLimit?: number;
  OomKillDisable?: boolean;
  OomScoreAdj?: number;
  CgroupParent?: string;
  CgroupnsMode?: string;
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  Sysctls?: Record<string, string>;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  DeviceRequests?: { Driver?: string; Count?: number; DeviceIDs?: string[]; Capabilities?: string[][]; Options?: Record<string, string> }[];
  DeviceCgroupRules?: string[];
  LogConfig?: { Type: string; Config?: Record<string, string> };
  SecurityOpt?: string[];
  MaskedPaths?: string[];
  ReadonlyPaths?: string[];
  PidMode?: string;
  IpcMode?: string;
  UTSMode?: string;
  UsernsMode?: string;
  Links?: string[];
  VolumesFrom?: string[];
  ExtraHosts?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  GroupAdd?: string[];
  Runtime?: string;
  Isolation?: string;
  StorageOpt?: Record<string, string>;
  Annotations?: Record<string, string>;
}

export interface HealthcheckSpec {
  Test?: string[];
  /** Nanoseconds, as the engine API wants them. */
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The JSON body of `POST /containers/create`, field names as the engine API spells them. */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  WorkingDir?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  StopSignal?: string;
  /** Seconds. */
  StopTimeout?: number;
  MacAddress?: string;
  Healthcheck?: HealthcheckSpec;
  HostConfig: HostConfigSpec;
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointSpec> };
}

/** Everything the executor needs to create one container: its name, the body, and the networks to connect after. */
export interface ContainerCreateSpec {
  name: string;
  body: ContainerCreateBody;
  /** Networks beyond the first, in priority order: `POST /networks/{name}/connect` once created. */
  extraNetworks: { network: string; endpoint: EndpointSpec }[];
  /**
   * The create call's `platform` query parameter: the service's `platform`, else the project
   * environment's DOCKER_DEFAULT_PLATFORM, as compose sends it (the engine then refuses a local
   * image of another platform instead of running it).
   */
  platform?: string;
}

export interface ContainerSpecContext {
  configFiles: string[];
  workingDir: string;
  /** The image id the container will run; written to `com.docker.compose.image` as compose does. */
  imageId?: string;
  oneoff?: boolean;
  /** moor's version, written to `com.docker.compose.version`. */
  version: string;
  environmentFiles?: string[];
  /** The id of the container this one replaces (a recreate); sets `com.docker.compose.replace` to its `<service>-<n>`. */
  replaces?: string;
  /** Overrides the container name, e.g. the temporary name a recreate uses until the old one is gone. */
  name?: string;
  /** DOCKER_DEFAULT_PLATFORM from the project's environment, for services without `platform`. */
  defaultPlatform?: string;
}

/** `<project>-<service>-<n>`, or the service's `container_name`. */
export function containerName(project: Project | string, service: ServiceConfig, number: number): string {
  if (service.container_name) return service.container_name;
  const name = typeof project === "string" ? project : project.name;
  return `${name}-${service.name}-${number}`;
}

/** The image a service runs: its `image`, or `<project>-<service>` for a build without one, as compose names it. */
export function serviceImage(projectName: string, service: ServiceConfig): string {
  return service.image ?? `${projectName}-${service.name}`;
}

const GO_DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses a Go duration ("1m30s", "500ms") to nanoseconds; undefined when it is not one. */
export function goDurationToNanos(text: string): number | undefined {
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (GO_DURATION_UNITS[m[2] ?? ""] ?? 0);
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? Math.round(total) : undefined;
}

/** Drops keys whose value is undefined, so the body carries only what the service sets. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined => (list && list.length > 0 ? list : undefined);
const nonEmptyRecord = <T>(rec: Record<string, T> | undefined): Record<string, T> | undefined =>
  rec && Object.keys(rec).length > 0 ? rec : undefined;

/** The service's networks, highest `priority` first, ties by name (the order compose connects them). */
export function networksByPriority(service: ServiceConfig): string[] {
  const entries = Object.entries(service.networks ?? {});
  if (entries.length === 0) return service.network_mode ? [] : ["default"];
  return entries
    .sort(([a, ca], [b, cb]) => (cb?.priority ?? 0) - (ca?.priority ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key]) => key);
}

/**
 * A network of the project by key. `default` exists even when the file does not declare it: every
 * service without `networks` or `network_mode` joins `<project>_default`, as in compose.
 */
export function projectNetwork(project: Project, key: string): NetworkConfig {
  return project.networks?.[key] ?? { name: `${project.name}_${key}` };
}

/** `service:x` → `container:<first container of x>`: the engine takes a container name there, so no id is needed. */
function resolveServiceRef(project: Project, value: string | undefined): string | undefined {
  if (!value?.startsWith("service:")) return value;
  const target = project.services[value.slice("service:".length)];
  return target ? `container:${containerName(project, target, 1)}` : value;
}

function restartPolicy(service: ServiceConfig): HostConfigSpec["RestartPolicy"] {
  const fromDeploy = service.deploy?.restart_policy;
  // Compose v5 gives a deploy restart_policy without `condition` no default: the engine's empty
  // policy name, so the container is not restarted (the spec's "any" is Swarm's default).
  const raw = fromDeploy ? (fromDeploy.condition ?? "") : service.restart;
  if (raw === undefined) return undefined;
  const [condition = "", count] = raw.split(":");
  const name = { none: "no", no: "no", any: "always", always: "always", "on-failure": "on-failure", "unless-stopped": "unless-stopped" }[condition] ?? condition;
  const retries = fromDeploy ? fromDeploy.max_attempts : count === undefined ? undefined : Number(count);
  return compact({ Name: name, MaximumRetryCount: retries });
}

/**
 * The legacy `Binds` form compose v5 sends for a mount that needs none of the Mounts API's options:
 * `<source>:<target>:<rw|ro>[,selinux]`, the access mode always written.
 */
function bindString(source: string, v: ServiceVolumeConfig): string {
  const opts = [v.read_only ? "ro" : "rw"];
  if (v.bind?.selinux) opts.push(v.bind.selinux);
  return `${source}:${v.target}:${opts.join(",")}`;
}

function volumeMounts(project: Project, service: ServiceConfig): { binds: string[]; mounts: MountSpec[] } {
  const binds: string[] = [];
  const mounts: MountSpec[] = [];
  for (const v of service.volumes ?? []) {
    // Compose uses the Binds API unless an option only Mounts has is set: binds then create a
    // missing host directory (the Mounts API refuses it), and named volumes look as `docker run -v`
    // makes them (HostConfig.Binds, Mode "rw").
    if (v.type === "bind" && v.source && v.bind?.create_host_path !== false && !v.bind?.propagation && v.bind?.recursive === undefined) {
      binds.push(bindString(v.source, v));
      continue;
    }
    const named = v.type === "volume" && v.source ? project.volumes?.[v.source] : undefined;
    if (named && !v.volume?.nocopy && !v.volume?.subpath && !nonEmptyRecord(v.volume?.labels)) {
      binds.push(bindString(named.name, v));
      continue;
    }
    const source = v.type === "volume" && v.source ? (project.volumes?.[v.source]?.name ?? v.source) : v.source;
    mounts.push(
      compact<MountSpec>({
        Type: v.type === "cluster" ? "volume" : v.type,
        Source: source,
        Target: v.target,
        ReadOnly: v.read_only || undefined,
        Consistency: v.consistency,
        BindOptions:
          v.type === "bind" && v.bind
            ? compact({ Propagation: v.bind.propagation, CreateMountpoint: v.bind.create_host_path, NonRecursive: v.bind.recursive === "disabled" || undefined })
            : undefined,
        VolumeOptions:
          v.type === "volume" && v.volume ? compact({ NoCopy: v.volume.nocopy, Subpath: v.volume.subpath, Labels: v.volume.labels }) : undefined,
        TmpfsOptions: v.type === "tmpfs" && v.tmpfs ? compact({ SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode }) : undefined,
        ImageOptions: v.type === "image" && v.image ? compact({ Subpath: v.image.subpath }) : undefined,
      }),
    );
  }
  // File-backed secrets and configs are bind mounts, read-only, where compose puts them.
  for (const [kind, refs] of [
    ["secrets", service.secrets],
    ["configs", service.configs],
  ] as const) {
    for (const ref of refs ?? []) {
      const def = kind === "secrets" ? project.secrets?.[ref.source] : project.configs?.[ref.source];
      // `environment:` and `content:` sources are copied in before start (fileInjections).
      if (!def?.file || def.environment !== undefined || def.content !== undefined) continue;
      const target = fileTarget(kind, ref);
      mounts.push({ Type: "bind", Source: def.file, Target: target, ReadOnly: true });
    }
  }
  return { binds, mounts };
}

/** Where compose puts a secret or config: `/run/secrets/<target|source>` and `/<target|source>`, absolute targets as they are. */
export function fileTarget(kind: "secrets" | "configs", ref: ServiceFileReference): string {
  const dir = kind === "secrets" ? "/run/secrets/" : "/";
  return ref.target?.startsWith("/") ? ref.target : `${dir}${ref.target ?? ref.source}`;
}

/** A secret or config that compose copies into the container (a tar extracted at `/`) before each start. */
export interface FileInjection {
  kind: "secrets" | "configs";
  /** The key under the project's `secrets`/`configs`. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  content: string;
  /** Defaults to 0o444 as in compose. */
  mode: number;
  uid?: number;
  gid?: number;
  /** Compose asks the engine to keep the tar's owner (`copyUIDGID`) only when uid or gid is set. */
  copyUidGid: boolean;
}

/**
 * The secrets and configs defined by `environment:` or `content:`: compose has no file to bind for
 * them, so it writes each into the container before every start (after create, before
 * `ContainerStart`), mode 0444 unless the reference sets `mode`, owned by `uid`/`gid` when set.
 * `environment` names a variable of the project's environment (shell and `.env`), not the
 * service's. Problems are returned, not thrown: the planner reports them before anything runs.
 */
export function fileInjections(project: Project, service: ServiceConfig, environment: Readonly<Record<string, string>>): { files: FileInjection[]; errors: string[] } {
  const files: FileInjection[] = [];
  const errors: string[] = [];
  for (const kind of ["secrets", "configs"] as const) {
    for (const ref of service[kind] ?? []) {
      const def = project[kind]?.[ref.source];
      if (!def || (def.environment === undefined && def.content === undefined)) continue;
      const what = kind === "secrets" ? "secret" : "config";
      let content = def.content;
      if (content === undefined && def.environment !== undefined) {
        content = environment[def.environment];
        if (content === undefined) {
          errors.push(`environment variable ${def.environment} required by ${what} ${ref.source} (service ${service.name}) is not set`);
          continue;
        }
      }
      // Compose skips an empty value: there is nothing to write.
      if (content === undefined || content === "") continue;
      if (service.read_only) {
        errors.push(`cannot create ${what} ${ref.source} in read-only service ${service.name}: \`file\` is the sole supported option`);
        continue;
      }
      const id = (v: string | undefined): number | undefined => (v === undefined || v === "" ? undefined : Number(v));
      files.push(
        compact<FileInjection>({
          kind,
          source: ref.source,
          target: fileTarget(kind, ref),
          content,
          mode: ref.mode ?? 0o444,
          uid: id(ref.uid),
          gid: id(ref.gid),
          copyUidGid: (ref.uid !== undefined && ref.uid !== "") || (ref.gid !== undefined && ref.gid !== ""),
        }),
      );
    }
  }
  return { files, errors };
}

const IFNAME_OPTION = "com.docker.network.endpoint.ifname";

function endpoint(service: ServiceConfig, ownName: string, key: string, useAliases: boolean, linkList: string[] | undefined): EndpointSpec {
  const cfg = service.networks?.[key] ?? undefined;
  const aliases = [ownName];
  if (useAliases) aliases.push(service.name, ...(cfg?.aliases ?? []));
  const ipam = compact({ IPv4Address: cfg?.ipv4_address, IPv6Address: cfg?.ipv6_address, LinkLocalIPs: nonEmpty(cfg?.link_local_ips) });
  // `interface_name` is the endpoint driver option the engine names the interface by; compose
  // sets it over a driver_opts entry of the same key.
  const driverOpts = cfg?.interface_name ? { ...cfg.driver_opts, [IFNAME_OPTION]: cfg.interface_name } : cfg?.driver_opts;
  return compact<EndpointSpec>({
    Aliases: aliases,
    Links: linkList,
    IPAMConfig: Object.keys(ipam).length > 0 ? ipam : undefined,
    MacAddress: cfg?.mac_address,
    DriverOpts: nonEmptyRecord(driverOpts),
    GwPriority: cfg?.gw_priority || undefined,
  });
}

/** How many containers a service runs when nothing on the command line changes it. */
function declaredScale(service: ServiceConfig): number {
  if (service.deploy?.mode === "global") return 1;
  return service.scale ?? service.deploy?.replicas ?? 1;
}

/**
 * Compose's legacy links, as it sends them both in `HostConfig.Links` and in every network
 * endpoint's `Links` (the endpoint copy is what makes the alias resolve on a user-defined network):
 * for each container of the linked service `<container>:<alias>`, `<container>:<service>-<n>` and
 * `<container>:<project>-<service>-<n>`, where n is the number of the container being created (a
 * quirk compose keeps from v1); external links as written.
 */
function links(project: Project, service: ServiceConfig, number: number): string[] | undefined {
  const out: string[] = [];
  for (const link of service.links ?? []) {
    const colon = link.indexOf(":");
    const target = colon === -1 ? link : link.slice(0, colon);
    const alias = colon === -1 ? link : link.slice(colon + 1);
    const other = project.services[target];
    // The planner creates the linked service's containers first, numbered 1..scale.
    const names = other ? [...new Set(Array.from({ length: Math.max(declaredScale(other), 1) }, (_, i) => containerName(project, other, i + 1)))] : [target];
    for (const name of names) out.push(`${name}:${alias}`, `${name}:${target}-${number}`, `${name}:${project.name}-${target}-${number}`);
  }
  for (const link of service.external_links ?? []) {
    const colon = link.indexOf(":");
    out.push(colon === -1 ? `${link}:${link}` : link);
  }
  return nonEmpty(out);
}

function exposedPorts(service: ServiceConfig): ContainerCreateBody["ExposedPorts"] {
  const ports: Record<string, Record<string, never>> = {};
  for (const p of service.ports ?? []) ports[`${p.target}/${p.protocol}`] = {};
  for (const e of service.expose ?? []) {
    const [range = e, protocol = "tcp"] = e.split("/");
    const [start = range, end = start] = range.split("-");
    for (let port = Number(start); port <= Number(end); port++) ports[`${port}/${protocol}`] = {};
  }
  return nonEmptyRecord(ports);
}

function portBindings(service: ServiceConfig): HostConfigSpec["PortBindings"] {
  const out: Record<string, { HostIp?: string; HostPort?: string }[]> = {};
  for (const p of service.ports ?? []) {
    const key = `${p.target}/${p.protocol}`;
    (out[key] ??= []).push(compact({ HostIp: p.host_ip, HostPort: p.published ?? "" }));
  }
  return nonEmptyRecord(out);
}

/** A CDI qualified device name, `vendor/class=name` (vendor and class start with a letter), given as both source and target. */
function isCdiDevice(d: { source: string; target: string }): boolean {
  return d.source === d.target && /^[A-Za-z](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\/[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9])?=[A-Za-z0-9](?:[A-Za-z0-9._:-]*[A-Za-z0-9])?$/.test(d.source);
}

function deviceRequest(g: DeviceRequest, extra: string[]): NonNullable<HostConfigSpec["DeviceRequests"]>[number] {
  const caps = [...(g.capabilities ?? []), ...extra.filter((c) => !g.capabilities?.includes(c))];
  return compact({ Driver: g.driver, Count: g.count, DeviceIDs: nonEmpty(g.device_ids), Capabilities: caps.length > 0 ? [caps] : undefined, Options: nonEmptyRecord(g.options) });
}

/** `blkio_config` as the normalized model holds it (compose's own key spelling: Path, Weight, Rate). */
function blkio(service: ServiceConfig): Partial<HostConfigSpec> {
  const b = service.blkio_config as
    | { weight?: number; weight_device?: { Path: string; Weight: number }[] } & Partial<Record<"device_read_bps" | "device_write_bps" | "device_read_iops" | "device_write_iops", { Path: string; Rate: number | string }[]>>
    | undefined;
  if (!b) return {};
  const rates = (list: { Path: string; Rate: number | string }[] | undefined) => nonEmpty(list?.map((d) => ({ Path: d.Path, Rate: Number(d.Rate) })));
  return {
    BlkioWeight: b.weight,
    BlkioWeightDevice: nonEmpty(b.weight_device?.map((d) => ({ Path: d.Path, Weight: d.Weight }))),
    BlkioDeviceReadBps: rates(b.device_read_bps),
    BlkioDeviceWriteBps: rates(b.device_write_bps),
    BlkioDeviceReadIOps: rates(b.device_read_iops),
    BlkioDeviceWriteIOps: rates(b.device_write_iops),
  };
}

/** Compose refuses to create a container whose healthcheck has `start_interval` without `start_period` (moby#48874). */
export function healthcheckError(service: ServiceConfig): string | undefined {
  const h = service.healthcheck;
  if (!h || h.start_interval === undefined || h.start_period !== undefined) return undefined;
  return `service ${service.name}: healthcheck.start_interval requires healthcheck.start_period to be set`;
}

function healthcheck(service: ServiceConfig): HealthcheckSpec | undefined {
  const h = service.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ["NONE"] };
  const ns = (d: string | undefined): number | undefined => (d === undefined ? undefined : goDurationToNanos(d));
  return compact({ Test: h.test, Interval: ns(h.interval), Timeout: ns(h.timeout), StartPeriod: ns(h.start_period), StartInterval: ns(h.start_interval), Retries: h.retries });
}

/** `com.docker.compose.depends_on`: `service:condition:restart`, comma-separated, as compose writes it. */
export function dependsOnLabel(service: ServiceConfig): string {
  return Object.entries(service.depends_on ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, dep]) => `${name}:${dep.condition}:${dep.restart ?? false}`)
    .join(",");
}

/** The labels compose puts on a container, plus moor's config label (see docs/planner.md). */
export function containerLabels(project: Project, service: ServiceConfig, number: number, ctx: ContainerSpecContext): Record<string, string> {
  const labels: Record<string, string> = { ...(service.labels ?? {}) };
  labels[LABELS.project] = project.name;
  labels[LABELS.service] = service.name;
  labels[LABELS.oneoff] = ctx.oneoff ? "True" : "False";
  if (!ctx.oneoff) labels[LABELS.containerNumber] = String(number);
  labels[LABELS.configHash] = serviceConfigHash(service);
  labels[LABELS.configFiles] = ctx.configFiles.join(",");
  labels[LABELS.workingDir] = ctx.workingDir;
  if (ctx.environmentFiles && ctx.environmentFiles.length > 0) labels[LABELS.environmentFile] = ctx.environmentFiles.join(",");
  labels[LABELS.dependsOn] = dependsOnLabel(service);
  if (ctx.imageId) labels[LABELS.image] = ctx.imageId;
  labels[LABELS.version] = ctx.version;
  // Compose v5 names the replaced container by `<service>-<n>` (or its container_name), not its id.
  if (ctx.replaces) labels[LABELS.replace] = service.container_name ?? `${service.name}-${number}`;
  labels[MOOR_CONFIG_LABEL] = canonicalJson(recordedServiceConfig(service));
  return labels;
}

/** The labels compose v5 gives an image it builds: the build's own, then its version, project and service. */
export function imageBuildLabels(projectName: string, service: ServiceConfig, version: string): Record<string, string> {
  return { ...(service.build?.labels ?? {}), [LABELS.version]: version, [LABELS.project]: projectName, [LABELS.service]: service.name };
}

/** The labels of a network moor creates: compose's, its config hash, and moor's config label for diffs. */
export function networkLabels(projectName: string, key: string, network: NetworkConfig, version: string): Record<string, string> {
  return {
    ...(network.labels ?? {}),
    [LABELS.project]: projectName,
    [LABELS.network]: key,
    [LABELS.version]: version,
    [MOOR_HASH_LABEL]: networkConfigHash(network),
    [MOOR_CONFIG_LABEL]: canonicalJson(networkHashInput(network)),
  };
}

/** The labels of a volume moor creates, as for networks. */
export function volumeLabels(projectName: string, key: string, volume: VolumeConfig, version: string): Record<string, string> {
  return {
    ...(volume.labels ?? {}),
    [LABELS.project]: projectName,
    [LABELS.volume]: key,
    [LABELS.version]: version,
    [MOOR_HASH_LABEL]: volumeConfigHash(volume),
    [MOOR_CONFIG_LABEL]: canonicalJson(volumeHashInput(volume)),
  };
}

/**
 * The endpoint a service container has on network `key` (aliases, links, fixed addresses), as the
 * create call or a connect call sends it: what a container reconnected after a network recreate
 * must get again, or it loses its aliases.
 */
export function serviceEndpoint(project: Project, service: ServiceConfig, number: number, key: string): EndpointSpec {
  return endpoint(service, containerName(project, service, number), key, true, links(project, service, number));
}

/** Translates one container of a service into the engine's create call. */
export function containerSpec(project: Project, service: ServiceConfig, number: number, ctx: ContainerSpecContext): ContainerCreateSpec {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const { binds, mounts } = volumeMounts(project, service);
  const tmpfs: Record<string, string> = {};
  for (const t of service.tmpfs ?? []) {
    const colon = t.indexOf(":");
    if (colon === -1) tmpfs[t] = "";
    else tmpfs[t.slice(0, colon)] = t.slice(colon + 1);
  }

  // A one-off container (`run`) answers to its container name only, as compose's does: the
  // service name must keep resolving to the service's own containers.
  const useAliases = !ctx.oneoff;
  // The alias is the final name even while a recreate uses a temporary one.
  const ownName = ctx.oneoff && ctx.name ? ctx.name : containerName(project, service, number);
  const engineName = (key: string): string => projectNetwork(project, key).name;
  const [primary, ...rest] = networksByPriority(service);
  const networkMode = resolveServiceRef(project, service.network_mode) ?? (primary === undefined ? "none" : engineName(primary));

  const envEntries = Object.entries(service.environment ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const stopTimeout = service.stop_grace_period === undefined ? undefined : goDurationToNanos(service.stop_grace_period);
  const nanoCpus = limits?.cpus ?? service.cpus;
  const linkList = links(project, service, number);
  const cdiDevices = (service.devices ?? []).filter(isCdiDevice).map((d) => d.source);

  const hostConfig = compact<HostConfigSpec>({
    Binds: nonEmpty(binds),
    Mounts: nonEmpty(mounts),
    Tmpfs: nonEmptyRecord(tmpfs),
    PortBindings: portBindings(service),
    NetworkMode: networkMode,
    RestartPolicy: restartPolicy(service),
    CapAdd: nonEmpty(service.cap_add),
    CapDrop: nonEmpty(service.cap_drop),
    Privileged: service.privileged,
    ReadonlyRootfs: service.read_only,
    Init: service.init,
    ShmSize: service.shm_size,
    Memory: limits?.memory ?? service.mem_limit,
    MemoryReservation: reservations?.memory ?? service.mem_reservation,
    MemorySwap: service.memswap_limit,
    // Compose sends no swappiness for 0 and no pids limit for 0 (the engine's defaults then apply).
    MemorySwappiness: service.mem_swappiness || undefined,
    NanoCpus: nanoCpus === undefined ? undefined : Math.round(nanoCpus * 1e9),
    CpuShares: service.cpu_shares,
    CpuPeriod: service.cpu_period,
    CpuQuota: service.cpu_quota,
    CpuCount: service.cpu_count,
    // Compose multiplies by 100 (the field is Windows-only; Linux engines discard it).
    CpuPercent: service.cpu_percent === undefined ? undefined : Math.trunc(service.cpu_percent * 100),
    CpuRealtimePeriod: service.cpu_rt_period,
    CpuRealtimeRuntime: service.cpu_rt_runtime,
    ...blkio(service),
    CpusetCpus: service.cpuset,
    PidsLimit: (limits?.pids !== undefined && limits.pids > 0 ? limits.pids : undefined) ?? (service.pids_limit || undefined),
    OomKillDisable: service.oom_kill_disable,
    OomScoreAdj: service.oom_score_adj,
    CgroupParent: service.cgroup_parent,
    CgroupnsMode: service.cgroup,
    Ulimits: nonEmpty(
      Object.entries(service.ulimits ?? {}).map(([name, u]) => ({ Name: name, Soft: u.single ?? u.soft ?? 0, Hard: u.single ?? u.hard ?? 0 })),
    ),
    Sysctls: nonEmptyRecord(service.sysctls),
    Devices: nonEmpty(
      service.devices?.filter((d) => !isCdiDevice(d)).map((d) => ({ PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions })),
    ),
    DeviceRequests: nonEmpty([
      // CDI device names (`vendor.com/class=name`) are a request to the engine's CDI driver, as compose sends them.
      ...(cdiDevices.length > 0 ? [{ Driver: "cdi", DeviceIDs: cdiDevices }] : []),
      // `gpus:` always asks for the gpu capability; deploy reservations say exactly what they want.
      ...(service.gpus ?? []).map((g) => deviceRequest(g, ["gpu"])),
      ...(reservations?.devices ?? []).map((g) => deviceRequest(g, [])),
    ]),
    DeviceCgroupRules: nonEmpty(service.device_cgroup_rules),
    LogConfig: service.logging ? compact({ Type: service.logging.driver ?? "", Config: nonEmptyRecord(service.logging.options) }) : undefined,
    // `systempaths=unconfined` is not an engine option: compose drops it and sends empty masked
    // and read-only path lists instead, as `docker run --security-opt systempaths=unconfined` does.
    SecurityOpt: nonEmpty(service.security_opt?.filter((o) => o !== "systempaths=unconfined")),
    MaskedPaths: service.security_opt?.includes("systempaths=unconfined") ? [] : undefined,
    ReadonlyPaths: service.security_opt?.includes("systempaths=unconfined") ? [] : undefined,
    PidMode: resolveServiceRef(project, service.pid),
    IpcMode: resolveServiceRef(project, service.ipc),
    UTSMode: resolveServiceRef(project, service.uts),
    UsernsMode: service.userns_mode,
    Links: linkList,
    VolumesFrom: nonEmpty(
      service.volumes_from?.map((entry) => {
        if (entry.startsWith("container:")) return entry.slice("container:".length);
        const [name = entry, mode] = entry.split(":");
        const other = project.services[name];
        const target = other ? containerName(project, other, 1) : name;
        return mode ? `${target}:${mode}` : target;
      }),
    ),
    ExtraHosts: nonEmpty(Object.entries(service.extra_hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`))),
    Dns: nonEmpty(service.dns),
    DnsSearch: nonEmpty(service.dns_search),
    DnsOptions: nonEmpty(service.dns_opt),
    GroupAdd: nonEmpty(service.group_add),
    Runtime: service.runtime,
    Isolation: service.isolation,
    StorageOpt: nonEmptyRecord(service.storage_opt),
    Annotations: nonEmptyRecord(service.annotations),
  });

  const body = compact<ContainerCreateBody>({
    Image: serviceImage(project.name, service),
    Cmd: service.command ?? undefined,
    Entrypoint: service.entrypoint ?? undefined,
    Env: nonEmpty(envEntries.map(([k, v]) => (v === null ? k : `${k}=${v}`))),
    Labels: containerLabels(project, service, number, ctx),
    ExposedPorts: exposedPorts(service),
    Hostname: service.hostname,
    Domainname: service.domainname,
    User: service.user,
    WorkingDir: service.working_dir,
    Tty: service.tty,
    OpenStdin: service.stdin_open,
    StopSignal: service.stop_signal,
    StopTimeout: stopTimeout === undefined ? undefined : Math.floor(stopTimeout / 1e9),
    MacAddress: primary === undefined ? undefined : service.mac_address,
    Healthcheck: healthcheck(service),
    HostConfig: hostConfig,
    NetworkingConfig:
      primary !== undefined
        ? { EndpointsConfig: { [engineName(primary)]: endpoint(service, ownName, primary, useAliases, linkList) } }
        : undefined,
  });

  const platform = service.platform || ctx.defaultPlatform || undefined;
  return {
    name: ctx.name ?? containerName(project, service, number),
    body,
    extraNetworks: rest.map((key) => ({ network: engineName(key), endpoint: endpoint(service, ownName, key, useAliases, linkList) })),
    ...(platform ? { platform } : {}),
  };
}
