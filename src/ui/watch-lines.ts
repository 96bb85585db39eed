// The watch dashboard as lines of text: a header with the keys, one line per watched container
// (state and health), the last action with its time, the running one, the compose file's errors
// while it is invalid, the latest messages, and the logs pane. Pure, so the Ink view and the tests
// share it; every line is cut to the terminal's width and the whole stays shorter than the screen.
import { paint, stripAnsi, type Style } from "./ansi.js";
import { fit, SPINNER_MS } from "./progress-line.js";
import { formatElapsed } from "./progress-model.js";
import type { DashboardSnapshot } from "./watch-model.js";
import { describeWatchAction } from "../watch/watch-events.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface DashboardLineOptions {
  now: number;
  color: boolean;
  columns: number;
  rows: number;
  /** Whether keys are read (stdin is a terminal); without, the header does not offer them. */
  keys: boolean;
  /** A time of day for "at …"; local HH:MM:SS by default (tests pass their own). */
  timeOfDay?: (ms: number) => string;
}

/** Lines the compose error may take at most, so the services stay on screen. */
const MAX_ERROR_LINES = 10;

function localTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

function stateStyle(state: string): Style | undefined {
  if (state === "running") return "green";
  if (state === "exited" || state === "dead") return "red";
  return "yellow";
}

function healthStyle(health: string | undefined): Style | undefined {
  if (health === "healthy") return "green";
  if (health === "unhealthy") return "red";
  return health === "starting" ? "yellow" : undefined;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stripAnsi(text).length));
}

/** Splits a line into pieces of at most `width` visible characters (colour is dropped from a split line). */
function wrap(line: string, width: number): string[] {
  const plain = stripAnsi(line);
  if (plain.length <= width || width < 10) return [line];
  const out: string[] = [];
  for (let i = 0; i < plain.length; i += width) out.push(plain.slice(i, i + width));
  return out;
}

/** `42 ms` under a second, `1.3s` above. */
export function actionTime(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatElapsed(ms);
}

/** The dashboard, top to bottom. */
export function dashboardLines(s: DashboardSnapshot, o: DashboardLineOptions): string[] {
  const c = o.color;
  const at = o.timeOfDay ?? localTime;
  const out: string[] = [];
  const keys = o.keys ? paint("dim", "  ↑/↓ select  r rebuild  l logs  q quit", c) : "";
  // Until the watcher has read the files (the session's "enabled"), there is nothing to act on.
  const starting = s.project === "";
  const state = s.stopped ? "Watch disabled" : s.stopping ? "Stopping watch…" : starting ? "Starting watch…" : `Watching ${s.project}`;
  out.push(`${paint("bold", state, c)}${s.stopped || s.stopping || starting ? "" : keys}`);

  // Services: one line per container, a service without one says so.
  const rows: { service: string; container: string; state: string; health: string; selected: boolean }[] = [];
  s.services.forEach((svc, i) => {
    const selected = i === s.selected && o.keys && !s.stopped;
    if (svc.containers.length === 0) rows.push({ service: svc.name, container: "-", state: paint("dim", "no container", c), health: "", selected });
    svc.containers.forEach((ct, j) => {
      const st = stateStyle(ct.state);
      const hs = healthStyle(ct.health);
      rows.push({
        service: j === 0 ? svc.name : "",
        container: ct.name,
        state: st ? paint(st, ct.state, c) : ct.state,
        health: ct.health ? (hs ? paint(hs, ct.health, c) : ct.health) : "",
        selected: selected && j === 0,
      });
    });
  });
  const w = (f: (r: (typeof rows)[number]) => string, title: string) => Math.max(title.length, ...rows.map((r) => stripAnsi(f(r)).length)) + 3;
  const ws = w((r) => r.service, "SERVICE");
  const wc = w((r) => r.container, "CONTAINER");
  const wst = w((r) => r.state, "STATE");
  out.push(paint("dim", `  ${pad("SERVICE", ws)}${pad("CONTAINER", wc)}${pad("STATE", wst)}HEALTH`, c));
  for (const r of rows) out.push(`${r.selected ? paint("cyan", "›", c) : " "} ${pad(r.selected ? paint("bold", r.service, c) : r.service, ws)}${pad(r.container, wc)}${pad(r.state, wst)}${r.health}`.trimEnd());

  if (s.last) {
    const mark = s.last.ok ? paint("green", "✔", c) : paint("red", "✘", c);
    const why = s.last.ok ? "" : `: ${s.last.error ?? "failed"}`;
    out.push(`${mark} Last: ${describeWatchAction(s.last)} in ${actionTime(s.last.ms)} at ${at(s.last.at)}${why}`);
  } else if (!s.running) {
    out.push(paint("dim", "  Waiting for changes", c));
  }
  if (s.running) {
    const spin = paint("cyan", SPINNER[Math.floor(o.now / SPINNER_MS) % SPINNER.length]!, c);
    const step = s.running.step ? paint("dim", `  ${s.running.step}`, c) : "";
    out.push(`${spin} Now: ${describeWatchAction(s.running)} ${paint("dim", formatElapsed(o.now - s.running.started), c)}${step}`);
  }
  if (s.composeError) {
    const n = s.composeError.count;
    out.push(`${paint("red", "✘", c)} The compose file is invalid (${n} error${n === 1 ? "" : "s"} since ${at(s.composeError.at)}): everything keeps running as it was`);
    // Wrapped, not cut: the message is at the end of a line that starts with a long path.
    const text = s.composeError.text.replace(/\n$/, "").split("\n").flatMap((l) => wrap(l, o.columns - 2));
    const shown = text.length > MAX_ERROR_LINES ? [...text.slice(0, MAX_ERROR_LINES - 1), paint("dim", `… ${text.length - MAX_ERROR_LINES + 1} more lines`, c)] : text;
    for (const l of shown) out.push(`  ${l}`);
  }
  for (const m of s.messages) out.push(paint("dim", `  ${m}`, c));

  // The logs pane takes what is left of the screen, keeping two lines free: a frame as tall as
  // the terminal makes Ink clear the whole screen on every redraw.
  if (s.logsVisible && !s.stopped) {
    const room = o.rows - 2 - out.length - 1;
    out.push(paint("dim", `── logs ${"─".repeat(Math.max(0, Math.min(o.columns, 80) - 8))}`, c));
    if (room > 0) {
      const lines = s.logs.slice(-room);
      if (lines.length === 0) out.push(paint("dim", "  (no output yet)", c));
      for (const l of lines) out.push(l);
    }
  }
  return out.map((l) => fit(l, o.columns));
}
