// `moor pause [SERVICE...]`: freezes the running containers of the named services (all when none
// are named); one-off containers are left alone, as compose leaves them.
import type { GlobalOptions } from "../global-options.js";
import { openTarget, runContainerTasks } from "../lifecycle-target.js";
import { isOneOff, serviceOf } from "../service-containers.js";

export async function pauseCommand(global: GlobalOptions, services: string[]): Promise<void> {
  const target = await openTarget(global, services, { all: false });
  const named = new Set(services.length > 0 ? services : Object.keys(target.project.services));
  // A container already paused is left as it is (the engine would refuse to pause it twice).
  const running = target.containers.filter((c) => !isOneOff(c) && named.has(serviceOf(c)) && c.state === "running");
  await runContainerTasks(
    target,
    running.map((c) => ({ id: c.id, container: c, done: "Paused", run: () => target.engine.pauseContainer(c.id) })),
  );
}
