import { describe, expect, it } from "vitest";
import { stripAnsi } from "./ansi.js";
import { codeFrame } from "./code-frame.js";

const YAML = ["services:", "  web:", "    image: nginx", "    prots:", '      - "80:80"', ""].join("\n");

describe("codeFrame", () => {
  it("shows the line before and after, numbered, and a caret under the token", () => {
    expect(codeFrame(YAML, 4, 5, { color: false })).toBe(
      ["  3 |     image: nginx", "> 4 |     prots:", "    |     ^^^^^", '  5 |       - "80:80"'].join("\n"),
    );
  });

  it("underlines a quoted value whole, and keeps tabs so the caret lines up", () => {
    expect(codeFrame(YAML, 5, 9, { color: false, context: 0 })).toBe(['> 5 |       - "80:80"', "    |         ^^^^^^^"].join("\n"));
    expect(codeFrame("a:\n\tb: x", 2, 5, { color: false, context: 0 })).toBe(["> 2 | \tb: x", "    | \t   ^"].join("\n"));
  });

  it("widens the gutter for the largest number shown, and stops at the file's ends", () => {
    const text = Array.from({ length: 10 }, (_, i) => `k${i + 1}: v`).join("\n");
    expect(codeFrame(text, 10, 1, { color: false })).toBe(["   9 | k9: v", "> 10 | k10: v", "     | ^^^"].join("\n"));
    expect(codeFrame(text, 1, 1, { color: false })?.split("\n")[0]).toBe("> 1 | k1: v");
  });

  it("points past the end of a line with one caret, and gives up on a line that is not there", () => {
    expect(codeFrame("key:", 1, 5, { color: false, context: 0 })).toBe(["> 1 | key:", "    |     ^"].join("\n"));
    expect(codeFrame("key:", 3, 1, { color: false })).toBeUndefined();
    expect(codeFrame("key:", 0, 1, { color: false })).toBeUndefined();
  });

  it("colours the marker and caret only when asked", () => {
    const frame = codeFrame(YAML, 4, 5, { color: true })!;
    expect(frame).toContain("\x1b[31m^^^^^\x1b[39m");
    expect(stripAnsi(frame)).toBe(codeFrame(YAML, 4, 5, { color: false }));
  });
});
