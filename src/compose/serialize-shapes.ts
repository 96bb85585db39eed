// The shapes of `docker compose config`'s output: each struct's keys in compose's declared
// order (not alphabetical), which zero values Go's `omitempty` leaves out, and the leaves that
// print specially. Both writers (the tree for JSON and raw models, the direct YAML writer) read them.

export type Leaf = "scalar" | "bytes" | "mode" | "any" | "hosts" | "ulimit" | "ssh";
export interface Field {
  key: string;
  shape: Shape;
  /** A Go pointer or a field without omitempty: zero values (false, 0) are printed. */
  keep?: boolean;
  /** Printed in JSON even when missing (as null, or the empty struct for value structs). */
  jsonAlways?: boolean;
  /** Go's OptOut: printed only when false. */
  optOut?: boolean;
  /** The JSON key when it differs (Go structs without json tags print their field names). */
  jsonName?: string;
}
export interface Struct {
  fields: Field[];
  /** A Go value struct: YAML leaves it out when empty, JSON always prints it. */
  value?: boolean;
}
export type Shape = Leaf | Struct | { list: Shape } | { map: Shape };

const f = (key: string, shape: Shape = "scalar", extra: Omit<Field, "key" | "shape"> = {}): Field => ({ key, shape, ...extra });
const list = (of: Shape): Shape => ({ list: of });
export const map = (of: Shape): Shape => ({ map: of });
const S = (...fields: Field[]): Struct => ({ fields });
const V = (...fields: Field[]): Struct => ({ fields, value: true });
const strings = list("scalar");
const smap = map("scalar");

const hook = (value: boolean): Struct => ({
  value,
  fields: [f("command", strings, { jsonAlways: true }), f("image"), f("user"), f("privileged"), f("working_dir"), f("environment", smap), f("per_replica")],
});
const fileRef = S(f("source"), f("target"), f("uid"), f("gid"), f("mode", "mode", { keep: true }));
const deviceRequest = S(f("capabilities", strings), f("driver"), f("count"), f("device_ids", strings), f("options", smap));
const resource = S(f("cpus"), f("memory", "bytes"), f("pids"), f("devices", list(deviceRequest)), f("generic_resources", "any"));
const updateConfig = S(f("parallelism", "scalar", { keep: true }), f("delay"), f("failure_action"), f("monitor"), f("max_failure_ratio"), f("order"));
// blkio device entries have no tags in compose: YAML lowercases the Go field names, JSON keeps them.
const throttle = list(S(f("path", "scalar", { keep: true, jsonName: "Path" }), f("rate", "bytes", { keep: true, jsonName: "Rate" })));

const build = S(
  f("context"), f("dockerfile"), f("dockerfile_inline"), f("entitlements", strings), f("args", smap), f("provenance"), f("sbom"),
  f("ssh", list("ssh")), f("labels", smap), f("cache_from", strings), f("cache_to", strings), f("no_cache"), f("no_cache_filter", strings),
  f("additional_contexts", smap), f("pull"), f("extra_hosts", "hosts"), f("isolation"), f("network"), f("target"),
  f("secrets", list(fileRef)), f("shm_size", "bytes"), f("tags", strings), f("ulimits", map("ulimit")), f("platforms", strings), f("privileged"),
);

const deploy = S(
  f("mode"), f("replicas", "scalar", { keep: true }), f("labels", smap), f("update_config", updateConfig), f("rollback_config", updateConfig),
  f("resources", V(f("limits", resource), f("reservations", resource))),
  f("restart_policy", S(f("condition"), f("delay", "scalar", { keep: true }), f("max_attempts", "scalar", { keep: true }), f("window", "scalar", { keep: true }))),
  f("placement", V(f("constraints", strings), f("preferences", list(S(f("spread")))), f("max_replicas_per_node"))),
  f("endpoint_mode"),
);

const volume = S(
  f("type"), f("source"), f("target"), f("read_only"), f("consistency"),
  f("bind", S(f("selinux"), f("propagation"), f("create_host_path", "scalar", { optOut: true }), f("recursive"))),
  f("volume", S(f("labels", smap), f("nocopy"), f("subpath"))),
  f("tmpfs", S(f("size", "bytes"), f("mode"))),
  f("image", S(f("subpath"))),
);

