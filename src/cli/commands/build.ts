// `moor build`: builds the services that have a `build` section, side by side, through the
// executor's build action (the one `up` uses). `--build-arg` overrides the file's args,
// `--no-cache` and `--pull` apply to every build, `--with-dependencies` adds what they depend on.
import type { Project } from "../../compose/types.js";
import { serviceImage } from "../../reconcile/container-spec.js";
import type { ActionInput } from "../../reconcile/plan-types.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { runImageActions } from "../image-actions.js";
import { progressMode, progressSink, type ProgressMode } from "../progress.js";
import type { EventSink } from "../../reconcile/events.js";
import { connectEngine, loadOrThrow, parallelism } from "../project-context.js";
import { selectServices } from "../service-selection.js";
import { pushServices } from "./push.js";

export interface BuildOptions {
  buildArg?: string[];
  noCache?: boolean;
  pull?: boolean;
  quiet?: boolean;
  withDependencies?: boolean;
  push?: boolean;
  ssh?: string;
  builder?: string;
  memory?: string;
  print?: boolean;
  check?: boolean;
  sbom?: string;
  provenance?: string;
}

/** compose's flags that need BuildKit (or a bake file); moor talks to the engine's classic builder. */
const BUILDKIT_ONLY = ["ssh", "builder", "memory", "print", "check", "sbom", "provenance"] as const;

/**
 * `--build-arg KEY=VALUE`, or `--build-arg KEY` to take the value from the environment (left out
 * when the variable is unset), as compose resolves them.
 */
export function parseBuildArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const key = eq < 0 ? arg : arg.slice(0, eq);
    if (key === "") throw new UserError(`invalid --build-arg ${JSON.stringify(arg)}`, "use KEY=VALUE, or KEY to take the value from the environment");
    const value = eq < 0 ? env[key] : arg.slice(eq + 1);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The build actions: one per distinct image among the selected services that have a build section. */
export function buildActions(project: Project, services: readonly string[]): ActionInput[] {
  const seen = new Set<string>();
  const actions: ActionInput[] = [];
  for (const name of services) {
    const svc = project.services[name];
    if (!svc?.build) continue;
    const image = serviceImage(project.name, svc);
    if (seen.has(image)) continue;
    seen.add(image);
    actions.push({ kind: "build-image", image, service: name, cause: "named by `moor build`" });
  }
  return actions;
}

/**
 * compose's classic builder prints the build's own output ("Step 2/4 : RUN …") on standard output
 * beside the progress lines; so does `moor build` (JSON progress carries it already, -q drops it).
 */
function withBuildOutput(sink: EventSink, mode: ProgressMode): EventSink {
  if (mode === "json" || mode === "quiet") return sink;
  return (event) => {
    if (event.type === "progress" && event.kind === "image") process.stdout.write(`${event.text}\n`);
    else sink(event);
  };
}

export async function buildCommand(global: GlobalOptions, services: string[], opts: BuildOptions): Promise<void> {
  const unsupported = BUILDKIT_ONLY.find((flag) => opts[flag] !== undefined);
  if (unsupported) throw new UserError(`--${unsupported} is not supported: moor builds with the engine's classic builder, without BuildKit`, "drop the flag; build secrets and SSH need `docker buildx` for now");
  const { project: loaded, result } = await loadOrThrow(global, { services });
  const selected = selectServices(loaded, services, opts.withDependencies === true);
  const buildArgs = parseBuildArgs(opts.buildArg ?? [], { ...process.env, ...result.environment });
  // --pull applies to every build, like the file's `build.pull: true`.
  const project: Project = opts.pull
    ? { ...loaded, services: Object.fromEntries(Object.entries(loaded.services).map(([k, s]) => [k, s.build ? { ...s, build: { ...s.build, pull: true } } : s])) }
    : loaded;
  const sink = opts.quiet ? () => {} : withBuildOutput(progressSink(global), progressMode(global));
  const actions = buildActions(project, selected);
  if (actions.length === 0) {
    sink({ type: "warning", message: "No services to build" });
    return;
  }
  const engine = await connectEngine();
  await runImageActions(project, result, engine, actions, { parallel: parallelism(global), onEvent: sink, noCache: opts.noCache ? true : undefined, buildArgs, dryRun: global.dryRun });
  if (opts.push) {
    const built = selected.filter((s) => project.services[s]?.build);
    await pushServices(engine, project, built, { ignoreFailures: false, parallel: parallelism(global), sink, dryRun: global.dryRun });
  }
}
