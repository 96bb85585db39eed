// `moor kill [SERVICE...]`: sends a signal (SIGKILL unless -s) to the running containers of the
// named services, one-off containers included; orphans' containers only with --remove-orphans.
import type { GlobalOptions } from "../global-options.js";
import { openTarget, runContainerTasks } from "../lifecycle-target.js";
import { serviceOf } from "../service-containers.js";

export interface KillOptions {
  signal?: string;
  removeOrphans?: boolean;
}

export async function killCommand(global: GlobalOptions, services: string[], opts: KillOptions): Promise<void> {
  const target = await openTarget(global, services, { all: false });
  const removeOrphans = opts.removeOrphans ?? /^(1|t|true|y)$/i.test(process.env.COMPOSE_REMOVE_ORPHANS ?? "");
  const named = new Set(services);
  const victims = target.containers.filter(
    (c) => (named.size === 0 || named.has(serviceOf(c))) && (removeOrphans || target.project.services[serviceOf(c)] !== undefined),
  );
  if (victims.length === 0) {
    process.stderr.write("No container to kill\n");
    return;
  }
  const signal = opts.signal ?? "SIGKILL";
  await runContainerTasks(
    target,
    victims.map((c) => ({ id: c.id, container: c, working: "Killing", done: "Killed", run: () => target.engine.killContainer(c.id, signal) })),
  );
}
