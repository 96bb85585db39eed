// The plain renderer: one line per state change, as `docker compose --progress plain` prints them
// (" Container demo-web-1  Started"), stable for CI logs. No ink here: plain output must stay cheap.
import type { MoorEvent } from "../reconcile/events.js";
import { kindWord } from "./progress-model.js";

/** Formats one event as a plain line, or undefined for events plain output leaves out. */
export function plainLine(event: MoorEvent): string | undefined {
  switch (event.type) {
    case "resource": {
      // compose names a volume it creates quoted (Volume "demo_data"  Created), and every other one bare.
      const quoted = event.kind === "volume" && (event.status === "Creating" || event.status === "Created");
      const name = quoted ? JSON.stringify(event.name) : event.name;
      return ` ${kindWord(event.kind)} ${name}  ${event.status}${event.detail ? ` ${event.detail}` : ""}`;
    }
    case "warning":
      return `WARN ${event.message}`;
    case "info":
      return event.message;
    case "summary":
      return undefined;
    case "progress":
      return undefined;
  }
}

/** A sink that writes plain lines to a stream. */
export function plainRenderer(out: NodeJS.WritableStream): (event: MoorEvent) => void {
  return (event) => {
    const line = plainLine(event);
    if (line !== undefined) out.write(`${line}\n`);
  };
}

/** A sink for `--progress json`: one JSON object per line (see json-lines.ts for the schema). */
export { jsonProgressSink as jsonRenderer } from "./json-lines.js";
