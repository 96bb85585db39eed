// Applies a batch to every running replica of a service: one `rm -rf` exec for what was deleted,
// then one tar through the archive API for what was written. Nothing here knows about chokidar.
import type { Engine } from "../engine/engine.js";
import { LABELS, type ContainerSummary } from "../engine/types.js";
import { buildSyncArchive, type ArchiveEntryInput, type SyncArchive } from "./sync-archive.js";

export type SyncEngine = Pick<Engine, "listContainers" | "exec" | "putArchive">;

export interface SyncResult extends SyncArchive {
  /** The service's containers as listed (or as given). */
  containers: readonly ContainerSummary[];
}

/** The running containers of one service (one-off `run` containers excluded). */
export async function serviceContainers(engine: Pick<Engine, "listContainers">, project: string, service: string, all = false) {
  return engine.listContainers({ all, labels: [`${LABELS.project}=${project}`, `${LABELS.service}=${service}`, `${LABELS.oneoff}=False`] });
}

/**
 * Syncs one batch to every running replica. `known` is the service's container list when the
 * caller has a fresh one (it saves a list call on the path from save to visible); the caller
 * retries with a fresh list when a container it names is gone.
 */
export async function syncToService(engine: SyncEngine, project: string, service: string, entries: readonly ArchiveEntryInput[], known?: readonly ContainerSummary[]): Promise<SyncResult> {
  const [archive, containers] = await Promise.all([buildSyncArchive(entries), known ?? serviceContainers(engine, project, service)]);
  const running = containers.filter((c) => c.state === "running");
  await Promise.all(
    running.map(async (c) => {
      if (archive.deleted.length > 0) {
        const r = await engine.exec(c.id, { cmd: ["rm", "-rf", ...archive.deleted] });
        if (r.exitCode !== 0) throw new Error(`deleting paths in ${c.name}: ${r.stderr.trim() || `exit code ${r.exitCode}`}`);
      }
      if (archive.written.length > 0) await engine.putArchive(c.id, "/", archive.tar, { copyUIDGID: true });
    }),
  );
  return { ...archive, containers };
}
