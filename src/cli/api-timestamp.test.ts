import { describe, expect, it } from "vitest";
import { apiTimestamp } from "./api-timestamp.js";

describe("apiTimestamp", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it("passes Unix times, turns durations into that long ago and dates into Unix seconds", () => {
    expect(apiTimestamp(undefined)).toBeUndefined();
    expect(apiTimestamp("1700000000")).toBe("1700000000");
    expect(apiTimestamp("1700000000.5")).toBe("1700000000.5");
    expect(apiTimestamp("10m", now)).toBe((now / 1000 - 600).toFixed(9));
    expect(apiTimestamp("2026-01-01T11:00:00Z", now)).toBe(String(now / 1000 - 3600));
    expect(apiTimestamp("2026-01-01T11:00:00+01:00", now)).toBe(String(now / 1000 - 7200));
  });
  it("rejects anything else clearly", () => {
    expect(() => apiTimestamp("yesterday")).toThrow(/invalid time "yesterday"/);
  });
});
