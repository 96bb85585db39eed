import { Writable } from "node:stream";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { MoorEvent } from "../reconcile/events.js";
import { jsonProgressSink, progressJsonSchema } from "./json-lines.js";

function collect(): { out: Writable; lines: () => string[] } {
  let text = "";
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { out, lines: () => text.split("\n").filter((l) => l !== "") };
}

const validator = () => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  return ajv.compile(progressJsonSchema);
};

/** Every event shape the executor and the commands send, in an `up` with a pull, a build and a failure. */
const SEQUENCE: MoorEvent[] = [
  { type: "warning", message: "Found orphan containers ([demo-old-1])" },
  { type: "info", message: "attaching" },
  { type: "resource", kind: "network", name: "demo_default", status: "Creating", done: false },
  { type: "resource", kind: "network", name: "demo_default", status: "Created", done: true, ms: 12 },
  { type: "resource", kind: "volume", name: "demo_data", status: "Creating", done: false },
  { type: "resource", kind: "volume", name: "demo_data", status: "Created", done: true },
  { type: "resource", kind: "image", name: "redis:7", status: "Pulling", done: false },
  { type: "progress", kind: "image", name: "redis:7", text: "Downloading", current: 512, total: 2048 },
  { type: "progress", kind: "image", name: "redis:7", text: "Pull complete" },
  { type: "resource", kind: "image", name: "redis:7", status: "Pulled", done: true },
  { type: "resource", kind: "image", name: "demo-web", status: "Building", done: false },
  { type: "progress", kind: "image", name: "demo-web", text: "Step 1/3 : FROM base" },
  { type: "resource", kind: "image", name: "demo-web", status: "Built", done: true },
  { type: "resource", kind: "container", name: "demo-web-1", status: "Creating", done: false },
  { type: "resource", kind: "container", name: "demo-web-1", status: "Created", done: true },
  { type: "resource", kind: "container", name: "demo-web-1", status: "Starting", done: false },
  { type: "resource", kind: "container", name: "demo-web-1", status: "Started", done: true },
  { type: "resource", kind: "container", name: "demo-db-1", status: "Error", detail: "port is already allocated", done: true },
  { type: "resource", kind: "container", name: "demo-cache-1", status: "Warning", detail: "exited 1", done: true },
];

describe("--progress json", () => {
  it("emits one JSON object per line, each valid against the documented schema, ending in a summary", async () => {
    const { out, lines } = collect();
    let t = Date.parse("2026-01-02T03:04:05.000Z");
    const sink = jsonProgressSink(out, () => (t += 7));
    for (const e of SEQUENCE) sink(e);
    await sink.close();
    const validate = validator();
    const parsed = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(SEQUENCE.length + 1);
    for (const obj of parsed) {
      const ok = validate(obj);
      expect(ok, `${JSON.stringify(obj)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(parsed.at(-1)).toMatchObject({ type: "summary", ok: false, counts: { network: 1, volume: 1, image: 2, container: 2, error: 1 } });
  });

  it("carries compose's fields: id, status Working|Done|Error, text, details, percent", () => {
    const { out, lines } = collect();
    const sink = jsonProgressSink(out, () => 0);
    sink(SEQUENCE[2]!);
    sink(SEQUENCE[7]!);
    sink(SEQUENCE[17]!);
    expect(lines().map((l) => JSON.parse(l))).toEqual([
      { time: "1970-01-01T00:00:00.000Z", type: "resource", id: "Network demo_default", status: "Working", text: "Creating", kind: "network", name: "demo_default", done: false },
      { time: "1970-01-01T00:00:00.000Z", type: "progress", id: "Image redis:7", status: "Working", text: "Downloading", kind: "image", name: "redis:7", current: 512, total: 2048, percent: 25 },
      { time: "1970-01-01T00:00:00.000Z", type: "resource", id: "Container demo-db-1", status: "Error", text: "Error", details: "port is already allocated", kind: "container", name: "demo-db-1", done: true },
    ]);
  });

  it("the schema rejects what is not a documented line", () => {
    const validate = validator();
    expect(validate({ time: "2026-01-01T00:00:00Z", type: "resource", id: "x" })).toBe(false);
    expect(validate({ time: "2026-01-01T00:00:00Z", type: "warning", message: "m", extra: 1 })).toBe(false);
    expect(validate({ time: "yesterday", type: "info", message: "m" })).toBe(false);
  });

  it("closing without events prints nothing, and closing twice prints one summary", async () => {
    const { out, lines } = collect();
    const sink = jsonProgressSink(out, () => 0);
    await sink.close();
    expect(lines()).toEqual([]);
    sink(SEQUENCE[3]!);
    await sink.close();
    await sink.close();
    expect(lines().filter((l) => l.includes('"summary"'))).toHaveLength(1);
  });
});
