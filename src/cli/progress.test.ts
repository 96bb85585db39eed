import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { colorFor, progressMode, resolveProgress } from "./progress.js";

const KEYS = ["COMPOSE_PROGRESS", "COMPOSE_ANSI", "NO_COLOR"] as const;
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
});
afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("progress renderer selection (compose's rules)", () => {
  it.each([
    [{}, true, "tty"],
    [{}, false, "plain"],
    [{ progress: "auto" }, true, "tty"],
    [{ ansi: "never" }, true, "plain"],
    [{ progress: "tty" }, false, "tty"],
    [{ progress: "plain" }, true, "plain"],
    [{ progress: "json" }, true, "json"],
    [{ progress: "quiet" }, true, "quiet"],
    [{ progress: "plain", ansi: "never" }, true, "plain"],
  ] as const)("%o on a terminal=%s → %s", (global, tty, expected) => {
    expect(resolveProgress(global, tty)).toBe(expected);
  });

  it("refuses contradicting flags as compose does", () => {
    expect(() => resolveProgress({ progress: "tty", ansi: "never" }, true)).toThrow("can't use --progress tty while ANSI support is disabled");
    expect(() => resolveProgress({ progress: "plain", ansi: "always" }, true)).toThrow("can't use --progress plain while ANSI support is forced");
  });

  it("reads COMPOSE_PROGRESS and COMPOSE_ANSI; flags win", () => {
    process.env.COMPOSE_PROGRESS = "json";
    expect(progressMode({})).toBe("json");
    expect(progressMode({ progress: "plain" })).toBe("plain");
    process.env.COMPOSE_PROGRESS = "none";
    expect(progressMode({})).toBe("quiet");
    delete process.env.COMPOSE_PROGRESS;
    process.env.COMPOSE_ANSI = "never";
    expect(resolveProgress({}, true)).toBe("plain");
    expect(resolveProgress({ ansi: "auto" }, true)).toBe("tty");
  });

  it("colours on a terminal unless --ansi never or NO_COLOR; --ansi always forces them", () => {
    expect(colorFor({}, { isTTY: true })).toBe(true);
    expect(colorFor({}, { isTTY: false })).toBe(false);
    expect(colorFor({ ansi: "always" }, { isTTY: false })).toBe(true);
    expect(colorFor({ ansi: "never" }, { isTTY: true })).toBe(false);
    process.env.NO_COLOR = "1";
    expect(colorFor({ ansi: "always" }, { isTTY: true })).toBe(false);
  });
});
