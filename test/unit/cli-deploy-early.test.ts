// `moor deploy` starts its first engine reads before the project loads (deploy.ts, engineEarly).
// When the files are invalid nothing else happens: the errors are printed and moor exits 1 without
// waiting for those reads, even from an engine that accepts connections and never answers (busy
// or hung). The socket below is that engine; no Docker engine is involved.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/moor.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-deploy-early-"));
const socket = path.join(dir, "silent.sock");
const held: net.Socket[] = [];
let server: net.Server;
let accepted = 0;

beforeAll(async () => {
  server = net.createServer((c) => {
    accepted++;
    held.push(c);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  fs.writeFileSync(path.join(dir, "compose.yaml"), "services:\n  web:\n    image: busybox\n    portss: ['80']\n");
});

afterAll(() => {
  for (const c of held) c.destroy();
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function moor(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--", bin, ...args], {
    cwd: dir,
    env: { ...process.env, DOCKER_HOST: `unix://${socket}`, NO_COLOR: "1" },
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // A moor that waits on the silent engine is killed here and fails the test (status null).
  const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve) =>
    child.on("close", (status) => {
      clearTimeout(kill);
      resolve({ status, stderr });
    }),
  );
}

describe("deploy with an invalid file and an engine that never answers", () => {
  for (const args of [["-p", "early", "deploy", "-d"], ["deploy", "-d"]]) {
    it(`prints the file's errors and exits 1 without waiting for its early reads (${args.join(" ")})`, async () => {
      const before = accepted;
      const r = await moor(args);
      expect(r.stderr).toMatch(/compose\.yaml:4:\d+/);
      expect(r.stderr).toContain("portss");
      expect(r.status).toBe(1);
      // The reads were started (so the test is about them), and not waited for.
      expect(accepted).toBeGreaterThan(before);
    }, 30_000);
  }
});
