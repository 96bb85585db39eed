import { describe, expect, it } from "vitest";
import { composeEvent, eventJson, eventText, rfc3339Nano } from "./compose-events.js";

const raw = {
  type: "container",
  action: "start",
  id: "abc123",
  timeNano: 1_764_000_000_123_456_000,
  attributes: { "com.docker.compose.service": "web", "com.docker.compose.project": "demo", name: "demo-web-1", image: "busybox" },
};

describe("composeEvent", () => {
  it("keeps the project's service container events, without compose's own labels", () => {
    const e = composeEvent(raw, [])!;
    expect(e).toMatchObject({ service: "web", container: "abc123", action: "start", attributes: { image: "busybox", name: "demo-web-1" } });
    expect(Object.keys(e.attributes)).toEqual(["image", "name"]);
  });
  it("drops one-off containers, other types and services not asked for", () => {
    expect(composeEvent({ ...raw, attributes: { ...raw.attributes, "com.docker.compose.oneoff": "True" } }, [])).toBeUndefined();
    expect(composeEvent({ ...raw, type: "network" }, [])).toBeUndefined();
    expect(composeEvent(raw, ["db"])).toBeUndefined();
    expect(composeEvent(raw, ["web"])).toBeDefined();
  });
});

describe("event lines", () => {
  const e = composeEvent(raw, [])!;
  it("prints compose's text line (microseconds, attributes sorted) followed by a blank line", () => {
    expect(eventText(e, 0)).toBe("2025-11-24 16:00:00.123456 container start abc123 (image=busybox, name=demo-web-1)\n\n");
    expect(eventText(e, 60)).toMatch(/^2025-11-24 17:00:00\.123456 /);
  });
  it("prints compose's JSON line with Go's RFC 3339 time", () => {
    expect(JSON.parse(eventJson(e, 0))).toEqual({ action: "start", attributes: { image: "busybox", name: "demo-web-1" }, id: "abc123", service: "web", time: "2025-11-24T16:00:00.123456Z", type: "container" });
    expect(rfc3339Nano(1_764_000_000_000_000_000n, 0)).toBe("2025-11-24T16:00:00Z");
    expect(rfc3339Nano(1_764_000_000_500_000_000n, -330)).toBe("2025-11-24T10:30:00.5-05:30");
  });
});
