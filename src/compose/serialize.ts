// `docker compose config` output: the Project in compose's key order, forms and quoting.
// Each struct's keys come in compose's declared order (not alphabetical), maps are sorted,
// zero values are left out as Go's `omitempty` does, and a few types print specially:
// byte sizes as quoted numbers, file modes in octal, extra_hosts as sorted "host=ip" lines.
import { emitJson, emitYaml, jsonKeyCompare, yamlKeyCompare, type Node } from "./serialize-emit.js";
import type { Project, ServiceConfig } from "./types.js";

type Format = "yaml" | "json";

type Leaf = "scalar" | "bytes" | "mode" | "any" | "hosts" | "ulimit" | "ssh";
interface Field {
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
interface Struct {
  fields: Field[];
  /** A Go value struct: YAML leaves it out when empty, JSON always prints it. */
  value?: boolean;
}
type Shape = Leaf | Struct | { list: Shape } | { map: Shape };

const f = (key: string, shape: Shape = "scalar", extra: Omit<Field, "key" | "shape"> = {}): Field => ({ key, shape, ...extra });
const list = (of: Shape): Shape => ({ list: of });
const map = (of: Shape): Shape => ({ map: of });
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

const serviceShape = S(
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

const networkShape = S(
  f("name"), f("driver"), f("driver_opts", smap),
  f("ipam", V(f("driver"), f("config", list(S(f("subnet"), f("gateway"), f("ip_range"), f("aux_addresses", smap)))), f("options", smap))),
  f("external"), f("internal"), f("attachable"), f("labels", smap),
  f("enable_ipv4", "scalar", { keep: true }), f("enable_ipv6", "scalar", { keep: true }),
);
const volumeShape = S(f("name"), f("driver"), f("driver_opts", smap), f("external"), f("labels", smap));
const fileObjectShape = S(
  f("name"), f("file"), f("environment"), f("content"), f("external"), f("labels", smap), f("driver"), f("driver_opts", smap), f("template_driver"),
);
const modelShape = S(f("name"), f("model"), f("context_size"), f("runtime_flags", strings));

// ---- building the tree ---------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function scalar(v: unknown): Node {
  if (v === null || v === undefined) return { k: "null" };
  if (typeof v === "string") return { k: "str", v };
  if (typeof v === "number") return { k: "num", v };
  if (typeof v === "boolean") return { k: "bool", v };
  return { k: "str", v: String(v) };
}

function anyNode(v: unknown, fmt: Format): Node {
  if (Array.isArray(v)) return { k: "seq", items: v.map((x) => anyNode(x, fmt)) };
  if (isRecord(v)) {
    const cmp = fmt === "yaml" ? yamlKeyCompare : jsonKeyCompare;
    return { k: "map", entries: Object.keys(v).sort(cmp).map((k) => [k, anyNode(v[k], fmt)]) };
  }
  return scalar(v);
}

/** Go's omitempty: the zero value of a non-pointer field. */
function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

function buildNode(v: unknown, shape: Shape, fmt: Format): Node {
  if (typeof shape === "string") {
    switch (shape) {
      case "scalar":
        return scalar(v);
      case "bytes":
        // compose prints byte sizes as quoted decimal strings ("536870912").
        return typeof v === "number" ? { k: "str", v: String(v) } : scalar(v);
      case "mode":
        return typeof v === "number" ? { k: "str", v: `0${v.toString(8)}` } : scalar(v);
      case "any":
        return anyNode(v, fmt);
      case "hosts": {
        const lines: string[] = [];
        if (isRecord(v)) for (const [host, ips] of Object.entries(v)) for (const ip of Array.isArray(ips) ? ips : [ips]) lines.push(`${host}=${String(ip)}`);
        lines.sort(jsonKeyCompare);
        return { k: "seq", items: lines.map((s) => ({ k: "str", v: s })) };
      }
      case "ulimit": {
        const u = isRecord(v) ? v : {};
        if (typeof u.single === "number" && u.single !== 0) return { k: "num", v: u.single };
        // YAML prints both limits; JSON leaves out a zero one.
        const entries: [string, Node][] = [];
        for (const k of ["soft", "hard"]) {
          const n = typeof u[k] === "number" ? u[k] : 0;
          if (fmt === "yaml" || n !== 0) entries.push([k, { k: "num", v: n }]);
        }
        return { k: "map", entries };
      }
      case "ssh": {
        const s = String(v);
        const eq = s.indexOf("=");
        return { k: "str", v: eq < 0 ? s : `${s.slice(0, eq)}: ${s.slice(eq + 1)}` };
      }
    }
  }
  if ("list" in shape) return { k: "seq", items: (Array.isArray(v) ? v : []).map((x) => buildNode(x, shape.list, fmt)) };
  if ("map" in shape) {
    const obj = isRecord(v) ? v : {};
    const cmp = fmt === "yaml" ? yamlKeyCompare : jsonKeyCompare;
    return {
      k: "map",
      entries: Object.keys(obj).sort(cmp).map((k) => [k, obj[k] === null || obj[k] === undefined ? { k: "null" } : buildNode(obj[k], shape.map, fmt)]),
    };
  }
  return buildStruct(isRecord(v) ? v : {}, shape, fmt);
}

function buildStruct(obj: Record<string, unknown>, shape: Struct, fmt: Format, extensions = fmt === "yaml"): Extract<Node, { k: "map" }> {
  const entries: [string, Node][] = [];
  for (const field0 of shape.fields) {
    const v = obj[field0.key];
    const field = fmt === "json" && field0.jsonName ? { ...field0, key: field0.jsonName } : field0;
    if (v === undefined || v === null) {
      if (fmt === "json" && field.jsonAlways) entries.push([field.key, typeof field.shape === "object" && "fields" in field.shape ? buildStruct({}, field.shape, fmt) : { k: "null" }]);
      else if (fmt === "json" && typeof field.shape === "object" && "fields" in field.shape && field.shape.value) entries.push([field.key, buildStruct({}, field.shape, fmt)]);
      continue;
    }
    if (field.optOut) {
      if (v === false) entries.push([field.key, { k: "bool", v: false }]);
      continue;
    }
    const isStruct = typeof field.shape === "object" && "fields" in field.shape;
    if (isStruct) {
      const node = buildStruct(isRecord(v) ? v : {}, field.shape as Struct, fmt);
      if ((field.shape as Struct).value && fmt === "yaml" && node.entries.length === 0) continue;
      entries.push([field.key, node]);
      continue;
    }
    // JSON prints `"command": []` for an explicitly empty command, unlike YAML.
    if (!field.keep && isZero(v) && !(fmt === "json" && field.jsonAlways)) continue;
    entries.push([field.key, buildNode(v, field.shape, fmt)]);
  }
  if (extensions) {
    const ext = Object.keys(obj).filter((k) => k.startsWith("x-")).sort(yamlKeyCompare);
    for (const k of ext) entries.push([k, anyNode(obj[k], fmt)]);
  }
  return { k: "map", entries };
}

/** The secrets' inline content is never printed; a config's content only when it did not come from the environment. */
function fileObjects(objs: Record<string, unknown> | undefined, secret: boolean): Record<string, unknown> | undefined {
  if (!objs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(objs)) {
    const o = { ...(v as Record<string, unknown>) };
    if (secret || o.environment !== undefined) delete o.content;
    out[k] = o;
  }
  return out;
}

function resourceMap(objs: Record<string, unknown> | undefined, shape: Struct, fmt: Format): Node | undefined {
  if (!objs || Object.keys(objs).length === 0) return undefined;
  return buildNode(objs, map(shape), fmt);
}

/** The tree `docker compose config` prints for a project, in the given format's key order. */
export function configTree(project: Project, fmt: Format): Node {
  const services = buildNode(project.services, map(serviceShape), fmt);
  const parts: [string, Node | undefined][] = [
    ["name", project.name === "" ? undefined : { k: "str", v: project.name }],
    ["services", services],
    ["networks", resourceMap(project.networks as Record<string, unknown> | undefined, networkShape, fmt)],
    ["volumes", resourceMap(project.volumes as Record<string, unknown> | undefined, volumeShape, fmt)],
    ["secrets", resourceMap(fileObjects(project.secrets as Record<string, unknown> | undefined, true), fileObjectShape, fmt)],
    ["configs", resourceMap(fileObjects(project.configs as Record<string, unknown> | undefined, false), fileObjectShape, fmt)],
  ];
  // compose's JSON output has no `models` section; its YAML does.
  if (fmt === "yaml") parts.push(["models", resourceMap(project.models as Record<string, unknown> | undefined, modelShape, fmt)]);
  const entries = parts.filter((p): p is [string, Node] => p[1] !== undefined);
  const ext = Object.keys(project).filter((k) => k.startsWith("x-")).sort(fmt === "yaml" ? yamlKeyCompare : jsonKeyCompare);
  for (const k of ext) entries.push([k, anyNode((project as unknown as Record<string, unknown>)[k], fmt)]);
  // encoding/json sorts the top-level map's keys; YAML keeps the struct order.
  if (fmt === "json") entries.sort((a, b) => jsonKeyCompare(a[0], b[0]));
  return { k: "map", entries };
}

export interface SerializeOptions {
  /** Double every `$` so the output can be read again without interpolating twice (compose does this unless --no-interpolate). */
  escapeDollars?: boolean;
}

/** The text `docker compose config [--format json]` prints for the project. */
export function serializeConfig(project: Project, format: Format, options: SerializeOptions = {}): string {
  const tree = configTree(project, format);
  const text = format === "yaml" ? emitYaml(tree) : emitJson(tree);
  return options.escapeDollars === false ? text : text.replaceAll("$", "$$$$");
}

/** The model as it stands before normalization (`--no-normalize`, `--no-interpolate`): maps sorted, nothing converted. */
export function serializeRaw(raw: unknown, format: Format): string {
  const tree = anyNode(raw, format);
  return format === "yaml" ? emitYaml(tree) : emitJson(tree);
}

/** `config --services`: every service after the ones it depends on, names in order otherwise. */
export function configServices(project: Project): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const s: ServiceConfig | undefined = project.services[name];
    if (!s) return;
    for (const dep of Object.keys(s.depends_on ?? {}).sort()) visit(dep);
    out.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name);
  return out;
}

/** `config --volumes`: the keys of the top-level volumes. */
export const configVolumes = (project: Project): string[] => Object.keys(project.volumes ?? {}).sort();

/** `config --networks`: the keys of the top-level networks. */
export const configNetworks = (project: Project): string[] => Object.keys(project.networks ?? {}).sort();

/** The image a service runs: its `image`, else the one compose builds, "<project>-<service>". */
export const imageNameOrDefault = (project: Project, service: ServiceConfig): string => service.image ?? `${project.name}-${service.name}`;

/** `config --images`: each service's image, then the other images its pre_start hooks run. */
export function configImages(project: Project): string[] {
  const out: string[] = [];
  for (const name of Object.keys(project.services).sort()) {
    const s = project.services[name]!;
    const image = imageNameOrDefault(project, s);
    out.push(image);
    for (const h of s.pre_start ?? []) if (h.image && h.image !== image) out.push(h.image);
  }
  return out;
}
