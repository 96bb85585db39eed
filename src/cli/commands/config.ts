import fs from "node:fs";
import { ComposeError } from "../../compose/diagnostics.js";
import { variablesOf } from "../../compose/interpolate.js";
import { loadProject } from "../../compose/load.js";
import type { Project } from "../../compose/types.js";
import { serializeConfig, serializeRaw } from "../../compose/serialize.js";
import { serviceConfigHash } from "../../reconcile/config-hash.js";
import { printDiagnostics, UserError } from "../errors.js";
import { loadOptionsFrom, readStdin, type GlobalOptions } from "../global-options.js";

export interface ConfigOptions {
  services?: boolean;
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
  const raw = !opts.normalize || !opts.interpolate;
  const result = loadProject(
    loadOptionsFrom(global, {
      stdin,
      services: serviceNames,
      interpolate: opts.interpolate,
      normalize: !raw,
      resolvePaths: opts.pathResolution,
      consistency: opts.consistency,
    }),
  );
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning");
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new ComposeError(result.diagnostics);
  printDiagnostics(warnings, { stderr: process.stderr, color });

  const lines = (items: Iterable<string>) => [...items].map((s) => `${s}\n`).join("");
  let out: string;
  if (opts.environment) {
    out = lines(Object.entries(result.environment).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`));
  } else if (opts.variables) {
    out = renderVariables(result.raw);
  } else if (raw) {
    out = serializeRaw(result.raw, opts.format);
  } else {
    const project = selectServices(result.project!, serviceNames);
    if (opts.services) out = lines(Object.keys(project.services).sort());
    else if (opts.volumes) out = lines(Object.keys(project.volumes ?? {}).sort());
    else if (opts.networks) out = lines(Object.keys(project.networks ?? {}).sort());
    else if (opts.profiles) out = lines([...new Set(Object.values(result.project!.services).flatMap((s) => s.profiles ?? []))].sort());
    else if (opts.images) out = lines(Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name)).map((s) => s.image ?? `${project.name}-${s.name}`));
    else if (opts.hash !== undefined) {
      const wanted = opts.hash === "*" ? Object.keys(project.services) : opts.hash.split(",").map((s) => s.trim());
      out = lines(wanted.sort().map((name) => {
        const svc = project.services[name];
        if (!svc) throw new UserError(`no such service: ${name}`);
        return `${name} ${serviceConfigHash(svc)}`;
      }));
    } else out = serializeConfig(project, opts.format);
  }
  if (opts.quiet) return;
  if (opts.output) fs.writeFileSync(opts.output, out);
  else process.stdout.write(out);
}

/** The table `docker compose config --variables` prints: each variable, whether required, its default. */
function renderVariables(raw: unknown): string {
  const found = new Map<string, { required: boolean; default?: string; alternate?: string }>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      for (const variable of variablesOf(v)) if (!found.has(variable.name)) found.set(variable.name, variable);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(raw);
  const rows = [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => [name, String(v.required), v.default ?? "", v.alternate ?? ""]);
  const header = ["NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("").trimEnd() + "\n").join("");
}
