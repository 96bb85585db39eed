// `--progress json`: one JSON object per line, documented in docs/ui.md and checked against
// `progressJsonSchema` by the tests. Resource and progress lines carry compose's own fields
// (`id`, `status` Working|Done|Warning|Error, `text`, `details`, `current`, `total`, `percent`), so
// tools written for `docker compose --progress json` read them, plus moor's (`type`, `kind`, `name`).
import type { MoorEvent } from "../reconcile/events.js";
import type { WatchEvent } from "../watch/watch-events.js";
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
    type: { enum: ["resource", "progress", "warning", "info", "summary", "watch", "watch-action", "compose-invalid", "compose-valid", "containers"] },
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
    {
      description: "watch: the session started following its files, is stopping, or has ended",
      properties: {
        type: { const: "watch" },
        state: { enum: ["enabled", "stopping", "disabled"] },
        project: { type: "string", description: "with enabled: the project's name" },
        services: { type: "array", items: { type: "string" }, description: "with enabled: the watched services, in order" },
      },
      required: ["state"],
    },
    {
      description: "watch: an action taken in answer to a change, once when it starts and once when it ends",
      properties: {
        type: { const: "watch-action" },
        action: { enum: ["sync", "rebuild", "recreate", "restart", "exec", "reload", "restore"] },
        services: { type: "array", items: { type: "string" } },
        files: { type: "integer", minimum: 0, description: "the changed files of a sync, or the compose files of a reload" },
        status: { enum: ["Working", "Done", "Error"], description: "Working when it starts; Done or Error when it ends" },
        done: { type: "boolean" },
        ms: { type: "number", minimum: 0, description: "when done: how long it took" },
        error: { type: "string", description: "with Error: what went wrong" },
      },
      required: ["action", "services", "status", "done"],
    },
    {
      description: "watch: the reloaded compose file has errors; everything keeps running as it was",
      properties: {
        type: { const: "compose-invalid" },
        count: { type: "integer", minimum: 0 },
        diagnostics: {
          type: "array",
          items: {
            type: "object",
            properties: {
              code: { type: "string", description: "a stable machine code, e.g. schema.additional-property" },
              message: { type: "string" },
              file: { type: "string" },
              line: { type: "integer", minimum: 1 },
              col: { type: "integer", minimum: 1 },
              path: { type: "string", description: "the key path, e.g. services.web.ports[0]" },
              hint: { type: "string" },
            },
            required: ["code", "message"],
            additionalProperties: false,
          },
        },
      },
      required: ["count", "diagnostics"],
    },
    {
      description: "watch: a reload succeeded after the compose file was invalid",
      properties: { type: { const: "compose-valid" } },
    },
    {
      description: "watch: the project's containers after something changed them",
      properties: {
        type: { const: "containers" },
        containers: {
          type: "array",
          items: {
            type: "object",
            properties: {
              service: { type: "string" },
              name: { type: "string" },
              state: { type: "string", description: "the engine's state: running, exited, restarting, created, paused, dead" },
              health: { enum: ["healthy", "unhealthy", "starting"] },
              status: { type: "string", description: "the engine's status text, e.g. Up 3 seconds" },
            },
            required: ["service", "name", "state", "status"],
            additionalProperties: false,
          },
        },
      },
      required: ["containers"],
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

/**
 * The JSON object for one of watch's events (without a trailing newline). Its plain lines become
 * `info` lines; `time` is when the event happened when it says so, else `now`.
 */
export function watchJsonLine(event: WatchEvent, now: number): Record<string, unknown> {
  const at = (t: number) => new Date(t).toISOString();
  switch (event.type) {
    case "enabled":
      return { time: at(now), type: "watch", state: "enabled", project: event.project, services: [...event.services] };
    case "stopping":
    case "disabled":
      return { time: at(now), type: "watch", state: event.type };
    case "message":
      return { time: at(now), type: "info", message: event.text };
    case "action-start":
    case "action-end": {
      const end = event.type === "action-end" ? event : undefined;
      return {
        time: at(event.at),
        type: "watch-action",
        action: event.kind,
        services: [...event.services],
        ...(event.files !== undefined ? { files: event.files } : {}),
        status: end ? (end.ok ? "Done" : "Error") : "Working",
        done: end !== undefined,
        ...(end ? { ms: Math.max(0, Math.round(end.ms)) } : {}),
        ...(end?.error !== undefined ? { error: end.error } : {}),
      };
    }
    case "compose-invalid":
      return {
        time: at(event.at),
        type: "compose-invalid",
        count: event.count,
        diagnostics: event.diagnostics.map((d) => ({
          code: d.code,
          message: d.message,
          ...(d.file !== undefined ? { file: d.file } : {}),
          ...(d.line !== undefined ? { line: d.line } : {}),
          ...(d.col !== undefined ? { col: d.col } : {}),
          ...(d.path !== undefined ? { path: d.path } : {}),
          ...(d.hint !== undefined ? { hint: d.hint } : {}),
        })),
      };
    case "compose-valid":
      return { time: at(event.at), type: "compose-valid" };
    case "containers":
      return {
        time: at(now),
        type: "containers",
        containers: event.containers.map((c) => ({ service: c.service, name: c.name, state: c.state, ...(c.health ? { health: c.health } : {}), status: c.status })),
      };
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
