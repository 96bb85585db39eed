import { describe, expect, it } from "vitest";
import { diffConfigs } from "./plan-diff.js";

describe("diffConfigs", () => {
  it.each<[string, unknown, unknown, string[]]>([
    ["equal", { a: 1 }, { a: 1 }, []],
    ["a changed leaf", { environment: { DEBUG: "0" } }, { environment: { DEBUG: "1" } }, ['environment.DEBUG: "0" → "1"']],
    ["an added key", { image: "a" }, { image: "a", user: "1000" }, ['user: (absent) → "1000"']],
    ["a removed key", { image: "a", user: "1000" }, { image: "a" }, ['user: "1000" → (absent)']],
    ["array elements by index", { ports: [{ published: "8080" }] }, { ports: [{ published: "8081" }] }, ['ports[0].published: "8080" → "8081"']],
    ["a longer array", { command: ["a"] }, { command: ["a", "b"] }, ['command[1]: (absent) → "b"']],
    ["a type change", { command: ["a"] }, { command: "a" }, ['command: ["a"] → "a"']],
    ["keys that are not identifiers", { labels: { "com.example.x": "1" } }, { labels: { "com.example.x": "2" } }, ['labels."com.example.x": "1" → "2"']],
    ["several fields in name order", { b: 1, a: 1 }, { b: 2, a: 2 }, ["a: 1 → 2", "b: 1 → 2"]],
  ])("%s", (_what, before, after, expected) => {
    expect(diffConfigs(before, after)).toEqual(expected);
  });

  it.each(["DB_PASSWORD", "API_TOKEN", "AWS_SECRET_ACCESS_KEY", "GITHUB_AUTH", "private_key"])("hides the value of %s", (name) => {
    const lines = diffConfigs({ environment: { [name]: "old-value" } }, { environment: { [name]: "new-value" } });
    expect(lines).toEqual([`environment.${name}: changed (value hidden)`]);
    expect(lines.join()).not.toMatch(/old-value|new-value/);
  });

  it("says when a secret-looking variable is added or removed, still without its value", () => {
    expect(diffConfigs({ environment: {} }, { environment: { PASSWORD: "x" } })).toEqual(["environment.PASSWORD: added (value hidden)"]);
    expect(diffConfigs({ environment: { PASSWORD: "x" } }, { environment: {} })).toEqual(["environment.PASSWORD: removed (value hidden)"]);
  });

  it("shortens long values", () => {
    const [line] = diffConfigs({ command: "x" }, { command: "y".repeat(200) });
    expect(line?.length).toBeLessThan(80);
    expect(line).toMatch(/…$/);
  });
});
