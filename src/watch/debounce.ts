// Groups a burst of file events into one batch. A batch is flushed after a short quiet period
// (no new event for `quietMs`), or at the latest `maxWaitMs` after its first event, so a tool that
// writes without pause (a build, a branch switch) still gets its changes applied while it runs.
// Pure apart from the injected clock: the unit tests drive time by hand.

/** The timer functions the debouncer uses; the real ones by default. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface DebounceOptions<T> {
  /** Flush when no event came for this long (ms). */
  quietMs: number;
  /** Flush at the latest this long after the batch's first event (ms). */
  maxWaitMs: number;
  /** Receives each batch: the distinct items in the order they first came. */
  onFlush: (batch: T[]) => void;
  clock?: Clock;
}

/** Collects items; `flush` empties the batch at once, `dispose` drops it and stops the timer. */
export class Debouncer<T> {
  private readonly items = new Set<T>();
  private first = 0;
  private timer: unknown;
  private readonly clock: Clock;
  private disposed = false;

  constructor(private readonly opts: DebounceOptions<T>) {
    if (opts.quietMs < 0 || opts.maxWaitMs < opts.quietMs) throw new RangeError("need 0 <= quietMs <= maxWaitMs");
    this.clock = opts.clock ?? realClock;
  }

  /** Adds items; the batch is flushed after the quiet period or the maximum wait. */
  push(...items: T[]): void {
    if (this.disposed || items.length === 0) return;
    const now = this.clock.now();
    if (this.items.size === 0) this.first = now;
    for (const item of items) this.items.add(item);
    this.arm(now);
  }

  /** The number of distinct items waiting. */
  get pending(): number {
    return this.items.size;
  }

  /** Hands the waiting items over now (nothing happens when there are none). */
  flush(): void {
    this.cancelTimer();
    if (this.items.size === 0) return;
    const batch = [...this.items];
    this.items.clear();
    this.opts.onFlush(batch);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.items.clear();
  }

  private arm(now: number): void {
    this.cancelTimer();
    // The deadline is whichever comes first: quiet period from now, or the maximum wait from the first event.
    const untilMax = this.first + this.opts.maxWaitMs - now;
    const delay = Math.max(0, Math.min(this.opts.quietMs, untilMax));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
