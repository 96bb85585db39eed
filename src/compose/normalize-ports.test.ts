import { describe, expect, it } from "vitest";
import { normalizePortLong, parsePortSpec } from "./normalize-ports.js";

describe("parsePortSpec", () => {
  const cases: [string | number, { host_ip?: string; target: number; published?: string; protocol: string }[]][] = [
    ["80", [{ target: 80, protocol: "tcp" }]],
    [80, [{ target: 80, protocol: "tcp" }]],
    ["8080:80", [{ target: 80, published: "8080", protocol: "tcp" }]],
    ["127.0.0.1:8080:80/udp", [{ host_ip: "127.0.0.1", target: 80, published: "8080", protocol: "udp" }]],
    ["127.0.0.1::80", [{ host_ip: "127.0.0.1", target: 80, protocol: "tcp" }]],
    ["[::1]:8080:80", [{ host_ip: "::1", target: 80, published: "8080", protocol: "tcp" }]],
    ["08080:80", [{ target: 80, published: "8080", protocol: "tcp" }]],
    ["53:53/SCTP", [{ target: 53, published: "53", protocol: "sctp" }]],
    ["9090-9091:8080", [{ target: 8080, published: "9090-9091", protocol: "tcp" }]],
    ["3000-3001", [{ target: 3000, protocol: "tcp" }, { target: 3001, protocol: "tcp" }]],
    ["8000-8001:9000-9001", [{ target: 9000, published: "8000", protocol: "tcp" }, { target: 9001, published: "8001", protocol: "tcp" }]],
    // compose sorts the expanded entries as text: "100/tcp" before "99/tcp".
    ["99-100:99-100", [{ target: 100, published: "100", protocol: "tcp" }, { target: 99, published: "99", protocol: "tcp" }]],
  ];
  it.each(cases)("%s", (spec, want) => {
    expect(parsePortSpec(spec)).toEqual(want.map((w) => ({ mode: "ingress", ...w })));
  });

  it.each(["", "abc", "80/xyz", "70000", "1-2:3-5", "999.1.1.1:80:80", "80:", "8080:80-81x"])("rejects %j", (spec) => {
    expect(parsePortSpec(spec)).toHaveProperty("error");
  });
});

describe("normalizePortLong", () => {
  it("fills protocol and mode, and prints published as a string", () => {
    expect(normalizePortLong({ target: 80, published: 8080 })).toEqual({ mode: "ingress", target: 80, published: "8080", protocol: "tcp" });
  });
  it("keeps what is set and drops an empty host_ip", () => {
    expect(normalizePortLong({ target: "443", mode: "host", protocol: "udp", host_ip: "", name: "h", app_protocol: "http" })).toEqual({
      mode: "host", target: 443, protocol: "udp", name: "h", app_protocol: "http",
    });
  });
});
