// Streams the logs of many containers to one output: whole lines, aligned coloured prefixes, and
// (when following) containers that restart or are recreated are picked up again.
import type { Engine, LogsOptions } from "../engine/engine.js";
import type { ContainerSummary } from "../engine/types.js";
import { LABELS } from "../engine/types.js";
import { LogPrefixer } from "../ui/log-lines.js";

export interface FollowOptions {
  follow: boolean;
  tail?: number | "all";
  since?: number | string;
  until?: number | string;
  timestamps?: boolean;
  color: boolean;
  prefix: boolean;
  signal?: AbortSignal;
  out: NodeJS.WritableStream;
}

/** `service-N`, the prefix compose v2 shows for a container. */
export function logName(c: ContainerSummary): string {
  const service = c.labels[LABELS.service];
  const number = c.labels[LABELS.containerNumber];
  if (service && number && c.labels[LABELS.oneoff] !== "True") return `${service}-${number}`;
  return c.name;
}

/** An RFC 3339 timestamp with up to nine fraction digits as nanoseconds since the epoch; comparable exactly. */
export function timestampNanos(ts: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/**
 * Where each container's printed log ends, so that a stream opened again (the container restarted,
 * or the stream dropped) starts where the last one stopped: no line twice, none lost.
 */
export class LogCursor {
  private readonly last = new Map<string, bigint>();
  /** `since` for the API (whole seconds, inclusive) and the instant lines must be after. */
  resume(id: string): { since: number; after: bigint } | undefined {
    const after = this.last.get(id);
    return after === undefined ? undefined : { since: Number(after / 1_000_000_000n), after };
  }
  seen(id: string, ts: bigint): void {
    const prev = this.last.get(id);
    if (prev === undefined || ts > prev) this.last.set(id, ts);
  }
}

/**
 * Prints one container's log; resolves when its stream ends (the container stopped) or on abort.
 * With a cursor, a container read before continues after the last line printed from it.
 */
export async function streamContainer(engine: Engine, c: ContainerSummary, prefixer: LogPrefixer, opts: FollowOptions, since?: number | string, cursor?: LogCursor): Promise<void> {
  const name = logName(c);
  const resume = cursor?.resume(c.id);
  // Timestamps are always asked for when resuming is possible: they are how lines are told apart.
  const wantStamps = opts.timestamps === true || cursor !== undefined;
  const logOpts: LogsOptions = { follow: opts.follow, tail: resume ? "all" : opts.tail, since: resume?.since ?? since ?? opts.since, until: opts.until, timestamps: wantStamps, signal: opts.signal };
  for await (const line of engine.logs(c.id, logOpts)) {
    const ns = cursor && line.timestamp ? timestampNanos(line.timestamp) : undefined;
    if (ns !== undefined && resume && ns <= resume.after) continue;
    if (ns !== undefined) cursor?.seen(c.id, ns);
    const text = opts.timestamps && line.timestamp ? `${line.timestamp} ${line.text}` : line.text;
    opts.out.write(`${prefixer.format(name, text)}\n`);
  }
}

/**
 * Follows the given containers; when `restartWatch` is set, a container of the project that
 * starts later (restart, recreate, scale) is attached too. Resolves when every stream ended
 * (not following) or at abort.
 */
export async function followContainers(
  engine: Engine,
  containers: ContainerSummary[],
  opts: FollowOptions,
  restartWatch?: { project: string; services?: string[]; index?: string },
): Promise<void> {
  const watchFrom = Math.floor(Date.now() / 1000);
  const prefixer = new LogPrefixer({ color: opts.color, prefix: opts.prefix });
  for (const c of containers) prefixer.register(logName(c));
  const streaming = new Set<string>();
  // A container can start again before its old stream has ended (the engine reports the start
  // before the stream's end reaches us): remember it, and open its stream again when the old one ends.
  const restartedWhileStreaming = new Set<string>();
  const cursor = opts.follow ? new LogCursor() : undefined;
  const tasks: Promise<void>[] = [];
  /** Each open stream's own stop, so a restarted container's old stream can be closed. */
  const stops = new Map<string, AbortController>();
  const attach = (c: ContainerSummary, since?: number) => {
    if (streaming.has(c.id)) return;
    streaming.add(c.id);
    const own = new AbortController();
    stops.set(c.id, own);
    const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal;
    const task = streamContainer(engine, c, prefixer, { ...opts, signal }, since, cursor)
      .catch((err: unknown) => {
        if ((err as { name?: string }).name !== "NotFoundError" && !signal.aborted) throw err;
      })
      .finally(() => {
        streaming.delete(c.id);
        stops.delete(c.id);
        if (restartedWhileStreaming.delete(c.id) && !opts.signal?.aborted) attach(c);
      });
    tasks.push(task);
  };
  for (const c of containers) attach(c);
  if (opts.follow && restartWatch) {
    const watcher = (async () => {
      const filters: Record<string, string[]> = { type: ["container"], event: ["start"], label: [`${LABELS.project}=${restartWatch.project}`] };
      // From when following began, so a start in the moment before the subscription is not missed.
      for await (const ev of engine.events({ filters, since: watchFrom, signal: opts.signal })) {
        const id = ev.id;
        if (!id) continue;
        if (streaming.has(id)) {
          // A new run of a container we still stream: close the old stream rather than trust it to
          // end by itself; the cursor lets the new one go on from the last line printed.
          restartedWhileStreaming.add(id);
          stops.get(id)?.abort();
          continue;
        }
        const [c] = await engine.listContainers({ all: true, labels: [`${LABELS.project}=${restartWatch.project}`] }).then((all) => all.filter((x) => x.id === id));
        if (!c || c.labels[LABELS.oneoff] === "True") continue;
        if (restartWatch.services?.length && !restartWatch.services.includes(c.labels[LABELS.service] ?? "")) continue;
        if (restartWatch.index !== undefined && c.labels[LABELS.containerNumber] !== restartWatch.index) continue;
        attach(c, Math.floor(Date.now() / 1000) - 1);
      }
    })().catch((err: unknown) => {
      if (!opts.signal?.aborted) throw err;
    });
    tasks.push(watcher);
  }
  // New tasks may be pushed while we wait: loop until none is left.
  for (let done = 0; done < tasks.length; done++) await tasks[done];
}
