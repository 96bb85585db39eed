// `moor plan` as a diff of resources: `+` created, `~` recreated (with the fields that changed),
// `-` removed, `>` acted on in place (started, stopped, connected). The steps a create or a
// recreate implies (start, connect, the old container's stop/remove/rename) fold into its line,
// so each resource appears once. planToString stays the exact, numbered form.
import type { ContainerRef, Plan, PlanAction } from "../reconcile/plan-types.js";
import { paint } from "./ansi.js";

type Sign = "+" | "~" | "-" | ">";

interface Entry {
  sign: Sign;
  kind: string;
  name: string;
  cause: string;
  changes: string[];
  destructive: string[];
  /** Extra words after the name, e.g. `for web` on an image. */
  note?: string;
}

const refName = (c: ContainerRef) => c.name;

function recreatedName(a: PlanAction & { kind: "create-container" }, plan: Plan): string {
  for (const b of plan.actions) {
    if (b.kind === "rename-container" && b.container.kind === "planned" && b.container.action === a.id) return b.to;
    if ((b.kind === "stop-container" || b.kind === "remove-container") && b.container.kind === "existing" && b.container.id === a.replaces) return b.container.name;
  }
  return a.name;
}

/** The plan's resources in first-mention order, each with one sign. */
export function planEntries(plan: Plan): Entry[] {
  const entries = new Map<string, Entry>();
  const replaced = new Set<string>();
  const created = new Set<number>();
  for (const a of plan.actions) if (a.kind === "create-container") {
    created.add(a.id);
    if (a.replaces) replaced.add(a.replaces);
  }

  const put = (sign: Sign, kind: string, name: string, a: PlanAction, note?: string) => {
    const key = `${kind}\u0000${name}`;
    const old = entries.get(key);
    const changes = [...(a.changes ?? [])];
    const destructive = a.destructive ? [a.destructive] : [];
    if (!old) {
      entries.set(key, { sign, kind, name, cause: a.cause, changes, destructive, note });
      return;
    }
    // Removed and created again (a volume whose config changed, a container taken down for it): a recreate.
    if ((old.sign === "-" && sign === "+") || (old.sign === "+" && sign === "-")) old.sign = "~";
    else if (old.sign === ">" && sign !== ">") {
      old.sign = sign;
      old.cause = a.cause;
    }
    old.changes.push(...changes.filter((c) => !old.changes.includes(c)));
    old.destructive.push(...destructive);
  };

  for (const a of plan.actions) {
    switch (a.kind) {
      case "create-network":
        put("+", "network", a.name, a);
        break;
      case "remove-network":
        put("-", "network", a.name, a);
        break;
      case "create-volume":
        put("+", "volume", a.name, a);
        break;
      case "remove-volume":
        put("-", "volume", a.name, a);
        break;
      case "pull-image":
        put("+", "image", a.image, a, `pull for ${a.services.join(", ")}`);
        break;
      case "build-image":
        put("+", "image", a.image, a, `build for ${a.service}`);
        break;
      case "remove-image":
        put("-", "image", a.image, a);
        break;
      case "create-container":
        if (a.replaces) put("~", "container", recreatedName(a, plan), a);
        else put("+", "container", a.name, a);
        break;
      case "remove-container":
        if (a.container.kind === "existing" && !replaced.has(a.container.id)) put("-", "container", refName(a.container), a);
        break;
      case "stop-container":
        // A stop before a removal is part of the removal; a bare stop is an action in place.
        if (a.container.kind === "existing" && !replaced.has(a.container.id)) {
          const removed = plan.actions.some((b) => b.kind === "remove-container" && b.container.kind === "existing" && b.container.id === (a.container as { id: string }).id);
          if (!removed) put(">", "container", refName(a.container), a, "stop");
        }
        break;
      case "start-container":
        if (!(a.container.kind === "planned" && created.has(a.container.action))) put(">", "container", refName(a.container), a, "start");
        break;
      case "connect-network":
        if (a.container.kind === "existing") put(">", "container", refName(a.container), a, `connect to ${a.network}`);
        break;
      case "disconnect-network":
        if (a.container.kind === "existing") put(">", "container", refName(a.container), a, `disconnect from ${a.network}`);
        break;
      case "rename-container":
      case "wait-service":
        break;
    }
  }
  return [...entries.values()];
}

const COLOR: Record<Sign, "green" | "yellow" | "red" | "cyan"> = { "+": "green", "~": "yellow", "-": "red", ">": "cyan" };

/** The diff as text, coloured when `color`; what `moor plan` prints on a terminal. */
export function renderPlanDiff(plan: Plan, o: { color: boolean }): string {
  const entries = planEntries(plan);
  const count = (s: Sign) => entries.filter((e) => e.sign === s).length;
  const parts = [
    [count("+"), "to create"],
    [count("~"), "to recreate"],
    [count("-"), "to remove"],
    [count(">"), "to change in place"],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${n} ${what}`);
  const lines = [paint("bold", `project ${plan.project}: ${parts.length === 0 ? "nothing to do" : parts.join(", ")}`, o.color)];
  const kindWidth = Math.max(0, ...entries.map((e) => e.kind.length));
  const labelWidth = Math.max(0, ...entries.map((e) => e.name.length + (e.note ? e.note.length + 3 : 0)));
  for (const e of entries) {
    const label = `${e.name}${e.note ? ` (${e.note})` : ""}`;
    lines.push(`${paint(COLOR[e.sign], `${e.sign} ${e.kind.padEnd(kindWidth)} ${label.padEnd(labelWidth)}`, o.color)}  ${paint("dim", e.cause, o.color)}`.trimEnd());
    for (const c of e.changes) lines.push(`    ${paint("yellow", c, o.color)}`);
    for (const d of e.destructive) lines.push(`    ${paint("red", `! ${d}`, o.color)}`);
  }
  for (const w of plan.warnings) lines.push(`${paint("yellow", "warning", o.color)}: ${w}`);
  for (const e of plan.errors) lines.push(`${paint("red", "error", o.color)}: ${e}`);
  return `${lines.join("\n")}\n`;
}
