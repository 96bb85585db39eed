// The one place chokidar is used. Emits changed absolute paths; what they mean is decided
// elsewhere (rules.ts). `ignores` is consulted for every directory before it is read, so an
// ignored tree (node_modules, .git) is never walked and costs no watch descriptors.
import fs from "node:fs";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { startDirWatcher } from "./dir-watcher.js";

export type FileChange = { kind: "add" | "change" | "unlink" | "addDir" | "unlinkDir"; path: string };

export interface FileWatcherOptions {
  /** Files and directories to watch (absolute); missing ones are picked up when they appear. */
  paths: readonly string[];
  /** True for a path the watcher must not look at (nor, for a directory, below). */
  ignores: (absPath: string, isDir: boolean | undefined) => boolean;
  onChange: (change: FileChange) => void;
  onError?: (err: Error) => void;
  /** "chokidar" (the default) or "native": one fs.watch per directory (dir-watcher.ts). */
  backend?: "chokidar" | "native";
}

export interface FileWatcher {
  /** Resolves when the initial scan is done and every watch is registered. */
  readonly ready: Promise<void>;
  /** Adds paths (a reloaded project's new inputs). */
  add(paths: readonly string[]): void;
  /** Stops watching these paths. */
  unwatch(paths: readonly string[]): void;
  close(): Promise<void>;
}

export function startFileWatcher(opts: FileWatcherOptions): FileWatcher {
  if (opts.backend === "native") return startDirWatcher(opts);
  const watcher: FSWatcher = watch(watchable(opts.paths), {
    ignoreInitial: true,
    // A symlink is reported as itself; following it could walk (and sync) what lies outside.
    followSymlinks: false,
    ignored: (p, stats) => opts.ignores(path.resolve(p), stats ? stats.isDirectory() : undefined),
    // Editors that save by rename would otherwise show up as unlink + add.
    atomic: true,
  });
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  for (const kind of ["add", "change", "unlink", "addDir", "unlinkDir"] as const) {
    watcher.on(kind, (p: string) => opts.onChange({ kind, path: path.resolve(p) }));
  }
  watcher.on("error", (err) => opts.onError?.(err as Error));
  return {
    ready,
    add: (paths) => void watcher.add(watchable(paths)),
    unwatch: (paths) => void watcher.unwatch([...paths]),
    close: () => watcher.close(),
  };
}

/**
 * The paths to hand chokidar: a path that does not exist yet is replaced by its nearest existing
 * directory, so its creation is an ordinary event there (`ignores` keeps the rest of that
 * directory out). chokidar itself, given a missing path, reports "ready" before it has scanned
 * the others and never reports the path's creation.
 */
function watchable(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    let q = p;
    while (!fs.existsSync(q) && path.dirname(q) !== q) q = path.dirname(q);
    out.add(q);
  }
  return [...out];
}
