// `moor port SERVICE PRIVATE_PORT`: the host address a container port is published on, as
// "0.0.0.0:8080", from the one list call (the same binding `docker port` shows first).
import type { ContainerSummary } from "../../engine/types.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices, isOneOff, pickContainer, projectContainers } from "../service-containers.js";

export interface PortOptions {
  protocol?: string;
  index?: string;
}

/** "8080" → 8080; compose takes 0–65535. */
export function parsePort(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n > 65535) throw new UserError(`invalid port ${JSON.stringify(text)}`, "PRIVATE_PORT is the container's port number, e.g. 80");
  return n;
}

/** "--index 2" → 2; compose treats 0 as "no index". */
export function parseIndex(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n)) throw new UserError(`invalid --index ${JSON.stringify(text)}`, "use the replica's number, e.g. --index 2");
  return n === 0 ? undefined : n;
}

/** The first binding of the port (compose's choice), or compose's error listing the container's ports. */
export function publishedPort(c: ContainerSummary, port: number, protocol: string): string {
  const found = c.ports.find((p) => p.privatePort === port && p.type === protocol);
  if (!found) {
    const ports = c.ports.map((p) => `${p.privatePort}/${p.type}`).join(", ");
    throw new UserError(`no port ${port}/${protocol} for container ${c.name}: ${ports}`);
  }
  return `${found.ip ?? ""}:${found.publicPort ?? 0}`;
}

export async function portCommand(global: GlobalOptions, service: string, privatePort: string, opts: PortOptions): Promise<void> {
  const port = parsePort(privatePort);
  const index = parseIndex(opts.index);
  const protocol = (opts.protocol ?? "tcp").toLowerCase();
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, [service]);
  const engine = await connectEngine();
  const containers = await projectContainers(engine, name, { services: [service] });
  // compose falls back to a one-off (`run --service-ports`) container when the service has none of its own.
  const oneoff = index === undefined && !containers.some((c) => !isOneOff(c)) ? containers.find(isOneOff) : undefined;
  process.stdout.write(`${publishedPort(oneoff ?? pickContainer(containers, service, index), port, protocol)}\n`);
}
