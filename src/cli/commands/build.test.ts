import { describe, expect, it } from "vitest";
import type { Project } from "../../compose/types.js";
import { buildActions, parseBuildArgs } from "./build.js";

describe("parseBuildArgs", () => {
  it("takes KEY=VALUE, and KEY alone from the environment (left out when unset)", () => {
    expect(parseBuildArgs(["A=1", "B=x=y", "C=", "HOME", "UNSET"], { HOME: "/root" })).toEqual({ A: "1", B: "x=y", C: "", HOME: "/root" });
    expect(() => parseBuildArgs(["=1"], {})).toThrow(/invalid --build-arg/);
  });
});

describe("buildActions", () => {
  it("builds each distinct image of the services that have a build section", () => {
    const project = {
      name: "demo",
      services: {
        a: { name: "a", build: { context: "/a" } },
        b: { name: "b", build: { context: "/b" }, image: "shared:1" },
        c: { name: "c", build: { context: "/b" }, image: "shared:1" },
        d: { name: "d", image: "redis:7" },
      },
    } as unknown as Project;
    expect(buildActions(project, ["a", "b", "c", "d"]).map((a) => (a.kind === "build-image" ? [a.image, a.service] : []))).toEqual([
      ["demo-a", "a"],
      ["shared:1", "b"],
    ]);
  });
});
