import type { Diagnostic } from "./diagnostics.js";
import type { Project } from "./types.js";

/** How the loader reads files. Passed in so the loader stays pure and testable with an in-memory tree. */
export interface FileReader {
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** True when a file or directory exists at the path. */
  exists(path: string): boolean;
  /** True when the path is a directory. */
  isDirectory(path: string): boolean;
}

/** Everything `loadProject` needs: the command line's choices, the environment and a file reader. */
export interface LoadOptions {
  /** The directory moor was started in (absolute). */
  workingDir: string;
  /** `-f` files in order; "-" means standard input. Empty: discover, or COMPOSE_FILE. */
  files?: string[];
  /** The text of standard input when a file is "-". */
  stdin?: string;
  /** `-p`. */
  projectName?: string;
  /** `--project-directory`. */
  projectDirectory?: string;
  /** `--env-file`, repeatable. Empty: COMPOSE_ENV_FILES, else `.env` in the project directory. */
  envFiles?: string[];
  /**
   * The env files are exactly `envFiles`, even none: no COMPOSE_ENV_FILES, no default `.env`.
   * For an included project, whose env files `include` has already chosen.
   */
  exactEnvFiles?: boolean;
  /** Variables already warned about as unset (shared with included projects: one warning per variable). */
  warnedUnset?: Set<string>;
  /** `--profile`, repeatable. Empty: COMPOSE_PROFILES. */
  profiles?: string[];
  /** Services named on the command line: their profiles are enabled. */
  services?: string[];
  /** The process environment (shell variables). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, for `~` in paths. */
  homeDir: string;
  reader: FileReader;
  /** `--no-interpolate`. */
  interpolate?: boolean;
  /** `--no-normalize`. */
  normalize?: boolean;
  /** `--no-path-resolution`. */
  resolvePaths?: boolean;
  /** `--no-consistency`: skip the cross-reference checks. */
  consistency?: boolean;
  /**
   * `config --no-env-resolution`: env_file stays a list of references (not read, never missing)
   * and bare `environment` keys stay unset instead of taking the interpolation environment's value.
   */
  resolveEnvironment?: boolean;
}

/** What the loader returns: the project (absent when there are errors) and every diagnostic. */
export interface LoadResult {
  project?: Project;
  diagnostics: Diagnostic[];
  /** The compose files that were read, absolute, in order (for labels and watch). */
  configFiles: string[];
  /** Every file the project depends on (compose, .env, env_file, include, extends): watch follows them. */
  inputFiles: string[];
  /** The project directory (absolute). */
  workingDir: string;
  /** The variables used for interpolation, after `.env` and `--env-file` (shell wins). */
  environment: Record<string, string>;
  /** The env files that were read, absolute, in order. */
  envFiles: string[];
  /**
   * The env files named by --env-file or COMPOSE_ENV_FILES, absolute: compose v5 writes only these
   * to `com.docker.compose.project.environment_file` (a default `.env` gives no label).
   */
  explicitEnvFiles: string[];
  /** The merged document before normalization (`config --no-normalize`, `include`). */
  raw?: unknown;
  /** The project name as resolved (-p > COMPOSE_PROJECT_NAME > name: > directory). */
  projectName?: string;
}
