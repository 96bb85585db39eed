// `cp`'s path rules, the docker CLI's: which side is the container, and, from what the source is
// and what the destination is (or is not), which directory the archive is extracted into and
// under which name its top entry lands. Pure; the command does the stat calls and the tar I/O.
import path from "node:path/posix";
import { UserError } from "./errors.js";

/** "web:/etc/hosts" → { service: "web", path: "/etc/hosts" }; a local path has no service. */
export function splitCopyArg(arg: string): { service?: string; path: string } {
  if (arg.startsWith("/")) return { path: arg };
  const colon = arg.indexOf(":");
  // "./file:name" is an explicit local path with a colon in it.
  if (colon < 0 || arg.startsWith(".")) return { path: arg };
  return { service: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** The directory part and last element of a path, keeping a trailing "/." as the element ".". */
export function splitDirEntry(p: string): { dir: string; base: string } {
  let cleaned = path.normalize(p);
  if (cleaned.length > 1) cleaned = cleaned.replace(/\/+$/, "");
  if (p === "." || p.endsWith("/.")) cleaned = cleaned === "/" ? "/." : `${cleaned}/.`;
  return { dir: path.dirname(cleaned), base: path.basename(cleaned) };
}

/** "dir/" or "dir/.": the user says the path is a directory. */
export const assertsDirectory = (p: string): boolean => p.endsWith("/") || p.endsWith("/.") || p === ".";

export interface CopyEnd {
  path: string;
  exists: boolean;
  isDir: boolean;
}

export interface CopyPlan {
  /** Where the archive is extracted. */
  extractDir: string;
  /** Rename the archive's top entry `from` to `to` (a copy to a new name); absent: extract as is. */
  rename?: { from: string; to: string };
}

/**
 * The docker CLI's rules: into an existing directory the source keeps its name; onto an existing
 * file, or to a path that does not exist yet, it takes the destination's name; a directory never
 * replaces a file; a file to "missing/" needs the directory to exist.
 */
export function planCopy(src: { path: string; isDir: boolean }, dst: CopyEnd): CopyPlan {
  const srcBase = splitDirEntry(src.path).base;
  if (dst.exists && dst.isDir) return { extractDir: dst.path };
  if (dst.exists && src.isDir) throw new UserError(`cannot copy a directory to a file: ${dst.path} is a file`);
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) {
    throw new UserError(`no such directory: ${dst.path}`, "the destination directory must exist; drop the trailing slash to copy to a new file of that name");
  }
  const { dir, base } = splitDirEntry(dst.path);
  return { extractDir: dir, rename: srcBase === base ? undefined : { from: srcBase, to: base } };
}

/** An archive entry's name after the plan's rename ("data/x" with data → backup: "backup/x"; "./x" with . → backup: "backup/x"). */
export function renameEntry(name: string, rename: CopyPlan["rename"]): string {
  if (!rename) return name;
  const n = name.replace(/^\.\//, "");
  if (rename.from === ".") return name === "." || name === "./" ? `${rename.to}/` : `${rename.to}/${n}`;
  if (n === rename.from || n.startsWith(`${rename.from}/`)) return rename.to + n.slice(rename.from.length);
  return name;
}
