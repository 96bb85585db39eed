import { describe, expect, it } from "vitest";
import type { ContainerSummary } from "../engine/types.js";
import { combinedStatus, matchesNameFilters, projectRows } from "./project-list.js";

const container = (project: string, state: ContainerSummary["state"], files?: string): ContainerSummary => ({
  id: `${project}-${state}`,
  name: project,
  image: "x",
  imageId: "sha256:x",
  command: "",
  created: 0,
  state,
  status: "",
  labels: { "com.docker.compose.project": project, ...(files ? { "com.docker.compose.project.config_files": files } : {}) },
  networks: {},
  ports: [],
  mounts: [],
});

describe("ls rows", () => {
  it("counts states in name order", () => {
    expect(combinedStatus(["running", "exited", "running"])).toBe("exited(1), running(2)");
    expect(combinedStatus([])).toBe("");
  });
  it("groups by project, merges config files in order and says N/A when a container lacks them", () => {
    const rows = projectRows([container("b", "running", "/b/compose.yaml,/b/override.yaml"), container("a", "exited", "/a/compose.yaml"), container("b", "running", "/b/compose.yaml"), container("c", "running")]);
    expect(rows).toEqual([
      { Name: "a", Status: "exited(1)", ConfigFiles: "/a/compose.yaml" },
      { Name: "b", Status: "running(2)", ConfigFiles: "/b/compose.yaml,/b/override.yaml" },
      { Name: "c", Status: "running(1)", ConfigFiles: "N/A" },
    ]);
  });
  it("matches --filter name= exactly or as a regular expression", () => {
    expect(matchesNameFilters("demo", [])).toBe(true);
    expect(matchesNameFilters("demo", ["demo"])).toBe(true);
    expect(matchesNameFilters("demo-2", ["^demo"])).toBe(true);
    expect(matchesNameFilters("other", ["^demo", "["])).toBe(false);
  });
});
