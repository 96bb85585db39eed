// The synchronous sink in front of the Ink view. Ink and React are imported (dynamically) on the
// first resource event, never before; events are applied to the store at once, so none is lost
// while the import runs. While the view is live, other writes to the terminal (logs, errors,
// prompts) are routed above it, so they neither garble it nor get erased by its next frame.
import type { EventSink, MoorEvent } from "../reconcile/events.js";
import { liveLines, messageLine, rowLabel, rowLine } from "./progress-line.js";
import { ProgressStore } from "./progress-model.js";
import { plainLine } from "./plain.js";
import type { InkSession, Terminal } from "./ink-progress.js";

/** An event sink that must be closed: `close()` resolves once the final frame is written. */
export interface ClosableSink extends EventSink {
  /**
   * Ends the live view: prints the summary (`ok` defaults to "no resource failed and no exit code
   * set") and the final frame, hands the terminal back. Safe to call twice or when nothing was
   * shown; events sent afterwards start a new view.
   */
  close(ok?: boolean): Promise<void>;
}

export interface InkSinkOptions {
  stderr: NodeJS.WriteStream;
  stdout: NodeJS.WriteStream;
  color: boolean;
  clock?: () => number;
  /** Route other writes to stdout/stderr above the live view (the CLI does; tests may not). */
  intercept?: boolean;
  /** Close by itself when the process runs out of work, for commands that never call close(). */
  closeOnExit?: boolean;
  /** How the view is loaded; tests swap it. */
  load?: () => Promise<typeof import("./ink-progress.js")>;
  /**
   * How long after the first resource event Ink starts loading (default 100 ms). A command that
   * is done by then (a no-op `up`) prints its final frame without ever loading Ink, whose import
   * costs far more than the command itself.
   */
  loadDelayMs?: number;
}

/**
 * Replaces `stream.write` with one that hands complete lines to `route`, and calls `onPartial`
 * when a write leaves a line open (a prompt, an interactive session); returns the undo, which
 * writes the open line.
 */
export function interceptWrites(stream: NodeJS.WriteStream, original: NodeJS.WriteStream["write"], route: (data: string) => void, onPartial: () => void): () => void {
  const own = Object.prototype.hasOwnProperty.call(stream, "write");
  const before = stream.write;
  let partial = "";
  const patched = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
    const done = typeof encoding === "function" ? encoding : cb;
    // Ink redraws from the start of a line: hold a partial line until its end arrives.
    const all = partial + text;
    const cut = all.lastIndexOf("\n");
    if (cut >= 0) {
      partial = all.slice(cut + 1);
      route(all.slice(0, cut + 1));
    } else {
      partial = all;
    }
    if (done) process.nextTick(done);
    if (partial !== "") onPartial();
    return true;
  };
  stream.write = patched as NodeJS.WriteStream["write"];
  return () => {
    if (own) stream.write = before;
    else delete (stream as { write?: unknown }).write;
    if (partial !== "") original.call(stream, partial);
    partial = "";
  };
}

/**
 * Queues text for above the live area and writes it once per turn of the event loop: many log
 * lines arriving together cost one redraw of the live area, not one each. Order is kept across
 * stdout and stderr. `flush` writes what is queued at once (on close, and when the process exits).
 */
