// What the executor and the watcher report. One discriminated union feeds every renderer
// (ink, plain, json), so the core never knows how it is shown.

export type ResourceKind = "network" | "volume" | "container" | "image" | "service" | "secret" | "config";

/** docker compose's progress words, so plain output reads the same. */
export type ResourceStatus =
  | "Creating" | "Created"
  | "Starting" | "Started"
  | "Running"
  | "Waiting" | "Healthy" | "Exited"
  | "Stopping" | "Stopped"
  | "Removing" | "Removed"
  | "Recreate" | "Recreated"
  | "Restarting" | "Restarted"
  | "Building" | "Built"
  | "Pulling" | "Pulled"
  | "Pushing" | "Pushed" | "Skipped" | "Copying" | "Copied" | "Committing" | "Committed" | "Exporting" | "Exported"
  | "Killing" | "Killed"
  | "Pausing" | "Paused" | "Unpausing" | "Unpaused"
  | "Updating" | "Updated"
  | "Error"
  | "Warning";

export type MoorEvent =
  | { type: "resource"; kind: ResourceKind; name: string; status: ResourceStatus; detail?: string; ms?: number; done: boolean }
  | { type: "progress"; kind: ResourceKind; name: string; current?: number; total?: number; text: string }
  | { type: "warning"; message: string }
  | { type: "info"; message: string }
  | { type: "summary"; ok: boolean; ms: number; counts: Record<string, number> };

export type EventSink = (event: MoorEvent) => void;
