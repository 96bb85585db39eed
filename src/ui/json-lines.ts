// `--progress json`: one JSON object per line, documented in docs/ui.md and checked against
// `progressJsonSchema` by the tests. Resource and progress lines carry compose's own fields
// (`id`, `status` Working|Done|Warning|Error, `text`, `details`, `current`, `total`, `percent`), so
// tools written for `docker compose --progress json` read them, plus moor's (`type`, `kind`, `name`).
import type { MoorEvent } from "../reconcile/events.js";
import { kindWord, ProgressStore } from "./progress-model.js";

/** The JSON Schema (draft 2020-12) every `--progress json` line satisfies. */
export const progressJsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://moor.dev/schemas/progress-line.json",
  title: "moor --progress json line",
  type: "object",
  required: ["time", "type"],
  properties: {
    time: { type: "string", format: "date-time", description: "when the event happened (RFC 3339, UTC)" },
    type: { enum: ["resource", "progress", "warning", "info", "summary"] },
  },
  oneOf: [
    {
      properties: {
        type: { const: "resource" },
        id: { type: "string", description: "compose's id: the kind word and the name, e.g. \"Container demo-web-1\"" },
        status: { enum: ["Working", "Done", "Warning", "Error"], description: "compose's task state" },
        text: { type: "string", description: "the step, e.g. Creating, Started, Removed, Error" },
        details: { type: "string", description: "more about the step, e.g. the error" },
        kind: { enum: ["network", "volume", "container", "image", "service", "secret", "config"] },
        name: { type: "string" },
        done: { type: "boolean", description: "true when the step is finished (the resource reached a state)" },
        ms: { type: "number", minimum: 0, description: "how long the step took, when known" },
      },
      required: ["id", "status", "text", "kind", "name", "done"],
    },
    {
      properties: {
        type: { const: "progress" },
        id: { type: "string" },
        status: { const: "Working" },
        text: { type: "string", description: "the latest pull or build output line" },
        kind: { enum: ["network", "volume", "container", "image", "service", "secret", "config"] },
        name: { type: "string" },
        current: { type: "number", minimum: 0 },
        total: { type: "number", minimum: 0 },
        percent: { type: "integer", minimum: 0, maximum: 100 },
      },
      required: ["id", "status", "text", "kind", "name"],
    },
    {
      properties: { type: { enum: ["warning", "info"] }, message: { type: "string" } },
      required: ["message"],
    },
    {
      properties: {
        type: { const: "summary" },
        ok: { type: "boolean", description: "false when a resource failed or the command exits non-zero" },
        ms: { type: "number", minimum: 0, description: "time from the first event to the end" },
        counts: {
          type: "object",
          description: "resources that reached a final state, by kind; `error` counts the failed ones",
          additionalProperties: { type: "integer", minimum: 0 },
        },
      },
      required: ["ok", "ms", "counts"],
    },
  ],
  // Each branch lists its fields; with `time` and `type` above, nothing else may appear.
  unevaluatedProperties: false,
} as const;

/** The JSON object for one event (without a trailing newline). */
export function jsonLine(event: MoorEvent, time: number): Record<string, unknown> {
  const at = new Date(time).toISOString();
  switch (event.type) {
    case "resource": {
      const status = event.status === "Error" ? "Error" : event.status === "Warning" ? "Warning" : event.done ? "Done" : "Working";
      return {
        time: at,
        type: "resource",
        id: `${kindWord(event.kind)} ${event.name}`,
        status,
        text: event.status,
        ...(event.detail !== undefined ? { details: event.detail } : {}),
        kind: event.kind,
        name: event.name,
        done: event.done,
        ...(event.ms !== undefined ? { ms: event.ms } : {}),
      };
    }
    case "progress": {
      const percent = event.total && event.current !== undefined ? Math.min(100, Math.max(0, Math.floor((event.current / event.total) * 100))) : undefined;
      return {
        time: at,
        type: "progress",
        id: `${kindWord(event.kind)} ${event.name}`,
        status: "Working",
        text: event.text,
        kind: event.kind,
        name: event.name,
        ...(event.current !== undefined ? { current: event.current } : {}),
        ...(event.total !== undefined ? { total: event.total } : {}),
        ...(percent !== undefined ? { percent } : {}),
      };
    }
    case "warning":
    case "info":
      return { time: at, type: event.type, message: event.message };
    case "summary":
      return { time: at, type: "summary", ok: event.ok, ms: event.ms, counts: event.counts };
  }
}

/** A sink for `--progress json`; `close()` adds the summary line (totals and time). */
export function jsonProgressSink(out: NodeJS.WritableStream, clock: () => number = Date.now): ((event: MoorEvent) => void) & { close(ok?: boolean): Promise<void> } {
  let store: ProgressStore | undefined;
  const sink = (event: MoorEvent) => {
    const now = clock();
    (store ??= new ProgressStore(now)).apply(event, now);
    out.write(`${JSON.stringify(jsonLine(event, now))}\n`);
  };
  sink.close = async (ok?: boolean) => {
    if (!store || store.getSnapshot().finished) return;
    const now = clock();
    const exitCode = typeof process.exitCode === "number" ? process.exitCode : Number(process.exitCode ?? 0);
    const sum = store.summary(now, ok ?? (store.summary(now).ok && !exitCode));
    store.finish(now, sum.ok);
    out.write(`${JSON.stringify(jsonLine({ type: "summary", ...sum }, now))}\n`);
  };
  return sink;
}
