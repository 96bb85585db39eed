import { describe, expect, it } from "vitest";
import type { ContainerSummary } from "../../engine/types.js";
import { parseIndex, parsePort, publishedPort } from "./port.js";

const c = { name: "demo-web-1", ports: [{ privatePort: 80, publicPort: 8080, type: "tcp", ip: "0.0.0.0" }, { privatePort: 80, publicPort: 8080, type: "tcp", ip: "::" }, { privatePort: 53, publicPort: 5353, type: "udp", ip: "127.0.0.1" }] } as ContainerSummary;

describe("port", () => {
  it("prints the first binding of the port and protocol", () => {
    expect(publishedPort(c, 80, "tcp")).toBe("0.0.0.0:8080");
    expect(publishedPort(c, 53, "udp")).toBe("127.0.0.1:5353");
  });
  it("says which ports the container has when the port is not one of them", () => {
    expect(() => publishedPort(c, 53, "tcp")).toThrow("no port 53/tcp for container demo-web-1: 80/tcp, 80/tcp, 53/udp");
  });
  it("takes port numbers and indexes, 0 meaning no index", () => {
    expect(parsePort("80")).toBe(80);
    expect(() => parsePort("http")).toThrow(/invalid port/);
    expect(() => parsePort("70000")).toThrow(/invalid port/);
    expect(parseIndex(undefined)).toBeUndefined();
    expect(parseIndex("0")).toBeUndefined();
    expect(parseIndex("2")).toBe(2);
    expect(() => parseIndex("two")).toThrow(/invalid --index/);
  });
});
