import Ajv2020 from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../compose/diagnostics.js";
import { progressJsonSchema } from "../ui/json-lines.js";
import type { WatchEvent } from "../watch/watch-events.js";
import { jsonWatchOutput, linesWatchOutput, plainWatchOutput, watchDiagnostic } from "./watch-output.js";

const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
afterEach(() => {
  process.stdout.write = realOut;
  process.stderr.write = realErr;
});

/** Runs `fn` with stdout and stderr captured. */
function capture(fn: () => void): { out: string; err: string } {
  let out = "";
  let err = "";
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  return { out, err };
}

describe("plain watch output", () => {
  it("prints the session's lines as before the dashboard: messages and the end on stdout, compose errors on stderr", () => {
    const o = plainWatchOutput({ progress: "plain" }, { color: false });
    const { out, err } = capture(() => {
      o.emit({ type: "enabled", project: "demo", services: ["web"] });
      o.emit({ type: "message", text: "Watch enabled" });
      o.emit({ type: "action-start", at: 1, kind: "sync", services: ["web"], files: 1 });
      o.emit({ type: "message", text: 'Syncing service "web" after 1 changes were detected' });
      o.emit({ type: "action-end", at: 2, ms: 1, ok: true, kind: "sync", services: ["web"], files: 1 });
      o.emit({ type: "containers", containers: [{ service: "web", name: "demo-web-1", state: "running", status: "Up" }] });
      o.emit({ type: "compose-invalid", at: 3, count: 1, text: "compose.yaml:4:5: error: services.web.prots: unknown key `prots`\n", diagnostics: [] });
      o.emit({ type: "compose-valid", at: 4 });
      o.emit({ type: "stopping" });
      o.emit({ type: "disabled" });
    });
    expect(out).toBe(
      ['Watch enabled', 'Syncing service "web" after 1 changes were detected', "The project is invalid: everything keeps running as it was; watching for a fix", "Watch disabled", ""].join("\n"),
    );
    expect(err).toBe("compose.yaml:4:5: error: services.web.prots: unknown key `prots`\n");
    expect(o.wantsContainers).toBe(false);
  });
});

describe("json watch output", () => {
  const validator = () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    return ajv.compile(progressJsonSchema);
  };
  const diagnostic: Diagnostic = {
    severity: "error",
    code: "schema.additional-property",
    message: "unknown key `prots`",
    path: ["services", "web", "prots"],
    location: { file: "/p/compose.yaml", line: 4, col: 5 },
    hint: "did you mean `ports`?",
  };
  /** Every kind of event a session emits, in the order a session with a sync, a broken and a fixed file, a rebuild that fails and Ctrl-C sends them. */
  const EVENTS: WatchEvent[] = [
    { type: "enabled", project: "demo", services: ["web", "db"] },
    { type: "containers", containers: [{ service: "web", name: "demo-web-1", state: "running", health: "healthy", status: "Up 2 seconds (healthy)" }, { service: "db", name: "demo-db-1", state: "exited", status: "Exited (1) 1 second ago" }] },
    { type: "message", text: "Watch enabled" },
    { type: "message", text: 'Syncing service "web" after 2 changes were detected' },
    { type: "action-start", at: 1_000, kind: "sync", services: ["web"], files: 2 },
    { type: "action-end", at: 1_040, ms: 40.4, ok: true, kind: "sync", services: ["web"], files: 2 },
    { type: "action-start", at: 2_000, kind: "reload", services: [], files: 1 },
    { type: "compose-invalid", at: 2_010, count: 2, text: "…", diagnostics: [watchDiagnostic(diagnostic), watchDiagnostic({ severity: "error", code: "yaml.syntax", message: "bad indentation" })] },
    { type: "action-end", at: 2_011, ms: 11, ok: false, error: "the compose file is invalid", kind: "reload", services: [], files: 1 },
    { type: "compose-valid", at: 3_000 },
    ...(["rebuild", "recreate", "restart", "exec", "restore"] as const).flatMap((kind): WatchEvent[] => [
      { type: "action-start", at: 4_000, kind, services: ["web"] },
      { type: "action-end", at: 4_500, ms: 500, ok: kind !== "rebuild", ...(kind === "rebuild" ? { error: "build failed" } : {}), kind, services: ["web"] },
    ]),
    { type: "stopping" },
    { type: "disabled" },
  ];

  it("writes every watch event as one JSON line on stderr, each valid against the documented schema", () => {
    const o = jsonWatchOutput({ progress: "json" }, {}, () => 5_000);
    const { out, err } = capture(() => {
      for (const e of EVENTS) o.emit(e);
    });
    expect(out).toBe("");
    const lines = err.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(EVENTS.length);
    const validate = validator();
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const obj of parsed) expect(validate(obj), `${JSON.stringify(obj)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(new Set(parsed.map((p) => p.type))).toEqual(new Set(["watch", "containers", "info", "watch-action", "compose-invalid", "compose-valid"]));
    expect(parsed[0]).toEqual({ time: "1970-01-01T00:00:05.000Z", type: "watch", state: "enabled", project: "demo", services: ["web", "db"] });
    expect(parsed[4]).toEqual({ time: "1970-01-01T00:00:01.000Z", type: "watch-action", action: "sync", services: ["web"], files: 2, status: "Working", done: false });
    expect(parsed[5]).toEqual({ time: "1970-01-01T00:00:01.040Z", type: "watch-action", action: "sync", services: ["web"], files: 2, status: "Done", done: true, ms: 40 });
    expect(parsed[7]).toEqual({
      time: "1970-01-01T00:00:02.010Z",
      type: "compose-invalid",
      count: 2,
      diagnostics: [
        { code: "schema.additional-property", message: "unknown key `prots`", file: "/p/compose.yaml", line: 4, col: 5, path: "services.web.prots", hint: "did you mean `ports`?" },
        { code: "yaml.syntax", message: "bad indentation" },
      ],
    });
    expect(parsed.find((p) => p.action === "rebuild" && p.done)).toMatchObject({ status: "Error", error: "build failed", ms: 500 });
    expect(parsed.at(-1)).toEqual({ time: "1970-01-01T00:00:05.000Z", type: "watch", state: "disabled" });
    expect(o.wantsContainers).toBe(true);
    expect(o.json).toBe(true);
  });

  it("a job's executor events are JSON lines too, ending in the job's summary; --quiet leaves out build output", async () => {
    const validate = validator();
    for (const quiet of [false, true]) {
      const o = jsonWatchOutput({ progress: "json" }, { quiet }, () => 0);
      let closing: Promise<void> | undefined;
      const { err } = capture(() => {
        const job = o.jobSink();
        job({ type: "resource", kind: "image", name: "demo-web", status: "Building", done: false });
        job({ type: "progress", kind: "image", name: "demo-web", text: "Step 1/2 : FROM busybox" });
        job({ type: "resource", kind: "container", name: "demo-web-1", status: "Recreated", done: true });
        closing = job.close?.(true);
      });
      await closing;
      const parsed = err.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const obj of parsed) expect(validate(obj), JSON.stringify(validate.errors)).toBe(true);
      expect(parsed.map((p) => p.type)).toEqual(quiet ? ["resource", "resource", "summary"] : ["resource", "progress", "resource", "summary"]);
    }
  });

  it("--progress json chooses the JSON output; plain otherwise", () => {
    expect(linesWatchOutput({ progress: "json" }, { color: false }).json).toBe(true);
    expect(linesWatchOutput({ progress: "plain" }, { color: false }).json).toBe(false);
  });
});
