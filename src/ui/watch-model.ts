// The watch dashboard's state: a pure reducer over the watch session's events (and the executor's,
// for the step a running action is at), plus the keys' effects on the selection and the logs pane.
// Subscribers are told of each change, so the view renders on events only: an idle dashboard
// does no work at all.
import type { MoorEvent } from "../reconcile/events.js";
import type { WatchActionInfo, WatchEvent, WatchedContainer } from "../watch/watch-events.js";

export interface DashboardAction extends WatchActionInfo {
  /** When it started (ms since the epoch). */
  started: number;
  /** The last thing the executor reported for it, e.g. "Container demo-web-1 Recreate". */
  step?: string;
}

export interface FinishedAction extends WatchActionInfo {
  at: number;
  ms: number;
  ok: boolean;
  error?: string;
}

/** What a key asks the watch session to do; the selection moves inside the store. */
export type DashboardCommand = { type: "rebuild"; service: string } | { type: "logs"; visible: boolean } | { type: "quit" };

export interface DashboardSnapshot {
  project: string;
  /** The watched services, in the order watch reported them, each with its containers. */
  services: readonly { name: string; containers: readonly WatchedContainer[] }[];
  selected: number;
  running?: DashboardAction;
  last?: FinishedAction;
  /** The compose file's errors while it is invalid. */
  composeError?: { at: number; text: string; count: number };
  /** The latest plain lines and warnings, oldest first. */
  messages: readonly string[];
  logsVisible: boolean;
  /** The latest log lines, oldest first. */
  logs: readonly string[];
  stopping: boolean;
  stopped: boolean;
}

/** How many messages and log lines are kept (the view shows what fits). */
export const KEEP_MESSAGES = 5;
export const KEEP_LOGS = 200;

const kindWords: Record<string, string> = { network: "Network", volume: "Volume", container: "Container", image: "Image", service: "Service", secret: "Secret", config: "Config" };

export class WatchStore {
  private snap: DashboardSnapshot = { project: "", services: [], selected: 0, messages: [], logsVisible: false, logs: [], stopping: false, stopped: false };
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  readonly getSnapshot = (): DashboardSnapshot => this.snap;

  private set(next: Partial<DashboardSnapshot>): void {
    this.snap = { ...this.snap, ...next };
    for (const fn of this.listeners) fn();
  }

  private message(text: string): void {
    this.set({ messages: [...this.snap.messages, text].slice(-KEEP_MESSAGES) });
  }

  /** Applies one of the watch session's events. */
  apply(e: WatchEvent): void {
    switch (e.type) {
      case "enabled": {
        const known = new Map(this.snap.services.map((s) => [s.name, s.containers]));
        this.set({ project: e.project, services: e.services.map((name) => ({ name, containers: known.get(name) ?? [] })) });
        return;
      }
      case "message":
        this.message(e.text);
        return;
      case "action-start":
        this.set({ running: { kind: e.kind, services: e.services, files: e.files, started: e.at } });
        return;
      case "action-end":
        this.set({ running: undefined, last: { kind: e.kind, services: e.services, files: e.files, at: e.at, ms: e.ms, ok: e.ok, error: e.error } });
        return;
      case "compose-invalid":
        this.set({ composeError: { at: e.at, text: e.text, count: e.count } });
        return;
      case "compose-valid":
        this.set({ composeError: undefined });
        return;
      case "containers": {
        const by = new Map<string, WatchedContainer[]>();
        for (const c of e.containers) by.set(c.service, [...(by.get(c.service) ?? []), c]);
        const services = this.snap.services.map((s) => ({ name: s.name, containers: (by.get(s.name) ?? []).sort((a, b) => a.name.localeCompare(b.name)) }));
        this.set({ services });
        return;
      }
      case "stopping":
        this.set({ stopping: true });
        return;
      case "disabled":
        this.set({ stopping: false, stopped: true, running: undefined });
        return;
    }
  }

  /** The executor's events while an action runs: the latest step, warnings as messages. */
  applyProgress(e: MoorEvent): void {
    if (e.type === "warning") this.message(`WARN ${e.message}`);
    else if (e.type === "info") this.message(e.message);
    else if (e.type === "resource" && this.snap.running) {
      const detail = e.status === "Error" && e.detail ? `: ${e.detail}` : "";
      this.set({ running: { ...this.snap.running, step: `${kindWords[e.kind] ?? e.kind} ${e.name} ${e.status}${detail}` } });
      if (e.status === "Error") this.message(`${kindWords[e.kind] ?? e.kind} ${e.name} ${e.status}${detail}`);
    }
  }

  /** Moves the selection by `delta` services, staying in the list. */
  select(delta: number): void {
    const n = this.snap.services.length;
    if (n === 0) return;
    this.set({ selected: Math.min(n - 1, Math.max(0, this.snap.selected + delta)) });
  }

  /** The selected service's name. */
  selectedService(): string | undefined {
    return this.snap.services[this.snap.selected]?.name;
  }

  toggleLogs(): boolean {
    this.set({ logsVisible: !this.snap.logsVisible });
    return this.snap.logsVisible;
  }

  /** Log lines (already prefixed); a burst costs one change. */
  addLogs(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.set({ logs: [...this.snap.logs, ...lines].slice(-KEEP_LOGS) });
  }
}
