// What a watch session reports, beside the executor's own events: its plain lines, each action it
// takes (a sync, a rebuild, a reload…) from start to end with how long it took, the compose file
// turning invalid and valid again, and the state of the watched containers. Plain types only, so
// the session, the plain renderer and the terminal dashboard share them and none depends on another.

/** What watch did in answer to a change. */
export type WatchActionKind = "sync" | "rebuild" | "recreate" | "restart" | "exec" | "reload" | "restore";

/** One of the project's containers as the dashboard shows it. */
export interface WatchedContainer {
  service: string;
  name: string;
  /** The engine's state word: running, exited, restarting, created, paused, dead. */
  state: string;
  health?: "healthy" | "unhealthy" | "starting";
  /** The engine's status text, e.g. "Exited (137) 3 seconds ago". */
  status: string;
}

/** An action watch runs: what, for which services, and how many files (a sync). */
export interface WatchActionInfo {
  kind: WatchActionKind;
  services: readonly string[];
  /** Changed files of a sync, or the compose files of a reload. */
  files?: number;
}

/** One problem of an invalid compose file, as data (the JSON output carries these). */
export interface WatchDiagnostic {
  /** A stable machine code, e.g. "schema.additional-property". */
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** The key path as users read it, e.g. services.web.ports[0]. */
  path?: string;
  hint?: string;
}

export type WatchEvent =
  /** Watch is following its files (after the first up). `services`: the watched ones, in order. */
  | { type: "enabled"; project: string; services: readonly string[] }
  /** One of the lines plain output prints, e.g. `Syncing service "web" after 2 changes were detected`. */
  | { type: "message"; text: string }
  | ({ type: "action-start"; at: number } & WatchActionInfo)
  | ({ type: "action-end"; at: number; ms: number; ok: boolean; error?: string } & WatchActionInfo)
  /** The reloaded compose file has errors: `text` is their printed form (file:line:col, frame, hint). */
  | { type: "compose-invalid"; at: number; text: string; count: number; diagnostics: readonly WatchDiagnostic[] }
  /** A reload succeeded after the file was invalid. */
  | { type: "compose-valid"; at: number }
  /** The project's containers, after something changed them (a job, an engine event). */
  | { type: "containers"; containers: readonly WatchedContainer[] }
  /** Watch is stopping: it waits for the job that runs, then ends. */
  | { type: "stopping" }
  | { type: "disabled" };

export type WatchEventSink = (event: WatchEvent) => void;

/** `sync of 3 files to web`, `rebuild of web, api`, `compose-file reload`: an action in a few words. */
export function describeWatchAction(a: WatchActionInfo): string {
  const who = a.services.join(", ");
  switch (a.kind) {
    case "sync":
      return `sync of ${a.files ?? 0} file${a.files === 1 ? "" : "s"} to ${who}`;
    case "rebuild":
      return `rebuild of ${who}`;
    case "recreate":
      return `recreate of ${who}`;
    case "restart":
      return `restart of ${who}`;
    case "exec":
      return `exec in ${who}`;
    case "reload":
      return "compose-file reload";
    case "restore":
      return `restore of ${who}`;
  }
}

/**
 * Whether a container event changes what the dashboard shows (state or health). Healthchecks run
 * as execs, so a container with one sends exec events every interval: those change nothing.
 */
export function changesContainerView(action: string): boolean {
  if (action.startsWith("health_status")) return true;
  return ["create", "start", "restart", "die", "stop", "kill", "pause", "unpause", "destroy", "rename", "oom"].includes(action);
}
