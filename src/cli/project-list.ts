// `ls`: compose projects found by label across the engine, one row per project with its
// containers' states counted ("exited(1), running(2)") and the config files they were made from.
import { LABELS, type ContainerSummary } from "../engine/types.js";

export interface ProjectRow {
  Name: string;
  Status: string;
  ConfigFiles: string;
}

/** "exited(1), running(2)": each state with its count, states in name order. */
export function combinedStatus(states: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()].sort().map((s) => `${s}(${counts.get(s)})`).join(", ");
}

/** Groups containers by project label, projects in name order. */
export function projectRows(containers: readonly ContainerSummary[]): ProjectRow[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    const name = c.labels[LABELS.project];
    if (name === undefined) continue;
    byProject.set(name, [...(byProject.get(name) ?? []), c]);
  }
  return [...byProject.keys()].sort().map((name) => {
    const list = byProject.get(name)!;
    const files: string[] = [];
    // compose shows N/A when a container lacks the label (made by an older tool, or by hand).
    let missing = false;
    for (const c of list) {
      const raw = c.labels[LABELS.configFiles];
      if (raw === undefined) missing = true;
      else for (const f of raw.split(",")) if (!files.includes(f)) files.push(f);
    }
    return { Name: name, Status: combinedStatus(list.map((c) => c.state)), ConfigFiles: missing ? "N/A" : files.join(",") };
  });
}

/** `--filter name=REGEX` (compose matches exactly or as a regular expression); only `name` exists. */
export function matchesNameFilters(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => {
    if (p === name) return true;
    try {
      return new RegExp(p).test(name);
    } catch {
      return false;
    }
  });
}
