// `moor run`'s flags turned into the one-off container's service config, the way compose turns
// them (its runOptions.apply and applyRunOptions): ports only with -P or -p, extra volumes, the
// command, entrypoint, user, workdir, capabilities, environment and labels, no restart policy, a
// name of the form `<project>-<service>-run-<12 hex>`. Pure: the caller reads env files and makes
// the random slug.
import path from "node:path";
import type { ServiceConfig, ServicePortConfig, ServiceVolumeConfig } from "../compose/types.js";
import { parseDotenv } from "../compose/dotenv.js";
import { DiagnosticBag } from "../compose/diagnostics.js";
import { parsePortSpec } from "../compose/normalize-ports.js";
import { parseVolumeSpec } from "../compose/normalize-volumes.js";
import { shellSplit } from "../compose/shell-split.js";
import { UserError } from "./errors.js";

/** The label compose puts on a one-off container: the full random id its name is cut from. */
export const SLUG_LABEL = "com.docker.compose.slug";

export interface RunFlags {
  /** COMMAND and ARGS after the service; empty keeps the service's command. */
  command: string[];
  /** `-e KEY=VALUE` or `-e KEY` (taken from the project's environment, dropped when unset). */
  env: string[];
  /** `--env-from-file`: each file's name and text, in order. */
  envFiles: { file: string; text: string }[];
  /** `-l KEY=VALUE`. */
  labels: string[];
  /** `-p`: ports published for this container only. */
  publish: string[];
  /** `-P`: the service's own ports. */
  servicePorts: boolean;
  /** `-v`: appended to the service's volumes. */
  volumes: string[];
  user?: string;
  workdir?: string;
  /** `--entrypoint`, when given (even empty). */
  entrypoint?: string;
  capAdd: string[];
  capDrop: string[];
  /** `--name`. */
  name?: string;
  tty: boolean;
  interactive: boolean;
}

/** What `run` creates: the service as the one-off container runs it, and its name. */
export interface OneOffConfig {
  service: ServiceConfig;
  name: string;
  /** The random id the generated name is cut from; compose keeps it in the slug label. */
  slug: string;
}

/** `<project>-<service>-run-<first 12 of the slug>`, compose's one-off name. */
export function oneOffName(project: string, service: string, slug: string): string {
  return `${project}-${service}-run-${slug.slice(0, 12)}`;
}

/** `-e` entries resolved like compose: KEY=VALUE as given, a bare KEY from `lookup`, unresolved ones dropped. */
export function resolveEnvFlags(entries: string[], lookup: (key: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq !== -1) {
      out[entry.slice(0, eq)] = entry.slice(eq + 1);
      continue;
    }
    const value = lookup(entry);
    if (value !== undefined) out[entry] = value;
    else delete out[entry];
  }
  return out;
}

/**
 * The variables `run` adds to the service's environment: `-e` first, then `--env-from-file`
 * files for keys `-e` did not set (a file may use `${VAR}` of the `-e` values).
 */
export function runEnvironment(flags: Pick<RunFlags, "env" | "envFiles">, lookup: (key: string) => string | undefined): Record<string, string> {
  const env = resolveEnvFlags(flags.env, lookup);
  for (const { file, text } of flags.envFiles) {
    const bag = new DiagnosticBag();
    const vars = parseDotenv(file, text, (k) => (Object.hasOwn(env, k) ? env[k] : undefined), bag);
    const error = bag.errors[0];
    if (error) throw new UserError(`${file}: ${error.message}`);
    for (const [k, v] of Object.entries(vars)) if (!Object.hasOwn(env, k)) env[k] = v;
  }
  return env;
}

function parseLabels(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq === -1) throw new UserError("label must be set as KEY=VALUE", `got ${JSON.stringify(entry)}`);
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

