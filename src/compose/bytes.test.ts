import { describe, expect, it } from "vitest";
import { parseBytes } from "./bytes.js";

const K = 1024;
const M = K * K;
const G = M * K;

describe("parseBytes", () => {
  const valid: [string | number, number][] = [
    [0, 0],
    [1024, 1024],
    [-1, -1],
    ["0", 0],
    ["100", 100],
    ["-1", -1],
    ["+5", 5],
    ["100b", 100],
    ["100B", 100],
    ["1k", K],
    ["1K", K],
    ["1kb", K],
    ["1KB", K],
    ["1kib", K],
    ["1KiB", K],
    ["512m", 512 * M],
    ["512MB", 512 * M],
    ["1g", G],
    ["1GiB", G],
    ["1.5g", 1.5 * G],
    ["1t", 1024 * G],
    ["1p", 1024 * 1024 * G],
    ["0.5k", 512],
    ["1.7", 1],
    ["1 g", G],
    ["1 GiB", G],
    ["5 ", 5],
    [".5m", 0.5 * M],
    ["1e3", 1000],
  ];
  it.each(valid)("%j → %d", (input, want) => expect(parseBytes(input)).toBe(want));

  const invalid: (string | number)[] = [1.5, "", "k", "abc", "1x", "1kk", "1kbb", "1ki", "1mib2", "1bb", "1 b b", "-1k", " 5k", "5  k", "1.2.3m", "1gigabyte", Number.MAX_VALUE];
  it.each(invalid)("%j is not a size", (input) => expect(parseBytes(input)).toBeUndefined());
});
