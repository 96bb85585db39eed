// Which paths a watch rule ignores: the build context's .dockerignore (relative to the context),
// the rule's own `ignore` (relative to the rule's path), editors' temporary files and `.git`
// anywhere, as compose does. Pure: the .dockerignore text is read by the caller.
import path from "node:path";
import dockerignore from "@balena/dockerignore";

/** Editors' temporary and backup files (JetBrains, Emacs, Vim), matched on the file's name. */
const EPHEMERAL_NAMES: readonly RegExp[] = [/___jb_old___$/, /___jb_tmp___$/, /^\.#/, /^4913$/, /~$/, /^\..*\.sw[pxon]$/];
/** Directories never watched nor synced, wherever they are. */
const IGNORED_DIRS = new Set([".git", ".idea"]);

type Matcher = (rel: string) => boolean;

function patternMatcher(patterns: readonly string[]): { matches: Matcher; hasExceptions: boolean } | undefined {
  const clean = patterns.map((p) => p.trim()).filter((p) => p !== "" && !p.startsWith("#")).map((p) => (p.startsWith("!") ? `!${p.slice(1).replace(/^\/+/, "")}` : p.replace(/^\/+/, "")));
  if (clean.length === 0) return undefined;
  const ig = dockerignore.default().add(clean);
  return { matches: (rel) => ig.ignores(rel), hasExceptions: clean.some((p) => p.startsWith("!")) };
}

/** `child` relative to `dir` in POSIX form, or undefined when it is not inside (or is) `dir`. */
export function relativeInside(dir: string, child: string): string | undefined {
  const rel = path.relative(dir, child);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}

/** True when `child` is `dir` or lies below it. */
export function isWithin(dir: string, child: string): boolean {
  return child === dir || relativeInside(dir, child) !== undefined;
}

/** A path that no rule should see, whatever its patterns: editor temp files, `.git`, `.idea`. */
export function isAlwaysIgnored(absPath: string): boolean {
  const parts = absPath.split(path.sep);
  const name = parts[parts.length - 1] ?? "";
  if (parts.some((p) => IGNORED_DIRS.has(p))) return true;
  return EPHEMERAL_NAMES.some((re) => re.test(name));
}

export interface PathFilterInput {
  /** The rule's absolute path. */
  rulePath: string;
  ignore?: readonly string[];
  include?: readonly string[];
  /** The service's build context (absolute), when it has a local one. */
  contextDir?: string;
  /** Patterns of the context's .dockerignore (parsed lines). */
  dockerignore?: readonly string[];
}

/** What a rule makes of a path under its own `path`. */
export interface PathFilter {
  /**
   * True when the path is ignored. `isDir` tells a directory from a file when known; a directory
   * that is ignored is never descended into, unless an exception pattern (`!x`) could re-include
   * something below it.
   */
  ignores(absPath: string, isDir?: boolean): boolean;
  /** True when a file passes `include` (always, without include patterns). */
  includes(absPath: string): boolean;
}

export function pathFilter(input: PathFilterInput): PathFilter {
  const rule = patternMatcher(input.ignore ?? []);
  const docker = input.contextDir ? patternMatcher(input.dockerignore ?? []) : undefined;
  const include = patternMatcher(input.include ?? []);
  return {
    ignores(absPath, isDir) {
      if (isAlwaysIgnored(absPath)) return true;
      const inRule = relativeInside(input.rulePath, absPath);
      if (rule && inRule !== undefined && rule.matches(inRule) && !(isDir !== false && rule.hasExceptions)) return true;
      const inContext = input.contextDir ? relativeInside(input.contextDir, absPath) : undefined;
      if (docker && inContext !== undefined && docker.matches(inContext) && !(isDir !== false && docker.hasExceptions)) return true;
      return false;
    },
    includes(absPath) {
      if (!include) return true;
      const rel = relativeInside(input.rulePath, absPath) ?? path.basename(absPath);
      return include.matches(rel) || include.matches(path.posix.basename(rel));
    },
  };
}
