import { describe, expect, it } from "vitest";
import { checkProjectName, normalizeProjectName, suggestProjectName } from "./project-name.js";

describe("normalizeProjectName", () => {
  const cases: [string, string][] = [
    ["myapp", "myapp"],
    ["MyApp", "myapp"],
    ["my app", "myapp"],
    ["my.app", "myapp"],
    ["my_app-2", "my_app-2"],
    ["_private", "private"],
    ["--_x", "x"],
    ["x--", "x--"],
    ["2048", "2048"],
    ["Café", "caf"],
    ["!!!", ""],
    ["", ""],
    ["-", ""],
  ];
  it.each(cases)("%j → %j", (raw, want) => expect(normalizeProjectName(raw)).toBe(want));
});

describe("checkProjectName", () => {
  it.each(["myapp", "my_app-2", "2048", "a", "x--"])("%j is valid", (name) => expect(checkProjectName(name)).toBeUndefined());

  it.each(["MyApp", "my app", "my.app", "_private", "-x", "café"])("%j is refused with compose's message", (name) => {
    expect(checkProjectName(name)).toBe(
      `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
    );
  });

  it("refuses an empty name", () => expect(checkProjectName("")).toBe("project name must not be empty"));

  it("suggests the normalized form", () => {
    expect(suggestProjectName("My.App")).toBe('did you mean "myapp"?');
    expect(suggestProjectName("!!")).toBeUndefined();
    expect(suggestProjectName("ok")).toBeUndefined();
  });
});
