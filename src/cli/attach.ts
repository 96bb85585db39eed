// Attached `up`: follow the containers' logs until they all stop; Ctrl-C stops the project
// gracefully and a second Ctrl-C kills it; --abort-on-container-exit/--exit-code-from end it
// when one container exits, with compose's exit codes.
import type { Project } from "../compose/types.js";
import type { Engine } from "../engine/engine.js";
import type { ContainerSummary } from "../engine/types.js";
import { LABELS } from "../engine/types.js";
import { LogPrefixer } from "../ui/log-lines.js";
import { LogCursor, logName, streamContainer } from "./follow-logs.js";
import type { GlobalOptions } from "./global-options.js";
import type { UpOptions } from "./commands/up.js";
import type { EventSink } from "../reconcile/events.js";
import { menuEnabled, NavigationMenu, type MenuActions } from "./navigation-menu.js";
import { closeProgress, resolveProgress } from "./progress.js";

/** Returns the exit code `up` should end with. */
export async function attachAndFollow(
  engine: Engine,
  project: Project,
  services: string[],
  opts: UpOptions,
  global: GlobalOptions,
  sink: EventSink = () => {},
  /** Unix seconds to show output from (default: a moment ago, so the first lines of a fresh start are kept). */
  fromSeconds?: number,
  /** `up --watch`'s session: the menu shows it as on and can turn it off and on again. */
  watching?: { active: boolean; stop(): Promise<void> },
): Promise<number> {
  const since = fromSeconds ?? Math.floor(Date.now() / 1000) - 2;
  const chosen = services.length > 0 ? new Set(services) : undefined;
  const attached = (c: ContainerSummary): boolean => {
    const service = c.labels[LABELS.service] ?? "";
    return (
      c.labels[LABELS.oneoff] !== "True" &&
      (!chosen || chosen.has(service) || opts.attachDependencies === true) &&
      (!opts.attach?.length || opts.attach.includes(service)) &&
      !opts.noAttach?.includes(service) &&
      project.services[service]?.attach !== false
    );
  };
  const listed = async () => engine.listContainers({ all: true, labels: [`${LABELS.project}=${project.name}`, `${LABELS.oneoff}=False`] });
  const watchFrom = Math.floor(Date.now() / 1000);
  const containers = (await listed()).filter(attached).sort((a, b) => a.name.localeCompare(b.name));
  const prefixer = new LogPrefixer({ color: opts.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR, prefix: opts.logPrefix !== false });
  for (const c of containers) prefixer.register(logName(c));
  process.stdout.write(`Attaching to ${containers.map(logName).join(", ")}\n`);

  const stopping = new AbortController();
  let interrupts = 0;
  let exitCode = 0;
  const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
  const everything = async () =>
    engine.listContainers({ all: false, labels: [`${LABELS.project}=${project.name}`, `${LABELS.oneoff}=False`] });
  const stopAll = async (kill: boolean) => {
    const running = await everything();
    // compose shows the stop like any other: a Stopping/Stopped (Killing/Killed) line per container.
    await Promise.all(
      running.map(async (c) => {
        sink({ type: "resource", kind: "container", name: c.name, status: kill ? "Killing" : "Stopping", done: false });
        try {
          await (kill ? engine.killContainer(c.id, "SIGKILL") : engine.stopContainer(c.id, timeout));
          sink({ type: "resource", kind: "container", name: c.name, status: kill ? "Killed" : "Stopped", done: true });
        } catch {
          // Gone or already stopped meanwhile: nothing left to stop.
        }
      }),
    );
    // The stop went as asked: its view ends as done, whatever code `up` exits with (130).
    await closeProgress(sink, true);
  };
  // With --progress json every line on the progress stream is JSON: compose's notices become info lines.
  const json = resolveProgress(global) === "json";
  const notice = (text: string) => (json ? sink({ type: "info", message: text }) : process.stderr.write(`${text}\n`));
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      notice("Gracefully stopping... (press Ctrl+C again to force)");
      exitCode = 130;
      void stopAll(false);
    } else {
      notice("Killing...");
      void stopAll(true);
    }
  };
  // compose stops the same way on SIGTERM (e.g. `kill`, a process manager) as on Ctrl-C.
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);

  // compose's navigation menu (d detach, w watch) under the logs of an attached up on a terminal.
  let detached = false;
  let watchSession = watching;
  // Only a session the menu started ends with this attach; `up --watch`'s own is its caller's.
  let ownSession = false;
  const terminals = process.stdout.isTTY === true && process.stdin.isTTY === true && typeof process.stdin.setRawMode === "function";
  const withMenu = menuEnabled(opts.menu, process.env, terminals && resolveProgress(global) === "tty", terminals);
  const watchable = Object.entries(project.services).some(([name, s]) => (!chosen || chosen.has(name)) && (s.develop?.watch?.length ?? 0) > 0);
  const actions: MenuActions = {
    detach: () => {
      detached = true;
      stopping.abort();
    },
    interrupt: onSigint,
    ...(watchable
      ? {
          toggleWatch: async () => {
            if (watchSession?.active) {
              await watchSession.stop();
              watchSession = undefined;
              return false;
            }
            const { WatchSession } = await import("./commands/watch.js");
            watchSession = await WatchSession.start(global, services, { prune: true });
            ownSession = true;
            return true;
          },
        }
      : {}),
  };
  const menu = withMenu ? new NavigationMenu({ out: process.stdout, err: process.stderr, input: process.stdin, color: opts.color !== false && !process.env.NO_COLOR }, actions, watchSession?.active === true) : undefined;

  const abortOnExit = opts.abortOnContainerExit || opts.abortOnContainerFailure || opts.exitCodeFrom !== undefined;
  let decided = false;
  // A restarting container's stream is opened again; the cursor keeps it from printing a line twice.
  const cursor = new LogCursor();
  const followOne = async (c: ContainerSummary, firstFrom: number | undefined = since): Promise<void> => {
    for (let from: number | undefined = firstFrom; ; from = Math.floor(Date.now() / 1000)) {
      await streamContainer(engine, c, prefixer, { follow: true, color: false, prefix: true, out: process.stdout, signal: stopping.signal, timestamps: opts.timestamps }, from, cursor).catch(() => undefined);
      // Detached from the menu: the containers keep running, moor stops following them.
      if (stopping.signal.aborted) return;
      const info = await engine.inspectContainer(c.id).catch(() => undefined);
      if (!info) return;
      if (info.state.running || info.state.restarting) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const service = c.labels[LABELS.service] ?? "";
      process.stdout.write(`${logName(c)} exited with code ${info.state.exitCode}\n`);
      if (opts.exitCodeFrom === service) exitCode = info.state.exitCode;
      if (abortOnExit && !decided && interrupts === 0) {
        const failure = info.state.exitCode !== 0;
        if (opts.abortOnContainerExit || opts.exitCodeFrom !== undefined || (opts.abortOnContainerFailure && failure)) {
          decided = true;
          if (opts.exitCodeFrom === undefined) exitCode = info.state.exitCode;
          notice("Aborting on container exit...");
          await stopAll(false);
        }
      }
      return;
    }
  };
  // As compose does, a container of an attached service that starts later (recreated by a watch
  // rebuild or another `up`, scaled up) is followed too; `up` ends when every followed one ended.
  const followed = new Set(containers.map((c) => c.id));
  const tasks = containers.map((c) => followOne(c));
  const newcomers = (async () => {
    const filters: Record<string, string[]> = { type: ["container"], event: ["start"], label: [`${LABELS.project}=${project.name}`] };
    for await (const ev of engine.events({ filters, since: watchFrom, signal: stopping.signal })) {
      if (!ev.id || followed.has(ev.id) || interrupts > 0 || decided) continue;
      const c = (await listed()).find((x) => x.id === ev.id);
      if (!c || !attached(c) || followed.has(c.id)) continue;
      followed.add(c.id);
      prefixer.register(logName(c));
      tasks.push(followOne(c, Math.floor(Date.now() / 1000) - 1));
    }
  })().catch(() => {
    // The event stream ends with the attach (abort) or with the engine; the followed streams report.
  });
  try {
    // Inside the try: a terminal that refuses raw mode still gets its streams back.
    menu?.start();
    // New tasks may be pushed while waiting: loop until none is left.
    for (let done = 0; done < tasks.length; done++) await tasks[done];
  } finally {
    menu?.stop();
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
    stopping.abort();
    await newcomers;
    // Detaching ends watch too (compose's detach ends the whole `up --watch`).
    if ((ownSession || detached) && watchSession?.active) await watchSession.stop();
  }
  return detached ? 0 : exitCode;
}
