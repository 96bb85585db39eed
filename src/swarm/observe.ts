// One snapshot of a stack as the swarm runs it: one list call per kind (services, networks,
// secrets, configs), in parallel, plus an inspect for each external network the stack names.
import type { SwarmEngine, SwarmFileObject, SwarmNetwork, SwarmService } from "../engine/swarm-engine.js";
import type { ObservedStack } from "./plan.js";
import { STACK_LABELS, type DesiredStack } from "./translate.js";

/** The label filter that selects one stack's objects. */
export function stackLabel(namespace: string): string[] {
  return [`${STACK_LABELS.namespace}=${namespace}`];
}

/** The four lists of one stack's objects, in parallel (the part of an observation that needs only the stack's name). */
export type StackLists = Promise<[SwarmService[], SwarmNetwork[], SwarmFileObject[], SwarmFileObject[]]>;

export function listStack(engine: SwarmEngine, namespace: string): StackLists {
  const label = stackLabel(namespace);
  return Promise.all([
    engine.listServices({ labels: label }),
    engine.listNetworks({ labels: label }),
    // Secrets and configs unfiltered: external ones carry no stack label, and moor needs their ids.
    engine.listSecrets({}),
    engine.listConfigs({}),
  ]);
}

/** `lists`: listStack's result when the caller started it earlier (for the same namespace). */
export async function observeStack(engine: SwarmEngine, namespace: string, desired?: DesiredStack, lists?: StackLists): Promise<ObservedStack> {
  const external = (desired?.networks ?? []).filter((n) => n.external && !["host", "bridge", "none"].includes(n.name)).map((n) => n.name);
  const [[services, networks, secrets, configs], inspected] = await Promise.all([
    lists ?? listStack(engine, namespace),
    Promise.all(external.map((name) => engine.inspectNetwork(name))),
  ]);
  const externalNetworks: Record<string, SwarmNetwork | undefined> = {};
  external.forEach((name, i) => (externalNetworks[name] = inspected[i]));
  return { services, networks, secrets, configs, externalNetworks };
}
