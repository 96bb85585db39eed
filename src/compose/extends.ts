// Resolves `extends` the way docker compose does: the referenced service (in the same file
// or another one, itself resolved first) is the base, the extending service is merged over
// it with the multi-file merge rules, and the extending file's `!reset`/`!override` tags
// clear the base's values. A service from another file brings its relative paths along,
// rebased from that file's directory to the project directory.
import path from "node:path";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import { applyResets, cloneData, enforceUnique, isObject, mergeAt } from "./merge.js";

type Obj = Record<string, unknown>;

/** A compose document as `extends` needs it; a ParsedDocument fits. */
export interface ExtendsDocument {
  readonly file: string;
  readonly data: unknown;
  readonly resets?: readonly KeyPath[];
  readonly overrides?: readonly KeyPath[];
  readonly positions?: { nearest(path: KeyPath): { value: Location } | undefined };
}

export interface ExtendsOptions {
  /**
   * The directory relative `extends.file` values and relative paths resolve against: compose
   * uses the project directory. Defaults to the directory of `doc.file`.
   */
  readonly projectDir?: string;
}

interface FileState {
  readonly file: string;
  readonly services: Obj;
  readonly doc: ExtendsDocument;
  readonly resolved: Set<string>;
  readonly failed: Set<string>;
}

interface ChainLink {
  readonly file: string;
  readonly service: string;
}

/**
 * Replaces every service that has `extends` in `doc.data` with the merged result, in place.
 * `loadFile` reads another compose file (absolute path) through the same parse/interpolate
 * steps; undefined when it cannot be read. Problems (unknown service or file, cycles) go to `bag`.
 */
export function resolveExtends(doc: ExtendsDocument, loadFile: (absPath: string) => ExtendsDocument | undefined, bag: DiagnosticBag, opts: ExtendsOptions = {}): void {
  if (!isObject(doc.data) || !isObject(doc.data.services)) return;
  const baseDir = opts.projectDir ?? path.dirname(doc.file);
  const main: FileState = { file: doc.file, services: doc.data.services, doc, resolved: new Set(), failed: new Set() };
  const others = new Map<string, FileState | undefined>();

  const locate = (state: FileState, at: KeyPath): Location | undefined => state.doc.positions?.nearest(at)?.value;

  const otherFile = (abs: string, from: FileState, name: string): FileState | undefined => {
    if (!others.has(abs)) {
      const loaded = loadFile(abs);
      if (loaded === undefined) {
        bag.error("extends.file-not-found", `cannot extend service "${name}": cannot read ${abs}`, {
          path: ["services", name, "extends", "file"],
          location: locate(from, ["services", name, "extends", "file"]),
          hint: "relative `extends.file` paths start from the project directory",
        });
        others.set(abs, undefined);
      } else {
        const data = cloneData(loaded.data);
        const services = isObject(data) && isObject(data.services) ? data.services : {};
        const dir = path.dirname(abs);
        for (const s of Object.values(services)) if (isObject(s)) rebaseServicePaths(s, dir, baseDir);
        others.set(abs, { file: abs, services, doc: loaded, resolved: new Set(), failed: new Set() });
      }
    }
    return others.get(abs);
  };

  const resolve = (state: FileState, name: string, chain: readonly ChainLink[]): Obj | undefined => {
    const service = state.services[name];
    if (state.resolved.has(name)) return isObject(service) ? service : undefined;
    if (state.failed.has(name)) return undefined;
    if (!isObject(service)) {
      state.resolved.add(name);
      return undefined;
    }
    const ext = service.extends;
    if (ext === undefined || ext === null) {
      state.resolved.add(name);
      return service;
    }
    const at: KeyPath = ["services", name, "extends"];
    if (chain.some((l) => l.file === state.file && l.service === name)) {
      bag.error("extends.cycle", `extends cycle: ${describeChain([...chain, { file: state.file, service: name }])}`, {
        path: at,
        location: locate(state, at),
        hint: "a service cannot extend itself, directly or through others",
      });
      return undefined;
    }
    const ref = typeof ext === "string" ? ext : isObject(ext) && typeof ext.service === "string" ? ext.service : undefined;
    if (ref === undefined) {
      bag.error("extends.invalid", `cannot extend service "${name}": \`extends\` needs a service name`, {
        path: at,
        location: locate(state, at),
        hint: "write `extends: base` or `extends: { service: base, file: common.yaml }`",
      });
      state.failed.add(name);
      return undefined;
    }
    let target = state;
    if (isObject(ext) && typeof ext.file === "string" && ext.file !== "") {
      const found = otherFile(path.resolve(baseDir, ext.file), state, name);
      if (found === undefined) {
        state.failed.add(name);
        return undefined;
      }
      target = found;
    }
    if (!Object.prototype.hasOwnProperty.call(target.services, ref)) {
      const where = target === main ? "" : ` in ${target.file}`;
      bag.error("extends.unknown-service", `cannot extend service "${name}": service "${ref}" not found${where}`, {
        path: typeof ext === "string" ? at : [...at, "service"],
        location: locate(state, typeof ext === "string" ? at : [...at, "service"]),
        hint: `the services there are: ${Object.keys(target.services).join(", ") || "(none)"}`,
      });
      state.failed.add(name);
      return undefined;
    }
    const base = resolve(target, ref, [...chain, { file: state.file, service: name }]);
    if (base === undefined) {
      if (target.failed.has(ref) || !target.resolved.has(ref)) {
        state.failed.add(name);
        return undefined;
      }
      // The base is an empty (null) service: the extending service stands as it is.
      delete service.extends;
      state.resolved.add(name);
      return service;
    }
    // The extending file's `!reset` / `!override` tags clear what the base brings, as in a file merge.
    const holder: Obj = { services: { [name]: cloneData(base) } };
    applyResets(holder, [...(state.doc.resets ?? []), ...(state.doc.overrides ?? [])]);
    const source = (holder.services as Obj)[name];
    const merged = mergeAt(source, service, ["services", name], { bag, locate: (p) => locate(state, p) });
    if (isObject(merged)) delete merged.extends;
    enforceUnique({ services: { [name]: merged } });
    state.services[name] = merged;
    state.resolved.add(name);
    return isObject(merged) ? merged : undefined;
  };

  for (const name of Object.keys(main.services)) resolve(main, name, []);
}