export const serviceShape = S(
  f("profiles", strings), f("annotations", smap), f("attach", "scalar", { keep: true }), f("build", build),
  f("develop", S(f("watch", list(S(
    f("path", "scalar", { keep: true }), f("action", "scalar", { keep: true }), f("target"), f("exec", hook(true)),
    f("include", strings), f("ignore", strings), f("initial_sync"),
  ))))),
  f("blkio_config", S(
    f("weight"), f("weight_device", list(S(f("path", "scalar", { keep: true, jsonName: "Path" }), f("weight", "scalar", { keep: true, jsonName: "Weight" })))), f("device_read_bps", throttle), f("device_read_iops", throttle),
    f("device_write_bps", throttle), f("device_write_iops", throttle),
  )),
  f("cap_add", strings), f("cap_drop", strings), f("cgroup_parent"), f("cgroup"), f("cpu_count"), f("cpu_percent"), f("cpu_period"),
  f("cpu_quota"), f("cpu_rt_period"), f("cpu_rt_runtime"), f("cpus"), f("cpuset"), f("cpu_shares"),
  f("command", strings, { jsonAlways: true }), f("configs", list(fileRef)), f("container_name"),
  f("credential_spec", S(f("config"), f("file"), f("registry"))),
  f("depends_on", map(S(f("condition"), f("restart"), f("required", "scalar", { keep: true })))),
  f("deploy", deploy), f("device_cgroup_rules", strings), f("devices", list(S(f("source"), f("target"), f("permissions")))),
  f("dns", strings), f("dns_opt", strings), f("dns_search", strings), f("domainname"),
  f("entrypoint", strings, { jsonAlways: true }), f("provider", S(f("type"), f("options", map(strings)))), f("environment", smap),
  f("env_file", list(S(f("path"), f("required", "scalar", { optOut: true }), f("format")))),
  f("expose", strings), f("external_links", strings), f("extra_hosts", "hosts"), f("group_add", strings),
  f("gpus", list(deviceRequest)), f("hostname"),
  f("healthcheck", S(
    f("test", strings), f("timeout", "scalar", { keep: true }), f("interval", "scalar", { keep: true }), f("retries", "scalar", { keep: true }),
    f("start_period", "scalar", { keep: true }), f("start_interval", "scalar", { keep: true }), f("disable"),
  )),
  f("image"), f("init", "scalar", { keep: true }), f("ipc"), f("isolation"), f("labels", smap), f("links", strings),
  f("logging", S(f("driver"), f("options", smap))),
  f("mem_limit", "bytes"), f("mem_reservation", "bytes"), f("memswap_limit", "bytes"), f("mem_swappiness", "bytes"), f("mac_address"),
  f("models", map(S(f("endpoint_var"), f("model_var")))), f("network_mode"),
  f("networks", map(S(
    f("aliases", strings), f("driver_opts", smap), f("gw_priority"), f("interface_name"), f("ipv4_address"), f("ipv6_address"),
    f("link_local_ips", strings), f("mac_address"), f("priority"),
  ))),
  f("oom_kill_disable"), f("oom_score_adj"), f("pid"), f("pids_limit"), f("platform"),
  f("ports", list(S(f("name"), f("mode"), f("host_ip"), f("target"), f("published"), f("protocol"), f("app_protocol")))),
  f("privileged"), f("pull_policy"), f("read_only"), f("restart"), f("runtime"), f("scale", "scalar", { keep: true }),
  f("secrets", list(fileRef)), f("security_opt", strings), f("shm_size", "bytes"), f("stdin_open"),
  f("stop_grace_period", "scalar", { keep: true }), f("stop_signal"), f("storage_opt", smap), f("sysctls", smap), f("tmpfs", strings),
  f("tty"), f("ulimits", map("ulimit")), f("use_api_socket"), f("user"), f("userns_mode"), f("uts"),
  f("volumes", list(volume)), f("volumes_from", strings), f("working_dir"),
  f("pre_start", list(hook(false))), f("post_start", list(hook(false))), f("pre_stop", list(hook(false))),
);

export const networkShape = S(
  f("name"), f("driver"), f("driver_opts", smap),
  f("ipam", V(f("driver"), f("config", list(S(f("subnet"), f("gateway"), f("ip_range"), f("aux_addresses", smap)))), f("options", smap))),
  f("external"), f("internal"), f("attachable"), f("labels", smap),
  f("enable_ipv4", "scalar", { keep: true }), f("enable_ipv6", "scalar", { keep: true }),
);
export const volumeShape = S(f("name"), f("driver"), f("driver_opts", smap), f("external"), f("labels", smap));
export const fileObjectShape = S(
  f("name"), f("file"), f("environment"), f("content"), f("external"), f("labels", smap), f("driver"), f("driver_opts", smap), f("template_driver"),
);
export const modelShape = S(f("name"), f("model"), f("context_size"), f("runtime_flags", strings));

// ---- leaf helpers both writers share ---------------------------------------------------------

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Go's omitempty: the zero value of a non-pointer field. */
export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") {
    for (const _ in v) return false;
    return true;
  }
  return false;
}

/** A file mode as compose prints it: octal with a leading zero. */
export const modeText = (n: number): string => `0${n.toString(8)}`;

/** An ssh entry `id=path` prints as `id: path`. */
export function sshText(v: unknown): string {
  const s = String(v);
  const eq = s.indexOf("=");
  return eq < 0 ? s : `${s.slice(0, eq)}: ${s.slice(eq + 1)}`;
}

/** extra_hosts as compose prints them: "host=ip" lines sorted by their bytes. */
export function hostLines(v: unknown, compare: (a: string, b: string) => number): string[] {
  const lines: string[] = [];
  if (isRecord(v)) for (const [host, ips] of Object.entries(v)) for (const ip of Array.isArray(ips) ? ips : [ips]) lines.push(`${host}=${String(ip)}`);
  return lines.sort(compare);
}
