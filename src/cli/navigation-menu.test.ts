import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { menuEnabled, menuLine, NavigationMenu, type MenuProcess } from "./navigation-menu.js";

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

/** A terminal and a process the menu can drive, recording what it does to them. */
function fakeTerminal() {
  const out = Object.assign(new EventEmitter(), {
    text: "",
    write(chunk: string | Uint8Array) {
      out.text += String(chunk);
      return true;
    },
  });
  const input = Object.assign(new EventEmitter(), {
    raw: false,
    flowing: false,
    setRawMode(on: boolean) {
      input.raw = on;
      return input;
    },
    resume() {
      input.flowing = true;
      return input;
    },
    pause() {
      input.flowing = false;
      return input;
    },
  });
  const procEvents = new EventEmitter();
  let suspensions = 0;
  const proc: MenuProcess = {
    on: (e, l) => procEvents.on(e, l),
    off: (e, l) => procEvents.off(e, l),
    suspend: () => void suspensions++,
  };
  const actions = { detached: 0, interrupted: 0 };
  const menu = new NavigationMenu(
    { out: out as unknown as NodeJS.WriteStream, input: input as unknown as NodeJS.ReadStream, color: false, proc },
    { detach: () => void actions.detached++, interrupt: () => void actions.interrupted++ },
  );
  const key = (k: string) => input.emit("data", Buffer.from(k));
  return { out, input, procEvents, menu, actions, key, suspensions: () => suspensions };
}

const LINE = "w Enable Watch   d Detach";
const CLEAR = "\r\x1b[2K";

describe("navigation menu on a terminal", () => {
  it("keeps its line under whatever is written, and gives the terminal back on stop", () => {
    const t = fakeTerminal();
    t.menu.start();
    expect(t.input.raw).toBe(true);
    expect(t.out.text).toBe(LINE);
    (t.out as unknown as NodeJS.WriteStream).write("web-1  | hello\n");
    expect(t.out.text).toBe(`${LINE}${CLEAR}web-1  | hello\n${LINE}`);
    t.menu.stop();
    expect(t.input.raw).toBe(false);
    expect(t.input.flowing).toBe(false);
    expect(t.out.text.endsWith(CLEAR)).toBe(true);
    // Writes go straight through again; no listener is left behind.
    t.out.text = "";
    (t.out as unknown as NodeJS.WriteStream).write("after\n");
    expect(t.out.text).toBe("after\n");
    expect(t.procEvents.listenerCount("exit") + t.procEvents.listenerCount("SIGCONT") + t.out.listenerCount("resize") + t.input.listenerCount("data")).toBe(0);
  });

  it("a process that exits without stop() (process.exit, an uncaught error) leaves the terminal in its normal mode", () => {
    const t = fakeTerminal();
    t.menu.start();
    t.procEvents.emit("exit");
    expect(t.input.raw).toBe(false);
    expect(t.out.text.endsWith(CLEAR)).toBe(true);
    expect(t.procEvents.listenerCount("exit")).toBe(0);
  });

  it("Ctrl-Z suspends with the terminal in its normal mode and the menu cleared; SIGCONT brings both back", () => {
    const t = fakeTerminal();
    t.menu.start();
    t.key("\x1a");
    expect(t.suspensions()).toBe(1);
    expect(t.input.raw).toBe(false);
    expect(t.out.text).toBe(`${LINE}${CLEAR}`);
    // Keys are not read while suspended, and output is not framed by a menu that is not drawn.
    expect(t.input.listenerCount("data")).toBe(0);
    (t.out as unknown as NodeJS.WriteStream).write("late line\n");
    expect(t.out.text).toBe(`${LINE}${CLEAR}late line\n`);
    t.procEvents.emit("SIGCONT");
    expect(t.input.raw).toBe(true);
    expect(t.input.flowing).toBe(true);
    expect(t.out.text).toBe(`${LINE}${CLEAR}late line\n${LINE}`);
    expect(t.procEvents.listenerCount("SIGCONT")).toBe(0);
    // The keys work again.
    t.key("d");
    expect(t.actions.detached).toBe(1);
    expect(t.input.raw).toBe(false);
  });

  it("stopping while suspended (the logs ended meanwhile) leaves nothing behind; a resize draws the line again", () => {
    const t = fakeTerminal();
    t.menu.start();
    t.out.emit("resize");
    expect(t.out.text).toBe(`${LINE}${CLEAR}${LINE}`);
    t.key("\x1a");
    t.out.emit("resize");
    expect(t.out.text).toBe(`${LINE}${CLEAR}${LINE}${CLEAR}`);
    t.menu.stop();
    t.procEvents.emit("SIGCONT");
    expect(t.input.raw).toBe(false);
    expect(t.procEvents.listenerCount("SIGCONT") + t.procEvents.listenerCount("exit")).toBe(0);
  });

  it("Ctrl-C read as a key ends the menu, then interrupts", () => {
    const t = fakeTerminal();
    t.menu.start();
    t.key("\x03");
    expect(t.actions.interrupted).toBe(1);
    expect(t.input.raw).toBe(false);
  });
});
