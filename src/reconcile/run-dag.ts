// Runs a DAG of tasks with bounded parallelism: a task starts when all it depends on is done.
// On the first failure nothing new starts (fail fast), the tasks in flight finish, and the
// error names what failed and what was skipped because of it.
import pLimit from "p-limit";

export interface DagTask<T> {
  readonly id: string;
  readonly deps: readonly string[];
  readonly payload: T;
}

export type DagEvent<T> =
  | { type: "start"; task: DagTask<T> }
  | { type: "done"; task: DagTask<T>; ms: number }
  | { type: "failed"; task: DagTask<T>; ms: number; error: Error }
  | { type: "skipped"; task: DagTask<T> };

export interface DagOptions<T> {
  /** At most this many tasks run at once (≥ 1). */
  concurrency: number;
  onEvent?: (event: DagEvent<T>) => void;
  /** When aborted, nothing new starts; running tasks finish. */
  signal?: AbortSignal;
  now?: () => number;
}

/** Thrown when a task failed: the first error, and every failure and skip. */
export class DagError extends Error {
  constructor(
    readonly failures: { id: string; error: Error }[],
    readonly skipped: string[],
  ) {
    super(failures[0]?.error.message ?? "interrupted");
    this.name = "DagError";
  }
  /** Keeps a typed, expected error (user-fixable) visible to the CLI's error mapping. */
  get expected(): boolean {
    return this.failures.every((f) => (f.error as { expected?: boolean }).expected === true);
  }
  get hint(): string | undefined {
    return (this.failures[0]?.error as { hint?: string } | undefined)?.hint;
  }
}

export async function runDag<T>(tasks: readonly DagTask<T>[], run: (task: DagTask<T>) => Promise<void>, opts: DagOptions<T>): Promise<void> {
  const now = opts.now ?? Date.now;
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    const deps = t.deps.filter((d) => byId.has(d));
    pending.set(t.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), t.id]);
  }
  const limit = pLimit(Math.max(1, opts.concurrency));
  const failures: { id: string; error: Error }[] = [];
  const finished = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const schedule = (id: string): void => {
    const task = byId.get(id)!;
    const p = limit(async () => {
      if (stopped || opts.signal?.aborted) return;
      const t0 = now();
      opts.onEvent?.({ type: "start", task });
      try {
        await run(task);
        opts.onEvent?.({ type: "done", task, ms: now() - t0 });
        finished.add(id);
        for (const next of dependents.get(id) ?? []) {
          const left = pending.get(next)! - 1;
          pending.set(next, left);
          if (left === 0) schedule(next);
        }
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        failures.push({ id, error });
        opts.onEvent?.({ type: "failed", task, ms: now() - t0, error });
        stopped = true;
      }
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  for (const t of tasks) if (pending.get(t.id) === 0) schedule(t.id);
  while (inFlight.size > 0) await Promise.all([...inFlight]);

  if (failures.length > 0 || finished.size < tasks.length) {
    const skipped = tasks.filter((t) => !finished.has(t.id) && !failures.some((f) => f.id === t.id)).map((t) => t.id);
    for (const id of skipped) opts.onEvent?.({ type: "skipped", task: byId.get(id)! });
    if (failures.length === 0 && !opts.signal?.aborted) {
      throw new DagError([{ id: skipped[0] ?? "?", error: new Error(`tasks never became ready (a dependency cycle?): ${skipped.join(", ")}`) }], skipped);
    }
    throw new DagError(failures, skipped);
  }
}
