// `--since` / `--until` as the docker CLI reads them before calling the API, which takes only Unix
// seconds: a Unix time as is, a Go duration ("10m") as that long ago, an RFC 3339 date or time
// (local time when it names no zone) as its Unix seconds.
import { goDurationToNanos } from "../reconcile/container-spec.js";
import { UserError } from "./errors.js";

export function apiTimestamp(value: string | undefined, now = Date.now()): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const nanos = goDurationToNanos(value);
  if (nanos !== undefined) return ((now - nanos / 1e6) / 1000).toFixed(9);
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?))?(Z|[+-]\d\d:\d\d)?$/.exec(value);
  if (m) {
    const iso = `${m[1]}T${m[2] ?? "00:00:00"}${m[3] ?? ""}`;
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms)) return (ms / 1000).toFixed(3).replace(/\.?0+$/, "");
  }
  throw new UserError(`invalid time ${JSON.stringify(value)}`, 'use a Unix time, a duration such as "10m", or a date such as 2024-05-01T10:00:00Z');
}
