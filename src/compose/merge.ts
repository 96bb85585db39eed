// Merges compose documents the way `docker compose` does when several files (or an
// `extends`/`include` pair) describe the same model: mappings merge key by key, most
// sequences append, a few attributes replace, and some sequences are keyed (ports by
// address, volumes by target, ...) so a later entry replaces an earlier one in place.
// Facts follow compose-go's override package (v2.14, what docker compose v5 ships).
import path from "node:path";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import { formatKeyPath } from "./diagnostics.js";
import { isCleanAbsolute } from "./normalize-volumes.js";

/** A document to lay over another: its data and the paths tagged `!reset` / `!override` in it. */
export interface MergeOverlay {
  readonly data: unknown;
  readonly resets: readonly KeyPath[];
  readonly overrides: readonly KeyPath[];
  /** Where the overlay's values stand, to locate type conflicts (a ParsedDocument has it). */
  readonly positions?: { nearest(path: KeyPath): { value: Location } | undefined };
}

/** How a merge reports a value that cannot be merged (a mapping over a sequence, ...). */
export interface MergeContext {
  readonly bag?: DiagnosticBag;
  readonly locate?: (path: KeyPath) => Location | undefined;
}

type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A deep copy of plain YAML data, so merged results never alias their inputs. */
export function cloneData<T>(v: T): T {
  if (Array.isArray(v)) return v.map((e) => cloneData(e)) as T;
  if (isObject(v)) {
    const out: Obj = {};
    for (const [k, e] of Object.entries(v)) setKey(out, k, cloneData(e));
    return out as T;
  }
  return v;
}

