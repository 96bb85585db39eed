// Small value conversions shared by the normalizer: durations, byte sizes, numbers, string
// lists, extensions, and the long forms compose gives to ulimits, devices and hosts.
import { parseBytes } from "./bytes.js";
import { formatDuration, parseDuration } from "./duration.js";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import { scalarText } from "./normalize-environment.js";
import type { DeviceMapping, DeviceRequest, UlimitConfig } from "./types.js";

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Reports a value the normalizer cannot convert, at its key path. */
export interface Reporter {
  bag: DiagnosticBag;
  locate: (path: KeyPath) => Location | undefined;
}

export function report(r: Reporter, path: KeyPath, code: string, message: string, hint?: string): void {
  r.bag.error(code, message, { path, location: r.locate(path), ...(hint ? { hint } : {}) });
}

/** A duration in compose's printed (Go) form, e.g. "1m30s". */
export function toDuration(v: unknown, r: Reporter, path: KeyPath): string | undefined {
  if (v === undefined || v === null) return undefined;
  const ns = parseDuration(typeof v === "number" ? v : scalarText(v));
  if (ns === undefined) {
    report(r, path, "normalize.duration", `"${scalarText(v)}" is not a duration`, "use a number with a unit, e.g. 30s, 1m30s, 500ms");
    return undefined;
  }
  return formatDuration(ns);
}

/** A byte size as a number ("512m" → 536870912). */
export function toBytes(v: unknown, r: Reporter, path: KeyPath): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = parseBytes(typeof v === "number" ? v : scalarText(v));
  if (n === undefined) {
    report(r, path, "normalize.bytes", `"${scalarText(v)}" is not a byte size`, "use a number with an optional unit, e.g. 512m, 1g, 64k");
    return undefined;
  }
  return n;
}

/** A number from a number or a numeric string (interpolated values arrive as strings). */
export function toNumber(v: unknown, r: Reporter, path: KeyPath): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "number" ? v : Number(scalarText(v).trim());
  if (!Number.isFinite(n) || scalarText(v).trim() === "") {
    report(r, path, "normalize.number", `"${scalarText(v)}" is not a number`);
    return undefined;
  }
  return n;
}

export function toBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  return /^(true|1|yes|on|y)$/i.test(scalarText(v));
}

/** A string or a list of strings → a list (dns, tmpfs, cache_from, …). */
export function toStringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(scalarText) : [scalarText(v)];
}

/** Copies the `x-*` keys of `from` onto `to`. */
export function copyExtensions(from: Obj, to: object): void {
  const keys = Object.keys(from);
  for (let i = 0; i < keys.length; i++) if (keys[i]!.startsWith("x-")) (to as Obj)[keys[i]!] = from[keys[i]!];
}

/** `nofile: 65535` → {single}; `{soft, hard}` kept. */
export function toUlimits(raw: unknown, r: Reporter, path: KeyPath): Record<string, UlimitConfig> | undefined {
  if (!isObj(raw)) return undefined;
  const out: Record<string, UlimitConfig> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (isObj(v)) {
      const u: UlimitConfig = {};
      const soft = toNumber(v.soft, r, [...path, name, "soft"]);
      const hard = toNumber(v.hard, r, [...path, name, "hard"]);
      if (soft !== undefined) u.soft = soft;
      if (hard !== undefined) u.hard = hard;
      out[name] = u;
    } else {
      const single = toNumber(v, r, [...path, name]);
      if (single !== undefined) out[name] = { single };
    }
  }
  return out;
}

/** "/dev/a[:/dev/b[:rwm]]" → {source, target, permissions}. */
export function toDevice(raw: unknown, r: Reporter, path: KeyPath): DeviceMapping | undefined {
  if (isObj(raw)) {
    return { source: scalarText(raw.source), target: scalarText(raw.target ?? raw.source), permissions: scalarText(raw.permissions ?? "rwm") };
  }
  const parts = scalarText(raw).split(":");
  if (parts.length > 3) {
    report(r, path, "normalize.device", `confusing device mapping "${scalarText(raw)}"`, "use the long syntax: {source, target, permissions}");
    return undefined;
  }
  const source = parts[0] ?? "";
  const target = parts[1] || source;
  return { source, target, permissions: parts[2] ?? "rwm" };
}

/** GPU/device requests: "all" is -1, and a request with neither count nor ids asks for all. */
export function toDeviceRequest(raw: unknown, r: Reporter, path: KeyPath): DeviceRequest {
  const d: DeviceRequest = {};
  if (!isObj(raw)) return { count: -1 };
  if (Array.isArray(raw.capabilities)) d.capabilities = raw.capabilities.map(scalarText);
  if (typeof raw.driver === "string") d.driver = raw.driver;
  if (raw.count !== undefined && raw.count !== null) {
    d.count = scalarText(raw.count).toLowerCase() === "all" ? -1 : toNumber(raw.count, r, [...path, "count"]);
  } else if (raw.device_ids === undefined) {
    d.count = -1;
  }
  if (Array.isArray(raw.device_ids)) d.device_ids = raw.device_ids.map(scalarText);
  if (isObj(raw.options)) {
    d.options = {};
    for (const [k, v] of Object.entries(raw.options)) d.options[k] = scalarText(v);
  }
  return d;
}

/** `extra_hosts` list ("host:ip", "host=ip", comma-separated ips) or map → host → ips. */
export function toHosts(raw: unknown, r: Reporter, path: KeyPath): Record<string, string[]> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const out: Record<string, string[]> = {};
  const add = (host: string, ips: string[], at: KeyPath): void => {
    if (host === "" || /[:=]/.test(host)) {
      report(r, at, "normalize.extra-hosts", `bad host name "${host}"`, 'write "host=ip" or "host:ip"');
      return;
    }
    const clean = ips.map((ip) => (ip.length > 2 && ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip));
    out[host] = [...(out[host] ?? []), ...clean];
  };
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const s = scalarText(item);
      const eq = s.indexOf("=");
      const cut = eq >= 0 ? eq : s.indexOf(":");
      if (cut < 0) {
        report(r, [...path, i], "normalize.extra-hosts", `"${s}" has no IP address`, 'write "host=ip"');
        return;
      }
      add(s.slice(0, cut), s.slice(cut + 1).split(","), [...path, i]);
    });
  } else if (isObj(raw)) {
    for (const [host, v] of Object.entries(raw)) {
      add(host, Array.isArray(v) ? v.map(scalarText) : [scalarText(v)], [...path, host]);
    }
  }
  return out;
}

/** A file mode: numbers as they are; strings like "0444" read as octal, as compose does. */
export function toFileMode(v: unknown, r: Reporter, path: KeyPath): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return v;
  const s = scalarText(v).trim();
  if (/^0[oO]?[0-7]+$/.test(s)) return parseInt(s.replace(/^0[oO]?/, ""), 8);
  return toNumber(s, r, path);
}
