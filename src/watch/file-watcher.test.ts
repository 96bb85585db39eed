// The chokidar wrapper on a real temporary tree (no engine): ignored directories are never
// entered, "ready" means every path was scanned, and a path missing at start is seen when it appears.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startFileWatcher, type FileChange } from "./file-watcher.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "moor-file-watcher-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(["chokidar", "native"] as const)("startFileWatcher (%s)", (backend) => {
  it("never asks about what lies below an ignored directory, and reports changes and late files", async () => {
    const root = path.join(tmp, `proj-${backend}`);
    fs.mkdirSync(path.join(root, "src", "lib"), { recursive: true });
    fs.mkdirSync(path.join(root, "src", "node_modules", "pkg", "deep"), { recursive: true });
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(root, "src", "node_modules", "pkg", "deep", `f${i}.js`), "");
    fs.writeFileSync(path.join(root, "src", "lib", "a.js"), "a");
    fs.writeFileSync(path.join(root, "compose.yaml"), "services: {}\n");
    const asked: string[] = [];
    const changes: FileChange[] = [];
    const envFile = path.join(root, ".env");
    const w = startFileWatcher({
      paths: [path.join(root, "compose.yaml"), envFile, path.join(root, "src")],
      ignores: (p) => {
        asked.push(p);
        if (p === root || p === envFile || p === path.join(root, "compose.yaml")) return false;
        if (!p.startsWith(path.join(root, "src"))) return true;
        return path.basename(p) === "node_modules";
      },
      onChange: (c) => changes.push(c),
      backend,
    });
    try {
      await w.ready;
      expect(asked).toContain(path.join(root, "src", "node_modules"));
      expect(asked.filter((p) => p.startsWith(path.join(root, "src", "node_modules") + path.sep))).toEqual([]);
      // Ready means scanned: the file under src is known, so its change is a change.
      fs.writeFileSync(path.join(root, "src", "lib", "a.js"), "changed");
      await until(() => changes.some((c) => c.kind === "change" && c.path.endsWith("a.js")), "a.js change");
      // A directory made after start, with files written before its watch could exist.
      fs.mkdirSync(path.join(root, "src", "new", "deeper"), { recursive: true });
      fs.writeFileSync(path.join(root, "src", "new", "deeper", "c.js"), "c");
      await until(() => changes.some((c) => c.path.endsWith("c.js")), "c.js in a new directory");
      fs.rmSync(path.join(root, "src", "new", "deeper", "c.js"));
      await until(() => changes.some((c) => c.kind === "unlink" && c.path.endsWith("c.js")), "c.js unlink");
      fs.writeFileSync(envFile, "X=1\n");
      await until(() => changes.some((c) => c.path === envFile), ".env add");
      fs.writeFileSync(path.join(root, "src", "node_modules", "pkg", "deep", "new.js"), "");
      fs.writeFileSync(path.join(root, "src", "lib", "b.js"), "b");
      await until(() => changes.some((c) => c.path.endsWith("b.js")), "b.js add");
      expect(changes.filter((c) => c.path.includes("node_modules"))).toEqual([]);
    } finally {
      await w.close();
    }
  }, 60_000);
});
