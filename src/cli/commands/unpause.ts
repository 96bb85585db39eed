// `moor unpause [SERVICE...]`: resumes the paused containers of the named services (all when none
// are named).
import type { GlobalOptions } from "../global-options.js";
import { openTarget, runContainerTasks } from "../lifecycle-target.js";
import { isOneOff, serviceOf } from "../service-containers.js";

export async function unpauseCommand(global: GlobalOptions, services: string[]): Promise<void> {
  const target = await openTarget(global, services, { all: false });
  const named = new Set(services.length > 0 ? services : Object.keys(target.project.services));
  // Only paused ones: the engine refuses to unpause a container that is not paused.
  const paused = target.containers.filter((c) => !isOneOff(c) && named.has(serviceOf(c)) && c.state === "paused");
  await runContainerTasks(
    target,
    paused.map((c) => ({ id: c.id, container: c, done: "Unpaused", run: () => target.engine.unpauseContainer(c.id) })),
  );
}
