// The container `exec` and `attach` talk to, picked as compose picks it: a running container of
// the service, the one numbered `--index` when given, else the lowest-numbered; a one-off (`run`)
// container of the service only when the service has no container of its own running.
import type { Engine } from "../engine/engine.js";
import type { ContainerSummary } from "../engine/types.js";
import { UserError } from "./errors.js";
import { isOneOff, pickContainer, projectContainers, serviceOf } from "./service-containers.js";

/** `--index`: a positive number, or undefined (0, compose's default, means none). */
export function parseIndex(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UserError(`invalid --index ${JSON.stringify(raw)}: not a number`);
  const n = Number(raw);
  return n === 0 ? undefined : n;
}

/** Picks from the running containers of a project; throws compose's "is not running" otherwise. */
export function pickRunning(containers: ContainerSummary[], service: string, index: number | undefined): ContainerSummary {
  try {
    return pickContainer(containers, service, index);
  } catch (err) {
    const oneoff = index === undefined ? containers.find((c) => serviceOf(c) === service && isOneOff(c)) : undefined;
    if (oneoff) return oneoff;
    throw err;
  }
}

/** One list call for the running containers of the project, then `pickRunning`. */
export async function runningContainer(engine: Engine, project: string, service: string, index: number | undefined): Promise<ContainerSummary> {
  const containers = await projectContainers(engine, project, { all: false, services: [service] });
  return pickRunning(containers, service, index);
}
