import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "./did-you-mean.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["ports", "ports", 0],
    ["portss", "ports", 1],
    ["prots", "ports", 1],
    ["kitten", "sitting", 3],
    ["image", "imgae", 1],
    ["ca", "abc", 3],
    ["restart", "retsart", 1],
  ])("%j → %j is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("didYouMean", () => {
  const serviceKeys = ["image", "ports", "depends_on", "environment", "env_file", "volumes", "volumes_from", "restart", "networks", "network_mode"];
  it.each([
    ["portss", "ports"],
    ["prots", "ports"],
    ["imgae", "image"],
    ["depends-on", "depends_on"],
    ["Depends_On", "depends_on"],
    ["enviroment", "environment"],
    ["envfile", "env_file"],
    ["volume", "volumes"],
    ["network", "networks"],
    ["restarts", "restart"],
  ])("%j → %j", (input, expected) => {
    expect(didYouMean(input, serviceKeys)).toBe(expected);
  });

  it.each([["replicas"], ["x"], ["completely_unrelated"], ["a".repeat(200)]])("no suggestion for %j", (input) => {
    expect(didYouMean(input, serviceKeys)).toBeUndefined();
  });

  it("never suggests the input itself, and prefers the closest candidate", () => {
    expect(didYouMean("ports", ["ports"])).toBeUndefined();
    expect(didYouMean("volumes_fro", serviceKeys)).toBe("volumes_from");
  });

  it("keeps short words to one edit, so `ab` is not taken for `id`", () => {
    expect(didYouMean("ab", ["id"])).toBeUndefined();
    expect(didYouMean("ib", ["id"])).toBe("id");
  });
});
