// Resolves the top-level `include` list as docker compose v5 does: each entry is loaded as a
// project of its own (own project directory and `.env`), then its services, networks,
// volumes, secrets, configs and models are copied in. Where the including document defines a
// resource of the same name, that definition is merged over the imported one (compose-go
// 2.10+; earlier versions refused the conflict), and the includer's `!reset`/`!override` apply.
import path from "node:path";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import type { FileReader } from "./load-options.js";
import { rebasePath, rebaseServicePaths } from "./extends.js";
import { applyResets, cloneData, enforceUnique, isObject, mergeAt, setKey } from "./merge.js";

/** What the loader must load for one `include` entry. */
export interface IncludeRequest {
  /** The included compose files, absolute, merged in order. */
  files: string[];
  /** The included project's directory (absolute). */
  projectDirectory: string;
  /** Env files for its interpolation, absolute, in order; empty means none. */
  envFiles: string[];
  /** The files whose `include` led here, outermost first (for messages). */
  chain: string[];
}

export interface IncludeContext {
  /** The including file (absolute). */
  file: string;
  /** The including project's directory: relative include paths start here, as in compose. */
  projectDir: string;
  /** To find the default `.env` of an included project and check explicit env files. */
  reader?: FileReader;
  /** The including document's `!reset` / `!override` paths, applied to imported resources it redefines. */
  resets?: readonly KeyPath[];
  overrides?: readonly KeyPath[];
  /** Locates a path of the including document, for diagnostics. */
  locate?: (path: KeyPath) => Location | undefined;
}

const RESOURCE_KINDS = ["services", "volumes", "networks", "secrets", "configs", "models"] as const;

// The files whose include is being resolved right now, outermost first. Loading is synchronous
// and nested loads come back here, so this stack sees the whole chain without the loader's help.
const active: string[] = [];

/**
 * Loads every `include` entry of `data` through `loadIncluded` and adds the resources, in place;
 * removes `include`. `loadIncluded` runs the whole loader on the sub-project (its own include,
 * extends and merge) and returns its document, or undefined after reporting why to `bag`.
 */
export function resolveInclude(
  data: unknown,
  ctx: IncludeContext,
  loadIncluded: (req: IncludeRequest) => { data: unknown } | undefined,
  bag: DiagnosticBag,
): void {
  if (!isObject(data) || data.include === undefined) return;
  const list = data.include;
  delete data.include;
  if (list === null) return;
  if (!Array.isArray(list)) {
    bag.error("include.invalid", "`include` must be a list", { path: ["include"], location: ctx.locate?.(["include"]), hint: "write `include: [other/compose.yaml]`" });
    return;
  }
  active.push(ctx.file);
  try {
    list.forEach((entry, i) => includeOne(data, entry, i, ctx, loadIncluded, bag));
  } finally {
    active.pop();
  }
}

