// Port short syntax → long form, the way `docker compose config` expands it:
// "[ip:][host[-host]:]container[-container][/proto]", one entry per container port.
import type { ServicePortConfig } from "./types.js";

const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

/** Splits the spec on ':' into ip, host port and container port (IPv6 addresses keep their colons). */
function splitParts(spec: string): [ip: string, host: string, container: string] {
  const parts = spec.split(":");
  const n = parts.length;
  const container = parts[n - 1] ?? "";
  if (n === 1) return ["", "", container];
  if (n === 2) return ["", parts[0] ?? "", container];
  return [parts.slice(0, n - 2).join(":"), parts[n - 2] ?? "", container];
}

function parseRange(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

/** Parses one short-syntax port; a string error when the spec is malformed. */
export function parsePortSpec(raw: string | number): ServicePortConfig[] | { error: string } {
  const spec = String(raw);
  const [rawIp, host, containerAndProto] = splitParts(spec);
  const slash = containerAndProto.indexOf("/");
  const container = slash < 0 ? containerAndProto : containerAndProto.slice(0, slash);
  const proto = (slash < 0 ? "tcp" : containerAndProto.slice(slash + 1) || "tcp").toLowerCase();
  let ip = rawIp;
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  if (ip !== "" && !isIp(ip)) return { error: `invalid IP address "${rawIp}" in port "${spec}"` };
  if (container === "") return { error: `no container port in "${spec}"` };
  const cRange = parseRange(container);
  if (!cRange) return { error: `invalid container port "${container}" in "${spec}"` };
  let hRange: [number, number] | undefined;
  if (host !== "") {
    hRange = parseRange(host);
    if (!hRange) return { error: `invalid host port "${host}" in "${spec}"` };
    // A host range is only allowed against a single container port (the engine picks one in it).
    if (hRange[1] - hRange[0] !== cRange[1] - cRange[0] && cRange[0] !== cRange[1]) {
      return { error: `the host range "${host}" and the container range "${container}" differ in size in "${spec}"` };
    }
  }
  if (!PROTOCOLS.has(proto)) return { error: `invalid protocol "${proto}" in "${spec}" (tcp, udp or sctp)` };

  const out: { key: string; port: ServicePortConfig }[] = [];
  for (let i = 0; i <= cRange[1] - cRange[0]; i++) {
    const target = cRange[0] + i;
    let published: string | undefined;
    if (hRange) {
      published = String(hRange[0] + i);
      if (cRange[0] === cRange[1] && hRange[0] !== hRange[1]) published = `${hRange[0] + i}-${hRange[1]}`;
    }
    const port: ServicePortConfig = { mode: "ingress", target, protocol: proto };
    if (ip !== "") port.host_ip = ip;
    if (published !== undefined) port.published = published;
    out.push({ key: `${target}/${proto}`, port });
  }
  // compose orders the expanded entries by their "port/proto" key as text ("100/tcp" < "99/tcp").
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((o) => o.port);
}

function isIp(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) return s.split(".").every((p) => Number(p) <= 255);
  return s.includes(":") && /^[0-9A-Fa-f:.]+$/.test(s);
}

/** Long syntax gets compose's defaults: tcp, ingress, and `published` as a string. */
export function normalizePortLong(raw: Record<string, unknown>): ServicePortConfig {
  const port: ServicePortConfig = {
    mode: typeof raw.mode === "string" ? raw.mode : "ingress",
    target: Number(raw.target ?? 0),
    protocol: typeof raw.protocol === "string" ? raw.protocol : "tcp",
  };
  if (typeof raw.name === "string") port.name = raw.name;
  if (typeof raw.host_ip === "string" && raw.host_ip !== "") port.host_ip = raw.host_ip;
  if (raw.published !== undefined && raw.published !== null && raw.published !== "") port.published = String(raw.published);
  if (typeof raw.app_protocol === "string") port.app_protocol = raw.app_protocol;
  for (const [k, v] of Object.entries(raw)) if (k.startsWith("x-")) (port as unknown as Record<string, unknown>)[k] = v;
  return port;
}
