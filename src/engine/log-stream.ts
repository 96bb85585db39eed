// Container output as the engine sends it. Without a TTY, stdout and stderr share one connection
// as frames: an 8-byte header (stream id, 3 zero bytes, big-endian payload length) then the
// payload. With a TTY there are no frames, only raw bytes, all of it "stdout". Frames do not line
// up with lines or with HTTP chunks, so both are reassembled here before anyone reads a line.
import type { LogLine } from "./types.js";

export interface OutputChunk {
  stream: "stdout" | "stderr";
  data: Buffer;
}

const HEADER = 8;

/** Splits a multiplexed (non-TTY) stream into its stdout and stderr chunks. */
export async function* demultiplex(source: AsyncIterable<Buffer | string>): AsyncGenerator<OutputChunk> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const raw of source) {
    const chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= HEADER) {
      const size = pending.readUInt32BE(4);
      if (pending.length < HEADER + size) break;
      const kind = pending[0];
      const data = pending.subarray(HEADER, HEADER + size);
      pending = pending.subarray(HEADER + size);
      // 0 is stdin echoed back on an attached stream; 1 stdout, 2 stderr, 3 a systemerr the engine writes on failure.
      if (size > 0) yield { stream: kind === 2 || kind === 3 ? "stderr" : "stdout", data };
    }
  }
  if (pending.length > 0) throw new Error(`the engine's output stream ended inside a frame (${pending.length} bytes left)`);
}

/** A TTY container's stream: no frames, everything is stdout. */
export async function* rawOutput(source: AsyncIterable<Buffer | string>): AsyncGenerator<OutputChunk> {
  for await (const raw of source) {
    const data = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    if (data.length > 0) yield { stream: "stdout", data };
  }
}

// "2024-05-01T10:00:00.123456789Z " as the engine prefixes lines when timestamps are asked for.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/**
 * Cuts chunks into lines, per stream, so a line split across frames is one line and stdout's
 * half line never merges with stderr's. A last line without a line break is still yielded.
 */
export async function* outputLines(chunks: AsyncIterable<OutputChunk>, opts: { timestamps?: boolean } = {}): AsyncGenerator<LogLine> {
  const pending: Record<OutputChunk["stream"], Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  const toLine = (stream: OutputChunk["stream"], bytes: Buffer): LogLine => {
    let text = bytes.toString("utf8");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (opts.timestamps) {
      const m = TIMESTAMP.exec(text);
      if (m) return { stream, text: text.slice(m[0].length), timestamp: m[1] };
    }
    return { stream, text };
  };
  for await (const { stream, data } of chunks) {
    let buf = pending[stream].length === 0 ? data : Buffer.concat([pending[stream], data]);
    let newline = buf.indexOf(0x0a);
    while (newline !== -1) {
      yield toLine(stream, buf.subarray(0, newline));
      buf = buf.subarray(newline + 1);
      newline = buf.indexOf(0x0a);
    }
    pending[stream] = buf;
  }
  for (const stream of ["stdout", "stderr"] as const) {
    if (pending[stream].length > 0) yield toLine(stream, pending[stream]);
  }
}