function describeChain(chain: readonly ChainLink[]): string {
  const files = new Set(chain.map((l) => l.file));
  return chain.map((l) => (files.size > 1 ? `${l.service} (${path.basename(l.file)})` : l.service)).join(" → ");
}

/** True for build contexts that are not local directories (git, http, `docker-image://`, `service:`). */
function isRemoteContext(v: string): boolean {
  return v.includes("://") || v.startsWith("service:") || ["github.com/", "git@"].some((p) => v.startsWith(p));
}

const isRooted = (p: string): boolean => p.startsWith("/") || p.startsWith("~") || /^[A-Za-z]:[\\/]/.test(p);

/** A path relative to `fromDir`, rewritten relative to `toDir`; absolute and `~` paths are kept. */
export function rebasePath(p: string, fromDir: string, toDir: string): string {
  if (p === "" || isRooted(p)) return p;
  const rel = path.relative(toDir, path.resolve(fromDir, p));
  return rel === "" ? "." : rel;
}

/**
 * Rewrites the relative paths of a service read from another file (in `fromDir`) so they
 * resolve the same from `toDir`: build context and additional contexts, ssh keys, env_file,
 * label_file, extends.file, develop.watch paths and bind-mount sources (compose's list).
 */
export function rebaseServicePaths(service: Obj, fromDir: string, toDir: string): void {
  const rebase = (p: string): string => rebasePath(p, fromDir, toDir);
  const rebaseContext = (p: unknown): unknown => (typeof p === "string" && !isRemoteContext(p) ? rebase(p) : p);

  if (typeof service.build === "string") service.build = rebaseContext(service.build);
  else if (isObject(service.build)) {
    const build = service.build;
    if (build.context !== undefined) build.context = rebaseContext(build.context);
    build.additional_contexts = mapKeyValues(build.additional_contexts, rebaseContext);
    build.ssh = mapKeyValues(build.ssh, (v) => (typeof v === "string" && v !== "" ? rebase(v) : v));
    for (const k of ["additional_contexts", "ssh"]) if (build[k] === undefined) delete build[k];
  }
  if (service.env_file !== undefined) service.env_file = mapFileList(service.env_file, rebase);
  if (service.label_file !== undefined) service.label_file = mapFileList(service.label_file, rebase);
  if (isObject(service.extends) && typeof service.extends.file === "string") service.extends.file = rebase(service.extends.file);
  if (isObject(service.develop) && Array.isArray(service.develop.watch)) {
    for (const rule of service.develop.watch) if (isObject(rule) && typeof rule.path === "string") rule.path = rebase(rule.path);
  }
  if (Array.isArray(service.volumes)) {
    service.volumes = service.volumes.map((v) => {
      if (typeof v === "string") {
        const colon = v.indexOf(":");
        // Only a source that starts with "." is a relative bind mount; a bare name is a named volume.
        if (colon <= 0 || !v.startsWith(".")) return v;
        let src = rebase(v.slice(0, colon));
        if (!src.startsWith(".") && !src.startsWith("/")) src = `./${src}`;
        return src + v.slice(colon);
      }
      if (isObject(v) && v.type === "bind" && typeof v.source === "string") return { ...v, source: rebase(v.source) };
      return v;
    });
  }
}

/** Applies `fn` to the values of a `KEY=VALUE` list or a mapping, keeping its form. */
function mapKeyValues(v: unknown, fn: (value: unknown) => unknown): unknown {
  if (isObject(v)) {
    const out: Obj = {};
    for (const [k, e] of Object.entries(v)) out[k] = fn(e);
    return out;
  }
  if (Array.isArray(v)) {
    return v.map((e) => {
      const s = String(e);
      const eq = s.indexOf("=");
      return eq < 0 ? e : `${s.slice(0, eq)}=${String(fn(s.slice(eq + 1)))}`;
    });
  }
  return v;
}

/** env_file / label_file: a path, a list of paths, or (env_file) a list of `{ path, ... }`. */
function mapFileList(v: unknown, fn: (p: string) => string): unknown {
  const one = (e: unknown): unknown => {
    if (typeof e === "string") return fn(e);
    if (isObject(e) && typeof e.path === "string") return { ...e, path: fn(e.path) };
    return e;
  };
  return Array.isArray(v) ? v.map(one) : one(v);
}
