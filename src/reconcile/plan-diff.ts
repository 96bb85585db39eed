// Field-by-field differences between the configuration a container was created from (moor stores
// it in a label) and the one the project wants now, as the lines a recreate's cause prints:
// `environment.DEBUG: "0" → "1"`. Values of variables that look like secrets are never printed.

import { SECRET_NAME } from "./config-hash.js";

const MAX_VALUE = 60;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function show(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value) ?? "null";
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const safe = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? safe : `${path}.${safe}`;
}

/** True when the path ends at an environment value whose name looks secret. */
function isSecretPath(segments: readonly (string | number)[]): boolean {
  const last = segments[segments.length - 1];
  const parent = segments[segments.length - 2];
  return parent === "environment" && typeof last === "string" && SECRET_NAME.test(last);
}

function walk(before: unknown, after: unknown, path: string, segments: (string | number)[], out: string[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], join(path, key), [...segments, key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], join(path, i), [...segments, i], out);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const name = path === "" ? "(config)" : path;
  if (isSecretPath(segments)) {
    const what = before === undefined ? "added" : after === undefined ? "removed" : "changed";
    out.push(`${name}: ${what} (value hidden)`);
    return;
  }
  out.push(`${name}: ${show(before)} → ${show(after)}`);
}

/** The differences between two JSON configurations, one line per changed leaf, keys in name order. */
export function diffConfigs(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  walk(before, after, "", [], out);
  return out;
}
