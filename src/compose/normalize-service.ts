// One service → its long form, field by field, with compose's defaults and conversions.
// Implicit dependencies and the default network are added by normalize.ts, which sees all services.
import type { KeyPath } from "./diagnostics.js";
import type { FileReader } from "./load-options.js";
import {
  mergeEnvFiles,
  resolveBuildArgs,
  resolveFromEnv,
  scalarText,
  toEnvFiles,
  toMapping,
  toMappingWithEquals,
} from "./normalize-environment.js";
import { normalizePortLong, parsePortSpec } from "./normalize-ports.js";
import {
  copyExtensions,
  isObj,
  report,
  toBool,
  toBytes,
  toDevice,
  toDeviceRequest,
  toDuration,
  toFileMode,
  toHosts,
  toNumber,
  toStringList,
  toUlimits,
  type Obj,
  type Reporter,
} from "./normalize-values.js";
import { cleanTarget, parseVolumeSpec, resolveContextPath, resolveHostPath, type PathContext } from "./normalize-volumes.js";
import { shellSplit } from "./shell-split.js";
import type {
  BuildConfig,
  DeployConfig,
  DevelopConfig,
  HealthcheckConfig,
  Resource,
  ServiceConfig,
  ServiceDependency,
  ServiceFileReference,
  ServiceHook,
  ServiceNetworkConfig,
  ServicePortConfig,
  ServiceVolumeConfig,
  UpdateConfig,
  WatchRule,
} from "./types.js";

export interface ServiceContext extends PathContext, Reporter {
  env: Readonly<Record<string, string>>;
  reader: FileReader;
  /** False for `config --no-env-resolution`. */
  resolveEnvironment?: boolean;
}

/** Fields copied as they are (strings, booleans and plain numbers need no conversion). */
const PLAIN_STRINGS = [
  "cgroup", "cgroup_parent", "container_name", "cpuset", "domainname", "hostname", "image", "ipc", "isolation",
  "mac_address", "network_mode", "pid", "platform", "restart", "runtime", "stop_signal", "user", "userns_mode", "uts", "working_dir",
] as const;
const PLAIN_BOOLS = ["attach", "init", "oom_kill_disable", "privileged", "read_only", "stdin_open", "tty", "use_api_socket"] as const;
const PLAIN_NUMBERS = [
  "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus",
  "oom_score_adj", "pids_limit", "scale",
] as const;
const BYTE_FIELDS = ["mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "shm_size"] as const;
const STRING_LISTS = ["cap_add", "cap_drop", "device_cgroup_rules", "dns", "dns_opt", "dns_search", "external_links", "group_add", "links", "profiles", "security_opt", "tmpfs", "volumes_from"] as const;

/**
 * compose keeps one entry per key in these lists (checked again after short syntax is expanded):
 * a later duplicate replaces the earlier one where the earlier one stood.
 */
export function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const out: T[] = [];
  const at = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(item);
    } else {
      out[i] = item;
    }
  }
  return out;
}

const DEDUPED_STRING_LISTS = ["cap_add", "cap_drop", "dns", "dns_opt", "dns_search", "links", "profiles", "tmpfs"] as const;
const beforeEquals = (s: string): string => s.split("=")[0]!;

/** A command or entrypoint: strings are split like a shell would; lists are kept; null stays null. */
function toCommand(v: unknown, r: Reporter, path: KeyPath): string[] | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(scalarText);
  const split = shellSplit(scalarText(v));
  if (!Array.isArray(split)) {
    report(r, path, "normalize.command", `cannot split "${scalarText(v)}": ${split.error}`, "check the quotes, or write the command as a list");
    return undefined;
  }
  return split;
}

function toFileRefs(raw: unknown, defaultTarget: ((source: string) => string) | undefined, r: Reporter, path: KeyPath): ServiceFileReference[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((item, i) => {
    if (!isObj(item)) {
      const source = scalarText(item);
      const ref: ServiceFileReference = { source };
      if (defaultTarget) ref.target = defaultTarget(source);
      return ref;
    }
    const ref: ServiceFileReference = { source: scalarText(item.source) };
    if (item.target !== undefined && item.target !== null) ref.target = scalarText(item.target);
    else if (defaultTarget) ref.target = defaultTarget(ref.source);
    if (item.uid !== undefined && item.uid !== null) ref.uid = scalarText(item.uid);
    if (item.gid !== undefined && item.gid !== null) ref.gid = scalarText(item.gid);
    const mode = toFileMode(item.mode, r, [...path, i, "mode"]);
    if (mode !== undefined) ref.mode = mode;
    copyExtensions(item, ref);
    return ref;
  });
}

