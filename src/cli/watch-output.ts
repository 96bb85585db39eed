// Where a watch session's events go: plain lines (stdout for watch's own lines, stderr for the
// compose file's errors and for progress, as before the dashboard existed), or the terminal
// dashboard (src/cli/watch-dashboard.ts). The session only emits; it never knows which one runs.
import type { EventSink, MoorEvent } from "../reconcile/events.js";
import type { WatchEventSink } from "../watch/watch-events.js";
import { plainRenderer } from "../ui/plain.js";
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
    close: () => Promise.resolve(),
  };
}
