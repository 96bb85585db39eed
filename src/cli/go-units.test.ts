import { describe, expect, it } from "vitest";
import { bytesSize, goG, humanDuration, humanSize } from "./go-units.js";

describe("go-units sizes", () => {
  it("formats like Go's %g: significant digits, no trailing zeros", () => {
    expect(goG(1.5, 4)).toBe("1.5");
    expect(goG(100, 4)).toBe("100");
    expect(goG(23.5432, 4)).toBe("23.54");
    expect(goG(0, 3)).toBe("0");
    expect(goG(999.7, 3)).toBe("1e+03");
  });

  it("prints decimal sizes as the docker CLI does for images and I/O", () => {
    expect(humanSize(0, 3)).toBe("0B");
    expect(humanSize(486, 3)).toBe("486B");
    expect(humanSize(1170, 3)).toBe("1.17kB");
    expect(humanSize(1985581, 3)).toBe("1.99MB");
    expect(humanSize(7_500_000_000)).toBe("7.5GB");
  });

  it("prints binary sizes as the docker CLI does for memory", () => {
    expect(bytesSize(0)).toBe("0B");
    expect(bytesSize(468 * 1024)).toBe("468KiB");
    expect(bytesSize(23.54 * 1024 ** 3)).toBe("23.54GiB");
    expect(bytesSize(1536 * 1024)).toBe("1.5MiB");
  });
});

describe("humanDuration", () => {
  it("says how long ago in go-units' words", () => {
    expect(humanDuration(500)).toBe("Less than a second");
    expect(humanDuration(1000)).toBe("1 second");
    expect(humanDuration(42_000)).toBe("42 seconds");
    expect(humanDuration(90_000)).toBe("About a minute");
    expect(humanDuration(5 * 60_000)).toBe("5 minutes");
    expect(humanDuration(3_600_000)).toBe("About an hour");
    expect(humanDuration(2 * 3_600_000)).toBe("2 hours");
    expect(humanDuration(3 * 86_400_000)).toBe("3 days");
    expect(humanDuration(21 * 86_400_000)).toBe("3 weeks");
    expect(humanDuration(90 * 86_400_000)).toBe("3 months");
    expect(humanDuration(3 * 365 * 86_400_000)).toBe("3 years");
  });
});