function toHook(raw: unknown, ctx: ServiceContext, path: KeyPath): ServiceHook {
  const o = isObj(raw) ? raw : {};
  // The schema requires a command; an empty one stands in when it is missing or invalid.
  const hook: ServiceHook = { command: toCommand(o.command, ctx, [...path, "command"]) ?? [] };
  for (const k of ["image", "user", "working_dir"] as const) if (typeof o[k] === "string") hook[k] = o[k];
  if (o.privileged !== undefined) hook.privileged = toBool(o.privileged) ?? false;
  if (o.per_replica !== undefined) hook.per_replica = toBool(o.per_replica) ?? false;
  if (o.environment !== undefined) hook.environment = toMappingWithEquals(o.environment);
  copyExtensions(o, hook);
  return hook;
}

function toPorts(raw: unknown, r: Reporter, path: KeyPath): ServicePortConfig[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: ServicePortConfig[] = [];
  raw.forEach((item, i) => {
    if (isObj(item)) {
      out.push(normalizePortLong(item));
      return;
    }
    const parsed = parsePortSpec(typeof item === "number" ? item : scalarText(item));
    if ("error" in parsed) report(r, [...path, i], "normalize.port", parsed.error, 'write "[host_ip:][published:]target[/protocol]", e.g. "8080:80"');
    else out.push(...parsed);
  });
  return out;
}

function toVolumes(raw: unknown, ctx: ServiceContext, path: KeyPath): ServiceVolumeConfig[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: ServiceVolumeConfig[] = [];
  raw.forEach((item, i) => {
    let vol: ServiceVolumeConfig;
    if (isObj(item)) {
      vol = longVolume(item, ctx, [...path, i]);
    } else {
      const parsed = parseVolumeSpec(scalarText(item));
      if ("error" in parsed) {
        report(ctx, [...path, i], "normalize.volume", parsed.error, 'write "[source:]target[:ro|rw]", e.g. "./data:/data:ro"');
        return;
      }
      vol = parsed;
    }
    if (vol.type === "bind" && vol.source !== undefined) vol.source = resolveHostPath(vol.source, ctx);
    vol.target = cleanTarget(vol.target);
    out.push(vol);
  });
  return out;
}

function longVolume(o: Obj, ctx: ServiceContext, path: KeyPath): ServiceVolumeConfig {
  const vol: ServiceVolumeConfig = { type: scalarText(o.type) as ServiceVolumeConfig["type"], target: scalarText(o.target ?? "") };
  if (o.source !== undefined && o.source !== null) vol.source = scalarText(o.source);
  if (o.read_only !== undefined) vol.read_only = toBool(o.read_only) ?? false;
  if (typeof o.consistency === "string") vol.consistency = o.consistency;
  if (isObj(o.bind)) {
    const b = o.bind;
    vol.bind = { create_host_path: b.create_host_path === undefined ? true : (toBool(b.create_host_path) ?? true) };
    if (typeof b.propagation === "string") vol.bind.propagation = b.propagation;
    if (b.selinux === "z" || b.selinux === "Z") vol.bind.selinux = b.selinux;
    if (b.recursive !== undefined) vol.bind.recursive = scalarText(b.recursive);
    copyExtensions(b, vol.bind);
  }
  if (isObj(o.volume)) {
    const v = o.volume;
    vol.volume = {};
    if (v.nocopy !== undefined) vol.volume.nocopy = toBool(v.nocopy) ?? false;
    if (v.subpath !== undefined) vol.volume.subpath = scalarText(v.subpath);
    if (v.labels !== undefined) vol.volume.labels = toMapping(v.labels);
    copyExtensions(v, vol.volume);
  }
  if (isObj(o.tmpfs)) {
    const t = o.tmpfs;
    vol.tmpfs = {};
    const size = toBytes(t.size, ctx, [...path, "tmpfs", "size"]);
    if (size !== undefined) vol.tmpfs.size = size;
    const mode = toFileMode(t.mode, ctx, [...path, "tmpfs", "mode"]);
    if (mode !== undefined) vol.tmpfs.mode = mode;
    copyExtensions(t, vol.tmpfs);
  }
  if (isObj(o.image)) {
    vol.image = {};
    if (o.image.subpath !== undefined) vol.image.subpath = scalarText(o.image.subpath);
  }
  copyExtensions(o, vol);
  return vol;
}

