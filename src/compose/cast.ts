// After interpolation every scalar that came from `${…}` is a string; compose converts the ones
// at typed paths back to numbers and booleans (`ports[].target: "${PORT}"` → 8080). The paths
// are compose-go's interpolation cast table, plus the fields its typed model decodes from a
// string into a bool or a plain number (so `build.no_cache: "true"` means true there too).
// A string that does not convert is left alone: schema validation reports it with its position.
import type { DiagnosticBag, KeyPath } from "./diagnostics.js";
import type { ParsedDocument } from "./source.js";

export type CastKind = "int" | "float" | "bool";

/** One typed path: `*` matches any key or index, `[]` any list index. */
export interface CastRule {
  readonly path: readonly string[];
  readonly kind: CastKind;
}

const svc = (kind: CastKind, ...path: string[]): CastRule => ({ path: ["services", "*", ...path], kind });
const top = (kind: CastKind, ...path: string[]): CastRule => ({ path, kind });

/** Every path compose reads as a number or a boolean when a string is found there. */
export const CAST_RULES: readonly CastRule[] = [
  // compose-go's interpolation cast table
  svc("int", "cpu_count"),
  svc("float", "cpu_percent"),
  svc("int", "cpu_period"),
  svc("int", "cpu_quota"),
  svc("int", "cpu_rt_period"),
  svc("int", "cpu_rt_runtime"),
  svc("float", "cpus"),
  svc("int", "cpu_shares"),
  svc("bool", "init"),
  svc("bool", "depends_on", "*", "required"),
  svc("bool", "depends_on", "*", "restart"),
  svc("int", "deploy", "replicas"),
  svc("int", "deploy", "update_config", "parallelism"),
  svc("float", "deploy", "update_config", "max_failure_ratio"),
  svc("int", "deploy", "rollback_config", "parallelism"),
  svc("float", "deploy", "rollback_config", "max_failure_ratio"),
  svc("int", "deploy", "restart_policy", "max_attempts"),
  svc("int", "deploy", "placement", "max_replicas_per_node"),
  svc("int", "healthcheck", "retries"),
  svc("bool", "healthcheck", "disable"),
  svc("bool", "oom_kill_disable"),
  svc("int", "oom_score_adj"),
  svc("int", "pids_limit"),
  svc("int", "ports", "[]", "target"),
  svc("bool", "privileged"),
  svc("bool", "read_only"),
  svc("int", "scale"),
  svc("bool", "stdin_open"),
  svc("bool", "tty"),
  svc("int", "ulimits", "*"),
  svc("int", "ulimits", "*", "hard"),
  svc("int", "ulimits", "*", "soft"),
  svc("bool", "volumes", "[]", "read_only"),
  svc("bool", "volumes", "[]", "volume", "nocopy"),
  top("bool", "networks", "*", "external"),
  top("bool", "networks", "*", "internal"),
  top("bool", "networks", "*", "attachable"),
  top("bool", "networks", "*", "enable_ipv4"),
  top("bool", "networks", "*", "enable_ipv6"),
  top("bool", "volumes", "*", "external"),
  top("bool", "secrets", "*", "external"),
  top("bool", "configs", "*", "external"),
  // fields compose-go's model types as bool / int / float and decodes from strings
  svc("bool", "attach"),
  svc("bool", "use_api_socket"),
  svc("int", "mem_swappiness"),
  svc("bool", "build", "no_cache"),
  svc("bool", "build", "pull"),
  svc("bool", "build", "privileged"),
  svc("bool", "volumes", "[]", "bind", "create_host_path"),
  svc("bool", "env_file", "[]", "required"),
  svc("bool", "develop", "watch", "[]", "initial_sync"),
  svc("int", "deploy", "resources", "limits", "pids"),
  svc("int", "networks", "*", "priority"),
  svc("int", "networks", "*", "gw_priority"),
  svc("bool", "post_start", "[]", "privileged"),
  svc("bool", "pre_stop", "[]", "privileged"),
];

/** Go's strconv.Atoi / ParseInt(s, 10, 64) in the range a JS number holds exactly. */
export function castInt(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Go's strconv.ParseFloat for decimal notation (no infinities or NaN: they are not useful here). */
export function castFloat(s: string): number | undefined {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** compose's boolean reading: true/false, and YAML 1.1's y/yes/on, n/no/off (case-insensitive) with a warning. */
export function castBool(s: string): { value: boolean; legacy: boolean } | undefined {
  switch (s.toLowerCase()) {
    case "true":
      return { value: true, legacy: false };
    case "false":
      return { value: false, legacy: false };
    case "y":
    case "yes":
    case "on":
      return { value: true, legacy: true };
    case "n":
    case "no":
    case "off":
      return { value: false, legacy: true };
    default:
      return undefined;
  }
}

/** The rules as a tree keyed by path part, so the document is walked once for all of them. */
interface RuleNode {
  kind?: CastKind;
  readonly children: Map<string, RuleNode>;
}

function buildTree(rules: readonly CastRule[]): RuleNode {
  const root: RuleNode = { children: new Map() };
  for (const rule of rules) {
    let node = root;
    for (const part of rule.path) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { children: new Map() }));
      node = next;
    }
    node.kind = rule.kind;
  }
  return root;
}

const DEFAULT_TREE = buildTree(CAST_RULES);

/** Converts strings at typed paths (CAST_RULES) to numbers and booleans, in place. */
export function castTypedValues(doc: ParsedDocument, bag: DiagnosticBag, rules: readonly CastRule[] = CAST_RULES): void {
  const tree = rules === CAST_RULES ? DEFAULT_TREE : buildTree(rules);
  // One path array for the whole walk; a copy only where a value is converted.
  const path: (string | number)[] = [];
  const visitChild = (container: Record<string | number, unknown>, key: string | number, next: RuleNode | undefined): void => {
    if (!next) return;
    const child = container[key];
    path.push(key);
    if (next.kind !== undefined && typeof child === "string") container[key] = convert(child, [...path], next.kind, doc, bag);
    else if (next.children.size > 0) walk(child, next);
    path.pop();
  };
  const walk = (node: unknown, rule: RuleNode): void => {
    if (node === null || typeof node !== "object") return;
    const container = node as Record<string | number, unknown>;
    // `*` matches any key or index, `[]` only an index, a name only that key.
    const any = rule.children.get("*");
    if (Array.isArray(node)) {
      const index = rule.children.get("[]");
      if (!any && !index) return;
      for (let i = 0; i < node.length; i++) {
        visitChild(container, i, any);
        visitChild(container, i, index);
      }
      return;
    }
    const keys = Object.keys(node);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      visitChild(container, key, any);
      visitChild(container, key, rule.children.get(key));
    }
  };
  walk(doc.data, tree);
}

function convert(value: string, path: KeyPath, kind: CastKind, doc: ParsedDocument, bag: DiagnosticBag): unknown {
  if (kind === "int") return castInt(value) ?? value;
  if (kind === "float") return castFloat(value) ?? value;
  const b = castBool(value);
  if (b === undefined) return value;
  if (b.legacy) {
    bag.warn("cast.yaml11-boolean", `${JSON.stringify(value)} for boolean is not supported by YAML 1.2, please use \`${b.value}\``, {
      path,
      location: (doc.positions.get(path) ?? doc.positions.nearest(path))?.value,
    });
  }
  return b.value;
}
