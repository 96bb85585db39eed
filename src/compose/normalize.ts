// The merged, validated compose document → the typed Project, as `docker compose config`
// shows it: long syntax everywhere, absolute paths, resource names, implicit dependencies
// (links, `service:` namespaces, volumes_from) and the implicit `default` network.
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import type { FileReader } from "./load-options.js";
import { scalarText, toMapping } from "./normalize-environment.js";
import { normalizeService, type ServiceContext } from "./normalize-service.js";
import { copyExtensions, isObj, report, toBool, toNumber, type Obj } from "./normalize-values.js";
import { resolveHostPath } from "./normalize-volumes.js";
import type { ConfigObjConfig, ModelConfig, NetworkConfig, Project, SecretConfig, ServiceConfig, VolumeConfig } from "./types.js";

/** What normalization needs besides the document. */
export interface NormalizeContext {
  projectName: string;
  /** The project directory (absolute): relative paths resolve against it. */
  workingDir: string;
  homeDir: string;
  /** The interpolation environment: values for bare `environment: [KEY]` entries and build args. */
  env: Readonly<Record<string, string>>;
  reader: FileReader;
  /** `--no-path-resolution` turns this off: relative paths are kept as written. */
  resolvePaths: boolean;
  /** `--no-env-resolution` turns this off: env_file is kept as references, bare keys unset. */
  resolveEnvironment?: boolean;
}

const NAMESPACE_KEYS = ["network_mode", "ipc", "pid", "uts", "cgroup"] as const;

/** Normalizes a merged, validated compose document into a Project. Problems go to `bag`. */
export function normalizeProject(
  data: unknown,
  ctx: NormalizeContext,
  bag: DiagnosticBag,
  locate: (path: KeyPath) => Location | undefined,
): Project {
  const doc: Obj = isObj(data) ? data : {};
  const sctx: ServiceContext = { ...ctx, bag, locate };
  const project: Project = { name: ctx.projectName, services: {} };

  const rawServices = isObj(doc.services) ? doc.services : {};
  for (const [name, raw] of Object.entries(rawServices)) {
    const service = normalizeService(name, isObj(raw) ? raw : {}, sctx);
    addImplicitDependencies(service);
    project.services[name] = service;
  }

  const networks = normalizeResources(doc.networks, "networks", ctx, sctx, normalizeNetwork);
  if (attachDefaultNetwork(project.services) && !Object.hasOwn(networks, "default")) {
    networks.default = { name: `${ctx.projectName}_default` };
  }
  if (Object.keys(networks).length > 0) project.networks = networks;

  const volumes = normalizeResources(doc.volumes, "volumes", ctx, sctx, normalizeVolume);
  if (Object.keys(volumes).length > 0) project.volumes = volumes;
  const secrets = normalizeResources(doc.secrets, "secrets", ctx, sctx, normalizeFileObject);
  if (Object.keys(secrets).length > 0) project.secrets = secrets;
  const configs = normalizeResources(doc.configs, "configs", ctx, sctx, normalizeFileObject);
  if (Object.keys(configs).length > 0) project.configs = configs;
  if (isObj(doc.models)) {
    const models: Record<string, ModelConfig> = {};
    for (const [key, raw] of Object.entries(doc.models)) models[key] = normalizeModel(isObj(raw) ? raw : {}, sctx, ["models", key]);
    if (Object.keys(models).length > 0) project.models = models;
  }
  copyExtensions(doc, project);
  return project;
}

/**
 * links, `service:` namespaces and volumes_from make a service depend on another one, as in
 * compose: links and namespaces restart with their dependency, volumes_from does not. An
 * explicit depends_on entry is never overridden.
 */
function addImplicitDependencies(s: ServiceConfig): void {
  const deps = { ...(s.depends_on ?? {}) };
  const add = (name: string, restart: boolean): void => {
    if (Object.hasOwn(deps, name)) return;
    deps[name] = restart ? { condition: "service_started", restart: true, required: true } : { condition: "service_started", required: true };
  };
  for (const link of s.links ?? []) {
    const parts = link.split(":");
    add(parts.length === 2 ? parts[0]! : link, true);
  }
  for (const key of NAMESPACE_KEYS) {
    const ref = s[key];
    if (typeof ref === "string" && ref.startsWith("service:")) add(ref.slice("service:".length), true);
  }
  for (const from of s.volumes_from ?? []) {
    if (!from.startsWith("container:")) add(from.split(":")[0]!, false);
  }
  if (Object.keys(deps).length > 0) s.depends_on = deps;
}

/**
 * A service with neither `networks` nor `network_mode` (nor a provider) joins `default`.
 * Returns whether any service uses the default network.
 */
function attachDefaultNetwork(services: Record<string, ServiceConfig>): boolean {
  let used = false;
  for (const s of Object.values(services)) {
    if (s.provider || s.network_mode !== undefined) continue;
    if (!s.networks || Object.keys(s.networks).length === 0) {
      s.networks = { default: null };
      used = true;
    } else if (Object.hasOwn(s.networks, "default")) {
      used = true;
    }
  }
  return used;
}

type ResourceKind = "networks" | "volumes" | "secrets" | "configs";

