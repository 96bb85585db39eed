// Chooses the renderer for --progress / COMPOSE_PROGRESS. Plain and json are cheap; the Ink
// view (src/ui) is loaded only when asked for on a terminal.
import type { EventSink } from "../reconcile/events.js";
import { jsonRenderer, plainRenderer } from "../ui/plain.js";
import type { GlobalOptions } from "./global-options.js";

export type ProgressMode = "auto" | "tty" | "plain" | "json" | "quiet";

export function progressMode(global: GlobalOptions): ProgressMode {
  const raw = (global.progress ?? process.env.COMPOSE_PROGRESS ?? "auto") as ProgressMode;
  return ["auto", "tty", "plain", "json", "quiet"].includes(raw) ? raw : "auto";
}

/** The event sink for a command's progress; written to stderr as compose does. */
export function progressSink(global: GlobalOptions): EventSink {
  const mode = progressMode(global);
  if (mode === "quiet") return () => {};
  if (mode === "json") return jsonRenderer(process.stderr);
  return plainRenderer(process.stderr);
}
