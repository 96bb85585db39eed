// Applies a batch to every running replica of a service: one `rm -rf` exec for what was deleted,
// then one tar through the archive API for what was written. Nothing here knows about chokidar.
import type { Engine } from "../engine/engine.js";
import { LABELS } from "../engine/types.js";
import { buildSyncArchive, type ArchiveEntryInput, type SyncArchive } from "./sync-archive.js";

export type SyncEngine = Pick<Engine, "listContainers" | "exec" | "putArchive">;

export interface SyncResult extends SyncArchive {
  containers: number;
}

/** The running containers of one service (one-off `run` containers excluded). */
export async function serviceContainers(engine: Pick<Engine, "listContainers">, project: string, service: string, all = false) {
  return engine.listContainers({ all, labels: [`${LABELS.project}=${project}`, `${LABELS.service}=${service}`, `${LABELS.oneoff}=False`] });
}

export async function syncToService(engine: SyncEngine, project: string, service: string, entries: readonly ArchiveEntryInput[]): Promise<SyncResult> {
  const [archive, containers] = await Promise.all([buildSyncArchive(entries), serviceContainers(engine, project, service)]);
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
  return { ...archive, containers: running.length };
}
