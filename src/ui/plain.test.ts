import { describe, expect, it } from "vitest";
import { plainLine } from "./plain.js";

describe("plainLine", () => {
  it.each([
    [{ type: "resource", kind: "container", name: "demo-web-1", status: "Started", done: true }, " Container demo-web-1  Started"],
    [{ type: "resource", kind: "network", name: "demo_default", status: "Creating", done: false }, " Network demo_default  Creating"],
    [{ type: "resource", kind: "volume", name: "demo_data", status: "Created", done: true }, ' Volume "demo_data"  Created'],
    [{ type: "resource", kind: "volume", name: "demo_data", status: "Removed", done: true }, " Volume demo_data  Removed"],
    [{ type: "warning", message: "orphan containers found" }, "WARN orphan containers found"],
    [{ type: "summary", ok: true, ms: 3, counts: {} }, undefined],
  ] as const)("%o", (event, expected) => {
    expect(plainLine(event)).toBe(expected);
  });
});
