// Where a watch session's events go: plain lines (stdout for watch's own lines, stderr for the
// compose file's errors and for progress, as before the dashboard existed), or the terminal
// dashboard (src/cli/watch-dashboard.ts). The session only emits; it never knows which one runs.
import { formatKeyPath, type Diagnostic } from "../compose/diagnostics.js";
import type { EventSink, MoorEvent } from "../reconcile/events.js";
import type { WatchDiagnostic, WatchEventSink } from "../watch/watch-events.js";
import { watchJsonLine } from "../ui/json-lines.js";
import { jsonRenderer, plainRenderer } from "../ui/plain.js";
import type { GlobalOptions } from "./global-options.js";
import { progressSink, resolveProgress, type ProgressSink } from "./progress.js";

export interface WatchOutput {
  /** The session's own events. */
  emit: WatchEventSink;
  /** The executor's events between jobs (warnings about the watcher, the engine's event stream). */
  between: EventSink;
  /** A sink for one job's executor events; it is closed (closeProgress) when the job ends. */
  jobSink(): ProgressSink;
  /** Whether the session should report its containers (a list call after each change). */
  wantsContainers: boolean;
  /** Whether compose errors are wanted with code frames (a terminal). */
  frames: boolean;
  /** Colours for the compose errors' text. */
  color: boolean;
  /** JSON lines: the compose file's warnings go to the event sink, not as text to stderr. */
  json: boolean;
  /** Ends the output (the dashboard's last frame); resolves when it is written. */
  close(): Promise<void>;
}

/** Progress as lines (never the live terminal view, which would stay open for as long as watch runs). */
export function lineSink(global: GlobalOptions): EventSink {
  const mode = resolveProgress(global);
  if (mode === "quiet") return () => {};
  return mode === "json" ? progressSink(global) : plainRenderer(process.stderr);
}

/** Plain lines: what `moor watch` prints when stdout is not a terminal, or with --progress plain/json. */
export function plainWatchOutput(global: GlobalOptions, opts: { quiet?: boolean; color: boolean }): WatchOutput {
  const say = (text: string) => process.stdout.write(`${text}\n`);
  return {
    emit(e) {
      switch (e.type) {
        case "message":
          say(e.text);
          return;
        case "compose-invalid":
          process.stderr.write(e.text);
          say("The project is invalid: everything keeps running as it was; watching for a fix");
          return;
        case "disabled":
          say("Watch disabled");
          return;
        default:
          // Actions and container states are for the dashboard: the plain lines already say what happens.
          return;
      }
    },
    between: lineSink(global),
    jobSink() {
      const progress = progressSink(global);
      if (!opts.quiet) return progress;
      const quiet = ((e: MoorEvent) => (e.type === "progress" ? undefined : progress(e))) as ProgressSink;
      quiet.close = progress.close;
      return quiet;
    },
    wantsContainers: false,
    frames: process.stderr.isTTY === true,
    color: opts.color,
    json: false,
    close: () => Promise.resolve(),
  };
}

/** The output of a watch session that is not the dashboard: JSON lines with --progress json, plain lines otherwise. */
export function linesWatchOutput(global: GlobalOptions, opts: { quiet?: boolean; color: boolean }): WatchOutput {
  return resolveProgress(global) === "json" ? jsonWatchOutput(global, opts) : plainWatchOutput(global, opts);
}

/**
 * `--progress json`: the session's events and every job's progress as JSON lines (see
 * progressJsonSchema), all on the stream the executor's JSON goes to (stderr, or stdout with
 * COMPOSE_STATUS_STDOUT), so one reader gets them in order.
 */
export function jsonWatchOutput(global: GlobalOptions, opts: { quiet?: boolean }, clock: () => number = Date.now): WatchOutput {
  const out = /^(1|true)$/i.test(process.env.COMPOSE_STATUS_STDOUT ?? "") ? process.stdout : process.stderr;
  return {
    emit(e) {
      out.write(`${JSON.stringify(watchJsonLine(e, clock()))}\n`);
    },
    between: lineSink(global),
    jobSink() {
      // Each job ends with its own summary line when it is closed (the session always closes it).
      const progress = jsonRenderer(out, clock);
      if (!opts.quiet) return progress;
      const quiet = ((e: MoorEvent) => (e.type === "progress" ? undefined : progress(e))) as ProgressSink;
      quiet.close = progress.close;
      return quiet;
    },
    // Tools following the project want its containers' states as they change.
    wantsContainers: true,
    frames: false,
    color: false,
    json: true,
    close: () => Promise.resolve(),
  };
}

/** A compose diagnostic as data for watch's events. */
export function watchDiagnostic(d: Diagnostic): WatchDiagnostic {
  return {
    code: d.code,
    message: d.message,
    ...(d.location ? { file: d.location.file, line: d.location.line, col: d.location.col } : {}),
    ...(d.path && d.path.length > 0 ? { path: formatKeyPath(d.path) } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
  };
}
