// Project → the desired state of a Swarm stack: service specs, overlay networks, secrets and
// configs, named and labelled as `docker stack deploy` names and labels them (`STACK_service`,
// `com.docker.stack.namespace`, `com.docker.stack.image`), so `docker stack ps/rm` understand what
// moor deploys. Secrets and configs are content-versioned (`STACK_name-<hash>`): Swarm cannot change
// one in place, so a new version is made and the services that use it roll to it. Pure: file
// contents come in through `readFile`. Keys Swarm cannot honour give one warning each.
import { parseDuration } from "../compose/duration.js";
import type { Project, SecretConfig, ServiceConfig, ServiceFileReference, ServicePortConfig, ServiceVolumeConfig, UpdateConfig } from "../compose/types.js";
import { sha256 } from "../compose/sha256.js";
import type {
  SwarmContainerSpec,
  SwarmFileObjectSpec,
  SwarmHealthConfig,
  SwarmMount,
  SwarmNetworkSpec,
  SwarmPortConfig,
  SwarmServiceMode,
  SwarmServiceSpec,
  SwarmUpdateConfig,
} from "../engine/swarm-engine.js";

/** The labels `docker stack deploy` writes, and the ones moor adds for its own bookkeeping. */
export const STACK_LABELS = {
  namespace: "com.docker.stack.namespace",
  image: "com.docker.stack.image",
  /** On services: the canonical JSON of the spec moor sent (without this label), for field-by-field diffs. */
  spec: "dev.moor.swarm.spec",
  /** On secrets and configs: the key under `secrets:`/`configs:` and the content hash of this version. */
  key: "dev.moor.swarm.key",
  contentHash: "dev.moor.swarm.content-hash",
} as const;

export interface DesiredNetwork {
  key: string;
  name: string;
  external: boolean;
  spec: SwarmNetworkSpec;
}

export interface DesiredFileObject {
  kind: "secret" | "config";
  key: string;
  /** The name `docker stack deploy` would give it (`STACK_key`, or `name:`). */
  baseName: string;
  /** The versioned name moor creates: `baseName-<hash>`; for external ones, `baseName`. */
  name: string;
  external: boolean;
  spec?: SwarmFileObjectSpec;
}

export interface DesiredService {
  key: string;
  name: string;
  spec: SwarmServiceSpec;
}

export interface DesiredStack {
  namespace: string;
  services: DesiredService[];
  networks: DesiredNetwork[];
  secrets: DesiredFileObject[];
  configs: DesiredFileObject[];
  /** One per key Swarm cannot honour, naming the service and the key. */
  warnings: string[];
  /** Problems that make the stack impossible to deploy; nothing is created when there is one. */
  errors: string[];
}

