// `environment`, `env_file`, `labels` and other key/value lists → maps, as compose resolves them:
// a bare `KEY` takes its value from the interpolation environment (else stays null), env files
// are read in order (later wins), and the service's own `environment` wins over every file.
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import { parseDotenv, parseRawEnv } from "./dotenv.js";
import type { FileReader } from "./load-options.js";
import type { EnvFileConfig } from "./types.js";

/** Go's fmt.Sprint for the scalars YAML can hold. */
export function scalarText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return v === null || v === undefined ? "" : JSON.stringify(v);
}

/** `[K=V, K]` or `{K: V}` → map; a bare key (or a null value) maps to null. */
export function toMappingWithEquals(raw: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  // Indexed loops, no Object.entries pairs: these run for every service's environment and labels,
  // mostly before V8 optimises them (a one-shot CLI), where each for-of step allocates.
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const text = scalarText(raw[i]);
      const eq = text.indexOf("=");
      if (eq < 0) out[text] = null;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (raw !== null && typeof raw === "object") {
    const obj = raw as Record<string, unknown>;
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]!];
      out[keys[i]!] = v === null || v === undefined ? null : scalarText(v);
    }
  }
  return out;
}

/** `[K=V, K]` or `{K: V}` → map of strings; a bare key (or null) maps to "" (labels, sysctls, options). */
export function toMapping(raw: unknown): Record<string, string> {
  const out = toMappingWithEquals(raw);
  const keys = Object.keys(out);
  for (let i = 0; i < keys.length; i++) if (out[keys[i]!] === null) out[keys[i]!] = "";
  return out as Record<string, string>;
}

/** Fills null values from the environment; keys it does not know stay null. */
export function resolveFromEnv(map: Record<string, string | null>, env: Readonly<Record<string, string>>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = map[k]!;
    out[k] = v === null && Object.hasOwn(env, k) ? env[k]! : v;
  }
  return out;
}

/** Build args: a bare key takes its value from the environment, and is dropped when it has none. */
export function resolveBuildArgs(raw: unknown, env: Readonly<Record<string, string>>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(toMappingWithEquals(raw))) {
    if (v !== null) out[k] = v;
    else if (Object.hasOwn(env, k)) out[k] = env[k]!;
  }
  return out;
}

/** `env_file: a` / `[a, {path, required, format}]` → long form (paths as given; the caller resolves them). */
export function toEnvFiles(raw: unknown): EnvFileConfig[] {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const out: EnvFileConfig[] = [];
  for (const item of items) {
    if (typeof item === "string") out.push({ path: item, required: true });
    else if (item !== null && typeof item === "object") {
      const o = item as Record<string, unknown>;
      const entry: EnvFileConfig = { path: scalarText(o.path), required: o.required === undefined ? true : o.required === true || o.required === "true" };
      if (typeof o.format === "string") entry.format = o.format;
      out.push(entry);
    }
  }
  return out;
}

export interface EnvFileContext {
  env: Readonly<Record<string, string>>;
  reader: FileReader;
}

/**
 * The service environment after `env_file`s: files in order (later wins), then the service's
 * own `environment` over them. Missing required files are errors at `path`.
 */
export function mergeEnvFiles(
  serviceEnv: Record<string, string | null>,
  files: readonly EnvFileConfig[],
  ctx: EnvFileContext,
  bag: DiagnosticBag,
  path: KeyPath,
  locate: (path: KeyPath) => Location | undefined,
): Record<string, string | null> {
  let fromFiles: Record<string, string> = {};
  // Variables inside an env file resolve from the interpolation environment first, then the service's.
  const lookup = (name: string): string | undefined => {
    if (Object.hasOwn(ctx.env, name)) return ctx.env[name];
    const v = serviceEnv[name];
    return v === null || v === undefined ? undefined : v;
  };
  files.forEach((file, i) => {
    const text = ctx.reader.readFile(file.path);
    if (text === undefined) {
      if (file.required) {
        const at = [...path, i];
        bag.error("env-file.missing", `env file ${file.path} not found`, {
          path: at,
          location: locate(at) ?? locate(path),
          hint: "create the file, or mark it optional with `required: false`",
        });
      }
      return;
    }
    // Each file starts from what the earlier ones set, so it can refer to their variables.
    fromFiles = file.format === "raw" ? parseRawEnv(file.path, text, lookup, bag, fromFiles) : parseDotenv(file.path, text, lookup, bag, fromFiles);
  });
  return { ...fromFiles, ...serviceEnv };
}
