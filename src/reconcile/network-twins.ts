// Engines before 25 check a new network's name without a lock (moby/moby#20648): two runs of one
// project creating `<project>_default` at the same instant can both succeed, and the engine then
// holds two networks of one name. Containers name their networks, and the engine resolves a name
// when a container starts (not when it is created), refusing while the name is ambiguous; so the
// twins are settled right after a create, and again when a start or connect finds the name
// ambiguous. Every run settles the same way (a network in use first, then the oldest, then the
// lowest id), so racers agree without talking to each other; and the engine refuses to remove a
// network a running container uses, so settling never cuts a container off.
import type { Engine } from "../engine/engine.js";
import { ConflictError, NotFoundError } from "../engine/errors.js";
import type { NetworkSummary } from "../engine/types.js";
import { LABELS } from "../engine/types.js";

export type TwinEngine = Pick<Engine, "listNetworks" | "removeNetwork">;

/**
 * The engine's refusal to start or connect through a name that matches several networks, or that
 * named a twin the moment another run removed it ("Could not attach to network …: … not found").
 */
export function isNetworkTwinError(err: unknown): boolean {
  return err instanceof Error && (/network .* is ambiguous \(\d+ matches found/i.test(err.message) || /could not attach to network .*not found/i.test(err.message));
}

/** RFC 3339 times with their fraction padded to nanoseconds, so they sort as text. */
function sortableTime(created: string | undefined): string {
  if (created === undefined) return "~"; // unknown sorts last
  const m = /^([^.]*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(created);
  if (!m) return created;
  return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}`;
}

/** The order every run agrees on: oldest first, then lowest id. */
export function twinOrder(a: NetworkSummary, b: NetworkSummary): number {
  const ta = sortableTime(a.created);
  const tb = sortableTime(b.created);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

async function removeUnlessInUse(engine: TwinEngine, id: string): Promise<"removed" | "in-use"> {
  try {
    await engine.removeNetwork(id);
    return "removed";
  } catch (err) {
    if (err instanceof NotFoundError) return "removed"; // another run settled it first
    if (err instanceof ConflictError) return "in-use";
    throw err;
  }
}

/**
 * Leaves one network named `name` among the project's networks with the network key `key`.
 * Returns how many twins were removed (0 when there was only one).
 */
export async function settleNetworkTwins(engine: TwinEngine, project: string, key: string, name: string): Promise<number> {
  const twins = (await engine.listNetworks({ labels: [`${LABELS.project}=${project}`, `${LABELS.network}=${key}`] })).filter((n) => n.name === name).sort(twinOrder);
  if (twins.length <= 1) return 0;
  let removed = 0;
  const inUse: NetworkSummary[] = [];
  for (const twin of twins.slice(1)) {
    if ((await removeUnlessInUse(engine, twin.id)) === "removed") removed++;
    else inUse.push(twin);
  }
  // A later twin already has a running container (it started while it was the only one visible):
  // that one stays, and the oldest goes instead, unless it is in use too (then both stay).
  if (inUse.length > 0 && (await removeUnlessInUse(engine, twins[0]!.id)) === "removed") removed++;
  return removed;
}

/** Settles every network of the project that has twins: after a start or connect found a name ambiguous. */
export async function settleProjectNetworkTwins(engine: TwinEngine, project: string): Promise<number> {
  const all = await engine.listNetworks({ labels: [`${LABELS.project}=${project}`] });
  const seen = new Map<string, string>();
  for (const n of all) {
    const key = n.labels[LABELS.network];
    if (key !== undefined) seen.set(n.name, key);
  }
  let removed = 0;
  for (const [name, key] of seen) if (all.filter((n) => n.name === name).length > 1) removed += await settleNetworkTwins(engine, project, key, name);
  return removed;
}