/** Assigns without letting a `__proto__` key from YAML reach the prototype chain. */
export function setKey(obj: Obj, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Lays `overlay` over `base` (both whole compose documents) and returns a new document.
 * The overlay's `!reset` and `!override` paths are first cleared from the base. Sequences
 * with a unique key are deduplicated over the whole result, as compose does after each
 * file, so merging the first file over `{}` also deduplicates a single-file project.
 * With `adoptOverlay` the overlay's data becomes part of the result (and may be changed).
 */
export function mergeDocuments(base: unknown, overlay: MergeOverlay, bag?: DiagnosticBag, options: { adoptOverlay?: boolean } = {}): unknown {
  const target = cloneData(base ?? {});
  applyResets(target, [...overlay.resets, ...overlay.overrides]);
  const ctx: MergeContext = { bag, locate: (p) => overlay.positions?.nearest(p)?.value };
  // A caller done with the overlay's data lets the result share it (and change it) instead of
  // paying for a deep copy of the whole document.
  const merged = mergeValues(target, options.adoptOverlay ? overlay.data : cloneData(overlay.data), [], ctx);
  return enforceUnique(merged);
}

/**
 * Merges one value over another at a key path of the document (the path picks the rule:
 * `["services", "web"]` merges two service definitions). Inputs are not modified.
 */
export function mergeAt(base: unknown, overlay: unknown, at: KeyPath, ctx: MergeContext = {}): unknown {
  return mergeValues(cloneData(base), cloneData(overlay), at, ctx);
}

type Rule =
  | "replace"
  | "keyValue"
  | "sequence"
  | "extraHosts"
  | "build"
  | "dependsOn"
  | "toMapping"
  | "logging"
  | "ipamConfig";

// Attributes whose merge is not the generic "mappings merge, sequences append, scalars replace".
const RULES: ReadonlyArray<readonly [string, Rule]> = [
  ["networks.*.ipam.config", "ipamConfig"],
  ["networks.*.labels", "keyValue"],
  ["volumes.*.labels", "keyValue"],
  ["secrets.*.labels", "keyValue"],
  ["configs.*.labels", "keyValue"],
  ["services.*.annotations", "keyValue"],
  ["services.*.build", "build"],
  ["services.*.build.args", "keyValue"],
  ["services.*.build.additional_contexts", "keyValue"],
  ["services.*.build.extra_hosts", "extraHosts"],
  ["services.*.build.labels", "keyValue"],
  ["services.*.build.ssh", "keyValue"],
  ["services.*.command", "replace"],
  ["services.*.depends_on", "dependsOn"],
  ["services.*.deploy.labels", "keyValue"],
  ["services.*.dns", "sequence"],
  ["services.*.dns_opt", "sequence"],
  ["services.*.dns_search", "sequence"],
  ["services.*.entrypoint", "replace"],
  ["services.*.env_file", "sequence"],
  ["services.*.label_file", "sequence"],
  ["services.*.environment", "keyValue"],
  ["services.*.extra_hosts", "extraHosts"],
  ["services.*.healthcheck.test", "replace"],
  ["services.*.labels", "keyValue"],
  ["services.*.logging", "logging"],
  ["services.*.models", "toMapping"],
  ["services.*.networks", "toMapping"],
  ["services.*.sysctls", "keyValue"],
  ["services.*.tmpfs", "sequence"],
  // compose replaces a whole ulimit entry (`nofile: {soft, hard}`) rather than merging it.
  ["services.*.ulimits.*", "replace"],
];

/** Patterns grouped by their last key ("*" for a wildcard), so a lookup scans a handful, not all. */
function byLastKey<T>(entries: ReadonlyArray<readonly [readonly string[], T]>): Map<string, Array<readonly [readonly string[], T]>> {
  const out = new Map<string, Array<readonly [readonly string[], T]>>();
  for (const e of entries) {
    const last = e[0][e[0].length - 1]!;
    const list = out.get(last) ?? [];
    list.push(e);
    out.set(last, list);
  }
  return out;
}

function lookup<T>(index: Map<string, Array<readonly [readonly string[], T]>>, at: KeyPath): T | undefined {
  if (at.length === 0) return undefined;
  // Indexed loops, no arrays made: this runs for every mapping entry of every file, mostly before V8 has optimised it.
  return inBucket(index.get(String(at[at.length - 1])), at) ?? inBucket(index.get("*"), at);
}

function inBucket<T>(bucket: Array<readonly [readonly string[], T]> | undefined, at: KeyPath): T | undefined {
  if (bucket === undefined) return undefined;
  for (let i = 0; i < bucket.length; i++) {
    const entry = bucket[i]!;
    if (matches(entry[0], at)) return entry[1];
  }
  return undefined;
}

const RULE_INDEX = byLastKey(RULES.map(([pattern, rule]) => [pattern.split("."), rule] as const));

function matches(pattern: readonly string[], at: KeyPath): boolean {
  if (pattern.length !== at.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== "*" && pattern[i] !== String(at[i])) return false;
  }
  return true;
}

function ruleFor(at: KeyPath): Rule | undefined {
  return lookup(RULE_INDEX, at);
}

function mergeValues(base: unknown, overlay: unknown, at: KeyPath, ctx: MergeContext): unknown {
  const rule = ruleFor(at);
  if (rule === "replace") return overlay;
  // An empty overlay value (`key:` with nothing) leaves the base as it is.
  if (overlay === null || overlay === undefined) return base;
  if (base === null || base === undefined) return overlay;
  switch (rule) {
    case "keyValue":
      return mergeKeyValue(base, overlay);
    case "sequence":
      return [...toSequence(base), ...toSequence(overlay)];
    case "extraHosts": {
      const left = hostsSequence(base);
      const seen = new Set(left.map((e) => JSON.stringify(e)));
      return [...left, ...hostsSequence(overlay).filter((e) => !seen.has(JSON.stringify(e)))];
    }
    case "build":
      return mergeMappings(buildMapping(base), buildMapping(overlay), at, ctx);
    case "dependsOn":
      return mergeMappings(dependsOnMapping(base), dependsOnMapping(overlay), at, ctx);
    case "toMapping":
      return mergeMappings(namesMapping(base), namesMapping(overlay), at, ctx);
    case "logging":
      if (isObject(base) && isObject(overlay)) {
        const sameDriver = !("driver" in base) || !("driver" in overlay) || base.driver === overlay.driver;
        return sameDriver ? mergeMappings(base, overlay, at, ctx) : overlay;
      }
      break;
    case "ipamConfig":
      if (Array.isArray(base) && Array.isArray(overlay)) return mergeIpamConfig(base, overlay, at, ctx);
      break;
    default:
      break;
  }
  if (isObject(base)) {
    if (isObject(overlay)) return mergeMappings(base, overlay, at, ctx);
    return mismatch(at, "a mapping", overlay, ctx);
  }
  if (Array.isArray(base)) {
    if (Array.isArray(overlay)) return [...base, ...overlay];
    return mismatch(at, "a sequence", overlay, ctx);
  }
  return overlay;
}

