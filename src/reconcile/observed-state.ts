// What runs, as one snapshot: one list call per resource kind, grouped the way the planner asks
// questions ("which containers does service web have?", "is network default there?"). Building it
// is pure so the planner's golden tests can feed it hand-written lists.
import { LABELS } from "../engine/types.js";
import type { ContainerState, ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from "../engine/types.js";

/** The label moor adds beside compose's: the hashed service config, so a recreate can say which fields changed. */
export const MOOR_CONFIG_LABEL = "dev.moor.config";

/**
 * Where moor keeps the config hash of the networks and volumes it creates. Not compose's
 * `com.docker.compose.config-hash`: compose v5 takes any hash it cannot reproduce as a change and
 * would recreate the network or offer to recreate the volume (losing its data); without a hash
 * label it leaves them alone. Containers keep compose's label (compose recreates those safely).
 */
export const MOOR_HASH_LABEL = "dev.moor.config-hash";

/** One container of the project with its compose labels already parsed. */
export interface ObservedContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** `com.docker.compose.container-number`; undefined when missing or not a number (one-offs have none). */
  readonly number: number | undefined;
  readonly oneoff: boolean;
  readonly state: ContainerState;
  readonly health: ContainerSummary["health"];
  /** `com.docker.compose.config-hash`, empty when absent. */
  readonly configHash: string;
  /** True when moor created it (it carries moor's config label); false for docker compose's containers. */
  readonly createdByMoor: boolean;
  readonly summary: ContainerSummary;
}

/** The snapshot the planner compares the project with. Every list is sorted, so plans are deterministic. */
export interface ObservedState {
  readonly project: string;
  /** Service name → its non-one-off containers, by container number then creation time. */
  readonly services: ReadonlyMap<string, readonly ObservedContainer[]>;
  /** `run` containers: ignored by `up`, removed by `down --remove-orphans`. */
  readonly oneoffs: readonly ObservedContainer[];
  /** Compose network key (`com.docker.compose.network`) → the networks of this project that carry it. */
  readonly networks: ReadonlyMap<string, readonly NetworkSummary[]>;
  /** Compose volume key (`com.docker.compose.volume`) → the volumes of this project that carry it. */
  readonly volumes: ReadonlyMap<string, readonly VolumeSummary[]>;
  /** Every listed network by engine name, labelled or not: how external networks are found. */
  readonly networksByName: ReadonlyMap<string, NetworkSummary>;
  /** Every listed volume by engine name, labelled or not: how external volumes are found. */
  readonly volumesByName: ReadonlyMap<string, VolumeSummary>;
  /** Local images, or undefined when the caller did not list them (then the planner plans no pulls or builds). */
  readonly images: readonly ImageSummary[] | undefined;
}

export interface ObservedLists {
  containers: ContainerSummary[];
  networks: NetworkSummary[];
  volumes: VolumeSummary[];
  images?: ImageSummary[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function observeContainer(c: ContainerSummary): ObservedContainer {
  const oneoff = (c.labels[LABELS.oneoff] ?? "").toLowerCase() === "true";
  return {
    id: c.id,
    name: c.name,
    service: c.labels[LABELS.service] ?? "",
    number: oneoff ? undefined : parseNumber(c.labels[LABELS.containerNumber]),
    oneoff,
    state: c.state,
    health: c.health,
    configHash: c.labels[LABELS.configHash] ?? "",
    createdByMoor: c.labels[MOOR_CONFIG_LABEL] !== undefined,
    summary: c,
  };
}

function compareContainers(a: ObservedContainer, b: ObservedContainer): number {
  const na = a.number ?? Number.MAX_SAFE_INTEGER;
  const nb = b.number ?? Number.MAX_SAFE_INTEGER;
  if (na !== nb) return na - nb;
  if (a.summary.created !== b.summary.created) return a.summary.created - b.summary.created;
  return byString(a.id, b.id);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined, order: (a: T, b: T) => number): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  for (const list of groups.values()) list.sort(order);
  return new Map([...groups.entries()].sort(([a], [b]) => byString(a, b)));
}

/**
 * Groups what the engine listed. Only resources whose `com.docker.compose.project` label names this
 * project are the project's: a list that was not label-filtered cannot make moor touch anything else.
 * Networks and volumes are also indexed by name, labelled or not, so external ones can be found.
 */
export function observedStateFrom(project: string, lists: ObservedLists): ObservedState {
  const mine = (labels: Record<string, string>): boolean => labels[LABELS.project] === project;
  const containers = lists.containers.filter((c) => mine(c.labels)).map(observeContainer);
  const services = groupBy(
    containers.filter((c) => !c.oneoff),
    (c) => c.service,
    compareContainers,
  );
  const oneoffs = containers.filter((c) => c.oneoff).sort((a, b) => byString(a.name, b.name));
  const networks = groupBy(
    lists.networks.filter((n) => mine(n.labels)),
    (n) => n.labels[LABELS.network],
    (a, b) => byString(a.name, b.name),
  );
  const volumes = groupBy(
    lists.volumes.filter((v) => mine(v.labels)),
    (v) => v.labels[LABELS.volume],
    (a, b) => byString(a.name, b.name),
  );
  return {
    project,
    services,
    oneoffs,
    networks,
    volumes,
    networksByName: new Map(lists.networks.map((n) => [n.name, n])),
    volumesByName: new Map(lists.volumes.map((v) => [v.name, v])),
    images: lists.images,
  };
}

/** Every non-one-off container of the project, services in name order. */
export function allServiceContainers(observed: ObservedState): ObservedContainer[] {
  return [...observed.services.values()].flat();
}
