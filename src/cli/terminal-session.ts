// Connects this terminal to an attached container or exec, as the docker CLI does: input goes to
// the process (the local terminal in raw mode while it has a TTY, restored afterwards, and the
// detach keys watched), output comes back to stdout/stderr, the process's TTY follows this
// terminal's size, and without a TTY the signals moor receives are passed on to the container.
import type { AttachedStream, TerminalSize } from "../engine/engine.js";
import { DetachDetector } from "./detach-keys.js";

export interface SessionOptions {
  /** The process has a TTY: its output is raw, and the local terminal goes raw while attached. */
  tty: boolean;
  /** Forward this process's stdin. */
  stdin: boolean;
  /** The detach sequence, watched only with a TTY (as docker does). */
  detachKeys?: Buffer;
  /** Sets the process's TTY size; called at the start and whenever this terminal changes size. */
  resize?: (size: TerminalSize) => Promise<void>;
  /** Resize one cell larger first: makes a shell that is attached again redraw its prompt (`attach`). */
  nudge?: boolean;
}

export interface SessionStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** How a session ended: the process's output ended, or the user typed the detach keys. */
export type SessionEnd = "ended" | "detached";

const processStreams = (): SessionStreams => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

async function writeOut(out: NodeJS.WriteStream, data: Buffer): Promise<void> {
  if (out.write(data)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      out.off("error", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
    out.on("error", done);
  });
}

/**
 * Tries a resize a few times: an exec's TTY exists only once its process has started. Gives up
 * quietly when the session is over by then (a command that ended at once has no TTY to size).
 */
async function initialResize(resize: (size: TerminalSize) => Promise<void>, size: TerminalSize, over: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (over()) return;
    try {
      await resize(size);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, (attempt + 1) * 10));
    }
  }
  if (!over()) process.stderr.write("failed to resize tty, using default size\n");
}

/** Runs the session until the process's output ends or the user detaches. */
export async function runSession(stream: AttachedStream, opts: SessionOptions, io: SessionStreams = processStreams()): Promise<SessionEnd> {
  const { stdin, stdout, stderr } = io;
  const forwardInput = opts.stdin && stream.writable;
  const raw = forwardInput && opts.tty && stdin.isTTY === true;
  let detached = false;
  let stopped = false;
  const cleanups: (() => void)[] = [];

  if (raw) {
    stdin.setRawMode(true);
    // A crash while attached must not leave the user's terminal in raw mode.
    const restore = () => stdin.setRawMode(false);
    process.once("exit", restore);
    cleanups.push(() => {
      process.off("exit", restore);
      restore();
    });
  }

  if (forwardInput) {
    const detector = opts.tty && opts.detachKeys ? new DetachDetector(opts.detachKeys) : undefined;
    const onData = (chunk: Buffer | string) => {
      const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      const { forward, detach } = detector ? detector.feed(data) : { forward: data, detach: false };
      if (forward.length > 0) {
        // One write at a time, in order: the next chunk is read once this one is on its way.
        stdin.pause();
        void stream.write(forward).then(() => {
          if (!stopped) stdin.resume();
        });
      }
      if (detach) {
        detached = true;
        stream.close();
      }
    };
    const onEnd = () => stream.endInput();
    stdin.on("data", onData);
    stdin.once("end", onEnd);
    stdin.resume();
    cleanups.push(() => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.pause();
    });
  }

  const resize = opts.resize;
  if (opts.tty && resize && stdout.isTTY === true) {
    const size = (): TerminalSize => ({ rows: stdout.rows, cols: stdout.columns });
    const onResize = () => void resize(size()).catch(() => undefined);
    stdout.on("resize", onResize);
    cleanups.push(() => stdout.off("resize", onResize));
    void (async () => {
      if (opts.nudge) await resize({ rows: size().rows + 1, cols: size().cols + 1 }).catch(() => undefined);
      await initialResize(resize, size(), () => stopped);
    })();
  }

  try {
    for await (const chunk of stream.output) {
      await writeOut(opts.tty || chunk.stream === "stdout" ? stdout : stderr, chunk.data);
    }
  } finally {
    stopped = true;
    for (const cleanup of cleanups.reverse()) cleanup();
    stream.close();
  }
  return detached ? "detached" : "ended";
}

/** Signals a process usually receives to stop or reload; forwarded to the container while attached. */
const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

/**
 * Passes the signals moor receives on to the container (`kill`), as `docker run`/`attach` do
 * with --sig-proxy; returns the function that stops it.
 */
export function proxySignals(kill: (signal: NodeJS.Signals) => Promise<void>): () => void {
  const handlers = FORWARDED.map((signal) => {
    const handler = () => void kill(signal).catch(() => undefined);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
