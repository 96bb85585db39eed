import { describe, expect, it } from "vitest";
import { planCopy, renameEntry, splitCopyArg, splitDirEntry } from "./copy-paths.js";

describe("splitCopyArg", () => {
  it("finds the service side, and treats absolute and ./ paths as local", () => {
    expect(splitCopyArg("web:/etc/hosts")).toEqual({ service: "web", path: "/etc/hosts" });
    expect(splitCopyArg("/tmp/a:b")).toEqual({ path: "/tmp/a:b" });
    expect(splitCopyArg("./a:b")).toEqual({ path: "./a:b" });
    expect(splitCopyArg("file.txt")).toEqual({ path: "file.txt" });
  });
});

describe("splitDirEntry", () => {
  it("keeps a trailing /. as the entry '.'", () => {
    expect(splitDirEntry("/data/dir")).toEqual({ dir: "/data", base: "dir" });
    expect(splitDirEntry("/data/dir/")).toEqual({ dir: "/data", base: "dir" });
    expect(splitDirEntry("/data/dir/.")).toEqual({ dir: "/data/dir", base: "." });
  });
});

describe("planCopy (the docker CLI's cp rules)", () => {
  const file = { path: "/src/a.txt", isDir: false };
  const dir = { path: "/src/dir", isDir: true };
  const contents = { path: "/src/dir/.", isDir: true };
  it("copies into an existing directory under the source's own name", () => {
    expect(planCopy(file, { path: "/dst", exists: true, isDir: true })).toEqual({ extractDir: "/dst" });
    expect(planCopy(dir, { path: "/dst", exists: true, isDir: true })).toEqual({ extractDir: "/dst" });
    expect(planCopy(contents, { path: "/dst", exists: true, isDir: true })).toEqual({ extractDir: "/dst" });
  });
  it("gives the source the destination's name when the destination is a file or does not exist", () => {
    expect(planCopy(file, { path: "/dst/b.txt", exists: true, isDir: false })).toEqual({ extractDir: "/dst", rename: { from: "a.txt", to: "b.txt" } });
    expect(planCopy(file, { path: "/dst/new", exists: false, isDir: false })).toEqual({ extractDir: "/dst", rename: { from: "a.txt", to: "new" } });
    expect(planCopy(dir, { path: "/dst/copy", exists: false, isDir: false })).toEqual({ extractDir: "/dst", rename: { from: "dir", to: "copy" } });
    expect(planCopy(contents, { path: "/dst/copy", exists: false, isDir: false })).toEqual({ extractDir: "/dst", rename: { from: ".", to: "copy" } });
    expect(planCopy(dir, { path: "/dst/dir", exists: false, isDir: false })).toEqual({ extractDir: "/dst" });
  });
  it("refuses a directory onto a file and a file into a directory that does not exist", () => {
    expect(() => planCopy(dir, { path: "/dst/f", exists: true, isDir: false })).toThrow(/cannot copy a directory to a file/);
    expect(() => planCopy(file, { path: "/dst/missing/", exists: false, isDir: false })).toThrow(/no such directory/);
  });
});

describe("renameEntry", () => {
  it("renames the top entry and everything under it, and nothing else", () => {
    const r = { from: "dir", to: "copy" };
    expect(renameEntry("dir", r)).toBe("copy");
    expect(renameEntry("dir/", r)).toBe("copy/");
    expect(renameEntry("dir/sub/b", r)).toBe("copy/sub/b");
    expect(renameEntry("director/x", r)).toBe("director/x");
    expect(renameEntry("dir/x", undefined)).toBe("dir/x");
  });
  it("puts a '.' archive (dir/.) under the new name", () => {
    const r = { from: ".", to: "copy" };
    expect(renameEntry("./", r)).toBe("copy/");
    expect(renameEntry(".", r)).toBe("copy/");
    expect(renameEntry("./sub/b", r)).toBe("copy/sub/b");
    expect(renameEntry("a", r)).toBe("copy/a");
  });
});
