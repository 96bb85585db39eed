// The engine streams progress (pull, build, events) as JSON objects separated by line breaks,
// cut into HTTP chunks anywhere, a multi-byte character included. This reassembles the objects.

/** Yields each JSON value of a newline-delimited JSON byte stream; a line that is not JSON is an error. */
export async function* jsonLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    pending = pending.length === 0 ? toBuffer(chunk) : Buffer.concat([pending, toBuffer(chunk)]);
    let newline = pending.indexOf(0x0a);
    while (newline !== -1) {
      const line = pending.subarray(0, newline).toString("utf8").trim();
      pending = pending.subarray(newline + 1);
      if (line !== "") yield parseLine(line);
      newline = pending.indexOf(0x0a);
    }
  }
  const last = pending.toString("utf8").trim();
  if (last !== "") yield parseLine(last);
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new Error(`the engine sent a line that is not JSON: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
  }
}
