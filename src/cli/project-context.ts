// What most commands do first: load the project (warnings printed, errors thrown as one
// ComposeError), connect to the engine, and take one snapshot of what runs.
import { ComposeError } from "../compose/diagnostics.js";
import { loadProject } from "../compose/load.js";
import type { LoadOptions, LoadResult } from "../compose/load-options.js";
import type { Project } from "../compose/types.js";
import type { Engine } from "../engine/engine.js";
import { LABELS } from "../engine/types.js";
import { observedStateFrom, type ObservedState } from "../reconcile/observed-state.js";
import { printDiagnostics } from "./errors.js";
import { loadOptionsFrom, readStdin, type GlobalOptions } from "./global-options.js";

export interface LoadedProject {
  project: Project;
  result: LoadResult;
}

export const stderrColor = (): boolean => process.stderr.isTTY === true && !process.env.NO_COLOR && process.env.COMPOSE_ANSI !== "never";

/** Loads the project or throws every error at once; warnings go to stderr. */
export async function loadOrThrow(global: GlobalOptions, extra: Partial<LoadOptions> = {}): Promise<LoadedProject> {
  const stdin = global.file?.includes("-") ? await readStdin() : undefined;
  const result = loadProject(loadOptionsFrom(global, { stdin, ...extra }));
  if (result.diagnostics.some((d) => d.severity === "error") || !result.project) throw new ComposeError(result.diagnostics);
  printDiagnostics(result.diagnostics.filter((d) => d.severity === "warning"), { stderr: process.stderr, color: stderrColor() });
  return { project: result.project, result };
}

/** The name given before any file is read (`-p`, else the shell's COMPOSE_PROJECT_NAME), which no file overrides. */
export function explicitProjectName(global: GlobalOptions): string | undefined {
  return global.projectName ?? process.env.COMPOSE_PROJECT_NAME;
}

/**
 * The project name for commands that work from labels alone (`down`, `ps`, `logs` with `-p` and
 * no compose file): the loaded project when there is a file, else `-p`/COMPOSE_PROJECT_NAME.
 */
export async function loadOrName(global: GlobalOptions): Promise<{ name: string; loaded?: LoadedProject }> {
  const explicit = explicitProjectName(global);
  if (explicit && !global.file) {
    const probe = loadProject(loadOptionsFrom(global));
    if (probe.configFiles.length === 0 || probe.diagnostics.some((d) => d.code === "discover.not-found")) return { name: explicit };
  }
  const loaded = await loadOrThrow(global);
  return { name: loaded.project.name, loaded };
}

/** Connects to the engine named by DOCKER_HOST or the docker context. dockerode loads only here. */
export async function connectEngine(): Promise<Engine> {
  const { connectDockerEngine } = await import("../engine/docker-engine.js");
  return connectDockerEngine({ env: process.env });
}

/** One list call per resource kind, in parallel: the whole observation of a project. */
export async function observe(engine: Engine, project: string, withImages = true): Promise<ObservedState> {
  const label = `${LABELS.project}=${project}`;
  const [containers, networks, volumes, images] = await Promise.all([
    engine.listContainers({ all: true, labels: [label] }),
    engine.listNetworks({}),
    engine.listVolumes({}),
    withImages ? engine.listImages() : Promise.resolve(undefined),
  ]);
  return observedStateFrom(project, { containers, networks, volumes, images });
}

/** `--parallel`, COMPOSE_PARALLEL_LIMIT, or the default that saturates this engine. */
export function parallelism(global: GlobalOptions): number {
  const raw = global.parallel ?? process.env.COMPOSE_PARALLEL_LIMIT;
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  if (Number.isFinite(n) && n > 0) return n;
  if (n === -1) return 1024;
  return 16;
}
