// The plan as text: what `moor plan` prints and what the golden tests compare. One line per action
// (`#id verb object`, its prerequisites, then the cause), field changes and data-loss warnings
// indented below it. Stable: nothing in it depends on time, ordering of maps, or the terminal.
import type { ContainerRef, Plan, PlanAction } from "./plan-types.js";

function container(ref: ContainerRef): string {
  return ref.kind === "existing" ? `${ref.name} (${ref.id.slice(0, 12)})` : `${ref.name} (from #${ref.action})`;
}

/** The verb and object of an action, e.g. `create container demo-web-1`. */
export function describeAction(a: PlanAction): string {
  switch (a.kind) {
    case "create-network":
      return `create network ${a.name}`;
    case "remove-network":
      return `remove network ${a.name}`;
    case "create-volume":
      return `create volume ${a.name}`;
    case "remove-volume":
      return `remove volume ${a.name}`;
    case "pull-image":
      return `pull image ${a.image} for ${a.services.join(", ")}`;
    case "build-image":
      return `build image ${a.image} for ${a.service}`;
    case "remove-image":
      return `remove image ${a.image}`;
    case "create-container":
      return a.replaces ? `create container ${a.name} to replace ${a.replaces.slice(0, 12)}` : `create container ${a.name}`;
    case "start-container":
      return `start container ${container(a.container)}`;
    case "stop-container":
      return `stop container ${container(a.container)}${a.timeout === undefined ? "" : ` within ${a.timeout}s`}`;
    case "remove-container":
      return `remove container ${container(a.container)}${a.removeAnonymousVolumes ? " with its anonymous volumes" : ""}`;
    case "rename-container":
      return `rename container ${container(a.container)} to ${a.to}`;
    case "connect-network":
      return `connect container ${container(a.container)} to network ${a.network}`;
    case "disconnect-network":
      return `disconnect container ${container(a.container)} from network ${a.network}`;
    case "wait-service":
      return `wait for ${a.service} ${a.condition.replace(/^service_/, "").replace(/_/g, " ")}`;
  }
}

/** The whole plan as stable text. */
export function planToString(plan: Plan): string {
  const lines: string[] = [];
  const n = plan.actions.length;
  lines.push(n === 0 ? `project ${plan.project}: nothing to do` : `project ${plan.project}: ${n} action${n === 1 ? "" : "s"}`);
  for (const a of plan.actions) {
    const after = a.deps.length > 0 ? ` [after ${a.deps.map((d) => `#${d}`).join(" ")}]` : "";
    lines.push(`#${a.id} ${describeAction(a)}${after}: ${a.cause}`);
    for (const change of a.changes ?? []) lines.push(`    ${change}`);
    if (a.destructive !== undefined) lines.push(`    DESTRUCTIVE: ${a.destructive}`);
  }
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const e of plan.errors) lines.push(`error: ${e}`);
  return `${lines.join("\n")}\n`;
}
