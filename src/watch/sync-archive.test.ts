import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import tarStream from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { buildSyncArchive, walkRule } from "./sync-archive.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "moor-sync-archive-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function entriesOf(tar: Buffer): Promise<{ name: string; type: string; body: string; linkname?: string }[]> {
  const extract = tarStream.extract();
  const out: { name: string; type: string; body: string; linkname?: string }[] = [];
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => void chunks.push(c as Buffer));
    stream.on("end", () => {
      out.push({ name: header.name, type: header.type ?? "file", body: Buffer.concat(chunks).toString(), linkname: header.linkname ?? undefined });
      next();
    });
  });
  const done = new Promise<void>((r) => extract.on("finish", () => r()));
  extract.end(tar);
  await done;
  return out;
}

describe("buildSyncArchive", () => {
  const root = path.join(tmp, "src");
  const outside = path.join(tmp, "outside");
  fs.mkdirSync(path.join(root, "sub"), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(root, "a.txt"), "A");
  fs.writeFileSync(path.join(root, "sub", "b.txt"), "B");
  fs.writeFileSync(path.join(outside, "secret.txt"), "SECRET");
  fs.symlinkSync(path.join(outside, "secret.txt"), path.join(root, "leak.txt"));
  fs.symlinkSync(outside, path.join(root, "leakdir"));
  fs.symlinkSync("sub/b.txt", path.join(root, "inner.txt"));
  const map = (rel: string) => ({ hostPath: path.join(root, rel), containerPath: `/app/${rel}`, root });

  it("packs files and in-tree links, lists deletions, and never reads through a link that leaves the watched path", async () => {
    const r = await buildSyncArchive([map("a.txt"), map("sub/b.txt"), map("gone.txt"), map("leak.txt"), map("leakdir/secret.txt"), map("inner.txt")]);
    expect(r.deleted).toEqual(["/app/gone.txt"]);
    expect(r.written).toEqual(["/app/a.txt", "/app/inner.txt", "/app/sub/b.txt"]);
    expect(r.skipped.map((s) => path.basename(s.hostPath)).sort()).toEqual(["leak.txt", "secret.txt"]);
    const entries = await entriesOf(r.tar);
    expect(entries).toEqual([
      { name: "app/a.txt", type: "file", body: "A", linkname: undefined },
      { name: "app/inner.txt", type: "symlink", body: "", linkname: "sub/b.txt" },
      { name: "app/sub/b.txt", type: "file", body: "B", linkname: undefined },
    ]);
    expect(entries.some((e) => e.body.includes("SECRET"))).toBe(false);
  });

  it("walkRule does not enter what the filter drops nor follow links", () => {
    const files = walkRule(root, (p) => !p.endsWith(`${path.sep}sub`));
    expect(files.map((f) => path.relative(root, f)).sort()).toEqual(["a.txt", "inner.txt", "leak.txt", "leakdir"]);
  });
});
