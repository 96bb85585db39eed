// Finds the compose files of a run the way docker compose does: `-f` files, else
// COMPOSE_FILE, else the first default name in the start directory or the nearest parent
// that has one, plus the override file beside it.
import path from "node:path";
import type { DiagnosticBag } from "./diagnostics.js";
import type { FileReader } from "./load-options.js";

/** Default compose file names, in compose's order of preference (note `.yml` before `.yaml` for docker-compose). */
export const DEFAULT_FILE_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"] as const;

/** Default override file names, in compose's order of preference, looked up beside the chosen file. */
export const DEFAULT_OVERRIDE_FILE_NAMES = [
  "compose.override.yml",
  "compose.override.yaml",
  "docker-compose.override.yml",
  "docker-compose.override.yaml",
] as const;

export interface DiscoverOptions {
  /** The directory moor was started in (absolute). */
  workingDir: string;
  /** `-f` files in order; "-" is standard input. */
  files?: string[];
  /** `--project-directory`. */
  projectDirectory?: string;
  /** The environment (shell plus `.env`): COMPOSE_FILE and COMPOSE_PATH_SEPARATOR are read here. */
  env: Readonly<Record<string, string | undefined>>;
  reader: FileReader;
}

/** The compose files (absolute, or "-") and the project directory (absolute). */
export interface Discovered {
  files: string[];
  projectDir: string;
}

/**
 * Picks the compose files and the project directory. `-f` files and COMPOSE_FILE entries are
 * relative to `workingDir` and are not checked here (reading them reports a missing one).
 * With neither, the search starts in `--project-directory` (else `workingDir`) and walks up.
 * The project directory is `--project-directory`, else the first file's directory, else `workingDir`.
 */
export function discoverComposeFiles(opts: DiscoverOptions, bag: DiagnosticBag): Discovered {
  const resolve = (p: string): string => (p === "-" ? p : path.resolve(opts.workingDir, p));
  const explicitDir = opts.projectDirectory !== undefined && opts.projectDirectory !== "" ? resolve(opts.projectDirectory) : undefined;

  let files = (opts.files ?? []).filter((f) => f !== "").map(resolve);
  if (files.length === 0) files = fromEnvironment(opts.env).map(resolve);
  if (files.length === 0) {
    const start = explicitDir ?? opts.workingDir;
    files = search(start, opts.reader, bag);
    if (files.length === 0) {
      bag.error("discover.not-found", "no configuration file provided: not found", {
        hint: `no ${DEFAULT_FILE_NAMES.join(", ")} in ${start} or its parents; run moor in the project's directory, or pass -f FILE (or set COMPOSE_FILE)`,
      });
    }
  }
  const firstFile = files.find((f) => f !== "-");
  const projectDir = explicitDir ?? (firstFile !== undefined ? path.dirname(firstFile) : opts.workingDir);
  return { files, projectDir };
}

/** COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR (":" by default, the Linux path list separator). */
function fromEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const value = env.COMPOSE_FILE;
  if (value === undefined || value === "") return [];
  const sep = env.COMPOSE_PATH_SEPARATOR !== undefined && env.COMPOSE_PATH_SEPARATOR !== "" ? env.COMPOSE_PATH_SEPARATOR : ":";
  // An empty entry (a trailing separator) would name the directory itself: skip it.
  return value.split(sep).filter((f) => f.trim() !== "");
}

function search(start: string, reader: FileReader, bag: DiagnosticBag): string[] {
  let dir = start;
  for (;;) {
    const candidates = existing(DEFAULT_FILE_NAMES, dir, reader);
    if (candidates.length > 0) {
      const winner = candidates[0]!;
      if (candidates.length > 1) {
        bag.warn("discover.multiple-files", `Found multiple config files with supported names: ${candidates.join(", ")}`, {
          hint: `Using ${winner}; remove or rename the others`,
        });
      }
      const out = [winner];
      const overrides = existing(DEFAULT_OVERRIDE_FILE_NAMES, dir, reader);
      if (overrides.length > 0) {
        if (overrides.length > 1) {
          bag.warn("discover.multiple-overrides", `Found multiple override files with supported names: ${overrides.join(", ")}`, {
            hint: `Using ${overrides[0]!}; remove or rename the others`,
          });
        }
        out.push(overrides[0]!);
      }
      return out;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
}

function existing(names: readonly string[], dir: string, reader: FileReader): string[] {
  return names.map((n) => path.join(dir, n)).filter((f) => reader.exists(f) && !reader.isDirectory(f));
}