function toBuild(raw: unknown, ctx: ServiceContext, path: KeyPath): BuildConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o: Obj = isObj(raw) ? raw : { context: scalarText(raw) };
  const build: BuildConfig = { context: resolveContextPath(o.context === undefined || o.context === null ? "." : scalarText(o.context), ctx) };
  if (typeof o.dockerfile === "string") build.dockerfile = o.dockerfile;
  if (typeof o.dockerfile_inline === "string") build.dockerfile_inline = o.dockerfile_inline;
  // compose names the default Dockerfile explicitly unless the Dockerfile is inline.
  if (build.dockerfile === undefined && build.dockerfile_inline === undefined) build.dockerfile = "Dockerfile";
  if (o.args !== undefined) build.args = resolveBuildArgs(o.args, ctx.env);
  if (o.labels !== undefined) build.labels = toMapping(o.labels);
  if (o.additional_contexts !== undefined) {
    build.additional_contexts = {};
    for (const [k, v] of Object.entries(toMapping(o.additional_contexts))) build.additional_contexts[k] = resolveContextPath(v, ctx);
  }
  if (o.ssh !== undefined) {
    const list = isObj(o.ssh) ? Object.entries(o.ssh).map(([k, v]) => (v === null ? k : `${k}=${scalarText(v)}`)) : (toStringList(o.ssh) ?? []);
    build.ssh = list.map((entry) => {
      const eq = entry.indexOf("=");
      return eq < 0 ? entry : `${entry.slice(0, eq)}=${resolveHostPath(entry.slice(eq + 1), ctx)}`;
    });
  }
  for (const k of ["cache_from", "cache_to", "no_cache_filter", "tags", "platforms", "entitlements"] as const) {
    const list = toStringList(o[k]);
    if (list) build[k] = list;
  }
  for (const k of ["network", "target", "isolation"] as const) if (typeof o[k] === "string") build[k] = o[k];
  for (const k of ["provenance", "sbom"] as const) if (o[k] !== undefined && o[k] !== null) build[k] = scalarText(o[k]);
  for (const k of ["no_cache", "pull", "privileged"] as const) if (o[k] !== undefined) build[k] = toBool(o[k]) ?? false;
  const shm = toBytes(o.shm_size, ctx, [...path, "shm_size"]);
  if (shm !== undefined) build.shm_size = shm;
  const hosts = toHosts(o.extra_hosts, ctx, [...path, "extra_hosts"]);
  if (hosts) build.extra_hosts = hosts;
  const secrets = toFileRefs(o.secrets, undefined, ctx, [...path, "secrets"]);
  if (secrets) build.secrets = secrets;
  const ulimits = toUlimits(o.ulimits, ctx, [...path, "ulimits"]);
  if (ulimits) build.ulimits = ulimits;
  copyExtensions(o, build);
  return build;
}

function toHealthcheck(raw: unknown, r: Reporter, path: KeyPath): HealthcheckConfig | undefined {
  if (!isObj(raw)) return undefined;
  const h: HealthcheckConfig = {};
  if (typeof raw.test === "string") h.test = ["CMD-SHELL", raw.test];
  else if (Array.isArray(raw.test)) h.test = raw.test.map(scalarText);
  for (const k of ["interval", "timeout", "start_period", "start_interval"] as const) {
    const d = toDuration(raw[k], r, [...path, k]);
    if (d !== undefined) h[k] = d;
  }
  const retries = toNumber(raw.retries, r, [...path, "retries"]);
  if (retries !== undefined) h.retries = retries;
  if (raw.disable !== undefined) h.disable = toBool(raw.disable) ?? false;
  copyExtensions(raw, h);
  return h;
}

