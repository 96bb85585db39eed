import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

const S = 1e9;
const MS = 1e6;
const US = 1e3;

describe("parseDuration", () => {
  const valid: [string | number, number][] = [
    ["0", 0],
    ["+0", 0],
    ["-0", 0],
    [0, 0],
    ["0s", 0],
    ["10s", 10 * S],
    ["1.5s", 1.5 * S],
    [".5s", 0.5 * S],
    ["5.s", 5 * S],
    ["500ms", 500 * MS],
    ["2us", 2 * US],
    ["2\u00b5s", 2 * US],
    ["2\u03bcs", 2 * US],
    ["7ns", 7],
    ["1m", 60 * S],
    ["1h", 3600 * S],
    ["1h30m", 5400 * S],
    ["1h30m10s", 5410 * S],
    ["1m30s500ms", 90.5 * S],
    ["30s1m", 90 * S],
    ["1.5h", 5400 * S],
    ["0.1s", 100 * MS],
    ["1.000000001s", S + 1],
    ["1d", 86400 * S],
    ["1w", 7 * 86400 * S],
    ["1w2d", 9 * 86400 * S],
    ["-1.5s", -1.5 * S],
    ["+2s", 2 * S],
    ["100ms", 100 * MS],
  ];
  it.each(valid)("%j → %d ns", (input, want) => expect(parseDuration(input)).toBe(want));

  const invalid: (string | number)[] = ["", "-", "s", "10", 10, 1.5, "1.5", "1x", "1 s", " 1s", "1s ", "1S", "1H", ".s", "1h-2m", "abc", "1e3s", "9999999999999999999h", "106752d"];
  it.each(invalid)("%j is not a duration", (input) => expect(parseDuration(input)).toBeUndefined());
});

describe("formatDuration", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [1, "1ns"],
    [999, "999ns"],
    [1 * US, "1\u00b5s"],
    [1.5 * US, "1.5\u00b5s"],
    [500 * MS, "500ms"],
    [1.5 * MS, "1.5ms"],
    [S, "1s"],
    [1.5 * S, "1.5s"],
    [S + 1, "1.000000001s"],
    [10 * S, "10s"],
    [59 * S, "59s"],
    [60 * S, "1m0s"],
    [90 * S, "1m30s"],
    [90.5 * S, "1m30.5s"],
    [3600 * S, "1h0m0s"],
    [5400 * S, "1h30m0s"],
    [5410 * S, "1h30m10s"],
    [86400 * S, "24h0m0s"],
    [-1.5 * S, "-1.5s"],
    [-5 * MS, "-5ms"],
  ];
  it.each(cases)("%d ns → %s", (ns, want) => expect(formatDuration(ns)).toBe(want));

  it.each(["1h30m", "90s", "1.5s", "500ms", "2us", "1d", "0s", "1m0.001s"])("round-trips %s through parse and format", (s) => {
    const ns = parseDuration(s)!;
    expect(parseDuration(formatDuration(ns))).toBe(ns);
  });
});