function normalizeResources<T extends { name?: string; external?: boolean }>(
  raw: unknown,
  kind: ResourceKind,
  ctx: NormalizeContext,
  sctx: ServiceContext,
  one: (raw: Obj, sctx: ServiceContext, path: KeyPath) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isObj(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    const path: KeyPath = [kind, key];
    const o: Obj = isObj(value) ? { ...value } : {};
    // The deprecated `external: {name: x}` means `external: true` with `name: x`.
    if (isObj(o.external)) {
      const extName = o.external.name;
      if (extName !== undefined) {
        if (o.name !== undefined && o.name !== extName) {
          report(sctx, path, "normalize.external-name", `${kind}.${key}: name and external.name conflict`, "keep only `name`");
        }
        sctx.bag.warn("normalize.external-name-deprecated", "external.name is deprecated", { path: [...path, "external", "name"], location: sctx.locate([...path, "external", "name"]), hint: "set `name:` and `external: true`" });
        o.name ??= extName;
      }
      o.external = true;
    }
    const resource = one(o, sctx, path);
    // Unnamed resources are named after their key: as is when external, else prefixed with the project.
    if (resource.name === undefined || resource.name === "") {
      resource.name = resource.external ? key : `${ctx.projectName}_${key}`;
    }
    out[key] = resource;
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  return v === undefined || v === null ? undefined : toMapping(v);
}

function normalizeNetwork(o: Obj, _sctx: ServiceContext, _path: KeyPath): NetworkConfig {
  const n = { name: o.name === undefined || o.name === null ? "" : scalarText(o.name) } as NetworkConfig;
  if (typeof o.driver === "string") n.driver = o.driver;
  const opts = stringMap(o.driver_opts);
  if (opts) n.driver_opts = opts;
  if (isObj(o.ipam)) {
    const ipam: NonNullable<NetworkConfig["ipam"]> = {};
    if (typeof o.ipam.driver === "string") ipam.driver = o.ipam.driver;
    if (Array.isArray(o.ipam.config)) {
      ipam.config = o.ipam.config.map((c) => {
        const pool: Record<string, unknown> = {};
        if (!isObj(c)) return pool;
        for (const k of ["subnet", "gateway", "ip_range"]) if (c[k] !== undefined && c[k] !== null) pool[k] = scalarText(c[k]);
        if (c.aux_addresses !== undefined) pool.aux_addresses = toMapping(c.aux_addresses);
        copyExtensions(c, pool);
        return pool;
      });
    }
    const ipamOpts = stringMap(o.ipam.options);
    if (ipamOpts) ipam.options = ipamOpts;
    n.ipam = ipam;
  }
  for (const k of ["external", "internal", "attachable", "enable_ipv4", "enable_ipv6"] as const) {
    if (o[k] !== undefined && o[k] !== null) n[k] = toBool(o[k]) ?? false;
  }
  const labels = stringMap(o.labels);
  if (labels) n.labels = labels;
  copyExtensions(o, n);
  return n;
}

function normalizeVolume(o: Obj, sctx: ServiceContext, _path: KeyPath): VolumeConfig {
  const v = { name: o.name === undefined || o.name === null ? "" : scalarText(o.name) } as VolumeConfig;
  if (typeof o.driver === "string") v.driver = o.driver;
  const opts = stringMap(o.driver_opts);
  if (opts) {
    // A local volume that binds a host directory gets that directory resolved like any bind.
    if (v.driver === "local" && opts.o === "bind" && opts.device !== undefined) opts.device = resolveHostPath(opts.device, sctx);
    v.driver_opts = opts;
  }
  if (o.external !== undefined && o.external !== null) v.external = toBool(o.external) ?? false;
  const labels = stringMap(o.labels);
  if (labels) v.labels = labels;
  copyExtensions(o, v);
  return v;
}

function normalizeFileObject(o: Obj, sctx: ServiceContext, _path: KeyPath): SecretConfig | ConfigObjConfig {
  const f = { name: o.name === undefined || o.name === null ? "" : scalarText(o.name) } as SecretConfig;
  if (o.file !== undefined && o.file !== null) f.file = resolveHostPath(scalarText(o.file), sctx);
  for (const k of ["environment", "content", "driver", "template_driver"] as const) if (o[k] !== undefined && o[k] !== null) f[k] = scalarText(o[k]);
  if (o.external !== undefined && o.external !== null) f.external = toBool(o.external) ?? false;
  const labels = stringMap(o.labels);
  if (labels) f.labels = labels;
  const opts = stringMap(o.driver_opts);
  if (opts) f.driver_opts = opts;
  copyExtensions(o, f);
  return f;
}

function normalizeModel(o: Obj, sctx: ServiceContext, path: KeyPath): ModelConfig {
  const m: ModelConfig = { model: scalarText(o.model) };
  if (o.name !== undefined && o.name !== null) m.name = scalarText(o.name);
  const size = toNumber(o.context_size, sctx, [...path, "context_size"]);
  if (size !== undefined) m.context_size = size;
  if (Array.isArray(o.runtime_flags)) m.runtime_flags = o.runtime_flags.map(scalarText);
  copyExtensions(o, m);
  return m;
}
