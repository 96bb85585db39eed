// Log lines from many containers: an aligned `service-N  | ` prefix, one colour per container,
// and whole lines only (a chunk that ends mid-line waits for its newline), so lines never mix.

const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

export interface LogLineOptions {
  color: boolean;
  prefix: boolean;
  timestamps?: boolean;
}

/** Assigns each source a colour and pads prefixes to the widest name seen so far. */
export class LogPrefixer {
  private width = 0;
  private readonly colors = new Map<string, number>();
  constructor(private readonly opts: LogLineOptions) {}

  /** Registers a source up front so that all prefixes line up from the first line. */
  register(name: string): void {
    this.width = Math.max(this.width, name.length);
    if (!this.colors.has(name)) this.colors.set(name, COLORS[this.colors.size % COLORS.length]!);
  }

  format(name: string, line: string): string {
    if (!this.opts.prefix) return line;
    this.register(name);
    const text = `${name.padEnd(this.width)}  | `;
    return this.opts.color ? `\x1b[${this.colors.get(name)}m${text}\x1b[0m${line}` : `${text}${line}`;
  }
}

/** Splits a stream of chunks into complete lines; `flush` returns a trailing partial line. */
export class LineSplitter {
  private rest = "";
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split("\n");
    this.rest = parts.pop() ?? "";
    return parts.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  }
  flush(): string[] {
    const r = this.rest;
    this.rest = "";
    return r === "" ? [] : [r];
  }
}
