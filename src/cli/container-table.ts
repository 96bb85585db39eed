// `ps`'s table cells as compose v5 prints them (it uses the docker CLI's container formatter):
// the command cut to 20 columns with an ellipsis and quoted, the age as go-units says it, the
// ports grouped into ranges, and the table aligned by Go's tabwriter (minimum width 10, padding 3).
// compose prints this table without colour, so neither does moor.
import { humanDuration } from "./go-units.js";
import { DOCKER_TABLE, tabwrite } from "./tabwriter.js";

export interface PortCell {
  privatePort: number;
  publicPort?: number;
  type: string;
  ip?: string;
}

/** Cuts `text` to `width` columns, the last one an ellipsis (the docker CLI's Ellipsis, for text without wide characters). */
export function ellipsis(text: string, width: number): string {
  const chars = [...text];
  if (width <= 0) return "";
  if (width === 1) return chars[0] ?? "";
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join("")}…`;
}

/** The COMMAND cell: cut to 20 columns unless --no-trunc, then quoted as Go's strconv.Quote does for plain text. */
export function commandCell(command: string, trunc: boolean): string {
  return JSON.stringify(trunc ? ellipsis(command, 20) : command);
}

/** The CREATED cell: "5 seconds ago", "About a minute ago". */
export function createdCell(unixSeconds: number, now = Date.now()): string {
  return `${humanDuration(Math.max(0, now - unixSeconds * 1000))} ago`;
}

function host(ip: string, port: string): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The PORTS cell, as `docker ps`: ports sorted (private port, address, public port, protocol);
 * consecutive ones published on the same port number at the same address (or not published) make
 * one range ("0.0.0.0:8000-8002->8000-8002/tcp", "80-81/tcp"); a port published under another
 * number is listed on its own, after the ranges.
 */
export function portsCell(ports: readonly PortCell[]): string {
  // Go compares strings byte by byte ("0.0.0.0" before "::"), not by locale.
  const byBytes = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const sorted = [...ports].sort((a, b) => a.privatePort - b.privatePort || byBytes(a.ip ?? "", b.ip ?? "") || (a.publicPort ?? 0) - (b.publicPort ?? 0) || byBytes(a.type, b.type));
  const groups = new Map<string, { ip?: string; type: string; first: number; last: number }>();
  const out: string[] = [];
  const mappings: string[] = [];
  const form = (g: { ip?: string; type: string; first: number; last: number }) => {
    const range = g.first === g.last ? String(g.first) : `${g.first}-${g.last}`;
    return `${g.ip ? `${host(g.ip, range)}->${range}` : range}/${g.type}`;
  };
  for (const p of sorted) {
    const ip = p.ip && p.publicPort ? p.ip : undefined;
    if (ip && p.publicPort !== p.privatePort) {
      mappings.push(`${host(ip, String(p.publicPort))}->${p.privatePort}/${p.type}`);
      continue;
    }
    const key = ip ? `${ip}/${p.type}` : p.type;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { ip, type: p.type, first: p.privatePort, last: p.privatePort });
      continue;
    }
    if (p.privatePort === g.last + 1) {
      g.last = p.privatePort;
      continue;
    }
    // A gap ends the range; the same port listed twice (two addresses of one family) does too.
    out.push(form(g));
    groups.set(key, { ip, type: p.type, first: p.privatePort, last: p.privatePort });
  }
  for (const g of groups.values()) out.push(form(g));
  return [...out, ...mappings].join(", ");
}

/** The whole `ps` table: header and rows aligned as compose aligns them. */
export function psTable(rows: readonly (readonly string[])[]): string {
  return tabwrite([["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"], ...rows], DOCKER_TABLE);
}
