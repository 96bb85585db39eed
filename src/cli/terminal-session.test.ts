import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { AttachedStream } from "../engine/engine.js";
import type { OutputChunk } from "../engine/log-stream.js";
import { runSession, type SessionStreams } from "./terminal-session.js";

/** An attached process that echoes its input back (a line starting with "!" upper-cased, on stderr), until its input ends. */
function echoProcess(): AttachedStream & { received: string[]; ended: boolean; closed: boolean } {
  const queue: (OutputChunk | null)[] = [];
  let wake: (() => void) | undefined;
  const push = (c: OutputChunk | null) => {
    queue.push(c);
    wake?.();
  };
  async function* output(): AsyncGenerator<OutputChunk> {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const next = queue.shift();
      if (next === undefined) continue;
      if (next === null || self.closed) return;
      yield next;
    }
  }
  const self = {
    received: [] as string[],
    ended: false,
    closed: false,
    writable: true,
    output: output(),
    write: async (data: Buffer) => {
      const text = data.toString();
      self.received.push(text);
      // Line by line: how input arrives in chunks must not matter.
      for (const line of text.split(/(?<=\n)/)) {
        push(line.startsWith("!") ? { stream: "stderr", data: Buffer.from(line.toUpperCase()) } : { stream: "stdout", data: Buffer.from(line) });
      }
    },
    endInput: () => {
      self.ended = true;
      push(null);
    },
    close: () => {
      self.closed = true;
      push(null);
    },
  };
  return self;
}

function streams(): SessionStreams & { out: () => string; err: () => string } {
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  const stdout = new PassThrough() as unknown as NodeJS.WriteStream;
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  const collect = (s: NodeJS.WriteStream) => {
    const chunks: Buffer[] = [];
    (s as unknown as PassThrough).on("data", (c: Buffer) => chunks.push(c));
    return () => Buffer.concat(chunks).toString();
  };
  return { stdin, stdout, stderr, out: collect(stdout), err: collect(stderr) };
}

describe("runSession", () => {
  it("forwards input, routes stdout and stderr, and half-closes the input when ours ends", async () => {
    const proc = echoProcess();
    const io = streams();
    const done = runSession(proc, { tty: false, stdin: true }, io);
    (io.stdin as unknown as PassThrough).write("hello\n");
    (io.stdin as unknown as PassThrough).write("!warn\n");
    (io.stdin as unknown as PassThrough).end();
    expect(await done).toBe("ended");
    expect(proc.ended).toBe(true);
    expect(io.out()).toBe("hello\n");
    expect(io.err()).toBe("!WARN\n");
  });

  it("with a TTY, detaches on ctrl-p ctrl-q without sending them, and sends everything before", async () => {
    const proc = echoProcess();
    const io = streams();
    const done = runSession(proc, { tty: true, stdin: true, detachKeys: Buffer.from([16, 17]) }, io);
    (io.stdin as unknown as PassThrough).write(Buffer.from([104, 105, 16, 17, 120]));
    expect(await done).toBe("detached");
    expect(proc.received.join("")).toBe("hi");
    expect(proc.closed).toBe(true);
  });

  it("leaves stdin alone when input is not attached", async () => {
    const proc = echoProcess();
    const io = streams();
    const done = runSession(proc, { tty: false, stdin: false }, io);
    (io.stdin as unknown as PassThrough).write("ignored\n");
    proc.endInput();
    expect(await done).toBe("ended");
    expect(proc.received).toEqual([]);
  });
});
