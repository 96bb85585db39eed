// Mounts the Ink progress view on a terminal stream. Loaded only through a dynamic import from
// progress-sink.ts, so ink and react are read from disk only when a live view is really shown.
import { PassThrough } from "node:stream";
import { render } from "ink";
import type { ProgressStore } from "./progress-model.js";
import { ProgressView } from "./progress-view.js";

/** A stream and its own write function, from before anything patched it. */
export interface Terminal {
  stream: NodeJS.WriteStream;
  write: NodeJS.WriteStream["write"];
}

export interface InkSession {
  /** Prints text above the live area (to the stream it was meant for); false once unmounted. */
  writeAbove(to: "stdout" | "stderr", data: string): boolean;
  /** Shows the summary, renders the final frame, unmounts; resolves once it is written. */
  finish(ok?: boolean): Promise<void>;
}

/** Ink writes through the original write, so routing patched writes to Ink cannot loop. */
export function direct(t: Terminal): NodeJS.WriteStream {
  return new Proxy(t.stream, {
    get(target, prop) {
      if (prop === "write") return t.write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Renders `store` live on `err` (progress goes to stderr, as compose's does). */
export function mountInkProgress(store: ProgressStore, o: { err: Terminal; out: Terminal; clock: () => number; color: boolean }): InkSession {
  const errStream = direct(o.err);
  const size = () => ({ columns: o.err.stream.columns || 80, rows: o.err.stream.rows || 24 });
  // Room for the header, the summary and two spare lines; follows the terminal when it is resized.
  const fitStore = () => {
    store.maxLive = Math.max(1, size().rows - 6);
  };
  fitStore();
  o.err.stream.on("resize", fitStore);
  let writers: { stdout: (d: string) => void; stderr: (d: string) => void } | undefined;
  let mounted = true;
  const view = <ProgressView store={store} clock={o.clock} color={o.color} size={size} onWriters={(w) => (writers = w)} />;
  const instance = render(view, {
      // Ink's "stdout" is where it draws (our stderr); its "stderr" is our stdout, so its
      // writeToStderr puts command output on stdout above the live area.
      stdout: errStream,
      stderr: direct(o.out),
      // The view takes no input: a stdin of its own keeps Ink away from the terminal's (prompts).
      stdin: new PassThrough() as unknown as NodeJS.ReadStream,
      patchConsole: false,
      exitOnCtrlC: false,
      maxFps: 20,
  });
  const exited = instance.waitUntilExit().finally(() => {
    mounted = false;
    o.err.stream.off("resize", fitStore);
  });
  return {
    writeAbove(to, data) {
      if (!mounted || !writers) return false;
      // Ink's own names are from its side: our stderr is its stdout (see above).
      if (to === "stderr") writers.stdout(data);
      else writers.stderr(data);
      return true;
    },
    async finish(ok) {
      if (!mounted) return;
      store.finish(o.clock(), ok);
      // React commits a store change on a later tick; render synchronously so the summary is in
      // the frame unmount() writes last.
      instance.rerender(view);
      instance.unmount();
      mounted = false;
      await exited.catch(() => undefined);
    },
  };
}
