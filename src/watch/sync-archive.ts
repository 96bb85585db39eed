// One tar for one batch of synced files, extracted at "/" in each container. Files are read with
// lstat and never through a symlink: a symlink is sent as a link only when it points inside the
// rule's path, and a file whose real location is outside the rule's path is never read, so a
// link can never carry a host file from elsewhere into a container.
import fs from "node:fs";
import path from "node:path";
import tarStream from "tar-stream";
import { isWithin } from "./path-filter.js";

export interface ArchiveEntryInput {
  hostPath: string;
  containerPath: string;
  /** The rule's path: nothing outside it (after resolving links) is read. */
  root: string;
}

export interface SyncArchive {
  tar: Buffer;
  /** Container paths whose host file is gone: removed in the container. */
  deleted: string[];
  /** Container paths written. */
  written: string[];
  /** Paths left out, with why (a link leaving the watched path, an unreadable file). */
  skipped: { hostPath: string; reason: string }[];
}

function realOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Builds the batch's tar; the last mapping of a container path wins. */
export async function buildSyncArchive(entries: readonly ArchiveEntryInput[]): Promise<SyncArchive> {
  const byTarget = new Map<string, ArchiveEntryInput>();
  for (const e of entries) byTarget.set(e.containerPath, e);
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  const out: SyncArchive = { tar: Buffer.alloc(0), deleted: [], written: [], skipped: [] };
  const realRoots = new Map<string, string | undefined>();
  const realRoot = (root: string) => {
    if (!realRoots.has(root)) realRoots.set(root, realOrUndefined(root));
    return realRoots.get(root);
  };
  const entry = (header: Partial<tarStream.Header> & { name: string }, body: Buffer = Buffer.alloc(0)) =>
    new Promise<void>((resolve, reject) => pack.entry(header as tarStream.Header, body, (err) => (err ? reject(err) : resolve())));

  for (const [containerPath, e] of [...byTarget.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(e.hostPath);
    } catch {
      // Gone from the host: removed in the container too.
      out.deleted.push(containerPath);
      continue;
    }
    const root = realRoot(e.root);
    // The parent's real location must be inside the rule: a symlinked directory on the way in
    // would otherwise let a plain-looking path read from anywhere.
    const parent = realOrUndefined(path.dirname(e.hostPath));
    const self = st.isSymbolicLink() ? parent && path.join(parent, path.basename(e.hostPath)) : realOrUndefined(e.hostPath);
    if (!root || !self || !(isWithin(root, self) || self === root)) {
      out.skipped.push({ hostPath: e.hostPath, reason: "it lies outside the watched path" });
      continue;
    }
    const name = containerPath.replace(/^\/+/, "");
    const common = { name, mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
    if (st.isSymbolicLink()) {
      const link = fs.readlinkSync(e.hostPath);
      const resolved = path.resolve(path.dirname(self), link);
      const real = realOrUndefined(resolved) ?? resolved;
      if (!isWithin(root, real)) {
        out.skipped.push({ hostPath: e.hostPath, reason: `it is a symlink to ${link}, outside the watched path` });
        continue;
      }
      await entry({ ...common, type: "symlink", linkname: link });
    } else if (st.isDirectory()) {
      await entry({ ...common, type: "directory" });
    } else if (st.isFile()) {
      let body: Buffer;
      try {
        body = fs.readFileSync(e.hostPath);
      } catch (err) {
        // Removed between the event and now: the next batch brings its unlink.
        out.skipped.push({ hostPath: e.hostPath, reason: (err as Error).message });
        continue;
      }
      await entry({ ...common, type: "file", size: body.length }, body);
    } else {
      out.skipped.push({ hostPath: e.hostPath, reason: "it is not a regular file, directory or symlink" });
      continue;
    }
    out.written.push(containerPath);
  }
  pack.finalize();
  await done;
  out.tar = Buffer.concat(chunks);
  return out;
}

/**
 * Every file under a sync rule's path that its filter keeps, for an initial sync or a resync:
 * ignored directories are not entered, links are not followed.
 */
export function walkRule(root: string, keep: (absPath: string, isDir: boolean) => boolean): string[] {
  const out: string[] = [];
  let st: fs.Stats;
  try {
    st = fs.lstatSync(root);
  } catch {
    // A rule whose path does not exist (yet) has nothing to sync.
    return out;
  }
  if (!st.isDirectory()) return keep(root, false) ? [root] : [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (!keep(p, d.isDirectory())) continue;
      if (d.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out.sort();
}
