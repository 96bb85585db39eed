// The alternative to chokidar measured in docs/watch.md (MOOR_WATCH_BACKEND=native): one
// fs.watch per directory and none per file, directories read with their entry types (no stat
// per file), ignored directories never read. What a change is (add, change, unlink) does not
// matter to watch (a sync looks at the file itself), so events carry a best guess.
import fs from "node:fs";
import path from "node:path";
import type { FileChange, FileWatcher, FileWatcherOptions } from "./file-watcher.js";

export function startDirWatcher(opts: FileWatcherOptions): FileWatcher {
  const watchers = new Map<string, fs.FSWatcher>();
  let closed = false;

  const emit = (change: FileChange) => {
    if (!closed) opts.onChange(change);
  };

  /** Watches `dir` and every directory below it that is not ignored; reports its files when `report`. */
  const walk = (dir: string, report: boolean): void => {
    if (closed || watchers.has(dir)) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") opts.onError?.(err as Error);
      return;
    }
    try {
      const w = fs.watch(dir, { persistent: true }, (_event, name) => onEvent(dir, name === null ? undefined : String(name)));
      w.on("error", (err) => {
        // A watched directory that is removed ends its watcher with an error on some systems.
        if ((err as NodeJS.ErrnoException).code !== "EPERM") opts.onError?.(err);
        forget(dir);
      });
      watchers.set(dir, w);
    } catch (err) {
      opts.onError?.(err as Error);
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      const isDir = e.isDirectory();
      if (opts.ignores(p, isDir)) continue;
      if (isDir) {
        if (report) emit({ kind: "addDir", path: p });
        walk(p, report);
      } else if (report) emit({ kind: "add", path: p });
    }
  };

  const forget = (dir: string): void => {
    for (const [d, w] of watchers) {
      if (d === dir || d.startsWith(dir + path.sep)) {
        w.close();
        watchers.delete(d);
      }
    }
  };

  const onEvent = (dir: string, name: string | undefined): void => {
    if (closed) return;
    if (name === undefined) {
      // The system lost track (queue overflow): everything below is looked at again.
      forget(dir);
      walk(dir, true);
      return;
    }
    const p = path.join(dir, name);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(p);
    } catch {
      // Gone: reported as removed below.
      st = undefined;
    }
    if (opts.ignores(p, st ? st.isDirectory() : undefined)) return;
    if (!st) {
      const wasDir = watchers.has(p);
      forget(p);
      emit({ kind: wasDir ? "unlinkDir" : "unlink", path: p });
    } else if (st.isDirectory()) {
      if (!watchers.has(p)) {
        emit({ kind: "addDir", path: p });
        // Files written before the directory's watch existed are reported by the walk.
        walk(p, true);
      }
    } else {
      emit({ kind: "change", path: p });
    }
  };

  for (const root of rootsOf(opts.paths)) walk(root, false);
  return {
    ready: Promise.resolve(),
    add: (paths) => {
      for (const root of rootsOf(paths)) walk(root, false);
    },
    // Directories are shared between paths; what is no longer wanted is filtered by `ignores`.
    unwatch: () => {},
    close: async () => {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

/** The directories to watch for these paths: a file's own directory, a missing path's nearest existing one. */
function rootsOf(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    let q = p;
    while (!fs.existsSync(q) && path.dirname(q) !== q) q = path.dirname(q);
    out.add(isDirectory(q) ? q : path.dirname(q));
  }
  return [...out];
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
