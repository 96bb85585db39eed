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
}

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
  private readonly onData = (data: Buffer) => this.key(data.toString("utf8"));

  constructor(
    private readonly term: MenuTerminal,
    private readonly actions: MenuActions,
  ) {}

  start(): void {
    this.active = true;
    const original = this.term.out.write.bind(this.term.out) as Write;
    this.raw = (text) => void original(text);
    for (const stream of [this.term.out, this.term.err]) {
      if (!stream) continue;
      const own = stream.write.bind(stream) as Write;
      const shadowed = Object.hasOwn(stream, "write") ? stream.write : undefined;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        if (!this.active) return (own as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
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
    this.term.input.setRawMode(true);
    this.term.input.on("data", this.onData);
    this.term.input.resume();
    this.draw();
  }

  /** Writes text (whole lines) above the menu. */
  print(text: string): void {
    if (!this.active) {
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
    this.raw(CLEAR_LINE);
    for (const undo of this.restore.splice(0)) undo();
    this.term.input.off("data", this.onData);
    this.term.input.setRawMode(false);
    this.term.input.pause();
  }

  private draw(): void {
    this.raw(menuLine(this.watching, this.term.color));
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