function parsePorts(specs: string[]): ServicePortConfig[] {
  const out: ServicePortConfig[] = [];
  for (const spec of specs) {
    const parsed = parsePortSpec(spec);
    if ("error" in parsed) throw new UserError(`invalid --publish ${JSON.stringify(spec)}: ${parsed.error}`);
    out.push(...parsed);
  }
  return out;
}

/** `-v` volumes; a relative bind source is taken from `cwd`, as compose makes it absolute. */
function parseVolumes(specs: string[], cwd: string): ServiceVolumeConfig[] {
  return specs.map((spec) => {
    const parsed = parseVolumeSpec(spec);
    if ("error" in parsed) throw new UserError(`invalid --volume ${JSON.stringify(spec)}: ${parsed.error}`);
    if (parsed.type === "bind" && parsed.source !== undefined && !path.isAbsolute(parsed.source)) return { ...parsed, source: path.resolve(cwd, parsed.source) };
    return parsed;
  });
}

/** Checks the flags that cannot go together, before anything is loaded. */
export function checkRunFlags(flags: Pick<RunFlags, "publish" | "servicePorts">): void {
  if (flags.publish.length > 0 && flags.servicePorts) throw new UserError("--service-ports and --publish are incompatible");
}

/**
 * The service as the one-off container runs it. `lookup` reads the project's environment (for a
 * bare `-e KEY`); `cwd` makes relative `-v` sources absolute; `slug` is 64 random hex digits.
 */
export function oneOffService(projectName: string, base: ServiceConfig, flags: RunFlags, opts: { lookup: (key: string) => string | undefined; cwd: string; slug: string }): OneOffConfig {
  checkRunFlags(flags);
  const svc: ServiceConfig = { ...base };
  svc.tty = flags.tty;
  svc.stdin_open = flags.interactive;
  if (!flags.servicePorts) {
    const ports = parsePorts(flags.publish);
    if (ports.length > 0) svc.ports = ports;
    else delete svc.ports;
  }
  if (flags.volumes.length > 0) svc.volumes = [...(base.volumes ?? []), ...parseVolumes(flags.volumes, opts.cwd)];
  if (flags.command.length > 0) svc.command = flags.command;
  if (flags.user) svc.user = flags.user;
  if (flags.capAdd.length > 0) {
    svc.cap_add = [...(svc.cap_add ?? []), ...flags.capAdd];
    svc.cap_drop = svc.cap_drop?.filter((c) => !flags.capAdd.includes(c));
  }
  if (flags.capDrop.length > 0) {
    svc.cap_drop = [...(svc.cap_drop ?? []), ...flags.capDrop];
    svc.cap_add = svc.cap_add?.filter((c) => !flags.capDrop.includes(c));
  }
  if (flags.workdir) svc.working_dir = flags.workdir;
  if (flags.entrypoint !== undefined) {
    const argv = shellSplit(flags.entrypoint);
    if (!Array.isArray(argv)) throw new UserError(`invalid --entrypoint ${JSON.stringify(flags.entrypoint)}: ${argv.error}`);
    svc.entrypoint = argv;
    // A new entrypoint does not run the image's (or the service's) command unless one is given.
    if (flags.command.length === 0) svc.command = [];
  }
  const env = runEnvironment(flags, opts.lookup);
  if (Object.keys(env).length > 0) svc.environment = { ...(base.environment ?? {}), ...env };
  const labels = parseLabels(flags.labels);
  if (Object.keys(labels).length > 0) svc.labels = { ...(base.labels ?? {}), ...labels };
  // One container, never restarted by the engine: a one-off ends when its command does.
  svc.scale = 1;
  delete svc.restart;
  if (svc.deploy?.restart_policy) {
    const { restart_policy: _dropped, ...deploy } = svc.deploy;
    svc.deploy = deploy;
  }
  // compose names the container from --name or the slug; the file's container_name is not used.
  delete svc.container_name;
  const name = flags.name || oneOffName(projectName, base.name, opts.slug);
  return { service: svc, name, slug: opts.slug };
}