function toResource(raw: unknown, r: Reporter, path: KeyPath): Resource | undefined {
  if (!isObj(raw)) return undefined;
  const res: Resource = {};
  const cpus = toNumber(raw.cpus, r, [...path, "cpus"]);
  if (cpus !== undefined) res.cpus = cpus;
  const memory = toBytes(raw.memory, r, [...path, "memory"]);
  if (memory !== undefined) res.memory = memory;
  const pids = toNumber(raw.pids, r, [...path, "pids"]);
  if (pids !== undefined) res.pids = pids;
  if (Array.isArray(raw.devices)) res.devices = raw.devices.map((d, i) => toDeviceRequest(d, r, [...path, "devices", i]));
  if (Array.isArray(raw.generic_resources)) res.generic_resources = raw.generic_resources;
  copyExtensions(raw, res);
  return res;
}

function toUpdateConfig(raw: unknown, r: Reporter, path: KeyPath): UpdateConfig | undefined {
  if (!isObj(raw)) return undefined;
  const u: UpdateConfig = {};
  const parallelism = toNumber(raw.parallelism, r, [...path, "parallelism"]);
  if (parallelism !== undefined) u.parallelism = parallelism;
  for (const k of ["delay", "monitor"] as const) {
    const d = toDuration(raw[k], r, [...path, k]);
    if (d !== undefined) u[k] = d;
  }
  if (typeof raw.failure_action === "string") u.failure_action = raw.failure_action;
  if (typeof raw.order === "string") u.order = raw.order;
  const ratio = toNumber(raw.max_failure_ratio, r, [...path, "max_failure_ratio"]);
  if (ratio !== undefined) u.max_failure_ratio = ratio;
  copyExtensions(raw, u);
  return u;
}

function toDeploy(raw: unknown, r: Reporter, path: KeyPath): DeployConfig | undefined {
  if (!isObj(raw)) return undefined;
  const d: DeployConfig = {};
  if (typeof raw.mode === "string") d.mode = raw.mode;
  if (typeof raw.endpoint_mode === "string") d.endpoint_mode = raw.endpoint_mode;
  const replicas = toNumber(raw.replicas, r, [...path, "replicas"]);
  if (replicas !== undefined) d.replicas = replicas;
  if (raw.labels !== undefined) d.labels = toMapping(raw.labels);
  const update = toUpdateConfig(raw.update_config, r, [...path, "update_config"]);
  if (update) d.update_config = update;
  const rollback = toUpdateConfig(raw.rollback_config, r, [...path, "rollback_config"]);
  if (rollback) d.rollback_config = rollback;
  if (isObj(raw.resources)) {
    d.resources = {};
    const limits = toResource(raw.resources.limits, r, [...path, "resources", "limits"]);
    if (limits) d.resources.limits = limits;
    const reservations = toResource(raw.resources.reservations, r, [...path, "resources", "reservations"]);
    if (reservations) d.resources.reservations = reservations;
  }
  if (isObj(raw.restart_policy)) {
    const p = raw.restart_policy;
    const rp: NonNullable<DeployConfig["restart_policy"]> = {};
    if (typeof p.condition === "string") rp.condition = p.condition;
    const delay = toDuration(p.delay, r, [...path, "restart_policy", "delay"]);
    if (delay !== undefined) rp.delay = delay;
    const attempts = toNumber(p.max_attempts, r, [...path, "restart_policy", "max_attempts"]);
    if (attempts !== undefined) rp.max_attempts = attempts;
    const window = toDuration(p.window, r, [...path, "restart_policy", "window"]);
    if (window !== undefined) rp.window = window;
    d.restart_policy = rp;
  }
  if (isObj(raw.placement)) {
    const p = raw.placement;
    const pl: NonNullable<DeployConfig["placement"]> = {};
    const constraints = toStringList(p.constraints);
    if (constraints) pl.constraints = constraints;
    if (Array.isArray(p.preferences)) pl.preferences = p.preferences.map((x) => ({ spread: scalarText(isObj(x) ? x.spread : x) }));
    const max = toNumber(p.max_replicas_per_node, r, [...path, "placement", "max_replicas_per_node"]);
    if (max !== undefined) pl.max_replicas_per_node = max;
    d.placement = pl;
  }
  copyExtensions(raw, d);
  return d;
}