function includeOne(
  data: Record<string, unknown>,
  entry: unknown,
  i: number,
  ctx: IncludeContext,
  loadIncluded: (req: IncludeRequest) => { data: unknown } | undefined,
  bag: DiagnosticBag,
): void {
  const at: KeyPath = ["include", i];
  const where = (p: KeyPath): { path: KeyPath; location?: Location } => ({ path: p, location: ctx.locate?.(p) });
  const spec = typeof entry === "string" ? { path: entry } : isObject(entry) ? entry : undefined;
  const paths = spec === undefined ? [] : stringList(spec.path);
  if (paths.length === 0) {
    bag.error("include.invalid", "an include entry needs a `path`", { ...where(at), hint: "write `- path: other/compose.yaml` or just the path" });
    return;
  }
  const remote = paths.find((p) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith("git@"));
  if (remote !== undefined) {
    bag.error("include.remote", `remote include ${remote} is not supported`, { ...where([...at]), hint: "check the project out locally and include its compose file by path" });
    return;
  }
  const files = paths.map((p) => path.resolve(ctx.projectDir, p));
  const main = files[0]!;
  const pd = spec !== undefined && typeof spec.project_directory === "string" && spec.project_directory !== "" ? path.resolve(ctx.projectDir, spec.project_directory) : path.dirname(main);

  const chain = [...active];
  if (chain.includes(main)) {
    const shown = [...chain.slice(chain.indexOf(main)), main].map((f) => path.relative(ctx.projectDir, f) || path.basename(f));
    bag.error("include.cycle", `include cycle: ${shown.join(" → ")}`, { ...where(at), hint: "a compose file cannot include itself, directly or through others" });
    return;
  }

  const envFiles: string[] = [];
  const explicit = spec === undefined ? [] : stringList(spec.env_file);
  if (explicit.length > 0) {
    explicit.forEach((f, j) => {
      // /dev/null is compose's way to say "no env file, not even the default .env".
      if (f === "/dev/null") return;
      const abs = path.resolve(ctx.projectDir, f);
      if (ctx.reader && (!ctx.reader.exists(abs) || ctx.reader.isDirectory(abs))) {
        const p: KeyPath = typeof spec?.env_file === "string" ? [...at, "env_file"] : [...at, "env_file", j];
        bag.error("include.env-file", `env file ${abs} not found`, { ...where(p), hint: "relative env_file paths start from the including project's directory" });
        return;
      }
      envFiles.push(abs);
    });
  } else if (ctx.reader) {
    const dotenv = path.join(pd, ".env");
    if (ctx.reader.exists(dotenv) && !ctx.reader.isDirectory(dotenv)) envFiles.push(dotenv);
  }

  const before = bag.errors.length;
  const loaded = loadIncluded({ files, projectDirectory: pd, envFiles, chain });
  if (loaded === undefined) {
    if (bag.errors.length === before) bag.error("include.load", `cannot load included file ${main}`, { ...where([...at]), hint: "check that the file exists and is a compose file" });
    return;
  }
  importResources(rebaseProject(loaded.data, pd, ctx.projectDir), data, ctx, bag);
}

/**
 * The included project's relative paths start from its own directory; the includer's later
 * stages resolve them from its project directory, so they are rewritten to match. Absolute
 * paths (a loader that already resolved them) pass through unchanged.
 */
function rebaseProject(source: unknown, fromDir: string, toDir: string): unknown {
  if (!isObject(source) || fromDir === toDir) return source;
  const out = cloneData(source);
  if (isObject(out.services)) {
    for (const s of Object.values(out.services)) {
      if (!isObject(s)) continue;
      // compose gives a build without context its default "." inside the included project.
      if (isObject(s.build) && s.build.context === undefined) s.build.context = ".";
      rebaseServicePaths(s, fromDir, toDir);
    }
  }
  for (const kind of ["secrets", "configs"] as const) {
    const group = out[kind];
    if (!isObject(group)) continue;
    for (const r of Object.values(group)) if (isObject(r) && typeof r.file === "string") r.file = rebasePath(r.file, fromDir, toDir);
  }
  if (isObject(out.volumes)) {
    for (const v of Object.values(out.volumes)) {
      // A local volume bound to a host directory carries a path too (compose's rule: driver local, o=bind).
      if (!isObject(v) || v.driver !== "local" || !isObject(v.driver_opts)) continue;
      const opts = v.driver_opts;
      if (opts.o === "bind" && typeof opts.device === "string") opts.device = rebasePath(opts.device, fromDir, toDir);
    }
  }
  return out;
}

function stringList(v: unknown): string[] {
  if (typeof v === "string") return v === "" ? [] : [v];
  if (Array.isArray(v)) return v.filter((e): e is string => typeof e === "string" && e !== "");
  return [];
}

/** Copies the imported resources in; one the includer also defines gets the includer's definition merged over it. */
function importResources(source: unknown, target: Record<string, unknown>, ctx: IncludeContext, bag: DiagnosticBag): void {
  if (!isObject(source)) return;
  const marks = [...(ctx.resets ?? []), ...(ctx.overrides ?? [])];
  for (const kind of RESOURCE_KINDS) {
    const from = source[kind];
    if (!isObject(from)) continue;
    const to: Record<string, unknown> = isObject(target[kind]) ? (target[kind] as Record<string, unknown>) : {};
    for (const [name, imported] of Object.entries(from)) {
      if (!Object.prototype.hasOwnProperty.call(to, name)) {
        setKey(to, name, cloneData(imported));
        continue;
      }
      const holder = { [kind]: { [name]: cloneData(imported) } };
      applyResets(holder, marks);
      const merged = mergeAt(holder[kind]![name], to[name], [kind, name], { bag, locate: ctx.locate });
      setKey(to, name, merged);
    }
    target[kind] = to;
  }
  enforceUnique(target);
}
