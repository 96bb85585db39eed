// The normalized, typed compose model. Field names follow the Compose Specification and the
// JSON that `docker compose config --format json` prints, so `moor config` serializes it as is.
// Every service field is in its long form; paths are absolute; resource names are resolved.
// Byte sizes are numbers here; `serialize.ts` prints them as compose does (quoted strings).

/** `x-*` extension keys are kept as they are. */
export type Extensions = { [key: `x-${string}`]: unknown };

export interface Project extends Extensions {
  name: string;
  services: Record<string, ServiceConfig>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, SecretConfig>;
  configs?: Record<string, ConfigObjConfig>;
  models?: Record<string, ModelConfig>;
}

export interface ServiceConfig extends Extensions {
  /** Not serialized by compose; the key under `services`. */
  name: string;
  profiles?: string[];
  annotations?: Record<string, string>;
  attach?: boolean;
  build?: BuildConfig;
  blkio_config?: Record<string, unknown>;
  cap_add?: string[];
  cap_drop?: string[];
  cgroup?: string;
  cgroup_parent?: string;
  command?: string[] | null;
  configs?: ServiceFileReference[];
  container_name?: string;
  cpu_count?: number;
  cpu_percent?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpu_shares?: number;
  cpus?: number;
  cpuset?: string;
  credential_spec?: Record<string, unknown>;
  depends_on?: Record<string, ServiceDependency>;
  deploy?: DeployConfig;
  develop?: DevelopConfig;
  device_cgroup_rules?: string[];
  devices?: DeviceMapping[];
  dns?: string[];
  dns_opt?: string[];
  dns_search?: string[];
  domainname?: string;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  env_file?: EnvFileConfig[];
  expose?: string[];
  external_links?: string[];
  extra_hosts?: Record<string, string[]>;
  gpus?: DeviceRequest[];
  group_add?: string[];
  healthcheck?: HealthcheckConfig;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  isolation?: string;
  labels?: Record<string, string>;
  /** Absolute paths of `label_file`s; their labels are already merged into `labels`. */
  label_file?: string[];
  links?: string[];
  logging?: LoggingConfig;
  mac_address?: string;
  mem_limit?: number;
  mem_reservation?: number;
  mem_swappiness?: number;
  memswap_limit?: number;
  models?: Record<string, ServiceModelConfig | null>;
  network_mode?: string;
  networks?: Record<string, ServiceNetworkConfig | null>;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  pid?: string;
  pids_limit?: number;
  platform?: string;
  ports?: ServicePortConfig[];
  /** Runs in a one-off container before the service starts; `image` defaults to the service's. */
  pre_start?: ServiceHook[];
  post_start?: ServiceHook[];
  pre_stop?: ServiceHook[];
  privileged?: boolean;
  provider?: { type: string; options?: Record<string, string[]> };
  pull_policy?: string;
  read_only?: boolean;
  restart?: string;
  runtime?: string;
  scale?: number;
  secrets?: ServiceFileReference[];
  security_opt?: string[];
  shm_size?: number;
  stdin_open?: boolean;
  stop_grace_period?: Duration;
  stop_signal?: string;
  storage_opt?: Record<string, string>;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, UlimitConfig>;
  use_api_socket?: boolean;
  user?: string;
  userns_mode?: string;
  uts?: string;
  volumes?: ServiceVolumeConfig[];
  volumes_from?: string[];
  working_dir?: string;
}

/** A Go-style duration string as compose prints it ("1m30s"); `Durations` parses and formats. */
export type Duration = string;

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  entitlements?: string[];
  args?: Record<string, string | null>;
  /** `id` or `id=path`, as written. */
  ssh?: string[];
  labels?: Record<string, string>;
  cache_from?: string[];
  cache_to?: string[];
  no_cache?: boolean;
  no_cache_filter?: string[];
  additional_contexts?: Record<string, string>;
  network?: string;
  provenance?: string;
  sbom?: string;
  pull?: boolean;
  target?: string;
  shm_size?: number;
  extra_hosts?: Record<string, string[]>;
  isolation?: string;
  privileged?: boolean;
  secrets?: ServiceFileReference[];
  tags?: string[];
  ulimits?: Record<string, UlimitConfig>;
  platforms?: string[];
}