function toDevelop(raw: unknown, ctx: ServiceContext, path: KeyPath): DevelopConfig | undefined {
  if (!isObj(raw)) return undefined;
  const dev: DevelopConfig = {};
  if (Array.isArray(raw.watch)) {
    dev.watch = raw.watch.map((w, i): WatchRule => {
      const o = isObj(w) ? w : {};
      const rule: WatchRule = { path: resolveHostPath(scalarText(o.path), ctx), action: scalarText(o.action) as WatchRule["action"] };
      if (o.target !== undefined && o.target !== null) rule.target = scalarText(o.target);
      const ignore = toStringList(o.ignore);
      if (ignore) rule.ignore = ignore;
      const include = toStringList(o.include);
      if (include) rule.include = include;
      if (o.initial_sync !== undefined) rule.initial_sync = toBool(o.initial_sync) ?? false;
      if (o.exec !== undefined) rule.exec = toHook(o.exec, ctx, [...path, "watch", i, "exec"]);
      copyExtensions(o, rule);
      return rule;
    });
  }
  copyExtensions(raw, dev);
  return dev;
}

function toDependsOn(raw: unknown): Record<string, ServiceDependency> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const out: Record<string, ServiceDependency> = {};
  if (Array.isArray(raw)) {
    for (const name of raw) out[scalarText(name)] = { condition: "service_started", required: true };
    return out;
  }
  if (!isObj(raw)) return undefined;
  for (const [name, v] of Object.entries(raw)) {
    const o = isObj(v) ? v : {};
    const dep: ServiceDependency = {
      condition: (typeof o.condition === "string" ? o.condition : "service_started") as ServiceDependency["condition"],
      required: o.required === undefined ? true : (toBool(o.required) ?? true),
    };
    if (o.restart !== undefined) dep.restart = toBool(o.restart) ?? false;
    copyExtensions(o, dep);
    out[name] = dep;
  }
  return out;
}

function toServiceNetworks(raw: unknown): Record<string, ServiceNetworkConfig | null> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const out: Record<string, ServiceNetworkConfig | null> = {};
  if (Array.isArray(raw)) {
    for (const name of raw) out[scalarText(name)] = null;
    return out;
  }
  if (!isObj(raw)) return undefined;
  for (const [name, v] of Object.entries(raw)) {
    if (!isObj(v)) {
      out[name] = null;
      continue;
    }
    const n: ServiceNetworkConfig = {};
    const aliases = toStringList(v.aliases);
    if (aliases) n.aliases = aliases;
    if (v.driver_opts !== undefined) n.driver_opts = toMapping(v.driver_opts);
    for (const k of ["interface_name", "ipv4_address", "ipv6_address", "mac_address"] as const) if (v[k] !== undefined && v[k] !== null) n[k] = scalarText(v[k]);
    for (const k of ["gw_priority", "priority"] as const) if (typeof v[k] === "number") n[k] = v[k];
    const lli = toStringList(v.link_local_ips);
    if (lli) n.link_local_ips = lli;
    copyExtensions(v, n);
    out[name] = n;
  }
  return out;
}

/** blkio rates are byte sizes ("10mb"); weights and iops are plain numbers. */
function toBlkio(raw: Obj, r: Reporter, path: KeyPath): Obj {
  const out: Obj = { ...raw };
  for (const k of ["device_read_bps", "device_write_bps"]) {
    const items = raw[k];
    if (Array.isArray(items)) out[k] = items.map((d, i) => (isObj(d) ? { ...d, rate: toBytes(d.rate, r, [...path, k, i, "rate"]) } : d));
  }
  return out;
}

