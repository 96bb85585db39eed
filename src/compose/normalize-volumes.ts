// Service volumes: short syntax "[source:]target[:options]" → long form, and the path
// rules compose applies to bind sources (`~` expansion, relative to the project directory).
import path from "node:path";
import type { ServiceVolumeConfig } from "./types.js";

/** How paths are resolved: against the project directory, `~` against the home directory. */
export interface PathContext {
  workingDir: string;
  homeDir: string;
  resolvePaths: boolean;
}

const PROPAGATIONS = new Set(["rprivate", "private", "rshared", "shared", "rslave", "slave"]);

/** `~` and `~/x` expand to the home directory, as compose does (it joins whatever follows `~`). */
export function expandUser(p: string, homeDir: string): string {
  return p.startsWith("~") ? path.posix.join(homeDir, p.slice(1)) : p;
}

const isWindowsAbs = (p: string): boolean => /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");

/** A host path made absolute against the project directory (unchanged when resolution is off). */
export function resolveHostPath(p: string, ctx: PathContext): string {
  if (!ctx.resolvePaths) return p;
  const expanded = expandUser(p, ctx.homeDir);
  if (path.posix.isAbsolute(expanded) || isWindowsAbs(expanded)) return expanded;
  return path.posix.join(ctx.workingDir, expanded);
}

/** Build contexts that are URLs, git remotes or `service:`/`docker-image://` references stay as they are. */
export function resolveContextPath(p: string, ctx: PathContext): string {
  if (p.includes("://") || p.startsWith("service:")) return p;
  if (["https://", "http://", "git://", "ssh://", "github.com/", "git@"].some((prefix) => p.startsWith(prefix))) return p;
  if (!ctx.resolvePaths) return p;
  const expanded = expandUser(p, ctx.homeDir);
  return path.posix.isAbsolute(expanded) ? expanded : path.posix.join(ctx.workingDir, expanded);
}

/** Sources that start like a path are binds; anything else names a volume. */
function isFilePath(source: string): boolean {
  if (source === "") return false;
  if (source[0] === "." || source[0] === "/" || source[0] === "~") return true;
  if (source.startsWith("\\\\")) return true;
  return /^[A-Za-z]:/.test(source);
}

/** Cleans a container path the way Go's path.Clean does ("/data/" → "/data"). */
export function cleanTarget(target: string): string {
  if (isCleanAbsolute(target)) return target;
  return target === "" ? "" : path.posix.normalize(target).replace(/(.)\/$/, "$1");
}

/**
 * Whether an absolute path is clean already (no empty, `.` or `..` segment, no trailing `/`):
 * nearly every container path, checked without normalizing it.
 */
export function isCleanAbsolute(p: string): boolean {
  return p.length > 1 && p.charCodeAt(0) === 47 && p.charCodeAt(p.length - 1) !== 47 && !p.includes("//") && !p.includes("/.");
}

/** Parses a short-syntax volume; a string error when malformed. */
export function parseVolumeSpec(spec: string): ServiceVolumeConfig | { error: string } {
  if (spec === "") return { error: "empty volume spec" };
  const vol: { type: ServiceVolumeConfig["type"]; source?: string; target: string; read_only?: boolean; bind?: NonNullable<ServiceVolumeConfig["bind"]>; volume?: NonNullable<ServiceVolumeConfig["volume"]> } = {
    type: "volume",
    target: "",
  };
  if (spec.length <= 2) {
    vol.target = spec;
    vol.volume = {};
    return vol;
  }
  // Split on ':' but not inside ${...} and not after a Windows drive letter.
  const fields: string[] = [];
  let buf = "";
  let depth = 0;
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i]!;
    if (ch === "$" && spec[i + 1] === "{") {
      depth++;
      buf += ch;
    } else if (ch === "}" && depth > 0) {
      depth--;
      buf += ch;
    } else if (ch === ":" && depth === 0 && !(buf.length === 1 && /[A-Za-z]/.test(buf))) {
      fields.push(buf);
      buf = "";
    } else {
      buf += ch;
    }
  }
  fields.push(buf);
  if (fields.some((f) => f === "")) return { error: `invalid volume "${spec}": empty section between colons` };
  if (fields.length > 3) return { error: `invalid volume "${spec}": too many colons` };
  if (fields.length === 1) {
    vol.target = fields[0]!;
  } else {
    vol.source = fields[0]!;
    vol.target = fields[1]!;
  }
  const options = fields.length === 3 ? fields[2]!.split(",") : [];
  const bindOpts: NonNullable<ServiceVolumeConfig["bind"]> = {};
  let hasBindOpts = false;
  for (const option of options) {
    if (option === "ro") vol.read_only = true;
    else if (option === "rw") vol.read_only = false;
    else if (option === "nocopy") vol.volume = { nocopy: true };
    else if (option === "z" || option === "Z") {
      bindOpts.selinux = option;
      hasBindOpts = true;
    } else if (PROPAGATIONS.has(option)) {
      bindOpts.propagation = option;
      hasBindOpts = true;
    }
    // compose ignores options it does not know (e.g. "cached", "delegated"); so do we.
  }
  if (vol.read_only === false) delete vol.read_only;
  if (vol.source !== undefined && isFilePath(vol.source)) {
    vol.type = "bind";
    // Short-syntax binds create a missing host path, like docker-compose v1 did.
    vol.bind = { ...bindOpts, create_host_path: true };
  } else {
    vol.type = "volume";
    if (hasBindOpts) vol.bind = bindOpts;
    vol.volume ??= {};
  }
  return vol;
}
