// The watch dashboard (Ink). It renders when the store changes (an event) and, while an action
// runs, ticks for its spinner; idle, it has no timer at all. Keys: ↑/↓ (or k/j) select a service,
// r rebuilds the selected one, l shows or hides the logs pane, q or Ctrl-C stops watching.
import { useLayoutEffect, useSyncExternalStore } from "react";
import { Box, Text, useInput, useStdout } from "ink";
import { useSpinnerTick } from "./use-spinner-tick.js";
import { dashboardLines } from "./watch-lines.js";
import type { DashboardCommand, WatchStore } from "./watch-model.js";

export interface WatchDashboardProps {
  store: WatchStore;
  clock: () => number;
  color: boolean;
  size: () => { columns: number; rows: number };
  /** Read keys (stdin is a terminal). */
  keys: boolean;
  onCommand: (command: DashboardCommand) => void;
  timeOfDay?: (ms: number) => string;
  /** Receives Ink's writer for text printed above the dashboard. */
  onWriter?: (write: (data: string) => void) => void;
}

export function WatchDashboard({ store, clock, color, size, keys, onCommand, timeOfDay, onWriter }: WatchDashboardProps) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const busy = snap.running !== undefined && !snap.stopped;
  const { write } = useStdout();

  useLayoutEffect(() => {
    onWriter?.(write);
  }, [onWriter, write]);

  // The spinner turns only while an action runs.
  useSpinnerTick(busy);

  useInput(
    (input, key) => {
      if (input === "q" || (key.ctrl && input === "c")) onCommand({ type: "quit" });
      else if (key.upArrow || input === "k") store.select(-1);
      else if (key.downArrow || input === "j") store.select(1);
      else if (input === "l") onCommand({ type: "logs", visible: store.toggleLogs() });
      else if (input === "r") {
        const service = store.selectedService();
        if (service) onCommand({ type: "rebuild", service });
      }
    },
    { isActive: keys && !snap.stopped },
  );

  const { columns, rows } = size();
  return (
    <Box flexDirection="column">
      {dashboardLines(snap, { now: clock(), color, columns, rows, keys, timeOfDay }).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
