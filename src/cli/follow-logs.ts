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

/** Prints one container's log; resolves when its stream ends (the container stopped) or on abort. */
export async function streamContainer(engine: Engine, c: ContainerSummary, prefixer: LogPrefixer, opts: FollowOptions, since?: number | string): Promise<void> {
  const name = logName(c);
  const logOpts: LogsOptions = { follow: opts.follow, tail: opts.tail, since: since ?? opts.since, until: opts.until, timestamps: opts.timestamps, signal: opts.signal };
  for await (const line of engine.logs(c.id, logOpts)) {
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
  restartWatch?: { project: string; services?: string[] },
): Promise<void> {
  const prefixer = new LogPrefixer({ color: opts.color, prefix: opts.prefix });
  for (const c of containers) prefixer.register(logName(c));
  const streaming = new Set<string>();
  const tasks: Promise<void>[] = [];
  const attach = (c: ContainerSummary, since?: number) => {
    if (streaming.has(c.id)) return;
    streaming.add(c.id);
    const task = streamContainer(engine, c, prefixer, opts, since)
      .catch((err: unknown) => {
        if ((err as { name?: string }).name !== "NotFoundError" && !opts.signal?.aborted) throw err;
      })
      .finally(() => streaming.delete(c.id));
    tasks.push(task);
  };
  for (const c of containers) attach(c);
  if (opts.follow && restartWatch) {
    const watcher = (async () => {
      const filters: Record<string, string[]> = { type: ["container"], event: ["start"], label: [`${LABELS.project}=${restartWatch.project}`] };
      for await (const ev of engine.events({ filters, signal: opts.signal })) {
        const id = ev.id;
        if (!id || streaming.has(id)) continue;
        const [c] = await engine.listContainers({ all: true, labels: [`${LABELS.project}=${restartWatch.project}`] }).then((all) => all.filter((x) => x.id === id));
        if (!c || c.labels[LABELS.oneoff] === "True") continue;
        if (restartWatch.services?.length && !restartWatch.services.includes(c.labels[LABELS.service] ?? "")) continue;
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
