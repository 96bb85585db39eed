// Chooses the renderer for --progress / COMPOSE_PROGRESS and --ansi / COMPOSE_ANSI / NO_COLOR, as
// compose does. Plain and json are cheap; the Ink view (src/ui) is loaded only when it is used,
// and only on its first resource event.
import type { EventSink } from "../reconcile/events.js";
import { jsonRenderer, plainRenderer } from "../ui/plain.js";
import { inkProgressSink, type ClosableSink } from "../ui/progress-sink.js";
import { UserError } from "./errors.js";
import type { GlobalOptions } from "./global-options.js";

export type ProgressMode = "auto" | "tty" | "plain" | "json" | "quiet";
export type AnsiMode = "never" | "always" | "auto";

export function progressMode(global: GlobalOptions): ProgressMode {
  const raw = (global.progress ?? process.env.COMPOSE_PROGRESS ?? "auto") as ProgressMode | "none";
  if (raw === "none") return "quiet";
  return ["auto", "tty", "plain", "json", "quiet"].includes(raw) ? raw : "auto";
}

/** --ansi, else COMPOSE_ANSI, else auto. */
export function ansiMode(global: GlobalOptions): AnsiMode {
  const raw = global.ansi ?? process.env.COMPOSE_ANSI ?? "auto";
  return raw === "never" || raw === "always" ? raw : "auto";
}

/** Whether output to `stream` gets colours: --ansi, NO_COLOR (any non-empty value), the terminal. */
export function colorFor(global: GlobalOptions, stream: { isTTY?: boolean } = process.stderr): boolean {
  if (process.env.NO_COLOR) return false;
  const ansi = ansiMode(global);
  return ansi === "always" || (ansi === "auto" && stream.isTTY === true);
}

/** The renderer a command's progress gets, after compose's rules; throws on contradicting flags. */
export function resolveProgress(global: GlobalOptions, stderrIsTTY = process.stderr.isTTY === true): "tty" | "plain" | "json" | "quiet" {
  const mode = progressMode(global);
  const ansi = ansiMode(global);
  switch (mode) {
    case "auto":
      return ansi !== "never" && stderrIsTTY ? "tty" : "plain";
    case "tty":
      if (ansi === "never") throw new UserError("can't use --progress tty while ANSI support is disabled");
      return "tty";
    case "plain":
      if (ansi === "always") throw new UserError("can't use --progress plain while ANSI support is forced");
      return "plain";
    default:
      return mode;
  }
}

/** A progress sink with `close()`; plain, json and quiet ones close at once. */
export type ProgressSink = EventSink & { close?: (ok?: boolean) => Promise<void> };

/**
 * The event sink for a command's progress; written to stderr as compose does. On a terminal it is
 * the live Ink view: call `closeProgress(sink)` when the command's progress ends (before it prints
 * anything else of its own, such as attached logs) so the final frame and summary are written;
 * a command that does not is closed when the process runs out of work.
 */
export function progressSink(global: GlobalOptions): ProgressSink {
  const mode = resolveProgress(global);
  if (mode === "quiet") return () => {};
  // COMPOSE_STATUS_STDOUT: compose then writes its progress lines on standard output.
  const out = /^(1|true)$/i.test(process.env.COMPOSE_STATUS_STDOUT ?? "") ? process.stdout : process.stderr;
  if (mode === "json") {
    // The summary line comes on close; a command that never closes gets it when the process ends.
    const json = jsonRenderer(out);
    process.once("beforeExit", () => void json.close());
    return json;
  }
  if (mode === "plain") return plainRenderer(out);
  const sink: ClosableSink = inkProgressSink({
    stderr: process.stderr,
    stdout: process.stdout,
    color: colorFor(global, { isTTY: true }),
    intercept: true,
    closeOnExit: true,
  });
  return sink;
}

/** Ends a sink's live view and waits for its final frame; a no-op for the other renderers. */
export async function closeProgress(sink: EventSink, ok?: boolean): Promise<void> {
  await (sink as ProgressSink).close?.(ok);
}
