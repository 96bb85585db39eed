import fs from "node:fs";
import { ComposeError } from "../../compose/diagnostics.js";
import { variablesOfDocument } from "../../compose/interpolate.js";
import { loadProject, withoutUnusedResources } from "../../compose/load.js";
import type { Project } from "../../compose/types.js";
import { configImages, configNetworks, configServices, configVolumes, serializeConfig, serializeRaw } from "../../compose/serialize.js";
import { serviceConfigHash } from "../../reconcile/config-hash.js";
import { printDiagnostics, UserError } from "../errors.js";
import { loadOptionsFrom, readStdin, type GlobalOptions } from "../global-options.js";

export interface ConfigOptions {
  services?: boolean;
  models?: boolean;
  volumes?: boolean;
  networks?: boolean;
  images?: boolean;
  profiles?: boolean;
  variables?: boolean;
  environment?: boolean;
  hash?: string;
  format: "yaml" | "json";
  output?: string;
  quiet?: boolean;
  interpolate: boolean;
  normalize: boolean;
  pathResolution: boolean;
  consistency: boolean;
  /** False with `--no-env-resolution`. */
  envResolution?: boolean;
}

/** Keeps the named services and everything they depend on, as `docker compose config SERVICE` does. */
export function selectServices(project: Project, names: string[]): Project {
  if (names.length === 0) return project;
  const keep = new Set<string>();
  const visit = (name: string) => {
    if (keep.has(name)) return;
    const svc = project.services[name];
    if (!svc) throw new UserError(`no such service: ${name}`, `services in this project: ${Object.keys(project.services).sort().join(", ")}`);
    keep.add(name);
    for (const dep of Object.keys(svc.depends_on ?? {})) if (project.services[dep]) visit(dep);
  };
  names.forEach(visit);
  return { ...project, services: Object.fromEntries(Object.entries(project.services).filter(([n]) => keep.has(n))) };
}

/** `moor config`: load, validate, normalize and print the project in docker compose's canonical form. */
export async function configCommand(global: GlobalOptions, serviceNames: string[], opts: ConfigOptions): Promise<void> {
  const stdin = global.file?.includes("-") ? await readStdin() : undefined;
  // One output, chosen in compose's order when several flags are given.
  const mode = opts.services
    ? "services"
    : opts.volumes
      ? "volumes"
      : opts.networks
        ? "networks"
        : opts.models
          ? "models"
          : opts.hash !== undefined
          ? "hash"
          : opts.profiles
            ? "profiles"
            : opts.images
              ? "images"
              : opts.variables
                ? "variables"
                : opts.environment
                  ? "environment"
                  : "config";
  // compose reads the variables from the model before interpolation (a `${X:?}` does not fail there).
  const interpolate = opts.interpolate && mode !== "variables";
  const raw = !opts.normalize || !interpolate;
  const result = loadProject(
    loadOptionsFrom(global, {
      stdin,
      // --hash names its services in the flag; as compose, they are the ones the load is for.
      services: mode === "hash" && opts.hash !== undefined && opts.hash !== "*" ? opts.hash.split(",").map((x) => x.trim()) : serviceNames,
      interpolate,
      normalize: !raw,
      resolvePaths: opts.pathResolution,
      consistency: opts.consistency,
      resolveEnvironment: opts.envResolution !== false,
      // `--profiles` lists the profiles of every service, enabled or not (compose's AllServices).
      ...(mode === "profiles" ? { profiles: ["*"] } : {}),
    }),
  );
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning");
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new ComposeError(result.diagnostics);
  printDiagnostics(warnings, { stderr: process.stderr, color });

  const lines = (items: Iterable<string>) => [...items].map((s) => `${s}\n`).join("");
  let out: string;
  if (mode === "environment") {
    // compose sorts the `KEY=value` lines as strings, byte by byte.
    out = lines(Object.entries(result.environment).map(([k, v]) => `${k}=${v}`).sort(byteOrder));
  } else if (mode === "variables") {
    out = renderVariables(result.raw, opts.format);
  } else if (raw && mode === "services") {
    // compose lists the model's service names when it does not interpolate.
    const services = (result.raw as { services?: Record<string, unknown> } | undefined)?.services ?? {};
    out = lines(Object.keys(services).sort(byteOrder));
  } else if (raw) {
    // Without interpolation compose still normalizes as far as a raw model allows; the part moor
    // shares is the resolved project name (not the canonical forms, defaults and absolute paths).
    const model = opts.normalize && result.raw && typeof result.raw === "object" ? { ...(result.raw as Record<string, unknown>), name: result.projectName } : result.raw;
    out = serializeRaw(model, opts.format);
  } else {
    // compose keeps the named services and their dependencies, then drops the networks, volumes,
    // secrets, configs and models no kept service uses (its default without --all-resources).
    // (--services, --volumes, --networks and --hash list the whole project whatever is named.)
    const selected = mode === "config" || mode === "images" ? selectServices(result.project!, serviceNames) : result.project!;
    const project = global.allResources ? selected : withoutUnusedResources(selected);
    // --services: dependencies before the services that need them, as compose walks them.
    if (mode === "services") out = lines(configServices(project));
    else if (mode === "volumes") out = lines(configVolumes(project));
    else if (mode === "networks") out = lines(configNetworks(project));
    else if (mode === "models") out = lines(Object.keys(project.models ?? {}).sort(byteOrder));
    else if (mode === "profiles") out = lines([...new Set(Object.values(result.project!.services).flatMap((s) => s.profiles ?? []))].sort(byteOrder));
    else if (mode === "images") out = lines(configImages(project));
    else if (mode === "hash" && opts.hash !== undefined) {
      const wanted = opts.hash === "*" ? Object.keys(project.services) : opts.hash.split(",").map((s) => s.trim());
      out = lines(wanted.sort().map((name) => {
        const svc = project.services[name];
        if (!svc) throw new UserError(`no such service: ${name}`);
        return `${name} ${serviceConfigHash(svc)}`;
      }));
    } else out = serializeConfig(project, opts.format, { envFiles: opts.envResolution === false });
  }
  if (opts.quiet) return;
  // compose honours -o for the model only; the listings always go to standard output.
  if (opts.output && mode === "config") {
    if (out.length > 0) fs.writeFileSync(opts.output, out);
  } else process.stdout.write(out);
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `docker compose config --variables`: a table laid out as Go's tabwriter does with compose's
 * settings (cells at least 20 wide, 3 spaces of padding, every cell but a line's last padded,
 * empty ones too), or with `--format json` one JSON object keyed by name. Rows are sorted
 * (compose prints them in map order, which varies from run to run).
 */
function renderVariables(raw: unknown, format: "yaml" | "json"): string {
  const found = [...variablesOfDocument(raw).values()].sort((a, b) => byteOrder(a.name, b.name));
  if (format === "json") {
    const obj = Object.fromEntries(found.map((v) => [v.name, { Name: v.name, DefaultValue: v.default ?? "", PresenceValue: v.alternate ?? "", Required: v.required }]));
    return JSON.stringify(obj) + "\n";
  }
  const table = [["NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE"], ...found.map((v) => [v.name, String(v.required), v.default ?? "", v.alternate ?? ""])];
  const widths = [0, 1, 2].map((i) => Math.max(20, ...table.map((r) => r[i]!.length + 3)));
  return table.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join("") + "\n").join("");
}
