// compose's navigation menu for an attached `up` on a terminal: one line kept at the bottom under
// the logs ("w Enable Watch   d Detach") and single keys read from the terminal in raw mode:
// d detaches (moor exits, the containers keep running), w turns watch on and off, Ctrl-C is the
// interrupt it would be without raw mode. While the menu is shown, whatever moor writes to its
// standard output and error (whole lines: logs, watch messages) clears the menu, is written, and
// the menu is drawn again under it, so the two never share a line.

export interface MenuActions {
  detach(): void;
  interrupt(): void;
  /** Turns watch on or off; resolves with whether it is on now. Absent: no service has develop.watch. */
  toggleWatch?: () => Promise<boolean>;
}

export interface MenuTerminal {
  out: NodeJS.WriteStream;
  /** Written through the menu too (the same terminal as `out`). */
  err?: NodeJS.WriteStream;
  input: NodeJS.ReadStream;
  color: boolean;
  /** The process whose exit gives the terminal back and whose Ctrl-Z suspends it (tests pass a stand-in). */
  proc?: MenuProcess;
}

/** What the menu needs of the process: its exit, SIGCONT after a suspension, and sending SIGTSTP. */
export interface MenuProcess {
  on(event: "exit" | "SIGCONT", listener: () => void): unknown;
  off(event: "exit" | "SIGCONT", listener: () => void): unknown;
  /** Stops the process (its whole group, as the terminal's Ctrl-Z would) until SIGCONT. */
  suspend(): void;
}

const nodeProcess: MenuProcess = {
  on: (event, listener) => process.on(event, listener),
  off: (event, listener) => process.off(event, listener),
  // 0: moor's process group, like the terminal's own Ctrl-Z, so a shell with job control sees the job stop.
  suspend: () => process.kill(0, "SIGTSTP"),
};

type Write = NodeJS.WriteStream["write"];

const CLEAR_LINE = "\r\x1b[2K";
const WATCH_DOCS = "https://docs.docker.com/compose/file-watch/";

/** Whether `up` shows the menu: compose's --menu, else COMPOSE_MENU, else on; only on terminals with the live view. */
export function menuEnabled(flag: boolean | string | undefined, env: Readonly<Record<string, string | undefined>>, liveView: boolean, terminals: boolean): boolean {
  if (!liveView || !terminals) return false;
  const value = flag ?? env.COMPOSE_MENU;
  if (value === undefined) return true;
  return value === true || (typeof value === "string" && ["1", "t", "true", "y", "yes"].includes(value.toLowerCase()));
}

/** The menu line as compose draws it: the key in bold black on white, its words faint. */
export function menuLine(watching: boolean, color: boolean): string {
  const key = (k: string) => (color ? `\x1b[1;38;2;0;0;0;48;2;255;255;255m${k}\x1b[0m` : k);
  const words = (w: string) => (color ? `\x1b[2m${w}\x1b[0m` : w);
  return [`${key("w")}${words(watching ? " Disable Watch" : " Enable Watch")}`, `${key("d")}${words(" Detach")}`].join("   ");
}

export class NavigationMenu {
  private watching = false;
  private toggling = false;
  private active = false;
  private restore: (() => void)[] = [];
  private raw: (text: string) => void = () => {};
  private suspended = false;
  private readonly onData = (data: Buffer) => this.key(data.toString("utf8"));
  // A process that ends without stop() (process.exit, an uncaught error) still leaves the terminal usable.
  private readonly onExit = () => this.stop();
  private readonly onContinue = () => this.resume();
  // A resize can reflow or cut the line: draw it again as the terminal now is.
  private readonly onResize = () => {
    if (this.active && !this.suspended) this.raw(CLEAR_LINE + this.line());
  };

  constructor(
    private readonly term: MenuTerminal,
    private readonly actions: MenuActions,
    /** Watch is already on (`up --watch`): the menu offers to disable it. */
    watching = false,
  ) {
    this.watching = watching;
  }

  private get proc(): MenuProcess {
    return this.term.proc ?? nodeProcess;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    const original = this.term.out.write.bind(this.term.out) as Write;
    this.raw = (text) => void original(text);
    for (const stream of [this.term.out, this.term.err]) {
      if (!stream) continue;
      const own = stream.write.bind(stream) as Write;
      const shadowed = Object.hasOwn(stream, "write") ? stream.write : undefined;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        if (!this.active || this.suspended) return (own as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
        this.raw(CLEAR_LINE);
        const done = (own as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
        this.draw();
        return done;
      }) as Write;
      this.restore.push(() => {
        if (shadowed) stream.write = shadowed;
        else delete (stream as Partial<NodeJS.WriteStream>).write;
      });
    }
    this.proc.on("exit", this.onExit);
    this.term.out.on("resize", this.onResize);
    this.grabKeys();
    this.draw();
  }

  private grabKeys(): void {
    this.term.input.setRawMode(true);
    this.term.input.on("data", this.onData);
    this.term.input.resume();
  }

  private releaseKeys(): void {
    this.term.input.off("data", this.onData);
    this.term.input.setRawMode(false);
    this.term.input.pause();
  }

  /** Writes text (whole lines) above the menu. */
  print(text: string): void {
    if (!this.active || this.suspended) {
      this.term.out.write(text);
      return;
    }
    this.raw(CLEAR_LINE + text);
    this.draw();
  }

  /** Clears the menu and gives the terminal back as it was. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.proc.off("exit", this.onExit);
    this.proc.off("SIGCONT", this.onContinue);
    this.term.out.off("resize", this.onResize);
    if (!this.suspended) {
      this.raw(CLEAR_LINE);
      this.releaseKeys();
    }
    this.suspended = false;
    for (const undo of this.restore.splice(0)) undo();
  }

  /**
   * Ctrl-Z: the terminal back in its normal mode, the menu cleared, then the process stopped as
   * the terminal's own Ctrl-Z would (raw mode turned that key into a byte). SIGCONT (`fg`) brings
   * the keys and the menu back.
   */
  private suspend(): void {
    if (this.suspended) return;
    this.suspended = true;
    this.raw(CLEAR_LINE);
    this.releaseKeys();
    this.proc.on("SIGCONT", this.onContinue);
    this.proc.suspend();
  }

  private resume(): void {
    this.proc.off("SIGCONT", this.onContinue);
    if (!this.active || !this.suspended) return;
    this.suspended = false;
    this.grabKeys();
    this.draw();
  }

  private line(): string {
    return menuLine(this.watching, this.term.color);
  }

  private draw(): void {
    if (!this.suspended) this.raw(this.line());
  }

  private key(data: string): void {
    for (const ch of data) {
      if (!this.active) return;
      if (ch === "\x03") {
        this.stop();
        this.actions.interrupt();
      } else if (ch === "d") {
        this.stop();
        this.actions.detach();
      } else if (ch === "\x1a") {
        this.suspend();
        return;
      } else if (ch === "w") void this.watch();
      else if (ch === "\r") this.print("\n");
    }
  }

  private async watch(): Promise<void> {
    const toggle = this.actions.toggleWatch;
    if (!toggle) {
      const link = this.term.color ? `\x1b[36m${WATCH_DOCS}\x1b[0m` : WATCH_DOCS;
      this.print(`${this.term.color ? "\x1b[31mWatch\x1b[0m" : "Watch"} watch is not yet configured. Learn more: ${link}\n`);
      return;
    }
    if (this.toggling) return;
    this.toggling = true;
    try {
      this.watching = await toggle();
    } catch (err) {
      this.print(`Watch ${(err as Error).message}\n`);
    } finally {
      this.toggling = false;
    }
    if (this.active) this.print("");
  }
}
