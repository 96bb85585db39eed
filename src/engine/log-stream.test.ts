import { describe, expect, it } from "vitest";
import { jsonLines } from "./json-lines.js";
import { demultiplex, outputLines, rawOutput } from "./log-stream.js";
import type { LogLine } from "./types.js";

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Re-chunks bytes at the given sizes, the way HTTP may deliver them. */
async function* chunks(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const size of sizes) {
    yield bytes.subarray(at, at + size);
    at += size;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("demultiplex + outputLines", () => {
  const bytes = Buffer.concat([frame(1, "hello wor"), frame(2, "oops\n"), frame(1, "ld\nsecond"), frame(1, " line\n"), frame(2, "tail without newline")]);

  it.each([[[bytes.length]], [[1, 1, 1, 5, 3]], [[7, 8, 9, 10, 11, 12]], [Array.from({ length: bytes.length }, () => 1)]])(
    "keeps each stream's lines whole whatever the chunking (%j)",
    async (sizes) => {
      const lines = await all(outputLines(demultiplex(chunks(bytes, sizes))));
      expect(lines.filter((l) => l.stream === "stdout").map((l) => l.text)).toEqual(["hello world", "second line"]);
      expect(lines.filter((l) => l.stream === "stderr").map((l) => l.text)).toEqual(["oops", "tail without newline"]);
    },
  );

  it("does not break a multi-byte character split across frames", async () => {
    const euro = Buffer.from("€\n", "utf8");
    const split = Buffer.concat([frame(1, ""), Buffer.from([1, 0, 0, 0, 0, 0, 0, 1]), euro.subarray(0, 1), Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]), euro.subarray(1)]);
    const lines = await all(outputLines(demultiplex(chunks(split, [9, 1, 3]))));
    expect(lines).toEqual([{ stream: "stdout", text: "€" }]);
  });

  it("fails loudly on a truncated frame", async () => {
    await expect(all(demultiplex(chunks(frame(1, "abcdef").subarray(0, 10), [])))).rejects.toThrow(/ended inside a frame/);
  });

  it("treats a TTY stream as stdout and strips carriage returns", async () => {
    const lines = await all(outputLines(rawOutput(chunks(Buffer.from("one\r\ntw"), [])), {}));
    expect(lines).toEqual<LogLine[]>([
      { stream: "stdout", text: "one" },
      { stream: "stdout", text: "tw" },
    ]);
  });

  it("splits the engine's timestamp off each line on request", async () => {
    const raw = frame(1, "2024-05-01T10:00:00.123456789Z hello\n2024-05-01T10:00:01Z  indented\n");
    expect(await all(outputLines(demultiplex(chunks(raw, [])), { timestamps: true }))).toEqual([
      { stream: "stdout", text: "hello", timestamp: "2024-05-01T10:00:00.123456789Z" },
      { stream: "stdout", text: " indented", timestamp: "2024-05-01T10:00:01Z" },
    ]);
    // Without the option a leading date is just text.
    expect((await all(outputLines(demultiplex(chunks(raw, [])))))[0]?.text).toBe("2024-05-01T10:00:00.123456789Z hello");
  });
});

describe("jsonLines", () => {
  it("reassembles objects cut anywhere and skips blank lines", async () => {
    const text = Buffer.from('{"stream":"Step 1/2 : FROM x\\n"}\r\n\r\n{"status":"Pulling","id":"ab€"}\n{"aux":{"ID":"sha256:1"}}');
    for (const sizes of [[text.length], [3, 7, 11], Array.from({ length: text.length }, () => 1)]) {
      expect(await all(jsonLines(chunks(text, sizes)))).toEqual([{ stream: "Step 1/2 : FROM x\n" }, { status: "Pulling", id: "ab€" }, { aux: { ID: "sha256:1" } }]);
    }
  });

  it("rejects a line that is not JSON", async () => {
    await expect(all(jsonLines(chunks(Buffer.from("{}\nnot json\n"), [])))).rejects.toThrow(/not JSON: not json/);
  });
});
