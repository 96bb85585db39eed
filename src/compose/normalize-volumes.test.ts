import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanTarget, expandUser, isCleanAbsolute, parseVolumeSpec, resolveContextPath, resolveHostPath } from "./normalize-volumes.js";

describe("parseVolumeSpec", () => {
  const cases: [string, object][] = [
    ["/data", { type: "volume", target: "/data", volume: {} }],
    ["data:/data", { type: "volume", source: "data", target: "/data", volume: {} }],
    ["data:/data:ro", { type: "volume", source: "data", target: "/data", read_only: true, volume: {} }],
    ["data:/data:rw", { type: "volume", source: "data", target: "/data", volume: {} }],
    ["data:/data:nocopy", { type: "volume", source: "data", target: "/data", volume: { nocopy: true } }],
    ["./src:/src", { type: "bind", source: "./src", target: "/src", bind: { create_host_path: true } }],
    ["~/x:/x:ro,Z", { type: "bind", source: "~/x", target: "/x", read_only: true, bind: { selinux: "Z", create_host_path: true } }],
    ["/a:/b:rshared,cached", { type: "bind", source: "/a", target: "/b", bind: { propagation: "rshared", create_host_path: true } }],
    ["C:\\dir:/dir", { type: "bind", source: "C:\\dir", target: "/dir", bind: { create_host_path: true } }],
    ["${VOL:-v}:/d", { type: "volume", source: "${VOL:-v}", target: "/d", volume: {} }],
    ["ab", { type: "volume", target: "ab", volume: {} }],
  ];
  it.each(cases)("%s", (spec, want) => {
    expect(parseVolumeSpec(spec)).toEqual(want);
  });
  // "a:…" reads as a Windows drive, as in compose, so the malformed cases use longer names.
  it.each(["", "data::/x", "vol:/a:ro:x"])("rejects %j", (spec) => {
    expect(parseVolumeSpec(spec)).toHaveProperty("error");
  });
});

describe("paths", () => {
  const ctx = { workingDir: "/proj", homeDir: "/home/u", resolvePaths: true };
  it.each([
    ["./a", "/proj/a"],
    ["a/../b", "/proj/b"],
    ["/abs", "/abs"],
    ["~", "/home/u"],
    ["~/c", "/home/u/c"],
  ])("resolveHostPath(%s) = %s", (p, want) => {
    expect(resolveHostPath(p, ctx)).toBe(want);
  });
  it("keeps paths as written when resolution is off", () => {
    expect(resolveHostPath("./a", { ...ctx, resolvePaths: false })).toBe("./a");
    expect(resolveContextPath(".", { ...ctx, resolvePaths: false })).toBe(".");
  });
  it.each(["https://github.com/a/b.git", "git@github.com:a/b.git", "github.com/a/b", "docker-image://alpine", "service:base"])("leaves remote context %s alone", (p) => {
    expect(resolveContextPath(p, ctx)).toBe(p);
  });
  it("expands ~ only at the start", () => {
    expect(expandUser("a/~", "/h")).toBe("a/~");
  });
  it.each([["/data/", "/data"], ["/a//b/./c", "/a/b/c"], ["/", "/"], ["", ""]])("cleanTarget(%j) = %j", (t, want) => {
    expect(cleanTarget(t)).toBe(want);
  });
});

describe("cleanTarget's fast path", () => {
  it("answers as path.Clean does, clean or not", () => {
    const slow = (t: string): string => (t === "" ? "" : path.posix.normalize(t).replace(/(.)\/$/, "$1"));
    const samples = ["/", "/data", "/data/", "//data", "/a//b", "/a/./b", "/a/../b", "/a/..", "/a/.", "/.config/x", "/a/.hidden", "/a/b.c/d", "/x..y", "relative/p", "./p", "/a b/c", "/a/b/"];
    for (const t of samples) {
      expect(cleanTarget(t), t).toBe(slow(t));
      if (isCleanAbsolute(t)) expect(slow(t), t).toBe(t);
    }
    expect(isCleanAbsolute("/var/lib/app")).toBe(true);
    expect(isCleanAbsolute("/var/lib/app/")).toBe(false);
  });
});
