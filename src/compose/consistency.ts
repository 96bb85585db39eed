// The checks docker compose makes once a project is loaded and normalized: references between
// services and to top-level resources, settings that contradict each other, and dependency cycles.
// Messages keep compose's wording so people recognise them (and can search for them); unlike
// compose, every problem is reported in one run, at its file:line:col, with a hint.
import { isIP } from "node:net";
import { buildProjectGraph, serviceGraph, serviceReferences, type ProjectEdge, type ServiceReference } from "../graph/project-graph.js";
import { findCycles } from "../graph/topo-sort.js";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import type { DeviceRequest, Project, SecretConfig, ServiceConfig } from "./types.js";

/** What the checks need to know beyond the project itself. */
export interface ConsistencyOptions {
  /**
   * Services the active profiles switched off (`applyProfiles(...).disabled`). References to them
   * are not reported again here: applying profiles already reported the required ones and dropped
   * the optional ones. Without it, compose's rule applies: any reference to a missing service is an error.
   */
  readonly disabledServices?: Iterable<string>;
  /**
   * Who will run the project: "swarm" (`moor deploy`) publishes ports through the routing mesh,
   * where many replicas share one published port, so that warning is only for "compose" (the default).
   */
  readonly runtime?: "compose" | "swarm";
}

/** Finds where a key path was written; falls back to the nearest ancestor the source has. */
type Locate = (path: KeyPath) => Location | undefined;

/** Checks a normalized project the way docker compose does after loading, adding every problem to `bag`. */
export function checkConsistency(project: Project, bag: DiagnosticBag, locate: Locate, options: ConsistencyOptions = {}): void {
  const ctx = new Context(project, bag, locate, options);
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name] as ServiceConfig;
    checkImageOrBuild(ctx, name, service);
    checkBuild(ctx, name, service);
    checkServiceReferences(ctx, name, service);
    checkNetworks(ctx, name, service);
    checkResourceReferences(ctx, name, service);
    checkHealthcheck(ctx, name, service);
    checkScale(ctx, name, service);
    checkResourceLimits(ctx, name, service);
    checkMounts(ctx, name, service);
    checkDevelopWatch(ctx, name, service);
    checkPorts(ctx, name, service);
    checkDeviceRequests(ctx, name, service);
  }
  checkFileObjects(ctx, "secrets", project.secrets, ["file", "environment"]);
  checkFileObjects(ctx, "configs", project.configs, ["file", "environment", "content"]);
  checkExternalVolumes(ctx);
  checkPublishedPorts(ctx);
  checkHealthyDependencies(ctx);
  checkContainerNames(ctx);
  checkCycles(ctx);
}

/** Two services cannot share a container_name: compose's `config` refuses it (CheckContainerNameUnicity). */
function checkContainerNames(ctx: Context): void {
  const owner = new Map<string, string>();
  for (const name of Object.keys(ctx.project.services).sort()) {
    const cn = ctx.project.services[name]?.container_name;
    if (!cn) continue;
    const first = owner.get(cn);
    if (first === undefined) owner.set(cn, name);
    else ctx.error("container-name-in-use", ["services", name, "container_name"], `container name ${quote(cn)} is already in use by service ${quote(first)}`, "container names are global to the engine: give each service its own, or remove container_name");
  }
}

class Context {
  constructor(
    readonly project: Project,
    readonly bag: DiagnosticBag,
    readonly locate: Locate,
    readonly options: ConsistencyOptions,
  ) {}

  /** Where a path was written, or failing that its nearest written ancestor (an implied value has no place of its own). */
  where(path: KeyPath): Location | undefined {
    for (let n = path.length; n > 0; n--) {
      const found = this.locate(path.slice(0, n));
      if (found) return found;
    }
    return undefined;
  }