export interface ServiceDependency {
  condition: "service_started" | "service_healthy" | "service_completed_successfully";
  restart?: boolean;
  required: boolean;
}

export interface ServicePortConfig {
  name?: string;
  mode: "ingress" | "host" | string;
  host_ip?: string;
  target: number;
  /** A port or a range ("8000-8010"); a string, as compose prints it. */
  published?: string;
  protocol: "tcp" | "udp" | "sctp" | string;
  app_protocol?: string;
}

export type ServiceVolumeConfig = {
  type: "bind" | "volume" | "tmpfs" | "npipe" | "cluster" | "image";
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: "z" | "Z"; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string> };
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
};

export interface ServiceNetworkConfig {
  aliases?: string[];
  driver_opts?: Record<string, string>;
  gw_priority?: number;
  interface_name?: string;
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  priority?: number;
}

export interface ServiceFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  /** File mode bits (printed in octal, "0444"). */
  mode?: number;
}

export interface HealthcheckConfig {
  test?: string[];
  interval?: Duration;
  timeout?: Duration;
  retries?: number;
  start_period?: Duration;
  start_interval?: Duration;
  disable?: boolean;
}

export interface LoggingConfig {
  driver?: string;
  options?: Record<string, string>;
}

export interface UlimitConfig {
  single?: number;
  soft?: number;
  hard?: number;
}

export interface EnvFileConfig {
  path: string;
  required: boolean;
  format?: string;
}

export interface DeviceMapping {
  source: string;
  target: string;
  permissions: string;
}

export interface DeviceRequest {
  capabilities?: string[];
  driver?: string;
  /** -1 means "all", as compose stores it. */
  count?: number;
  device_ids?: string[];
  options?: Record<string, string>;
}

export interface ServiceHook {
  command: string[];
  image?: string;
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  environment?: Record<string, string | null>;
  per_replica?: boolean;
}

export interface ServiceModelConfig {
  endpoint_var?: string;
  model_var?: string;
}

export interface DeployConfig {
  mode?: "replicated" | "global" | "replicated-job" | "global-job" | string;
  replicas?: number;
  labels?: Record<string, string>;
  update_config?: UpdateConfig;
  rollback_config?: UpdateConfig;
  resources?: { limits?: Resource; reservations?: Resource };
  restart_policy?: { condition?: string; delay?: Duration; max_attempts?: number; window?: Duration };
  placement?: { constraints?: string[]; preferences?: { spread: string }[]; max_replicas_per_node?: number };
  endpoint_mode?: "vip" | "dnsrr" | string;
}

export interface UpdateConfig {
  parallelism?: number;
  delay?: Duration;
  failure_action?: string;
  monitor?: Duration;
  max_failure_ratio?: number;
  order?: string;
}

export interface Resource {
  cpus?: number;
  memory?: number;
  pids?: number;
  devices?: DeviceRequest[];
  generic_resources?: unknown[];
}

export interface DevelopConfig {
  watch?: WatchRule[];
}

export interface WatchRule {
  path: string;
  action: "sync" | "rebuild" | "restart" | "sync+restart" | "sync+exec";
  target?: string;
  ignore?: string[];
  include?: string[];
  initial_sync?: boolean;
  exec?: ServiceHook;
}

export interface NetworkConfig extends Extensions {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: Record<string, unknown>[]; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
}

export interface VolumeConfig extends Extensions {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
}

export interface SecretConfig extends Extensions {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
}

export type ConfigObjConfig = SecretConfig;

export interface ModelConfig extends Extensions {
  name?: string;
  model: string;
  context_size?: number;
  runtime_flags?: string[];
}
