// The project's `develop.watch` rules, resolved, and what a batch of changed paths asks for:
// per service, files to sync (host path → container path), a rebuild, a restart, exec hooks.
// Pure: the .dockerignore texts are passed in.
import path from "node:path";
import type { Project, ServiceConfig, ServiceHook, WatchRule } from "../compose/types.js";
import { isWithin, pathFilter, relativeInside, type PathFilter } from "./path-filter.js";

export interface ResolvedRule {
  service: string;
  /** Index of the rule in the service's `develop.watch` (for messages and exec de-duplication). */
  index: number;
  action: WatchRule["action"];
  /** Absolute. */
  path: string;
  target?: string;
  exec?: ServiceHook;
  initialSync: boolean;
  filter: PathFilter;
}

export interface SyncMapping {
  hostPath: string;
  containerPath: string;
  /** The rule's path: the symlink guard keeps the sync inside it. */
  root: string;
}

/** What one batch asks of one service. */
export interface ServiceWork {
  sync: SyncMapping[];
  rebuild: boolean;
  restart: boolean;
  /** Rules whose exec hook runs after the sync, in rule order, each once. */
  exec: ResolvedRule[];
  /** Sync rules that received more changes than `maxBatch`: resynced whole instead. */
  resync: ResolvedRule[];
}

export interface RuleProblem {
  service: string;
  message: string;
}

/** The local build context of a service, absolute, or undefined (no build, or a git/HTTP context). */
export function localContext(service: ServiceConfig): string | undefined {
  const ctx = service.build?.context;
  if (!ctx || /^[a-z]+:\/\//i.test(ctx) || ctx.startsWith("git@")) return undefined;
  return ctx;
}

export const isSyncAction = (a: WatchRule["action"]): boolean => a === "sync" || a === "sync+restart" || a === "sync+exec";

/**
 * The rules of the chosen services (all when `services` is empty), with compose's checks: a
 * rebuild needs a build section, sync+exec needs a command, a sync path under a bind mount is
 * skipped with a warning (the container already sees those files).
 */
export function resolveRules(
  project: Project,
  services: readonly string[],
  dockerignoreOf: (contextDir: string) => string[],
): { rules: ResolvedRule[]; problems: RuleProblem[]; warnings: string[] } {
  const rules: ResolvedRule[] = [];
  const problems: RuleProblem[] = [];
  const warnings: string[] = [];
  const chosen = services.length > 0 ? services : Object.keys(project.services).sort();
  for (const name of chosen) {
    const svc = project.services[name];
    const watch = svc?.develop?.watch;
    if (!svc || !watch) continue;
    const contextDir = localContext(svc);
    const dockerignore = contextDir ? dockerignoreOf(contextDir) : [];
    watch.forEach((w, index) => {
      if (!w.path) return problems.push({ service: name, message: "watch rules MUST define a path" });
      if (w.action === "rebuild" && !svc.build) return problems.push({ service: name, message: `can't watch service "${name}" with action rebuild without a build context` });
      if (w.action === "sync+exec" && !(w.exec?.command.length)) return problems.push({ service: name, message: `can't watch with action "sync+exec" on service ${name} without a command` });
      const rulePath = path.resolve(w.path);
      if (isSyncAction(w.action)) {
        const bound = (svc.volumes ?? []).find((v) => v.type === "bind" && v.source && isWithin(path.resolve(v.source), rulePath));
        if (bound) {
          warnings.push(`path '${w.path}' also declared by a bind mount volume, this path won't be monitored!`);
          return;
        }
      }
      rules.push({
        service: name,
        index,
        action: w.action,
        path: rulePath,
        target: w.target,
        exec: w.exec,
        initialSync: w.initial_sync === true || (w as { "x-initialSync"?: unknown })["x-initialSync"] === true,
        filter: pathFilter({ rulePath, ignore: w.ignore, include: w.include, contextDir, dockerignore }),
      });
    });
  }
  return { rules, problems, warnings };
}

/** The container path for a host path under a rule (target joined with the relative path). */
export function containerPathFor(rule: ResolvedRule, hostPath: string): string | undefined {
  if (rule.target === undefined) return undefined;
  if (hostPath === rule.path) return rule.target;
  const rel = relativeInside(rule.path, hostPath);
  return rel === undefined ? undefined : path.posix.join(rule.target, rel);
}

/** True when the rule cares about the path: inside its path, not ignored, included. */
export function ruleMatches(rule: ResolvedRule, hostPath: string): boolean {
  if (!isWithin(rule.path, hostPath)) return false;
  if (rule.filter.ignores(hostPath, false)) return false;
  return rule.filter.includes(hostPath);
}

/**
 * What a batch of changed host paths asks for, per service. Rules are applied in order; a sync
 * rule with more than `maxBatch` changed paths is resynced whole instead of file by file.
 */
export function classifyBatch(batch: readonly string[], rules: readonly ResolvedRule[], maxBatch = 1000): Map<string, ServiceWork> {
  const work = new Map<string, ServiceWork>();
  const of = (service: string): ServiceWork => {
    let w = work.get(service);
    if (!w) work.set(service, (w = { sync: [], rebuild: false, restart: false, exec: [], resync: [] }));
    return w;
  };
  const perRule = new Map<ResolvedRule, SyncMapping[]>();
  for (const file of batch) {
    for (const rule of rules) {
      if (!ruleMatches(rule, file)) continue;
      const w = of(rule.service);
      if (rule.action === "rebuild") w.rebuild = true;
      if (rule.action === "restart" || rule.action === "sync+restart") w.restart = true;
      if (rule.action === "sync+exec" && !w.exec.includes(rule)) w.exec.push(rule);
      if (isSyncAction(rule.action)) {
        const containerPath = containerPathFor(rule, file);
        if (containerPath === undefined) continue;
        const list = perRule.get(rule) ?? [];
        list.push({ hostPath: file, containerPath, root: rule.path });
        perRule.set(rule, list);
      }
    }
  }
  for (const [rule, mappings] of perRule) {
    const w = of(rule.service);
    if (mappings.length > maxBatch) w.resync.push(rule);
    else w.sync.push(...mappings);
  }
  for (const w of work.values()) w.exec.sort((a, b) => a.index - b.index);
  return work;
}

/** Whether the watcher should skip a path: no rule looks at it and it is no input file. */
export function watcherIgnores(absPath: string, isDir: boolean | undefined, rules: readonly ResolvedRule[], inputs: ReadonlySet<string>): boolean {
  if (inputs.has(absPath)) return false;
  let inSomeRule = false;
  for (const rule of rules) {
    // An ancestor of a watched path must be walked to reach it.
    if (isWithin(absPath, rule.path)) return false;
    if (!isWithin(rule.path, absPath)) continue;
    inSomeRule = true;
    if (!rule.filter.ignores(absPath, isDir)) return false;
  }
  if (inSomeRule) return true;
  for (const input of inputs) if (isWithin(absPath, input)) return false;
  return true;
}
