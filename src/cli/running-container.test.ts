import { describe, expect, it } from "vitest";
import type { ContainerSummary } from "../engine/types.js";
import { parseIndex, pickRunning } from "./running-container.js";

const c = (name: string, service: string, number?: number, oneoff = false): ContainerSummary =>
  ({
    id: name,
    name,
    labels: {
      "com.docker.compose.service": service,
      "com.docker.compose.oneoff": oneoff ? "True" : "False",
      ...(number !== undefined ? { "com.docker.compose.container-number": String(number) } : {}),
    },
  }) as unknown as ContainerSummary;

describe("pickRunning", () => {
  const list = [c("p-web-1", "web", 1), c("p-web-2", "web", 2), c("p-web-run-1", "web", undefined, true), c("p-job-run-2", "job", undefined, true)];
  it("takes the lowest number, or the one --index names", () => {
    expect(pickRunning(list, "web", undefined).name).toBe("p-web-1");
    expect(pickRunning(list, "web", 2).name).toBe("p-web-2");
  });
  it("falls back to a one-off container only without an index", () => {
    expect(pickRunning(list, "job", undefined).name).toBe("p-job-run-2");
    expect(() => pickRunning(list, "job", 1)).toThrow('service "job" is not running container #1');
    expect(() => pickRunning(list, "db", undefined)).toThrow('service "db" is not running');
  });
});

describe("parseIndex", () => {
  it("reads a number; 0 (compose's default) and nothing mean no index", () => {
    expect(parseIndex("3")).toBe(3);
    expect(parseIndex("0")).toBeUndefined();
    expect(parseIndex(undefined)).toBeUndefined();
    expect(() => parseIndex("two")).toThrow(/invalid --index/);
  });
});