export interface TranslateInput {
  project: Project;
  /** Services to deploy (with what they use); all when empty. */
  services?: readonly string[];
  /** Reads a secret's or config's `file:`; undefined when it cannot. */
  readFile: (path: string) => Buffer | undefined;
  /** The project's interpolation environment (shell and `.env`), for `environment:` secrets. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Keys that do nothing on Swarm, with what to use instead when there is something. */
const UNSUPPORTED: Partial<Record<keyof ServiceConfig, string>> = {
  build: "Swarm nodes pull images; build and push them first (`moor deploy --build --push`)",
  depends_on: "Swarm starts services in any order; make services retry their dependencies",
  container_name: "Swarm names task containers itself",
  links: "use service names on a shared network",
  external_links: "use service names on a shared network",
  network_mode: "Swarm services attach to networks",
  privileged: "Swarm services cannot be privileged",
  devices: "Swarm services cannot map devices",
  volumes_from: "use named volumes",
  ipc: "not supported by Swarm services",
  pid: "not supported by Swarm services",
  uts: "not supported by Swarm services",
  cgroup: "not supported by Swarm services",
  cgroup_parent: "not supported by Swarm services",
  security_opt: "not supported by Swarm services",
  userns_mode: "not supported by Swarm services",
  shm_size: "use a tmpfs volume",
  tmpfs: "use a volume with `type: tmpfs`",
  cpu_count: "use deploy.resources",
  cpu_percent: "use deploy.resources",
  cpu_period: "use deploy.resources",
  cpu_quota: "use deploy.resources",
  cpu_rt_period: "use deploy.resources",
  cpu_rt_runtime: "use deploy.resources",
  cpu_shares: "use deploy.resources",
  cpus: "use deploy.resources.limits.cpus",
  cpuset: "not supported by Swarm services",
  mem_limit: "use deploy.resources.limits.memory",
  mem_reservation: "use deploy.resources.reservations.memory",
  mem_swappiness: "not supported by Swarm services",
  memswap_limit: "not supported by Swarm services",
  oom_kill_disable: "not supported by Swarm services",
  pids_limit: "use deploy.resources.limits.pids",
  blkio_config: "not supported by Swarm services",
  device_cgroup_rules: "not supported by Swarm services",
  domainname: "not supported by Swarm services",
  mac_address: "not supported by Swarm services",
  runtime: "not supported by Swarm services",
  storage_opt: "not supported by Swarm services",
  gpus: "use deploy.resources.reservations.generic_resources",
  group_add: "not supported by docker stack deploy",
  platform: "use deploy.placement.constraints (node.platform.arch)",
  scale: "use deploy.replicas",
  pull_policy: "Swarm nodes pull when they lack the image",
  pre_start: "lifecycle hooks are not supported by Swarm",
  post_start: "lifecycle hooks are not supported by Swarm",
  pre_stop: "lifecycle hooks are not supported by Swarm",
  credential_spec: "Windows only; not translated by moor",
  use_api_socket: "not supported by Swarm services",
  models: "not supported by Swarm services",
  provider: "not supported by Swarm services",
  annotations: "not supported by Swarm services",
};

const SWARM_OBJECT_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/;
const MAX_OBJECT_NAME = 64;

/** `STACK_name`, as `docker stack deploy` scopes every resource of a stack. */
export function scope(namespace: string, name: string): string {
  return `${namespace}_${name}`;
}

/** The project turned into what the swarm should run. */
export function translateProject(input: TranslateInput): DesiredStack {
  const { project } = input;
  const namespace = project.name;
  const out: DesiredStack = { namespace, services: [], networks: [], secrets: [], configs: [], warnings: [], errors: [] };
  const selected = input.services && input.services.length > 0 ? input.services : Object.keys(project.services).sort();
  for (const name of selected) if (!project.services[name]) out.errors.push(`no such service: ${name}`);
  const services = selected.filter((s) => project.services[s]).map((s) => project.services[s]!);

  const networkKeys = new Set<string>();
  const secretKeys = new Set<string>();
  const configKeys = new Set<string>();
  for (const service of services) {
    for (const key of serviceNetworkKeys(service)) networkKeys.add(key);
    for (const ref of service.secrets ?? []) secretKeys.add(ref.source);
    for (const ref of service.configs ?? []) configKeys.add(ref.source);
  }

  for (const key of [...networkKeys].sort()) {
    const net = project.networks?.[key];
    const name = net?.name ?? scope(namespace, key);
    const spec: SwarmNetworkSpec = { Name: name, Driver: net?.driver || "overlay", Labels: { ...(net?.labels ?? {}), [STACK_LABELS.namespace]: namespace } };
    if (net?.driver_opts && Object.keys(net.driver_opts).length > 0) spec.Options = net.driver_opts;
    if (net?.internal) spec.Internal = true;
    if (net?.attachable) spec.Attachable = true;
    const ipamConfig = (net?.ipam?.config ?? []).map((c) => ({ Subnet: typeof c["subnet"] === "string" ? c["subnet"] : undefined }));
    if (net?.ipam?.driver || ipamConfig.length > 0) spec.IPAM = { ...(net?.ipam?.driver ? { Driver: net.ipam.driver } : {}), ...(ipamConfig.length > 0 ? { Config: ipamConfig } : {}) };
    out.networks.push({ key, name, external: net?.external === true, spec });
  }

  for (const key of [...secretKeys].sort()) {
    const def = project.secrets?.[key];
    if (!def) out.errors.push(`undefined secret "${key}"`);
    else out.secrets.push(fileObject("secret", namespace, key, def, input, out.errors));
  }
  for (const key of [...configKeys].sort()) {
    const def = project.configs?.[key];
    if (!def) out.errors.push(`undefined config "${key}"`);
    else out.configs.push(fileObject("config", namespace, key, def, input, out.errors));
  }

  const secretNames = new Map(out.secrets.map((s) => [s.key, s.name]));
  const configNames = new Map(out.configs.map((c) => [c.key, c.name]));
  for (const service of services) {
    const before = out.errors.length;
    warnUnsupported(service, out.warnings);
    const spec = serviceSpec(project, namespace, service, secretNames, configNames, out.errors);
    if (spec && out.errors.length === before) out.services.push({ key: service.name, name: spec.Name, spec });
  }
  return out;
}

/** The networks a service joins, `default` when it declares none (as docker stack does). */
function serviceNetworkKeys(service: ServiceConfig): string[] {
  if (service.network_mode !== undefined) return [];
  const keys = Object.keys(service.networks ?? {});
  return keys.length > 0 ? keys : ["default"];
}

function warnUnsupported(service: ServiceConfig, warnings: string[]): void {
  for (const [key, why] of Object.entries(UNSUPPORTED)) {
    const value = service[key as keyof ServiceConfig];
    if (value === undefined || value === null || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    // `build:` with an image is a warning; without one the service cannot run (an error below).
    warnings.push(`service "${service.name}": ${key} is not supported by Swarm and is ignored (${why})`);
  }
  for (const which of ["limits", "reservations"] as const) {
    if ((service.deploy?.resources?.[which]?.devices ?? []).length > 0) {
      warnings.push(`service "${service.name}": deploy.resources.${which}.devices is not supported by Swarm and is ignored`);
    }
  }
}

/** Content-addressed name and spec of a secret or config. */
function fileObject(kind: "secret" | "config", namespace: string, key: string, def: SecretConfig, input: TranslateInput, errors: string[]): DesiredFileObject {
  const baseName = def.external ? def.name || key : def.name && def.name !== scope(namespace, key) ? def.name : scope(namespace, key);
  if (def.external) return { kind, key, baseName, name: baseName, external: true };
  let content: Buffer | undefined;
  if (def.content !== undefined) content = Buffer.from(def.content, "utf8");
  else if (def.environment !== undefined) {
    const value = input.env[def.environment];
    if (value === undefined) errors.push(`${kind} "${key}": environment variable ${def.environment} is not set`);
    else content = Buffer.from(value, "utf8");
  } else if (def.file !== undefined) {
    content = input.readFile(def.file);
    if (content === undefined) errors.push(`${kind} "${key}": cannot read ${def.file}`);
  } else if (def.driver === undefined) errors.push(`${kind} "${key}": needs one of file, environment or content`);
  const labels: Record<string, string> = { ...(def.labels ?? {}), [STACK_LABELS.namespace]: namespace, [STACK_LABELS.key]: key };
  const data = (content ?? Buffer.alloc(0)).toString("base64");
  const hash = sha256()
    .update(data)
    .update("\0")
    .update(JSON.stringify(Object.entries(def.labels ?? {}).sort()))
    .update("\0")
    .update(def.template_driver ?? "")
    .digest("hex")
    .slice(0, 10);
  labels[STACK_LABELS.contentHash] = hash;
  const name = `${baseName}-${hash}`;
  if (name.length > MAX_OBJECT_NAME || !SWARM_OBJECT_NAME.test(name)) {
    errors.push(`${kind} "${key}": the versioned name ${name} is not a valid Swarm name (at most ${MAX_OBJECT_NAME} letters, digits, '-', '_' or '.')`);
  }
  const spec: SwarmFileObjectSpec = { Name: name, Labels: labels, Data: data };
  if (def.template_driver) spec.Templating = { Name: def.template_driver };
  return { kind, key, baseName, name, external: false, spec };
}

function ns(value: string | undefined, what: string, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  const n = parseDuration(value);
  if (n === undefined) errors.push(`${what}: invalid duration ${JSON.stringify(value)}`);
  return n;
}

function serviceSpec(
  project: Project,
  namespace: string,
  service: ServiceConfig,
  secretNames: Map<string, string>,
  configNames: Map<string, string>,
  errors: string[],
): SwarmServiceSpec | undefined {
  const where = `service "${service.name}"`;
  if (!service.image) {
    errors.push(
      service.build
        ? `${where} has build: but no image: Swarm nodes pull images, so give it an image name (and push it: moor deploy --build --push)`
        : `${where} has no image`,
    );
    return undefined;
  }
  const deploy = service.deploy ?? {};
  const container: SwarmContainerSpec = { Image: service.image };
  if (service.entrypoint) container.Command = service.entrypoint;
  if (service.command) container.Args = service.command;
  if (service.hostname) container.Hostname = service.hostname;
  const hosts = Object.entries(service.extra_hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${ip} ${host}`));
  if (hosts.length > 0) container.Hosts = hosts;
  if ((service.dns?.length ?? 0) > 0 || (service.dns_search?.length ?? 0) > 0 || (service.dns_opt?.length ?? 0) > 0) {
    container.DNSConfig = {};
    if (service.dns?.length) container.DNSConfig.Nameservers = service.dns;
    if (service.dns_search?.length) container.DNSConfig.Search = service.dns_search;
    if (service.dns_opt?.length) container.DNSConfig.Options = service.dns_opt;
  }
  const health = healthcheck(service, errors);
  if (health) container.Healthcheck = health;
  const env = Object.entries(service.environment ?? {}).map(([k, v]) => (v === null ? k : `${k}=${v}`));
  if (env.length > 0) container.Env = env.sort();
  container.Labels = { ...(service.labels ?? {}), [STACK_LABELS.namespace]: namespace };
  if (service.working_dir) container.Dir = service.working_dir;
  if (service.user) container.User = service.user;
  const mounts = (service.volumes ?? []).map((v) => mount(project, namespace, v, where, errors)).filter((m): m is SwarmMount => m !== undefined);
  if (mounts.length > 0) container.Mounts = mounts;
  const grace = ns(service.stop_grace_period, `${where}: stop_grace_period`, errors);
  if (grace !== undefined) container.StopGracePeriod = grace;
  if (service.stop_signal) container.StopSignal = service.stop_signal;
  if (service.tty) container.TTY = true;
  if (service.stdin_open) container.OpenStdin = true;
  if (service.read_only) container.ReadOnly = true;
  if (service.isolation) container.Isolation = service.isolation;
  if (service.init !== undefined) container.Init = service.init;
  if (service.sysctls && Object.keys(service.sysctls).length > 0) container.Sysctls = service.sysctls;
  if (service.cap_add?.length) container.CapabilityAdd = service.cap_add.map(capability);
  if (service.cap_drop?.length) container.CapabilityDrop = service.cap_drop.map(capability);
  const ulimits = Object.entries(service.ulimits ?? {})
    .map(([name, u]) => {
      const single = typeof u === "number" ? u : u.single;
      return single !== undefined ? { Name: name, Soft: single, Hard: single } : { Name: name, Soft: u.soft ?? 0, Hard: u.hard ?? 0 };
    })
    .sort((a, b) => a.Name.localeCompare(b.Name));
  if (ulimits.length > 0) container.Ulimits = ulimits;
  if (service.oom_score_adj !== undefined) container.OomScoreAdj = service.oom_score_adj;

  const secrets = (service.secrets ?? []).map((ref) => ({ File: fileTarget(ref, "secret"), SecretName: secretNames.get(ref.source) ?? ref.source }));
  if (secrets.length > 0) container.Secrets = secrets.sort((a, b) => a.SecretName.localeCompare(b.SecretName));
  const configs = (service.configs ?? []).map((ref) => ({ File: fileTarget(ref, "config"), ConfigName: configNames.get(ref.source) ?? ref.source }));
  if (configs.length > 0) container.Configs = configs.sort((a, b) => a.ConfigName.localeCompare(b.ConfigName));

  const spec: SwarmServiceSpec = {
    Name: scope(namespace, service.name),
    Labels: { ...(deploy.labels ?? {}), [STACK_LABELS.namespace]: namespace, [STACK_LABELS.image]: service.image },
    TaskTemplate: { ContainerSpec: container },
  };
  const task = spec.TaskTemplate;
  const limits = deploy.resources?.limits;
  const reservations = deploy.resources?.reservations;
  task.Resources = {};
  if (limits) {
    task.Resources.Limits = {};
    if (limits.cpus !== undefined) task.Resources.Limits.NanoCPUs = Math.round(limits.cpus * 1e9);
    if (limits.memory !== undefined) task.Resources.Limits.MemoryBytes = limits.memory;
    if (limits.pids !== undefined) task.Resources.Limits.Pids = limits.pids;
  }
  if (reservations) {
    task.Resources.Reservations = {};
    if (reservations.cpus !== undefined) task.Resources.Reservations.NanoCPUs = Math.round(reservations.cpus * 1e9);
    if (reservations.memory !== undefined) task.Resources.Reservations.MemoryBytes = reservations.memory;
    if (reservations.generic_resources?.length) task.Resources.Reservations.GenericResources = reservations.generic_resources;
  }
  const restart = restartPolicy(service, where, errors);
  if (restart) task.RestartPolicy = restart;
  const placement = deploy.placement;
  task.Placement = {};
  if (placement?.constraints?.length) task.Placement.Constraints = placement.constraints;
  if (placement?.preferences?.length) task.Placement.Preferences = placement.preferences.map((p) => ({ Spread: { SpreadDescriptor: p.spread } }));
  if (placement?.max_replicas_per_node !== undefined) task.Placement.MaxReplicas = placement.max_replicas_per_node;
  const networks = serviceNetworkKeys(service)
    .map((key) => {
      const target = project.networks?.[key]?.name ?? scope(namespace, key);
      const cfg = service.networks?.[key] ?? null;
      const attachment: { Target: string; Aliases?: string[]; DriverOpts?: Record<string, string> } = { Target: target };
      // docker stack adds the service's key as an alias on user-defined networks (all but host/bridge/none).
      const aliases = [...(cfg?.aliases ?? []), ...(["host", "bridge", "none"].includes(target) ? [] : [service.name])];
      if (aliases.length > 0) attachment.Aliases = aliases;
      if (cfg?.driver_opts && Object.keys(cfg.driver_opts).length > 0) attachment.DriverOpts = cfg.driver_opts;
      return attachment;
    })
    .sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  if (networks.length > 0) task.Networks = networks;
  if (service.logging && (service.logging.driver || service.logging.options)) {
    task.LogDriver = {};
    if (service.logging.driver) task.LogDriver.Name = service.logging.driver;
    if (service.logging.options) task.LogDriver.Options = service.logging.options;
  }
  const mode = serviceMode(deploy.mode, deploy.replicas, where, errors);
  if (mode) spec.Mode = mode;
  const update = updateConfig(deploy.update_config, `${where}: deploy.update_config`, errors);
  if (update) spec.UpdateConfig = update;
  const rollback = updateConfig(deploy.rollback_config, `${where}: deploy.rollback_config`, errors);
  if (rollback) spec.RollbackConfig = rollback;
  spec.EndpointSpec = {};
  if (deploy.endpoint_mode) spec.EndpointSpec.Mode = deploy.endpoint_mode.toLowerCase();
  const ports = (service.ports ?? []).flatMap((p) => portConfigs(p, where, errors));
  if (ports.length > 0) spec.EndpointSpec.Ports = ports.sort(comparePorts);
  return spec;
}

function capability(cap: string): string {
  const upper = cap.toUpperCase();
  return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

/** `/run/secrets/x` (compose's default) is `x` to Swarm, as docker stack sends it; configs default to their key. */
function fileTarget(ref: ServiceFileReference, kind: "secret" | "config"): { Name: string; UID: string; GID: string; Mode: number } {
  let name = ref.target ?? ref.source;
  if (kind === "secret" && name.startsWith("/run/secrets/") && !name.slice(13).includes("/")) name = name.slice(13);
  if (kind === "config" && name === `/${ref.source}`) name = ref.source;
  return { Name: name, UID: ref.uid ?? "0", GID: ref.gid ?? "0", Mode: ref.mode ?? 0o444 };
}

function healthcheck(service: ServiceConfig, errors: string[]): SwarmHealthConfig | undefined {
  const h = service.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ["NONE"] };
  const where = `service "${service.name}": healthcheck`;
  const out: SwarmHealthConfig = {};
  if (h.test) out.Test = h.test;
  const fields = [
    ["Interval", h.interval],
    ["Timeout", h.timeout],
    ["StartPeriod", h.start_period],
    ["StartInterval", h.start_interval],
  ] as const;
  for (const [field, value] of fields) {
    const n = ns(value, `${where}.${field}`, errors);
    if (n !== undefined) out[field] = n;
  }
  if (h.retries !== undefined) out.Retries = h.retries;
  return out;
}

/** deploy.restart_policy, else the legacy `restart:` as docker stack reads it. */
function restartPolicy(service: ServiceConfig, where: string, errors: string[]): SwarmServiceSpec["TaskTemplate"]["RestartPolicy"] {
  const rp = service.deploy?.restart_policy;
  if (rp) {
    const out: NonNullable<SwarmServiceSpec["TaskTemplate"]["RestartPolicy"]> = {};
    if (rp.condition) out.Condition = rp.condition;
    const delay = ns(rp.delay, `${where}: deploy.restart_policy.delay`, errors);
    if (delay !== undefined) out.Delay = delay;
    if (rp.max_attempts !== undefined) out.MaxAttempts = rp.max_attempts;
    const window = ns(rp.window, `${where}: deploy.restart_policy.window`, errors);
    if (window !== undefined) out.Window = window;
    return out;
  }
  const restart = service.restart;
  if (!restart || restart === "no") return undefined;
  const [name, count] = restart.split(":");
  const max = count === undefined ? undefined : Number.parseInt(count, 10);
  const attempts = max !== undefined && max > 0 ? { MaxAttempts: max } : {};
  if (name === "always" || name === "unless-stopped") return { Condition: "any", ...attempts };
  if (name === "on-failure") return { Condition: "on-failure", ...attempts };
  errors.push(`${where}: invalid restart policy ${JSON.stringify(restart)}`);
  return undefined;
}

function serviceMode(mode: string | undefined, replicas: number | undefined, where: string, errors: string[]): SwarmServiceMode | undefined {
  switch (mode ?? "replicated") {
    case "replicated":
      return { Replicated: replicas === undefined ? {} : { Replicas: replicas } };
    case "global":
      if (replicas !== undefined) errors.push(`${where}: replicas can only be used with replicated or replicated-job mode`);
      return { Global: {} };
    case "replicated-job":
      return { ReplicatedJob: replicas === undefined ? {} : { MaxConcurrent: replicas, TotalCompletions: replicas } };
    case "global-job":
      if (replicas !== undefined) errors.push(`${where}: replicas can only be used with replicated or replicated-job mode`);
      return { GlobalJob: {} };
    default:
      errors.push(`${where}: unknown deploy.mode ${JSON.stringify(mode)}`);
      return undefined;
  }
}

function updateConfig(source: UpdateConfig | undefined, where: string, errors: string[]): SwarmUpdateConfig | undefined {
  if (!source) return undefined;
  const out: SwarmUpdateConfig = { Parallelism: source.parallelism ?? 1 };
  const delay = ns(source.delay, `${where}.delay`, errors);
  if (delay !== undefined) out.Delay = delay;
  if (source.failure_action) out.FailureAction = source.failure_action;
  const monitor = ns(source.monitor, `${where}.monitor`, errors);
  if (monitor !== undefined) out.Monitor = monitor;
  if (source.max_failure_ratio !== undefined) out.MaxFailureRatio = source.max_failure_ratio;
  if (source.order) out.Order = source.order;
  return out;
}

function portConfigs(p: ServicePortConfig, where: string, errors: string[]): SwarmPortConfig[] {
  const base: SwarmPortConfig = { Protocol: p.protocol || "tcp", TargetPort: p.target, PublishMode: p.mode || "ingress" };
  if (p.name) base.Name = p.name;
  if (p.host_ip) errors.push(`${where}: ports: host_ip ${p.host_ip} is not supported by Swarm (ports publish on every address)`);
  if (p.published === undefined || p.published === "") return [base];
  const range = /^(\d+)(?:-(\d+))?$/.exec(p.published);
  if (!range) {
    errors.push(`${where}: ports: invalid published port ${JSON.stringify(p.published)}`);
    return [];
  }
  const first = Number(range[1]);
  const last = range[2] === undefined ? first : Number(range[2]);
  if (last === first) return [{ ...base, PublishedPort: first }];
  // A published range for one target: Swarm takes one port per entry.
  errors.push(`${where}: ports: the range ${p.published} for one target port is not supported by Swarm`);
  return [];
}

function comparePorts(a: SwarmPortConfig, b: SwarmPortConfig): number {
  return (
    (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) ||
    a.TargetPort - b.TargetPort ||
    (a.Protocol ?? "").localeCompare(b.Protocol ?? "") ||
    (a.PublishMode ?? "").localeCompare(b.PublishMode ?? "")
  );
}

function mount(project: Project, namespace: string, v: ServiceVolumeConfig, where: string, errors: string[]): SwarmMount | undefined {
  const m: SwarmMount = { Type: v.type, Target: v.target };
  if (v.read_only) m.ReadOnly = true;
  if (v.consistency) m.Consistency = v.consistency;
  switch (v.type) {
    case "volume": {
      if (!v.source) return m;
      const vol = project.volumes?.[v.source];
      if (!vol) {
        errors.push(`${where}: undefined volume "${v.source}"`);
        return undefined;
      }
      m.Source = vol.name || scope(namespace, v.source);
      m.VolumeOptions = {};
      if (v.volume?.nocopy) m.VolumeOptions.NoCopy = true;
      if (v.volume?.subpath) m.VolumeOptions.Subpath = v.volume.subpath;
      if (!vol.external) {
        m.VolumeOptions.Labels = { ...(vol.labels ?? {}), [STACK_LABELS.namespace]: namespace };
        if (vol.driver || vol.driver_opts) m.VolumeOptions.DriverConfig = { ...(vol.driver ? { Name: vol.driver } : {}), ...(vol.driver_opts ? { Options: vol.driver_opts } : {}) };
      }
      return m;
    }
    case "bind":
      m.Source = v.source;
      if (v.bind) m.BindOptions = v.bind.propagation ? { Propagation: v.bind.propagation } : {};
      return m;
    case "tmpfs":
      if (v.tmpfs) {
        m.TmpfsOptions = {};
        const size = v.tmpfs.size === undefined ? undefined : Number(v.tmpfs.size);
        if (size !== undefined) m.TmpfsOptions.SizeBytes = size;
        if (v.tmpfs.mode !== undefined) m.TmpfsOptions.Mode = v.tmpfs.mode;
      }
      return m;
    case "npipe":
      m.Source = v.source;
      return m;
    default:
      errors.push(`${where}: volumes of type ${v.type} are not supported by Swarm`);
      return undefined;
  }
}
