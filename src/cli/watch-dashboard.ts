// The watch dashboard's glue: a store the session's events feed, the Ink view (imported only
// here, only when a dashboard is shown) and the keys turned into session commands. The logs pane
// follows the watched services' containers only while it is visible.
import { Writable } from "node:stream";
import type { Engine } from "../engine/engine.js";
import { LABELS } from "../engine/types.js";
import type { EventSink, MoorEvent } from "../reconcile/events.js";
import { WatchStore, type DashboardCommand } from "../ui/watch-model.js";
import { LineSplitter } from "../ui/log-lines.js";
import { followContainers } from "./follow-logs.js";
import type { ProgressSink } from "./progress.js";
import type { WatchOutput } from "./watch-output.js";

/** What the keys ask of the watch session. */
export interface DashboardTarget {
  /** Rebuilds (or, without a build section, recreates) one service. */
  rebuild(service: string): void;
  /** Stops watching, as Ctrl-C does. */
  stop(): Promise<void>;
  readonly projectName: string;
  readonly watchedServices: readonly string[];
}

/** Whether `moor watch` shows the dashboard: the live renderer is chosen and stdout is a terminal. */
export function wantsDashboard(mode: "tty" | "plain" | "json" | "quiet", stdoutIsTTY = process.stdout.isTTY === true): boolean {
  return mode === "tty" && stdoutIsTTY;
}

export interface WatchDashboardOutput extends WatchOutput {
  /** Connects the keys to the session once it exists. */
  connect(target: DashboardTarget, engine: Engine): void;
  readonly store: WatchStore;
}

/** Mounts the dashboard on the terminal; a failed import of Ink falls back to no dashboard (undefined). */
export async function dashboardOutput(o: { color: boolean }): Promise<WatchDashboardOutput | undefined> {
  let mod: typeof import("../ui/ink-watch.js");
  try {
    mod = await import("../ui/ink-watch.js");
  } catch (err) {
    process.stderr.write(`WARN the watch dashboard could not start (${(err as Error).message}); plain output follows\n`);
    return undefined;
  }
  const store = new WatchStore();
  let target: DashboardTarget | undefined;
  let engine: Engine | undefined;
  let logs: AbortController | undefined;

  const startLogs = () => {
    if (!target || !engine || logs) return;
    const abort = new AbortController();
    logs = abort;
    const split = new LineSplitter();
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        store.addLogs(split.push(String(chunk)));
        done();
      },
    });
    const project = target.projectName;
    const services = target.watchedServices;
    const e = engine;
    void (async () => {
      const containers = (await e.listContainers({ all: true, labels: [`${LABELS.project}=${project}`, `${LABELS.oneoff}=False`] })).filter((c) => services.includes(c.labels[LABELS.service] ?? ""));
      // The last lines of each container (an exited one too: its output says why), then the new
      // ones; a recreated or restarted container is followed again.
      await followContainers(e, containers, { follow: true, tail: 50, color: o.color, prefix: true, signal: abort.signal, out: sink }, { project, services: [...services] });
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) store.applyProgress({ type: "warning", message: `logs: ${(err as Error).message}` });
    });
  };
  const stopLogs = () => {
    logs?.abort();
    logs = undefined;
  };

  const onCommand = (c: DashboardCommand) => {
    if (!target) return;
    if (c.type === "quit") void target.stop();
    else if (c.type === "rebuild") target.rebuild(c.service);
    else if (c.visible) startLogs();
    else stopLogs();
  };

  const session = mod.mountWatchDashboard(store, {
    out: { stream: process.stdout, write: process.stdout.write.bind(process.stdout) as NodeJS.WriteStream["write"] },
    err: { stream: process.stderr, write: process.stderr.write.bind(process.stderr) as NodeJS.WriteStream["write"] },
    stdin: process.stdin,
    color: o.color,
    clock: Date.now,
    onCommand,
  });
  const progress: EventSink = (e: MoorEvent) => store.applyProgress(e);
  return {
    store,
    emit: (e) => store.apply(e),
    between: progress,
    jobSink: () => progress as ProgressSink,
    wantsContainers: true,
    frames: true,
    color: o.color,
    json: false,
    connect(t, en) {
      target = t;
      engine = en;
    },
    async close() {
      stopLogs();
      await session.finish();
    },
  };
}
