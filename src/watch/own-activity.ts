// When watch itself was changing containers: a container that stops inside such a window was
// stopped by watch (a recreate, a restart) and is not reported as an exit. Pure; times are ms.

/** The windows of watch's own jobs, the last `keep` of them. */
export class OwnActivity {
  private windows: { from: number; to: number }[] = [];
  private running = 0;

  constructor(
    private readonly keep = 16,
    /** Engine and host clocks and event delivery differ by a little: windows are widened by this. */
    private readonly slackMs = 50,
  ) {}

  /** A job starts at `now`; call the returned function when it ends. */
  begin(now: number): (end: number) => void {
    const w = { from: now, to: Infinity };
    this.windows = [...this.windows.slice(-(this.keep - 1)), w];
    this.running++;
    return (end) => {
      w.to = end;
      this.running--;
    };
  }

  /** True when something that happened at `at` falls inside one of watch's own jobs (or one runs now). */
  caused(at: number): boolean {
    if (this.running > 0) return true;
    return this.windows.some((w) => at >= w.from - this.slackMs && at <= w.to + this.slackMs);
  }
}