function batchAbove(session: InkSession, direct: Record<"stdout" | "stderr", (data: string) => boolean>): { write(to: "stdout" | "stderr", data: string): void; flush(): void } {
  let queue: { to: "stdout" | "stderr"; data: string }[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    const items = queue;
    queue = [];
    for (let i = 0; i < items.length; ) {
      // Consecutive writes to the same stream go together.
      let j = i;
      let data = "";
      while (j < items.length && items[j]!.to === items[i]!.to) data += items[j++]!.data;
      const to = items[i]!.to;
      if (!session.writeAbove(to, data)) direct[to](data);
      i = j;
    }
    if (queue.length === 0) process.off("exit", flush);
  };
  return {
    write(to, data) {
      if (queue.length === 0) process.on("exit", flush);
      queue.push({ to, data });
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}

/** One live view, from its first event to close(). */
interface View {
  store: ProgressStore;
  /** Set once Ink is being loaded; before that a timer waits to start it. */
  starting?: Promise<InkSession | undefined>;
  timer?: NodeJS.Timeout;
  session?: InkSession;
  undo: (() => void)[];
  /** Set once the view is ending: resolves when its final frame is out. */
  finished?: Promise<void>;
  /** Writes what waits to go above the live area. */
  flushAbove?: () => void;
  /** Its events until Ink is up, for the plain fallback should Ink fail to load. */
  events: MoorEvent[];
}

/** The sink for `--progress tty`: a live Ink view on `stderr`. */
export function inkProgressSink(o: InkSinkOptions): ClosableSink {
  const clock = o.clock ?? Date.now;
  const load = o.load ?? (() => import("./ink-progress.js"));
  const err: Terminal = { stream: o.stderr, write: o.stderr.write.bind(o.stderr) as NodeJS.WriteStream["write"] };
  const out: Terminal = { stream: o.stdout, write: o.stdout.write.bind(o.stdout) as NodeJS.WriteStream["write"] };

  let current: View | undefined;
  /** Set when Ink could not load: plain lines from then on. */
  let failed = false;
  const onBeforeExit = () => void sink.close();
  const plain = (ev: MoorEvent) => {
    const line = plainLine(ev);
    if (line !== undefined) err.write(`${line}\n`);
  };

  function start(): View {
    if (o.closeOnExit) process.on("beforeExit", onBeforeExit);
    const view: View = { store: new ProgressStore(clock()), events: [], undo: [] };
    // unref: a pending start must not keep a finished command alive (close() prints without Ink).
    view.timer = setTimeout(() => mount(view), o.loadDelayMs ?? 100);
    view.timer.unref?.();
    return view;
  }

  function mount(view: View): Promise<InkSession | undefined> {
    if (view.timer) clearTimeout(view.timer);
    view.timer = undefined;
    view.starting ??= load().then(
      (mod) => {
        const session = mod.mountInkProgress(view.store, { err, out, clock, color: o.color });
        view.session = session;
        view.events = [];
        if (o.intercept) {
          const above = batchAbove(session, { stdout: out.write, stderr: err.write });
          // A line left open is someone talking to the user (a prompt, `run`'s interactive session):
          // the view ends there, so the text shows at once, below the final frame.
          const yieldTerminal = () => {
            if (current === view) current = undefined;
            void finishView(view);
          };
          view.undo.push(interceptWrites(o.stderr, err.write, (d) => above.write("stderr", d), yieldTerminal));
          // stdout shares the screen only when both are the terminal (not `moor up | tee`).
          if (o.stdout.isTTY && o.stderr.isTTY) view.undo.push(interceptWrites(o.stdout, out.write, (d) => above.write("stdout", d), yieldTerminal));
          view.flushAbove = above.flush;
        }
        return session;
      },
      (e: unknown) => {
        // The view is a nicety: without it, show what happened as plain lines and go on.
        failed = true;
        err.write(`WARN the live progress view could not start (${(e as Error).message}); plain output follows\n`);
        for (const ev of view.events) plain(ev);
        view.events = [];
        return undefined;
      },
    );
    return view.starting;
  }

  /** The final frame written directly, for a view that ended before Ink was needed: the same lines. */
  function printFinal(view: View, ok: boolean | undefined): void {
    view.store.finish(clock(), ok);
    const snap = view.store.getSnapshot();
    const now = clock();
    const columns = o.stderr.columns || 80;
    const labelWidth = Math.max(0, ...snap.rows.map((r) => rowLabel(r).length));
    const lines = snap.printed.map((p) => (p.type === "row" ? rowLine(p.row, { now, color: o.color, labelWidth: Math.max(labelWidth, rowLabel(p.row).length), columns }) : messageLine(p.type, p.text, o.color)));
    lines.push(...liveLines(snap, { now, color: o.color, columns, maxRows: Number.POSITIVE_INFINITY }));
    err.write(`${lines.join("\n")}\n`);
  }

  const sink = ((event: MoorEvent) => {
    if (failed) {
      if (event.type === "warning" || event.type === "info") err.write(`${messageLine(event.type, event.message, false)}\n`);
      else plain(event);
      return;
    }
    if (!current) {
      // Nothing live yet: a message needs no view (and must not wait for one).
      if (event.type === "warning" || event.type === "info") {
        err.write(`${messageLine(event.type, event.message, o.color)}\n`);
        return;
      }
      if (event.type === "summary") return;
      current = start();
    }
    current.store.apply(event, clock());
    if (!current.session) current.events.push(event);
  }) as ClosableSink;

  /**
   * Ends a mounted view: queued lines, then the final frame (written synchronously, before this
   * returns its promise), then the streams handed back, so a held open line lands below the frame.
   */
  function finishView(view: View, ok?: boolean): Promise<void> {
    if (view.finished) return view.finished;
    const session = view.session!;
    if (current === view) current = undefined;
    process.off("beforeExit", onBeforeExit);
    const errors = view.store.summary(clock()).counts.error !== undefined;
    const exitCode = typeof process.exitCode === "number" ? process.exitCode : Number(process.exitCode ?? 0);
    view.flushAbove?.();
    view.finished = session.finish(ok ?? (!errors && !exitCode));
    const undo = view.undo.reverse();
    view.undo = [];
    for (const u of undo) u();
    return view.finished;
  }

  sink.close = async (ok?: boolean) => {
    const view = current;
    if (!view) return;
    current = undefined;
    process.off("beforeExit", onBeforeExit);
    if (!view.starting) {
      if (view.timer) clearTimeout(view.timer);
      const exitCode = typeof process.exitCode === "number" ? process.exitCode : Number(process.exitCode ?? 0);
      printFinal(view, ok ?? (view.store.summary(clock()).counts.error === undefined && !exitCode));
      return;
    }
    const session = view.session ?? (await view.starting);
    if (!session) return;
    await finishView(view, ok);
  };
  return sink;
}