/** Normalizes one service (without the cross-service parts: implicit depends_on, default network). */
export function normalizeService(name: string, raw: Obj, ctx: ServiceContext): ServiceConfig {
  // Two fixed arities, no rest array or spread: a key path is made for every field a service sets.
  const at = (key: string, index?: number): KeyPath => (index === undefined ? ["services", name, key] : ["services", name, key, index]);
  const s: ServiceConfig = { name };
  const out = s as unknown as Obj;

  // Indexed loops here and below: this runs once per service, mostly before V8 optimises it, and
  // for-of's iterator protocol allocates a result object per step in unoptimised code.
  for (let i = 0; i < PLAIN_STRINGS.length; i++) {
    const k = PLAIN_STRINGS[i]!;
    if (raw[k] !== undefined && raw[k] !== null) out[k] = scalarText(raw[k]);
  }
  for (let i = 0; i < PLAIN_BOOLS.length; i++) {
    const k = PLAIN_BOOLS[i]!;
    if (raw[k] !== undefined && raw[k] !== null) out[k] = toBool(raw[k]);
  }
  // (absent fields skipped before their key path is made: most services set few of them)
  for (let i = 0; i < PLAIN_NUMBERS.length; i++) {
    const k = PLAIN_NUMBERS[i]!;
    if (raw[k] === undefined || raw[k] === null) continue;
    const n = toNumber(raw[k], ctx, at(k));
    if (n !== undefined) out[k] = n;
  }
  for (let i = 0; i < BYTE_FIELDS.length; i++) {
    const k = BYTE_FIELDS[i]!;
    if (raw[k] === undefined || raw[k] === null) continue;
    const n = toBytes(raw[k], ctx, at(k));
    if (n !== undefined) out[k] = n;
  }
  for (let i = 0; i < STRING_LISTS.length; i++) {
    const k = STRING_LISTS[i]!;
    const list = toStringList(raw[k]);
    if (list) out[k] = list;
  }
  // compose spells the old `if_not_present` as `missing`.
  if (raw.pull_policy !== undefined && raw.pull_policy !== null) s.pull_policy = raw.pull_policy === "if_not_present" ? "missing" : scalarText(raw.pull_policy);

  for (const k of ["annotations", "labels", "sysctls", "storage_opt"] as const) if (raw[k] !== undefined && raw[k] !== null) s[k] = toMapping(raw[k]);
  if (raw.expose !== undefined) s.expose = (toStringList(raw.expose) ?? []).map(String);

  const command = toCommand(raw.command, ctx, at("command"));
  if (command !== undefined) s.command = command;
  const entrypoint = toCommand(raw.entrypoint, ctx, at("entrypoint"));
  if (entrypoint !== undefined) s.entrypoint = entrypoint;

  const build = toBuild(raw.build, ctx, at("build"));
  if (build) s.build = build;
  const develop = toDevelop(raw.develop, ctx, at("develop"));
  if (develop) s.develop = develop;
  const deploy = toDeploy(raw.deploy, ctx, at("deploy"));
  if (deploy) s.deploy = deploy;
  const healthcheck = toHealthcheck(raw.healthcheck, ctx, at("healthcheck"));
  if (healthcheck) s.healthcheck = healthcheck;
  const stop = toDuration(raw.stop_grace_period, ctx, at("stop_grace_period"));
  if (stop !== undefined) s.stop_grace_period = stop;

  const ports = toPorts(raw.ports, ctx, at("ports"));
  if (ports) s.ports = ports;
  const volumes = toVolumes(raw.volumes, ctx, at("volumes"));
  if (volumes) s.volumes = volumes;
  const secrets = toFileRefs(raw.secrets, (src) => `/run/secrets/${src}`, ctx, at("secrets"));
  if (secrets) s.secrets = secrets;
  const configs = toFileRefs(raw.configs, undefined, ctx, at("configs"));
  if (configs) s.configs = configs;
  const ulimits = toUlimits(raw.ulimits, ctx, at("ulimits"));
  if (ulimits) s.ulimits = ulimits;
  const hosts = toHosts(raw.extra_hosts, ctx, at("extra_hosts"));
  if (hosts) s.extra_hosts = hosts;
  if (Array.isArray(raw.devices)) {
    s.devices = [];
    raw.devices.forEach((d, i) => {
      const dev = toDevice(d, ctx, at("devices", i));
      if (dev) s.devices!.push(dev);
    });
  }
  if (raw.gpus !== undefined && raw.gpus !== null) {
    s.gpus = Array.isArray(raw.gpus) ? raw.gpus.map((g, i) => toDeviceRequest(g, ctx, at("gpus", i))) : [{ count: -1 }];
  }
  const depends = toDependsOn(raw.depends_on);
  if (depends) s.depends_on = depends;
  const networks = toServiceNetworks(raw.networks);
  if (networks) s.networks = networks;
  if (raw.models !== undefined && raw.models !== null) {
    const models: NonNullable<ServiceConfig["models"]> = {};
    if (Array.isArray(raw.models)) for (const m of raw.models) models[scalarText(m)] = null;
    else if (isObj(raw.models)) for (const [k, v] of Object.entries(raw.models)) models[k] = isObj(v) ? { ...(v as Record<string, string>) } : null;
    s.models = models;
  }
  if (isObj(raw.logging)) {
    s.logging = {};
    if (typeof raw.logging.driver === "string") s.logging.driver = raw.logging.driver;
    if (raw.logging.options !== undefined && raw.logging.options !== null) s.logging.options = toMapping(raw.logging.options);
  }
  if (isObj(raw.blkio_config)) s.blkio_config = toBlkio(raw.blkio_config, ctx, at("blkio_config"));
  if (isObj(raw.credential_spec)) s.credential_spec = raw.credential_spec;
  if (isObj(raw.provider)) {
    const options: Record<string, string[]> = {};
    if (isObj(raw.provider.options)) for (const [k, v] of Object.entries(raw.provider.options)) options[k] = Array.isArray(v) ? v.map(scalarText) : [scalarText(v)];
    s.provider = { type: scalarText(raw.provider.type), ...(Object.keys(options).length > 0 ? { options } : {}) };
  }
  for (const k of ["pre_start", "post_start", "pre_stop"] as const) {
    const list = raw[k];
    if (Array.isArray(list)) s[k] = list.map((h, i) => toHook(h, ctx, at(k, i)));
  }
  // A pre_start hook runs the service's image unless it names its own.
  if (s.pre_start && s.image) for (const h of s.pre_start) h.image ??= s.image;

  // Environment: list → map, bare keys from the interpolation environment, then env files under it.
  if (raw.environment !== undefined || raw.env_file !== undefined) {
    const resolve = ctx.resolveEnvironment !== false;
    const listed = toMappingWithEquals(raw.environment ?? {});
    let env = resolve ? resolveFromEnv(listed, ctx.env) : listed;
    if (raw.env_file !== undefined && raw.env_file !== null) {
      const files = toEnvFiles(raw.env_file).map((f) => ({ ...f, path: resolveHostPath(f.path, ctx) }));
      s.env_file = files;
      if (resolve) env = mergeEnvFiles(env, files, ctx, ctx.bag, at("env_file"), ctx.locate);
    }
    // An empty result is left out, as compose prints it.
    if (Object.keys(env).length > 0) s.environment = env;
  }
  if (raw.label_file !== undefined && raw.label_file !== null) {
    const files = (toStringList(raw.label_file) ?? []).map((f) => resolveHostPath(f, ctx));
    s.label_file = files;
    const fromFiles: Record<string, string> = {};
    files.forEach((file, i) => {
      const text = ctx.reader.readFile(file);
      if (text === undefined) {
        report(ctx, at("label_file", i), "label-file.missing", `label file ${file} not found`);
        return;
      }
      Object.assign(fromFiles, toMapping(mergeEnvFiles({}, [{ path: file, required: true }], ctx, ctx.bag, at("label_file", i), ctx.locate)));
    });
    // Labels written in the compose file win over the files'.
    if (Object.keys(fromFiles).length > 0) s.labels = { ...fromFiles, ...(s.labels ?? {}) };
  }

  // `scale` and `deploy.replicas` say the same thing; compose copies scale into an existing deploy.
  if (s.scale !== undefined && s.deploy) {
    if (s.deploy.replicas !== undefined && s.deploy.replicas !== s.scale) {
      report(ctx, at("scale"), "normalize.scale-replicas", `scale (${s.scale}) and deploy.replicas (${s.deploy.replicas}) differ`, "set only one of them");
    }
    s.deploy.replicas = s.scale;
  }
  for (const k of DEDUPED_STRING_LISTS) if (s[k]) s[k] = dedupeBy(s[k], beforeEquals);
  if (s.expose) s.expose = dedupeBy(s.expose, (e) => e);
  if (s.ports) s.ports = dedupeBy(s.ports, (p) => `${p.host_ip ?? "0.0.0.0"}:${p.published ?? ""}:${p.target}/${p.protocol}`);
  if (s.volumes) s.volumes = dedupeBy(s.volumes, (v) => v.target);
  if (s.devices) s.devices = dedupeBy(s.devices, (d) => d.target);
  if (s.secrets) s.secrets = dedupeBy(s.secrets, (r) => r.target ?? `/run/secrets/${r.source}`);
  if (s.configs) s.configs = dedupeBy(s.configs, (r) => r.target ?? `/${r.source}`);
  copyExtensions(raw, s);
  return s;
}