  error(code: string, path: KeyPath, message: string, hint?: string): void {
    this.bag.error(`consistency.${code}`, message, this.#extra(path, hint));
  }

  /** For what compose accepts but the engine will refuse at start: said now, not after the wait. */
  warn(code: string, path: KeyPath, message: string, hint?: string): void {
    this.bag.warn(`consistency.${code}`, message, this.#extra(path, hint));
  }

  #extra(path: KeyPath, hint: string | undefined): { path: KeyPath; location?: Location; hint?: string } {
    const location = this.where(path);
    return { path, ...(location ? { location } : {}), ...(hint ? { hint } : {}) };
  }
}

const quote = (s: string): string => JSON.stringify(s);

/** Edit distance, for did-you-mean hints; names are short, so the plain quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The candidate a typo most likely meant: same name in another case, or close enough in spelling. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const candidate of [...candidates].sort()) {
    if (candidate === name) continue;
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** "did you mean …?" when a near name exists, otherwise what to do instead. */
function suggest(name: string, candidates: Iterable<string>, otherwise: string): string {
  const near = closestName(name, candidates);
  return near === undefined ? otherwise : `did you mean ${quote(near)}?`;
}

function listNames(names: string[]): string {
  const sorted = [...names].sort();
  if (sorted.length === 0) return "none";
  if (sorted.length <= 8) return sorted.join(", ");
  return `${sorted.slice(0, 8).join(", ")}, … (${sorted.length} in all)`;
}

function checkImageOrBuild(ctx: Context, name: string, s: ServiceConfig): void {
  // A provider service is run by a plugin, not from an image.
  if (s.image || s.build || s.provider) return;
  ctx.error(
    "no-image",
    ["services", name],
    `service ${quote(name)} has neither an image nor a build context specified`,
    "add `image: <name>` to run an existing image, or `build: <directory>` to build one",
  );
}

function checkBuild(ctx: Context, name: string, s: ServiceConfig): void {
  const build = s.build;
  if (!build) return;
  const at = ["services", name, "build"];
  if (build.dockerfile && build.dockerfile_inline) {
    ctx.error(
      "dockerfile-conflict",
      [...at, "dockerfile_inline"],
      `service ${quote(name)} declares mutually exclusive dockerfile and dockerfile_inline`,
      "keep `dockerfile` to build from a file, or `dockerfile_inline` to write the Dockerfile here, not both",
    );
  }
  for (const [context, value] of Object.entries(build.additional_contexts ?? {})) {
    if (!value.startsWith("service:")) continue;
    const target = value.slice("service:".length);
    const other = ctx.project.services[target];
    const path = [...at, "additional_contexts", context];
    if (!other) {
      ctx.error(
        "unknown-service",
        path,
        `service ${quote(name)} declares unknown service ${quote(target)} as additional contexts ${context}`,
        suggest(target, Object.keys(ctx.project.services), `defined services: ${listNames(Object.keys(ctx.project.services))}`),
      );
    } else if (!other.build) {
      ctx.error(
        "additional-context-not-buildable",
        path,
        `service ${quote(name)} declares non-buildable service ${quote(target)} as additional contexts ${context}`,
        `a "service:" context is the image another service builds; give ${quote(target)} a \`build\` section or use its image with "docker-image://"`,
      );
    }
  }
  if (build.platforms && build.platforms.length > 0 && s.platform && !build.platforms.includes(s.platform)) {
    ctx.error(
      "platform-not-built",
      [...at, "platforms"],
      `build.platforms must include the service's platform ${quote(s.platform)}`,
      `add ${quote(s.platform)} to build.platforms, or change \`platform\``,
    );
  }
}

/** Where an implied dependency came from, in the words of the compose file. */
function viaWords(edge: Extract<ProjectEdge, { kind: "service" }>): string {
  switch (edge.via) {
    case "depends_on":
      return "";
    case "links":
      return " (in links)";
    case "volumes_from":
      return " (in volumes_from)";
    default:
      return ` (in ${edge.via}: service:…)`;
  }
}

/**
 * The reference to point at for each target a service names. Normalizing turns links,
 * volumes_from and "service:" namespaces into depends_on entries, as compose does, and such an
 * entry is in no file; the link (or volumes_from, …) that caused it always is, so it is preferred.
 */
function referencesByTarget(s: ServiceConfig): Map<string, ServiceReference> {
  const chosen = new Map<string, ServiceReference>();
  for (const ref of serviceReferences(s)) {
    const current = chosen.get(ref.target);
    if (!current || (current.edge.via === "depends_on" && ref.edge.via !== "depends_on")) chosen.set(ref.target, ref);
  }
  return chosen;
}

function checkServiceReferences(ctx: Context, name: string, s: ServiceConfig): void {
  const disabled = new Set(ctx.options.disabledServices ?? []);
  for (const [target, ref] of referencesByTarget(s)) {
    // A service switched off by profiles was dealt with when profiles were applied: required
    // references to it reported there, optional ones dropped.
    if (ctx.project.services[target] || disabled.has(target)) continue;
    ctx.error(
      "undefined-service",
      ["services", name, ...ref.path],
      `service ${quote(name)} depends on undefined service ${quote(target)}${viaWords(ref.edge)}`,
      // Listed only now: a large project with no broken reference should not pay for it per service.
      suggest(target, others(ctx, name), `defined services: ${listNames(others(ctx, name))}`),
    );
  }
}

const others = (ctx: Context, name: string): string[] => Object.keys(ctx.project.services).filter((other) => other !== name);

function checkNetworks(ctx: Context, name: string, s: ServiceConfig): void {
  const networks = Object.keys(s.networks ?? {});
  if (s.network_mode && networks.length > 0) {
    ctx.error(
      "network-mode-and-networks",
      ["services", name, "network_mode"],
      `service ${quote(name)} declares mutually exclusive \`network_mode\` and \`networks\``,
      `network_mode ${quote(s.network_mode)} replaces the service's networks; remove one of the two`,
    );
  }
  const defined = Object.keys(ctx.project.networks ?? {});
  for (const network of networks) {
    if (ctx.project.networks?.[network]) continue;
    ctx.error(
      "undefined-network",
      ["services", name, "networks", network],
      `service ${quote(name)} refers to undefined network ${quote(network)}`,
      suggest(network, defined, `declare it under the top-level \`networks:\` key (add \`external: true\` if it exists already)`),
    );
  }
}

function checkResourceReferences(ctx: Context, name: string, s: ServiceConfig): void {
  const p = ctx.project;
  const undefinedRef = (kind: string, top: string, path: KeyPath, ref: string, pool: Record<string, unknown> | undefined, extra = ""): void => {
    ctx.error(
      `undefined-${kind.replace(/ /g, "-")}`,
      path,
      `service ${quote(name)} refers to undefined ${kind} ${quote(ref)}`,
      suggest(ref, Object.keys(pool ?? {}), `declare it under the top-level \`${top}:\` key${extra}`),
    );
  };
  (s.volumes ?? []).forEach((v, i) => {
    // Anonymous volumes and bind mounts need no declaration.
    if (v.type !== "volume" || !v.source || p.volumes?.[v.source]) return;
    undefinedRef("volume", "volumes", ["services", name, "volumes", i], v.source, p.volumes, `, or write ./${v.source} to mount a host directory`);
  });
  (s.build?.secrets ?? []).forEach((ref, i) => {
    if (!p.secrets?.[ref.source]) undefinedRef("build secret", "secrets", ["services", name, "build", "secrets", i], ref.source, p.secrets);
  });
  (s.secrets ?? []).forEach((ref, i) => {
    if (!p.secrets?.[ref.source]) undefinedRef("secret", "secrets", ["services", name, "secrets", i], ref.source, p.secrets);
  });
  (s.configs ?? []).forEach((ref, i) => {
    if (!p.configs?.[ref.source]) undefinedRef("config", "configs", ["services", name, "configs", i], ref.source, p.configs);
  });
  for (const model of Object.keys(s.models ?? {})) {
    if (!p.models?.[model]) undefinedRef("model", "models", ["services", name, "models", model], model, p.models);
  }
}

function checkHealthcheck(ctx: Context, name: string, s: ServiceConfig): void {
  const first = s.healthcheck?.test?.[0];
  if (first === undefined || first === "CMD" || first === "CMD-SHELL" || first === "NONE") return;
  ctx.error(
    "healthcheck-test",
    ["services", name, "healthcheck", "test", 0],
    `healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"`,
    `write ["CMD", ${quote(first)}, …] to run it directly, or a plain string to run it in a shell`,
  );
}

function checkScale(ctx: Context, name: string, s: ServiceConfig): void {
  const replicas = s.deploy?.replicas;
  if (s.scale !== undefined && replicas !== undefined && s.scale !== replicas) {
    ctx.error(
      "scale-conflict",
      ["services", name, "scale"],
      `can't set distinct values on 'scale' (${s.scale}) and 'deploy.replicas' (${replicas})`,
      "keep one of them; `scale` is the shorter form of `deploy.replicas`",
    );
  }
  if (s.scale !== undefined && s.scale < 0) {
    ctx.error("negative-scale", ["services", name, "scale"], "scale must be greater than or equal to 0");
  }
  if (replicas !== undefined && replicas < 0) {
    ctx.error("negative-scale", ["services", name, "deploy", "replicas"], "deploy.replicas must be greater than or equal to 0");
  }
  const count = s.scale ?? replicas ?? 1;
  if (count > 1 && s.container_name) {
    const attr = s.scale !== undefined ? "scale" : "deploy.replicas";
    ctx.error(
      "container-name-scale",
      ["services", name, "container_name"],
      `can't set container_name and ${attr} as container name must be unique`,
      `${count} containers cannot all be named ${quote(s.container_name)}; remove container_name to get ${ctx.project.name}-${name}-1, ${ctx.project.name}-${name}-2, …`,
    );
  }
}

function checkResourceLimits(ctx: Context, name: string, s: ServiceConfig): void {
  const resources = s.deploy?.resources;
  if (!resources) return;
  const pairs: [string, number | undefined, string, number | undefined][] = [
    ["cpus", s.cpus, "deploy.resources.limits.cpus", resources.limits?.cpus],
    ["mem_limit", s.mem_limit, "deploy.resources.limits.memory", resources.limits?.memory],
    ["mem_reservation", s.mem_reservation, "deploy.resources.reservations.memory", resources.reservations?.memory],
    ["pids_limit", s.pids_limit, "deploy.resources.limits.pids", resources.limits?.pids],
  ];
  for (const [short, shortValue, long, longValue] of pairs) {
    // Only a real disagreement is an error: setting both to the same value is harmless.
    if (shortValue === undefined || longValue === undefined || shortValue === longValue) continue;
    ctx.error(
      "limit-conflict",
      ["services", name, short],
      `can't set distinct values on '${short}' (${shortValue}) and '${long}' (${longValue})`,
      `keep one of them; both set the same limit`,
    );
  }
}

function checkMounts(ctx: Context, name: string, s: ServiceConfig): void {
  const mounted = new Map<string, string>();
  const claim = (target: string, path: KeyPath): void => {
    const first = mounted.get(target);
    if (first !== undefined) {
      ctx.error(
        "duplicate-mount",
        path,
        `target ${target} already mounted as ${first}`,
        "a container path can hold one mount; change one target or remove the duplicate (check override files too)",
      );
      return;
    }
    mounted.set(target, `services.${name}.${String(path[2])}[${String(path[3])}]`);
  };
  (s.tmpfs ?? []).forEach((entry, i) => claim(entry.split(":")[0] as string, ["services", name, "tmpfs", i]));
  (s.volumes ?? []).forEach((v, i) => claim(v.target, ["services", name, "volumes", i]));
}

function checkDevelopWatch(ctx: Context, name: string, s: ServiceConfig): void {
  (s.develop?.watch ?? []).forEach((rule, i) => {
    const at = ["services", name, "develop", "watch", i];
    if (rule.path === "") ctx.error("watch-path", [...at, "path"], "develop.watch path can't be blank");
    if (!rule.target && rule.action !== "rebuild" && rule.action !== "restart") {
      ctx.error(
        "watch-target",
        at,
        `develop.watch: target is required for non-rebuild actions`,
        `"${rule.action}" copies files into the container; set \`target\` to the container path they go to`,
      );
    }
  });
}

function checkPorts(ctx: Context, name: string, s: ServiceConfig): void {
  (s.ports ?? []).forEach((port, i) => {
    if (port.host_ip === undefined || port.host_ip === "" || isIP(port.host_ip) !== 0) return;
    ctx.error(
      "invalid-host-ip",
      ["services", name, "ports", i, "host_ip"],
      `invalid ip address: ${port.host_ip}`,
      "host_ip takes an IPv4 or IPv6 address such as 127.0.0.1 or ::1",
    );
  });
}

function checkDeviceRequests(ctx: Context, name: string, s: ServiceConfig): void {
  const check = (devices: DeviceRequest[] | undefined, at: KeyPath): void => {
    (devices ?? []).forEach((d, i) => {
      if (d.count === undefined || d.device_ids === undefined) return;
      ctx.error(
        "device-count-and-ids",
        [...at, i],
        `"count" and "device_ids" attributes are exclusive`,
        "ask for a number of devices with `count`, or for specific ones with `device_ids`",
      );
    });
  };
  check(s.gpus, ["services", name, "gpus"]);
  check(s.deploy?.resources?.reservations?.devices, ["services", name, "deploy", "resources", "reservations", "devices"]);
}

function checkFileObjects(
  ctx: Context,
  top: "secrets" | "configs",
  objects: Record<string, SecretConfig> | undefined,
  sources: readonly ("file" | "environment" | "content")[],
): void {
  const kind = top === "secrets" ? "secret" : "config";
  for (const name of Object.keys(objects ?? {}).sort()) {
    const obj = (objects as Record<string, SecretConfig>)[name] as SecretConfig;
    const set = sources.filter((key) => obj[key] !== undefined);
    const alternatives = sources.join("|");
    if (set.length > 1) {
      ctx.error(
        `${kind}-source-conflict`,
        [top, name, set[1] as string],
        `${alternatives} attributes are mutually exclusive`,
        `${kind} ${quote(name)} sets ${set.join(" and ")}; keep the one that holds its value`,
      );
    }
    // A driver may produce the value itself, which compose accepts for configs only; a secret
    // must still say where its value comes from.
    if (set.length > 0 || obj.external || (top === "configs" && obj.driver !== undefined)) continue;
    ctx.error(
      `${kind}-no-source`,
      [top, name],
      top === "secrets" ? `secret ${quote(name)} must declare either \`file\` or \`environment\`` : `one of ${alternatives} must be set`,
      top === "secrets"
        ? "point `file:` at a file holding the value, name a variable with `environment:`, or set `external: true` if it exists already"
        : "point `file:` at a file, name a variable with `environment:`, write the value in `content:`, or set `external: true`",
    );
  }
}

function checkExternalVolumes(ctx: Context): void {
  for (const name of Object.keys(ctx.project.volumes ?? {}).sort()) {
    const volume = ctx.project.volumes?.[name];
    if (!volume?.external) continue;
    // An external volume is used as it is, so anything that would shape its creation contradicts it.
    for (const key of ["driver", "driver_opts", "labels"] as const) {
      if (volume[key] === undefined) continue;
      ctx.error(
        "external-conflict",
        ["volumes", name, key],
        `conflicting parameters "external" and ${quote(key)} specified`,
        `an external volume is created outside this project; remove ${key}, or external: true to let compose create it`,
      );
    }
  }
}

function checkCycles(ctx: Context): void {
  // Most files have no cycle: a walk over the services' references says so without the whole
  // project graph (≈ 7 ms of a cold 500-service `moor config`); a cycle found gets the full search.
  if (!hasServiceCycle(ctx.project.services)) return;
  for (const cycle of findCycles(serviceGraph(buildProjectGraph(ctx.project)))) {
    const names = cycle.map((id) => id.slice("service:".length));
    const [from, to] = names as [string, string];
    const written = referencesByTarget(ctx.project.services[from] as ServiceConfig).get(to);
    ctx.error(
      "dependency-cycle",
      ["services", from, ...(written?.path ?? ["depends_on", to])],
      `dependency cycle: ${names.join(" → ")}`,
      "services in a cycle wait on each other forever; remove one of these dependencies (links, volumes_from and network_mode: service: count too)",
    );
  }
}

/**
 * Whether some service depends on itself through others (or directly), following the same
 * references as the project graph's service edges (serviceReferences), to services that exist.
 * Depth first, without recursion: a chain of hundreds of services must not exhaust the stack.
 */
export function hasServiceCycle(services: Readonly<Record<string, ServiceConfig>>): boolean {
  /** 1: on the current path; 2: done, no cycle through it. */
  const state = new Map<string, 1 | 2>();
  const targets = (name: string): string[] => {
    const refs = serviceReferences(services[name]!);
    const out: string[] = [];
    for (let i = 0; i < refs.length; i++) if (Object.hasOwn(services, refs[i]!.target)) out.push(refs[i]!.target);
    return out;
  };
  const names = Object.keys(services);
  for (let r = 0; r < names.length; r++) {
    const root = names[r]!;
    if (state.has(root)) continue;
    state.set(root, 1);
    const stack: { name: string; next: string[]; i: number }[] = [{ name: root, next: targets(root), i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.next.length) {
        const t = top.next[top.i++]!;
        const seen = state.get(t);
        if (seen === 1) return true;
        if (seen === undefined) {
          state.set(t, 1);
          stack.push({ name: t, next: targets(t), i: 0 });
        }
      } else {
        state.set(top.name, 2);
        stack.pop();
      }
    }
  }
  return false;
}

/** One fixed host port a service publishes. */
interface Binding {
  readonly service: string;
  readonly index: number;
  readonly hostIp: string | undefined;
}

/** Whether two host addresses can both be asked for the same port without the second bind failing. */
function addressesOverlap(a: string | undefined, b: string | undefined): boolean {
  const any = (ip: string | undefined): boolean => ip === undefined || ip === "";
  if (any(a) || any(b) || a === b) return true;
  // The wildcard of one family takes the port on every address of that family.
  const wildcard = (w: string | undefined, other: string | undefined): boolean =>
    (w === "0.0.0.0" && isIP(other ?? "") === 4) || (w === "::" && isIP(other ?? "") === 6);
  return wildcard(a, b) || wildcard(b, a);
}

/**
 * Compose accepts two services publishing the same host port (or a scaled service publishing a
 * fixed one) and leaves the engine to fail the second container with "port is already allocated"
 * mid-`up`. The file is valid, so these are warnings, given before anything starts.
 */
function checkPublishedPorts(ctx: Context): void {
  const byPort = new Map<string, Binding[]>();
  for (const name of Object.keys(ctx.project.services).sort()) {
    const s = ctx.project.services[name] as ServiceConfig;
    const replicas = s.scale ?? s.deploy?.replicas ?? 1;
    (s.ports ?? []).forEach((port, index) => {
      // Only a single fixed port can clash: a range lets the engine pick a free one in it.
      if (port.published === undefined || !/^[1-9][0-9]*$/.test(port.published)) return;
      const key = `${port.published}/${port.protocol}`;
      const path = ["services", name, "ports", index];
      if (replicas > 1 && ctx.options.runtime !== "swarm") {
        ctx.warn(
          "port-scale",
          path,
          `service ${quote(name)} runs ${replicas} containers but publishes the fixed host port ${key}: only one of them can bind it`,
          `publish a range instead (e.g. "${port.published}-${Number(port.published) + replicas - 1}:${port.target}"), or leave out the host port to let the engine choose`,
        );
      }
      const taken = byPort.get(key) ?? [];
      const clash = taken.find((b) => addressesOverlap(b.hostIp, port.host_ip));
      if (clash) {
        ctx.warn(
          "port-conflict",
          path,
          `host port ${key} is also published by ${clash.service === name ? "this service" : `service ${quote(clash.service)}`} (services.${clash.service}.ports[${clash.index}])`,
          'the engine binds a host port once, so the second container will fail with "port is already allocated"; publish another host port or bind different host_ip addresses',
        );
      }
      taken.push({ service: name, index, hostIp: port.host_ip });
      byPort.set(key, taken);
    });
  }
}

/** Compose starts a service_healthy dependency and then fails: "container … has no healthcheck configured". */
function checkHealthyDependencies(ctx: Context): void {
  for (const name of Object.keys(ctx.project.services).sort()) {
    const s = ctx.project.services[name] as ServiceConfig;
    for (const [target, dep] of Object.entries(s.depends_on ?? {})) {
      const healthcheck = ctx.project.services[target]?.healthcheck;
      if (dep.condition !== "service_healthy" || !healthcheck) continue;
      if (!healthcheck.disable && healthcheck.test?.[0] !== "NONE") continue;
      ctx.warn(
        "healthcheck-disabled",
        ["services", name, "depends_on", target, "condition"],
        `service ${quote(name)} waits for ${quote(target)} to be healthy, but ${quote(target)} disables its healthcheck`,
        `give ${quote(target)} a healthcheck, or depend on it with condition: service_started`,
      );
    }
  }
}
