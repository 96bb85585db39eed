// One line of the live progress view as a string: mark or spinner, resource, status, elapsed time,
// then the detail or the latest pull/build progress. Pure, so the view and its tests share it.
import { paint, stripAnsi } from "./ansi.js";
import { describeCounts, formatElapsed, kindWord, type ProgressRow, type ProgressSnapshot, type ProgressSummary } from "./progress-model.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** How often the spinner moves; the view ticks at this rate only while something is working. */
export const SPINNER_MS = 100;

export interface LineOptions {
  now: number;
  color: boolean;
  /** Width of the `Kind name` column, so statuses line up. */
  labelWidth: number;
  /** Terminal width: longer lines are cut so they never wrap (a wrapped line breaks redrawing). */
  columns: number;
}

function mark(row: ProgressRow, now: number, color: boolean): string {
  switch (row.state) {
    case "done":
      return paint("green", "✔", color);
    case "warning":
      return paint("yellow", "!", color);
    case "error":
      return paint("red", "✘", color);
    case "working":
      return paint("cyan", SPINNER[Math.floor(now / SPINNER_MS) % SPINNER.length]!, color);
  }
}

/** `Container demo-web-1`, the part the statuses are aligned after. */
export function rowLabel(row: ProgressRow): string {
  return `${kindWord(row.kind)} ${row.name}`;
}

/** Cuts a styled line to `columns` visible characters. */
export function fit(line: string, columns: number): string {
  if (stripAnsi(line).length <= columns) return line;
  // Cut the plain text: a cut inside an escape code would garble the rest of the screen.
  const plain = stripAnsi(line);
  return `${plain.slice(0, Math.max(0, columns - 1))}…`;
}

function progressText(row: ProgressRow): string | undefined {
  const p = row.progress;
  if (!p || row.state !== "working") return undefined;
  const pct = p.total && p.current !== undefined ? ` ${Math.min(100, Math.floor((p.current / p.total) * 100))}%` : "";
  return `${p.text.replace(/\s+/g, " ").trim()}${pct}`;
}

/** One resource line. */
export function rowLine(row: ProgressRow, o: LineOptions): string {
  const ms = (row.ended ?? o.now) - row.started;
  const status = row.state === "error" ? paint("red", row.status, o.color) : row.state === "warning" ? paint("yellow", row.status, o.color) : row.status;
  const pad = " ".repeat(Math.max(0, 10 - row.status.length));
  const extra = row.detail ?? progressText(row);
  const line = ` ${mark(row, o.now, o.color)} ${rowLabel(row).padEnd(o.labelWidth)}  ${status}${pad}${paint("dim", formatElapsed(ms).padStart(6), o.color)}${extra ? `  ${paint("dim", extra, o.color)}` : ""}`;
  return fit(line, o.columns);
}

/** The first line: compose's `[+] Running done/total`. */
export function headerLine(s: ProgressSnapshot, now: number, color: boolean): string {
  const all = [...s.rows, ...s.printed.flatMap((p) => (p.type === "row" ? [p.row] : []))];
  const done = all.filter((r) => r.state !== "working").length;
  const spin = s.finished || done === all.length ? "+" : SPINNER[Math.floor(now / SPINNER_MS) % SPINNER.length]!;
  return `${paint("blue", `[${spin}]`, color)} Running ${done}/${all.length}`;
}

/** The closing line: how many resources of each kind, failures, and the total time. */
export function summaryLine(sum: ProgressSummary, color: boolean): string {
  const what = describeCounts(sum.counts) || "nothing changed";
  const errors = sum.counts.error ? `${sum.counts.error} failed; ` : "";
  const head = sum.ok ? paint("green", "✔ Done", color) : paint("red", "✘ Failed", color);
  return ` ${head} in ${formatElapsed(sum.ms)}: ${errors}${what}`;
}

/** A warning or info line printed above the live area. */
export function messageLine(type: "warning" | "info", text: string, color: boolean): string {
  return type === "warning" ? `${paint("yellow", "WARN", color)} ${text}` : text;
}

/** The whole live area as lines (header, rows, summary), capped at `maxRows` lines. */
export function liveLines(s: ProgressSnapshot, o: Omit<LineOptions, "labelWidth"> & { maxRows: number }): string[] {
  const labelWidth = Math.max(0, ...s.rows.map((r) => rowLabel(r).length), ...s.printed.flatMap((p) => (p.type === "row" ? [rowLabel(p.row).length] : [])));
  const lines = [fit(headerLine(s, o.now, o.color), o.columns)];
  const room = Math.max(1, o.maxRows - 1 - (s.finished ? 1 : 0));
  const shown = s.rows.length > room ? s.rows.slice(0, room - 1) : s.rows;
  for (const r of shown) lines.push(rowLine(r, { ...o, labelWidth }));
  if (shown.length < s.rows.length) lines.push(paint("dim", `   … ${s.rows.length - shown.length} more`, o.color));
  if (s.finished) lines.push(fit(summaryLine(s.finished, o.color), o.columns));
  return lines;
}
