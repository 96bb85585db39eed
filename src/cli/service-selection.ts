// Which services a `build`, `pull` or `push` works on: the named ones (all when none are named),
// and with `--include-deps` / `--with-dependencies` every service they refer to, transitively.
import type { Project } from "../compose/types.js";
import { serviceReferences } from "../graph/project-graph.js";
import { checkServices } from "./service-containers.js";

/** Service names in name order; throws compose's "no such service" for an unknown one. */
export function selectServices(project: Project, named: readonly string[], withDependencies: boolean): string[] {
  checkServices(project, [...named]);
  const chosen = new Set(named.length > 0 ? named : Object.keys(project.services));
  if (withDependencies) {
    const queue = [...chosen];
    while (queue.length > 0) {
      const svc = project.services[queue.pop()!];
      for (const ref of svc ? serviceReferences(svc) : []) {
        if (chosen.has(ref.target) || !project.services[ref.target]) continue;
        chosen.add(ref.target);
        queue.push(ref.target);
      }
    }
  }
  return [...chosen].sort();
}
