// Profiles decide which services a run sees, with docker compose's rules: a service with no
// `profiles` is always on; one with profiles is on when one of them is enabled (`*` enables
// all); naming a disabled service on the command line enables its profiles (and so every
// other service in them). A dependency is never switched on by itself: an enabled service
// that needs a disabled one is an error, as compose reports after its normalization.
import type { DiagnosticBag, KeyPath } from "./diagnostics.js";

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What `applyProfiles` decided. */
export interface ProfilesResult {
  /** Services switched off (and removed from the document), sorted. */
  disabled: string[];
  /** The profiles in effect: the enabled ones plus those of services named on the command line. */
  profiles: string[];
}

function profilesOfService(service: unknown): string[] {
  if (!isObject(service) || !Array.isArray(service.profiles)) return [];
  return service.profiles.map((p) => String(p));
}

function isEnabled(service: unknown, active: ReadonlySet<string>): boolean {
  const own = profilesOfService(service);
  if (own.length === 0 || active.has("*")) return true;
  return own.some((p) => active.has(p));
}

/**
 * Removes the services that the enabled profiles leave off, in place. `namedServices` are the
 * services given on the command line: naming a disabled one enables its profiles.
 * An enabled service that depends on a disabled one (depends_on unless `required: false`,
 * links, volumes_from, `service:` namespaces) is an error; optional dependencies on a
 * disabled service are dropped so later stages do not see a dangling name.
 */
export function applyProfiles(
  data: { services?: Record<string, unknown> },
  enabled: readonly string[],
  namedServices: readonly string[],
  bag: DiagnosticBag,
): ProfilesResult {
  const active = new Set(enabled.map((p) => p.trim()).filter((p) => p !== ""));
  const services = isObject(data.services) ? data.services : {};
  for (const name of namedServices) {
    const service = services[name];
    if (service !== undefined && !isEnabled(service, active)) for (const p of profilesOfService(service)) active.add(p);
  }
  const disabled = Object.keys(services)
    .filter((name) => !isEnabled(services[name], active))
    .sort();
  const off = new Set(disabled);

  for (const [name, service] of Object.entries(services)) {
    if (off.has(name) || !isObject(service)) continue;
    for (const ref of serviceReferences(service)) {
      if (!off.has(ref.service)) continue;
      if (ref.optional) {
        dropOptionalDependency(service, ref.service);
        continue;
      }
      const needs = profilesOfService(services[ref.service]);
      bag.error(
        "profiles.disabled-dependency",
        `service "${name}" ${ref.how} service "${ref.service}", which is not enabled: it belongs to profile${needs.length > 1 ? "s" : ""} ${needs.map((p) => `"${p}"`).join(", ")}`,
        {
          path: ["services", name, ...ref.at],
          hint: `enable it with --profile ${needs[0] ?? ""} (or COMPOSE_PROFILES), or name the service on the command line`,
        },
      );
    }
  }
  for (const name of disabled) delete services[name];
  return { disabled, profiles: [...active] };
}

interface ServiceReference {
  service: string;
  /** Where the reference stands inside the service. */
  at: KeyPath;
  /** How the sentence reads: "depends on", "links to", ... */
  how: string;
  optional: boolean;
}

const NAMESPACES = ["network_mode", "ipc", "pid", "uts", "cgroup"] as const;

/** Every other service a service needs to run, with where it says so. */
export function serviceReferences(service: Obj): ServiceReference[] {
  const refs: ServiceReference[] = [];
  const deps = service.depends_on;
  if (Array.isArray(deps)) {
    deps.forEach((d, i) => refs.push({ service: String(d), at: ["depends_on", i], how: "depends on", optional: false }));
  } else if (isObject(deps)) {
    for (const [d, spec] of Object.entries(deps)) {
      const optional = isObject(spec) && (spec.required === false || spec.required === "false");
      refs.push({ service: d, at: ["depends_on", d], how: "depends on", optional });
    }
  }
  if (Array.isArray(service.links)) {
    service.links.forEach((l, i) => refs.push({ service: String(l).split(":")[0]!, at: ["links", i], how: "links to", optional: false }));
  }
  if (Array.isArray(service.volumes_from)) {
    service.volumes_from.forEach((v, i) => {
      const s = String(v);
      if (!s.startsWith("container:")) refs.push({ service: s.split(":")[0]!, at: ["volumes_from", i], how: "mounts volumes from", optional: false });
    });
  }
  for (const ns of NAMESPACES) {
    const v = service[ns];
    if (typeof v === "string" && v.startsWith("service:")) {
      refs.push({ service: v.slice("service:".length), at: [ns], how: `shares the ${ns === "network_mode" ? "network" : ns} namespace of`, optional: false });
    }
  }
  return refs;
}

function dropOptionalDependency(service: Obj, dep: string): void {
  const deps = service.depends_on;
  if (!isObject(deps)) return;
  delete deps[dep];
  if (Object.keys(deps).length === 0) delete service.depends_on;
}

/** Every profile the services use, sorted and unique (`moor config --profiles`). */
export function profilesOf(data: { services?: Record<string, unknown> }): string[] {
  const all = new Set<string>();
  if (isObject(data.services)) for (const s of Object.values(data.services)) for (const p of profilesOfService(s)) all.add(p);
  return [...all].sort();
}
