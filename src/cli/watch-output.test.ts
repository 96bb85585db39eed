import { afterEach, describe, expect, it } from "vitest";
import { plainWatchOutput } from "./watch-output.js";

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
      o.emit({ type: "compose-invalid", at: 3, count: 1, text: "compose.yaml:4:5: error: services.web.prots: unknown key `prots`\n" });
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