function mismatch(at: KeyPath, was: string, overlay: unknown, ctx: MergeContext): unknown {
  ctx.bag?.error("merge.type-mismatch", `cannot override ${formatKeyPath(at)}: it is ${was} in an earlier file and ${describe(overlay)} here`, {
    path: at,
    location: ctx.locate?.(at),
    hint: "write it in the same form as the earlier file, or tag it `!override` to replace it",
  });
  return overlay;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a sequence";
  if (isObject(v)) return "a mapping";
  return `a ${typeof v}`;
}

function mergeMappings(base: Obj, overlay: Obj, at: KeyPath, ctx: MergeContext): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (Object.prototype.hasOwnProperty.call(base, k)) setKey(out, k, mergeValues(base[k], v, [...at, k], ctx));
    else setKey(out, k, v);
  }
  return out;
}

/** `KEY=VALUE` list or mapping → mapping; a bare `KEY` becomes `KEY: null` (taken from the shell). */
export function keyValueMapping(v: unknown): Obj {
  if (isObject(v)) return v;
  const out: Obj = {};
  if (Array.isArray(v)) {
    for (const e of v) {
      const s = String(e);
      const eq = s.indexOf("=");
      if (eq < 0) setKey(out, s, null);
      else setKey(out, s.slice(0, eq), s.slice(eq + 1));
    }
  }
  return out;
}

function mergeKeyValue(base: unknown, overlay: unknown): unknown {
  // Two lists stay a list: duplicates are dropped by key in `enforceUnique`.
  if (Array.isArray(base) && Array.isArray(overlay)) return [...base, ...overlay];
  const out: Obj = { ...keyValueMapping(base) };
  // Unlike a plain mapping, a `KEY: null` here is meaningful and replaces the earlier value.
  for (const [k, v] of Object.entries(keyValueMapping(overlay))) setKey(out, k, v);
  return out;
}

function toSequence(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return [v];
}

/** extra_hosts as `host=ip` entries; the mapping form (`host: ip` or `host: [ip, ip]`) sorted by host, as compose does. */
function hostsSequence(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) {
    const out: string[] = [];
    for (const [host, ip] of Object.entries(v)) {
      if (ip === null || ip === undefined) out.push(host);
      else if (Array.isArray(ip)) for (const one of ip) out.push(`${host}=${String(one)}`);
      else out.push(`${host}=${String(ip)}`);
    }
    return out.sort();
  }
  return toSequence(v);
}

function buildMapping(v: unknown): Obj {
  if (typeof v === "string") return { context: v };
  return isObject(v) ? v : {};
}

function dependsOnMapping(v: unknown): Obj {
  if (isObject(v)) return v;
  const out: Obj = {};
  // compose gives list entries the defaults, so a list overlay resets an earlier condition.
  if (Array.isArray(v)) for (const e of v) setKey(out, String(e), { condition: "service_started", required: true });
  return out;
}

function namesMapping(v: unknown): Obj {
  if (isObject(v)) return v;
  const out: Obj = {};
  if (Array.isArray(v)) for (const e of v) setKey(out, String(e), null);
  return out;
}

