import { describe, expect, it } from "vitest";
import { menuEnabled, menuLine } from "./navigation-menu.js";

describe("navigation menu", () => {
  it("is on by default on terminals with the live view; --menu, then COMPOSE_MENU, decide otherwise", () => {
    expect(menuEnabled(undefined, {}, true, true)).toBe(true);
    expect(menuEnabled(undefined, { COMPOSE_MENU: "0" }, true, true)).toBe(false);
    expect(menuEnabled(undefined, { COMPOSE_MENU: "false" }, true, true)).toBe(false);
    expect(menuEnabled("false", { COMPOSE_MENU: "1" }, true, true)).toBe(false);
    expect(menuEnabled(true, { COMPOSE_MENU: "0" }, true, true)).toBe(true);
    // Never without terminals or with plain/json progress, whatever was asked.
    expect(menuEnabled(true, {}, true, false)).toBe(false);
    expect(menuEnabled(true, {}, false, true)).toBe(false);
  });

  it("says Enable or Disable Watch, and colours only when asked", () => {
    expect(menuLine(false, false)).toBe("w Enable Watch   d Detach");
    expect(menuLine(true, false)).toBe("w Disable Watch   d Detach");
    expect(menuLine(false, true)).toContain("\x1b[1;38;2;0;0;0;48;2;255;255;255mw\x1b[0m\x1b[2m Enable Watch\x1b[0m");
  });
});
