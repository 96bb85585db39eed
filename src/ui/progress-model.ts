// The state behind the live progress view, as a store of immutable snapshots: events are applied
// synchronously the moment they arrive (so nothing is lost while Ink is still loading), and the
// view only reads snapshots. No ink here: this is plain logic, tested without a terminal.
import type { MoorEvent, ResourceKind, ResourceStatus } from "../reconcile/events.js";

export type RowState = "working" | "done" | "warning" | "error";

/** One resource's line: its latest status and how long it has taken so far. */
export interface ProgressRow {
  /** Unique per line (a resource that comes back after leaving the live area gets a new one). */
  readonly id: number;
  readonly kind: ResourceKind;
  readonly name: string;
  readonly status: ResourceStatus;
  readonly detail?: string;
  readonly state: RowState;
  /** When the resource's first event came (ms since the epoch). */
  readonly started: number;
  /** When it ended, once it has. */
  readonly ended?: number;
  /** The latest pull/build progress text, while the step runs. */
  readonly progress?: { readonly text: string; readonly current?: number; readonly total?: number };
}

/** A line printed above the live area once and for good (it stays in the scrollback). */
export type PrintedLine =
  | { readonly id: number; readonly type: "row"; readonly row: ProgressRow }
  | { readonly id: number; readonly type: "warning" | "info"; readonly text: string };

export interface ProgressSummary {
  readonly ok: boolean;
  readonly ms: number;
  /** Resources that reached a final state, by kind; `error` counts the failed ones. */
  readonly counts: Record<string, number>;
}

export interface ProgressSnapshot {
  readonly started: number;
  /** The live lines, in the order their resources first appeared. */
  readonly rows: readonly ProgressRow[];
  /** Lines moved above the live area; only ever grows (Ink's Static prints each once). */
  readonly printed: readonly PrintedLine[];
  readonly finished?: ProgressSummary;
}

function stateOf(status: ResourceStatus, done: boolean): RowState {
  if (status === "Error") return "error";
  if (status === "Warning") return "warning";
  return done ? "done" : "working";
}

const key = (kind: string, name: string) => `${kind}\u0000${name}`;

/** Holds the progress state and notifies the view; `maxLive` bounds the live area's height. */
export class ProgressStore {
  private snapshot: ProgressSnapshot;
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  /** The last final status of every resource seen, for the summary's totals. */
  private readonly finals = new Map<string, { kind: ResourceKind; state: RowState }>();

  constructor(
    now: number,
    /** Live lines allowed before finished ones move above (keep below the terminal's height). */
    public maxLive = Number.POSITIVE_INFINITY,
  ) {
    this.snapshot = { started: now, rows: [], printed: [] };
  }

  readonly getSnapshot = (): ProgressSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies one executor event. */
  apply(event: MoorEvent, now: number): void {
    const s = this.snapshot;
    switch (event.type) {
      case "resource": {
        const k = key(event.kind, event.name);
        const at = s.rows.findIndex((r) => key(r.kind, r.name) === k);
        const old = at >= 0 ? s.rows[at] : undefined;
        const state = stateOf(event.status, event.done);
        // The clock runs from the resource's first event to its last (Creating … Started), as
        // compose's does: the time a person waited for that resource.
        const started = old?.started ?? now;
        const row: ProgressRow = {
          id: old?.id ?? this.nextId++,
          kind: event.kind,
          name: event.name,
          status: event.status,
          detail: event.detail,
          state,
          started,
          ended: state === "working" ? undefined : now,
        };
        if (state !== "working") this.finals.set(k, { kind: event.kind, state });
        const rows = at >= 0 ? s.rows.map((r, i) => (i === at ? row : r)) : [...s.rows, row];
        this.set(this.overflow({ ...s, rows }));
        return;
      }
      case "progress": {
        const k = key(event.kind, event.name);
        const at = s.rows.findIndex((r) => key(r.kind, r.name) === k);
        const progress = { text: event.text, current: event.current, total: event.total };
        if (at < 0) {
          const status: ResourceStatus = event.kind === "image" ? "Pulling" : "Updating";
          const row: ProgressRow = { id: this.nextId++, kind: event.kind, name: event.name, status, state: "working", started: now, progress };
          this.set(this.overflow({ ...s, rows: [...s.rows, row] }));
        } else {
          this.set({ ...s, rows: s.rows.map((r, i) => (i === at ? { ...r, progress } : r)) });
        }
        return;
      }
      case "warning":
      case "info":
        this.set({ ...s, printed: [...s.printed, { id: this.nextId++, type: event.type, text: event.message }] });
        return;
      case "summary":
        this.set({ ...s, finished: { ok: event.ok, ms: event.ms, counts: event.counts } });
        return;
    }
  }

  /** Totals so far: finished resources by kind, and failures. */
  summary(now: number, ok?: boolean): ProgressSummary {
    const counts: Record<string, number> = {};
    let errors = 0;
    for (const { kind, state } of this.finals.values()) {
      if (state === "error") errors++;
      else counts[kind] = (counts[kind] ?? 0) + 1;
    }
    if (errors > 0) counts.error = errors;
    return { ok: ok ?? errors === 0, ms: now - this.snapshot.started, counts };
  }

  /** Ends the view: the summary line appears and spinners stop. Idempotent. */
  finish(now: number, ok?: boolean): ProgressSummary {
    if (this.snapshot.finished) return this.snapshot.finished;
    const finished = this.summary(now, ok);
    this.set({ ...this.snapshot, finished });
    return finished;
  }

  private set(next: ProgressSnapshot): void {
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }

  /**
   * Keeps the live area shorter than the terminal: the oldest finished lines move above it, where
   * they are printed once. A live area taller than the screen would make Ink clear the terminal.
   */
  private overflow(s: ProgressSnapshot): ProgressSnapshot {
    let extra = s.rows.length - this.maxLive;
    if (extra <= 0) return s;
    const moved: PrintedLine[] = [];
    const rows = s.rows.filter((r) => {
      if (extra > 0 && r.state !== "working") {
        extra--;
        moved.push({ id: this.nextId++, type: "row", row: r });
        return false;
      }
      return true;
    });
    return moved.length === 0 ? s : { ...s, rows, printed: [...s.printed, ...moved] };
  }
}

const KIND_WORD: Record<ResourceKind, string> = {
  network: "Network",
  volume: "Volume",
  container: "Container",
  image: "Image",
  service: "Service",
  secret: "Secret",
  config: "Config",
};

/** "Container", "Network", ... as compose prints them. */
export function kindWord(kind: ResourceKind): string {
  return KIND_WORD[kind] ?? kind;
}

/** compose's timer: seconds with one decimal. */
export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** "3 containers, 1 network" in a fixed order. */
export function describeCounts(counts: Record<string, number>): string {
  const order: string[] = ["network", "volume", "image", "container", "service", "secret", "config"];
  const parts: string[] = [];
  for (const k of [...order, ...Object.keys(counts).filter((k) => !order.includes(k) && k !== "error")]) {
    const n = counts[k];
    if (n) parts.push(`${n} ${k}${n === 1 ? "" : "s"}`);
  }
  return parts.join(", ");
}