/** IPAM pools: the overlay's pools win, each merged over the earlier pool with the same subnet. */
function mergeIpamConfig(base: unknown[], overlay: unknown[], at: KeyPath, ctx: MergeContext): unknown[] {
  return overlay.map((pool) => {
    if (!isObject(pool)) return pool;
    const earlier = base.find((b) => isObject(b) && b.subnet === pool.subnet);
    return isObject(earlier) ? mergeMappings(earlier, pool, at, ctx) : pool;
  });
}

/**
 * Clears each path from `target` in place (the `!reset` / `!override` marks of a later file).
 * A path that is not there is a no-op. A key inside a `KEY=VALUE` list (environment, labels...)
 * removes that entry too, where compose would only clear the mapping form.
 */
export function applyResets(target: unknown, paths: readonly KeyPath[]): void {
  for (const p of paths) {
    if (p.length === 0) continue;
    let cur: unknown = target;
    for (let i = 0; i < p.length - 1; i++) {
      const k = p[i]!;
      if (isObject(cur)) cur = cur[String(k)];
      else if (Array.isArray(cur) && typeof k === "number") cur = cur[k];
      else {
        cur = undefined;
        break;
      }
    }
    const last = p[p.length - 1]!;
    if (isObject(cur)) {
      delete cur[String(last)];
    } else if (Array.isArray(cur) && typeof last === "string" && ruleFor(p.slice(0, -1)) === "keyValue") {
      for (let i = cur.length - 1; i >= 0; i--) if (keyOfKeyValue(cur[i]) === last) cur.splice(i, 1);
    }
    // compose does not remove sequence items by index either: a `!reset` item only drops itself.
  }
}

type Indexer = (entry: unknown) => string;

function keyOfKeyValue(e: unknown): string {
  const s = String(e);
  const eq = s.indexOf("=");
  return eq < 0 ? s : s.slice(0, eq);
}

const cleanTarget = (t: string): string => {
  if (t === "" || isCleanAbsolute(t)) return t;
  const n = path.posix.normalize(t);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
};

/** `[ip:][published:]target[/protocol]` → the key compose dedups ports by. */
export function portKey(e: unknown): string {
  if (isObject(e)) {
    const ip = e.host_ip === undefined || e.host_ip === null || e.host_ip === "" ? "0.0.0.0" : String(e.host_ip);
    const published = e.published === undefined || e.published === null ? "" : String(e.published);
    const protocol = e.protocol === undefined || e.protocol === null ? "tcp" : String(e.protocol);
    return `${ip}|${published}|${String(e.target)}|${protocol}`;
  }
  let s = String(e);
  let protocol = "tcp";
  const slash = s.lastIndexOf("/");
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let ip = "";
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    ip = s.slice(1, close);
    s = s.slice(close + 2);
  }
  const parts = s.split(":");
  const target = parts.pop() ?? "";
  const published = parts.pop() ?? "";
  if (parts.length > 0) ip = parts.join(":");
  return `${ip === "" ? "0.0.0.0" : ip}|${published}|${target}|${protocol}`;
}

/** A service volume's container path, short or long syntax. */
export function volumeTarget(e: unknown): string {
  if (isObject(e)) return cleanTarget(String(e.target ?? ""));
  const parts = String(e).split(":");
  return cleanTarget(parts.length === 1 ? parts[0]! : parts[1]!);
}

function mountKey(defaultDir: string): Indexer {
  return (e) => {
    if (isObject(e)) {
      if (typeof e.target === "string" && e.target !== "") return e.target.startsWith("/") ? e.target : `${defaultDir}/${e.target}`;
      return `${defaultDir}/${String(e.source)}`;
    }
    return `${defaultDir}/${String(e)}`;
  };
}

