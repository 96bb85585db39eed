import { describe, expect, it } from "vitest";
import { LogCursor, timestampNanos } from "./follow-logs.js";

describe("timestampNanos", () => {
  it("reads the engine's RFC 3339 timestamps to the nanosecond, whatever the fraction's length", () => {
    expect(timestampNanos("2024-05-01T10:00:00.123456789Z")).toBe(1714557600123456789n);
    // Go trims trailing zeros from RFC3339Nano: .1 is 100ms, and sorts after .099999999.
    expect(timestampNanos("2024-05-01T10:00:00.1Z")).toBe(1714557600100000000n);
    expect(timestampNanos("2024-05-01T10:00:00Z")).toBe(1714557600000000000n);
    expect(timestampNanos("2024-05-01T12:00:00.5+02:00")).toBe(1714557600500000000n);
    expect(timestampNanos("yesterday")).toBeUndefined();
  });
});

describe("LogCursor", () => {
  it("resumes a container after the last line seen, from that whole second", () => {
    const cursor = new LogCursor();
    expect(cursor.resume("a")).toBeUndefined();
    cursor.seen("a", 1714557600900000000n);
    cursor.seen("a", 1714557600100000000n);
    expect(cursor.resume("a")).toEqual({ since: 1714557600, after: 1714557600900000000n });
    expect(cursor.resume("b")).toBeUndefined();
  });
});
