import { describe, expect, it } from "vitest";
import { imagesJson, imagesTable, repositoryAndTag, type ContainerImage } from "./images.js";

describe("repositoryAndTag", () => {
  it("shortens Docker Hub names and splits the tag, as docker images shows them", () => {
    expect(repositoryAndTag("moor-test/busybox:latest")).toEqual({ repository: "moor-test/busybox", tag: "latest" });
    expect(repositoryAndTag("docker.io/library/redis")).toEqual({ repository: "redis", tag: "latest" });
    expect(repositoryAndTag("localhost:5000/app:1.2")).toEqual({ repository: "localhost:5000/app", tag: "1.2" });
    expect(repositoryAndTag(`redis@sha256:${"a".repeat(64)}`)).toEqual({ repository: "redis", tag: "" });
    expect(repositoryAndTag(`sha256:${"b".repeat(64)}`)).toEqual({ repository: "", tag: "" });
  });
});

describe("images output", () => {
  const rows: ContainerImage[] = [
    { container: "demo-web-1", id: `sha256:${"4e312accb412".padEnd(64, "0")}`, repository: "moor-test/busybox", tag: "latest", platform: "linux/amd64", size: 1985581, created: "2026-01-01T10:00:00Z" },
    { container: "demo-app-1", id: `sha256:${"1".repeat(64)}`, repository: "", tag: "", platform: "", size: 0 },
  ];
  it("prints compose's columns, sorted by container, ids cut to 12, <none> for a missing name", () => {
    const table = imagesTable(rows, Date.parse("2026-01-01T12:00:00Z")).split("\n");
    expect(table[0]).toBe(`${"CONTAINER".padEnd(20)}${"REPOSITORY".padEnd(20)}${"TAG".padEnd(20)}${"PLATFORM".padEnd(20)}${"IMAGE ID".padEnd(20)}${"SIZE".padEnd(20)}CREATED`);
    expect(table[1]!.split(/\s{2,}/)).toEqual(["demo-app-1", "<none>", "<none>", "111111111111", "0B", "N/A"]);
    expect(table[2]!.split(/\s{2,}/)).toEqual(["demo-web-1", "moor-test/busybox", "latest", "linux/amd64", "4e312accb412", "1.99MB", "2 hours ago"]);
  });
  it("prints one JSON array with compose's field names", () => {
    const parsed = JSON.parse(imagesJson(rows));
    expect(parsed.map((r: { ContainerName: string }) => r.ContainerName)).toEqual(["demo-app-1", "demo-web-1"]);
    expect(parsed[1]).toEqual({ ID: rows[0]!.id, ContainerName: "demo-web-1", Repository: "moor-test/busybox", Tag: "latest", Platform: "linux/amd64", Size: 1985581, Created: "2026-01-01T10:00:00Z" });
    expect(parsed[0]).not.toHaveProperty("Created");
    expect(imagesJson([])).toBe("[]\n");
  });
});