function deviceKey(e: unknown): string {
  if (isObject(e)) return String(e.target ?? e.source);
  const parts = String(e).split(":");
  return parts.length === 1 ? parts[0]! : parts[1]!;
}

const envFileKey: Indexer = (e) => (isObject(e) ? String(e.path) : String(e));
const exact: Indexer = (e) => String(e);

// Sequences whose entries are unique by a key; a later entry replaces the earlier one in place.
const UNIQUE_RULES: ReadonlyArray<readonly [string, Indexer]> = [
  ["networks.*.labels", keyOfKeyValue],
  ["volumes.*.labels", keyOfKeyValue],
  ["services.*.annotations", keyOfKeyValue],
  ["services.*.build.args", keyOfKeyValue],
  ["services.*.build.additional_contexts", keyOfKeyValue],
  ["services.*.build.labels", keyOfKeyValue],
  ["services.*.build.platforms", exact],
  ["services.*.build.tags", exact],
  ["services.*.cap_add", exact],
  ["services.*.cap_drop", exact],
  ["services.*.configs", mountKey("")],
  ["services.*.deploy.labels", keyOfKeyValue],
  ["services.*.devices", deviceKey],
  ["services.*.dns", keyOfKeyValue],
  ["services.*.dns_opt", keyOfKeyValue],
  ["services.*.dns_search", keyOfKeyValue],
  ["services.*.environment", keyOfKeyValue],
  ["services.*.env_file", envFileKey],
  ["services.*.expose", exact],
  ["services.*.labels", keyOfKeyValue],
  ["services.*.links", keyOfKeyValue],
  ["services.*.networks.*.aliases", exact],
  ["services.*.networks.*.link_local_ips", exact],
  ["services.*.ports", portKey],
  ["services.*.profiles", exact],
  ["services.*.secrets", mountKey("/run/secrets")],
  ["services.*.sysctls", keyOfKeyValue],
  ["services.*.tmpfs", keyOfKeyValue],
  ["services.*.volumes", volumeTarget],
];
/** The rules as a trie of keys ("*" any key): the walk goes only where a rule can apply. */
interface UniqueNode {
  children: Map<string, UniqueNode>;
  star?: UniqueNode;
  indexer?: Indexer;
}
const UNIQUE: UniqueNode = { children: new Map() };
for (const [pattern, indexer] of UNIQUE_RULES) {
  let node = UNIQUE;
  for (const key of pattern.split(".")) {
    let next = key === "*" ? node.star : node.children.get(key);
    if (next === undefined) {
      next = { children: new Map() };
      if (key === "*") node.star = next;
      else node.children.set(key, next);
    }
    node = next;
  }
  node.indexer = indexer;
}

/** Drops entries of keyed sequences (ports, volumes, environment lists, ...) that a later entry redefines. */
export function enforceUnique(doc: unknown): unknown {
  walkUnique(doc, UNIQUE);
  return doc;
}

/** `node`: the rules below `v`'s path. A key named by a rule wins over `*`, as in the rules' lookup. */
function walkUnique(v: unknown, node: UniqueNode): void {
  if (!isObject(v)) return;
  const star = node.star;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const named = node.children.size === 0 ? undefined : node.children.get(k);
    if (named === undefined && star === undefined) continue;
    const e = v[k];
    if (Array.isArray(e)) {
      const indexer = named?.indexer ?? star?.indexer;
      if (indexer) v[k] = dedupe(e, indexer);
    } else if (isObject(e)) {
      if (named !== undefined && named.children.size + (named.star ? 1 : 0) > 0) walkUnique(e, named);
      if (star !== undefined && star.children.size + (star.star ? 1 : 0) > 0) walkUnique(e, star);
    }
  }
}

function dedupe(entries: unknown[], key: Indexer): unknown[] {
  const out: unknown[] = [];
  const index = new Map<string, number>();
  for (const e of entries) {
    const k = key(e);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.length);
      out.push(e);
    } else out[at] = e;
  }
  return out;
}
