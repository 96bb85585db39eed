import { describe, expect, it } from "vitest";
import { LineSplitter, LogPrefixer } from "./log-lines.js";

describe("LineSplitter", () => {
  it("keeps partial lines until their newline arrives", () => {
    const s = new LineSplitter();
    expect(s.push("hel")).toEqual([]);
    expect(s.push("lo\nwor")).toEqual(["hello"]);
    expect(s.push("ld\r\n\n")).toEqual(["world", ""]);
    expect(s.push("tail")).toEqual([]);
    expect(s.flush()).toEqual(["tail"]);
    expect(s.flush()).toEqual([]);
  });
});

describe("LogPrefixer", () => {
  it("aligns prefixes to the widest registered name", () => {
    const p = new LogPrefixer({ color: false, prefix: true });
    p.register("web-1");
    p.register("worker-12");
    expect(p.format("web-1", "hi")).toBe("web-1      | hi");
    expect(p.format("worker-12", "yo")).toBe("worker-12  | yo");
  });

  it("colours each source the same way every time and leaves lines bare without prefix", () => {
    const p = new LogPrefixer({ color: true, prefix: true });
    const a = p.format("a-1", "x");
    expect(p.format("a-1", "x")).toBe(a);
    expect(a).toBe("\x1b[36ma-1  | \x1b[0mx");
    expect(new LogPrefixer({ color: true, prefix: false }).format("a-1", "x")).toBe("x");
  });
});
