// `up --wait` / `start --wait`: every container of the chosen services running, and healthy
// where it has a healthcheck. A container that exits fails the wait with its name and code,
// unless another service waits for it to complete successfully and it exited 0.
import type { Project } from "../compose/types.js";
import type { Engine } from "../engine/engine.js";
import { LABELS } from "../engine/types.js";
import type { EventSink } from "../reconcile/events.js";
import { UserError } from "./errors.js";

export async function waitForProject(engine: Engine, project: Project, services: string[], sink: EventSink, timeoutMs?: number): Promise<void> {
  const chosen = new Set(services.length > 0 ? services : Object.keys(project.services));
  const oneShot = new Set<string>();
  for (const svc of Object.values(project.services)) {
    for (const [dep, d] of Object.entries(svc.depends_on ?? {})) if (d.condition === "service_completed_successfully") oneShot.add(dep);
  }
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  const reported = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    const containers = (await engine.listContainers({ all: true, labels: [`${LABELS.project}=${project.name}`, `${LABELS.oneoff}=False`] })).filter((c) =>
      chosen.has(c.labels[LABELS.service] ?? ""),
    );
    let pending = 0;
    // compose announces everything --wait waits for before it reports any of it ready.
    if (attempt === 0) for (const c of containers) sink({ type: "resource", kind: "container", name: c.name, status: "Waiting", done: false });
    for (const c of containers) {
      const service = c.labels[LABELS.service] ?? "";
      if (c.state === "exited" || c.state === "dead") {
        const info = await engine.inspectContainer(c.id);
        if (oneShot.has(service) && info.state.exitCode === 0) {
          if (!reported.has(c.name)) sink({ type: "resource", kind: "container", name: c.name, status: "Exited", done: true });
          reported.add(c.name);
          continue;
        }
        throw new UserError(`container ${c.name} exited (${info.state.exitCode})`, `see \`moor logs ${service}\``);
      }
      if (c.health === "unhealthy") throw new UserError(`container ${c.name} is unhealthy`, `see \`moor logs ${service}\``);
      const ready = c.state === "running" && (c.health === undefined || c.health === "healthy");
      if (!ready) pending++;
      else if (!reported.has(c.name)) {
        reported.add(c.name);
        sink({ type: "resource", kind: "container", name: c.name, status: c.health === "healthy" ? "Healthy" : "Running", done: true });
      }
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new UserError(`timed out waiting for the project to be running and healthy`, "raise --wait-timeout or check `moor ps`");
    await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** Math.min(attempt, 4), 1000)));
  }
}
