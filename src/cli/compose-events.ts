// `events`: the engine's container events of one project, as compose prints them: a text line
// "2026-11-24 14:05:01.123456 container start <id> (image=…, name=…)" or one JSON object per line.
import type { EngineEvent } from "../engine/types.js";
import { LABELS } from "../engine/types.js";

/** One event as compose reports it: compose's own labels dropped from the attributes. */
export interface ComposeEvent {
  /** Nanoseconds since the epoch. */
  timeNano: bigint;
  service: string;
  container: string;
  action: string;
  attributes: Record<string, string>;
}

/** The project's service-container events (one-off `run` containers are left out, as compose does). */
export function composeEvent(e: EngineEvent, services: readonly string[]): ComposeEvent | undefined {
  if (e.type !== "container") return undefined;
  if (e.attributes[LABELS.oneoff] === "True") return undefined;
  const service = e.attributes[LABELS.service] ?? "";
  if (services.length > 0 && !services.includes(service)) return undefined;
  const attributes: Record<string, string> = {};
  for (const key of Object.keys(e.attributes).sort()) if (!key.startsWith("com.docker.compose.")) attributes[key] = e.attributes[key]!;
  return { timeNano: BigInt(Math.round(e.timeNano)), service, container: e.id, action: e.action, attributes };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Local wall time of a nanosecond timestamp: date, time, the fraction (nanoseconds) and the zone offset in minutes. */
function localParts(timeNano: bigint, offsetMinutes?: number) {
  const ms = Number(timeNano / 1_000_000n);
  const nanos = Number(timeNano % 1_000_000_000n);
  const offset = offsetMinutes ?? -new Date(ms).getTimezoneOffset();
  const d = new Date(ms + offset * 60_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return { date, time, nanos, offset };
}

/** Go's RFC3339Nano in local time: trailing zeros of the fraction dropped, "Z" for UTC. */
export function rfc3339Nano(timeNano: bigint, offsetMinutes?: number): string {
  const { date, time, nanos, offset } = localParts(timeNano, offsetMinutes);
  const fraction = nanos === 0 ? "" : `.${pad(nanos, 9).replace(/0+$/, "")}`;
  const zone = offset === 0 ? "Z" : `${offset > 0 ? "+" : "-"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date}T${time}${fraction}${zone}`;
}

/** compose's text line (it prints a blank line after each, and so do we). */
export function eventText(e: ComposeEvent, offsetMinutes?: number): string {
  const { date, time, nanos } = localParts(e.timeNano, offsetMinutes);
  const attrs = Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`).join(", ");
  return `${date} ${time}.${pad(Math.floor(nanos / 1000), 6)} container ${e.action} ${e.container} (${attrs})\n\n`;
}

/** compose's `--json` line: keys in Go's map order (sorted). */
export function eventJson(e: ComposeEvent, offsetMinutes?: number): string {
  return (
    JSON.stringify({ action: e.action, attributes: e.attributes, id: e.container, service: e.service, time: rfc3339Nano(e.timeNano, offsetMinutes), type: "container" }) + "\n"
  );
}
