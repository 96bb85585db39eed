// Mounts the watch dashboard on the terminal. Loaded only through a dynamic import, so ink and
// react are read from disk only when a dashboard is really shown. While it is up, anything else
// written to the terminal (a warning from deep inside, an exec hook's output) is printed above it
// instead of garbling it.
import { render } from "ink";
import { PassThrough } from "node:stream";
import { direct, type Terminal } from "./ink-progress.js";
import { interceptWrites } from "./progress-sink.js";
import { WatchDashboard } from "./watch-dashboard.js";
import type { DashboardCommand, WatchStore } from "./watch-model.js";

export interface DashboardSession {
  /** Renders the last frame (it stays on screen), stops reading keys, hands the terminal back. */
  finish(): Promise<void>;
}

export interface DashboardOptions {
  out: Terminal;
  err: Terminal;
  stdin: NodeJS.ReadStream;
  color: boolean;
  clock: () => number;
  onCommand: (command: DashboardCommand) => void;
  timeOfDay?: (ms: number) => string;
}

export function mountWatchDashboard(store: WatchStore, o: DashboardOptions): DashboardSession {
  const keys = o.stdin.isTTY === true;
  const size = () => ({ columns: o.out.stream.columns || 80, rows: o.out.stream.rows || 24 });
  let writer: ((data: string) => void) | undefined;
  const view = <WatchDashboard store={store} clock={o.clock} color={o.color} size={size} keys={keys} onCommand={o.onCommand} timeOfDay={o.timeOfDay} onWriter={(w) => (writer = w)} />;
  const instance = render(view, {
    stdout: direct(o.out),
    stderr: direct(o.err),
    // Without a terminal on stdin there are no keys; a stdin of its own keeps Ink off the real one.
    stdin: keys ? o.stdin : (new PassThrough() as unknown as NodeJS.ReadStream),
    patchConsole: false,
    // Ctrl-C is a key like q: the session stops gracefully.
    exitOnCtrlC: false,
    maxFps: 20,
  });
  const above = (data: string) => (writer ? writer(data) : o.out.write(data));
  const undo = [interceptWrites(o.out.stream, o.out.write, above, () => undefined)];
  if (o.err.stream.isTTY) undo.push(interceptWrites(o.err.stream, o.err.write, above, () => undefined));
  let mounted = true;
  const exited = instance.waitUntilExit();
  return {
    async finish() {
      if (!mounted) return;
      mounted = false;
      // React commits a store change on a later tick: render now so the last state is the last frame.
      instance.rerender(view);
      instance.unmount();
      for (const u of undo.reverse()) u();
      await exited.catch(() => undefined);
    },
  };
}
