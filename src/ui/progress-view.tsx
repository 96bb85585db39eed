// The live progress view (Ink). Finished lines that no longer fit go to <Static>, printed once
// above the live area so they stay in the scrollback; the live area stays shorter than the screen,
// so Ink only ever redraws those few lines and never clears the terminal.
import { useLayoutEffect, useSyncExternalStore } from "react";
import { Box, Static, Text, useStderr, useStdout } from "ink";
import type { ProgressStore } from "./progress-model.js";
import { fit, liveLines, messageLine, rowLabel, rowLine } from "./progress-line.js";
import { useSpinnerTick } from "./use-spinner-tick.js";

export interface ProgressViewProps {
  store: ProgressStore;
  clock: () => number;
  color: boolean;
  /** The terminal's size, read on every render so a resize takes effect at the next frame. */
  size: () => { columns: number; rows: number };
  /** Receives Ink's writers for text printed above the live area (stdout, stderr). */
  onWriters?: (writers: { stdout: (data: string) => void; stderr: (data: string) => void }) => void;
}

/** Header, one line per resource, and the summary once the command finishes. */
export function ProgressView({ store, clock, color, size, onWriters }: ProgressViewProps) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const busy = !snap.finished && snap.rows.some((r) => r.state === "working");
  const { write: writeOut } = useStdout();
  const { write: writeErr } = useStderr();

  // A layout effect runs during the first (synchronous) render, so the writers exist once render() returns.
  useLayoutEffect(() => {
    onWriters?.({ stdout: writeOut, stderr: writeErr });
  }, [onWriters, writeOut, writeErr]);

  // Tick only while a spinner turns: an idle view costs nothing.
  useSpinnerTick(busy);

  const now = clock();
  const { columns, rows } = size();
  // Leave two lines of the screen free: a live area as tall as the screen makes Ink clear it.
  const maxRows = Math.max(3, rows - 2);
  const labelWidth = Math.max(0, ...snap.rows.map((r) => rowLabel(r).length));
  return (
    <>
      <Static items={[...snap.printed]}>
        {(p) => (
          <Text key={p.id}>
            {p.type === "row"
              ? rowLine(p.row, { now, color, labelWidth: Math.max(labelWidth, rowLabel(p.row).length), columns })
              : fit(messageLine(p.type, p.text, color), columns)}
          </Text>
        )}
      </Static>
      {snap.rows.length > 0 || snap.finished ? (
        <Box flexDirection="column">
          {liveLines(snap, { now, color, columns, maxRows }).map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </>
  );
}
