// The detach key sequence of `attach`, `run` and `exec` on a TTY, as the docker CLI spells it
// ("ctrl-p,ctrl-q" by default) and watches for it in what the user types: the bytes of a
// sequence in progress are held back, and once it is complete the session detaches instead of
// sending it; a sequence that breaks off is sent as typed.
import { UserError } from "./errors.js";

/** docker's default: ctrl-p then ctrl-q. */
export const DEFAULT_DETACH_KEYS = "ctrl-p,ctrl-q";

const CTRL_PUNCT: Record<string, number> = { "@": 0, "[": 27, "\\": 28, "]": 29, "^": 30, _: 31 };

/** "ctrl-p,ctrl-q" → [16, 17]; a single character stands for itself. */
export function parseDetachKeys(spec: string): Buffer {
  const codes: number[] = [];
  for (const key of spec.split(",")) {
    if (key.length === 1) {
      codes.push(key.charCodeAt(0));
      continue;
    }
    const m = /^ctrl-(.)$/.exec(key);
    const c = m?.[1];
    const code = c === undefined ? undefined : /^[a-z]$/.test(c) ? c.charCodeAt(0) - 96 : CTRL_PUNCT[c];
    if (code === undefined) throw new UserError(`invalid detach keys (${spec}): unknown character: '${key}'`, "use a comma-separated list of ctrl-<a-z, @, [, \\, ], ^, _> or single characters, e.g. ctrl-p,ctrl-q");
    codes.push(code);
  }
  return Buffer.from(codes);
}

/** Watches input for the detach sequence; feed it every chunk the user types. */
export class DetachDetector {
  private matched = 0;

  constructor(private readonly keys: Buffer) {}

  /** What to send on, and whether the sequence is now complete (the rest of the chunk is dropped). */
  feed(chunk: Buffer): { forward: Buffer; detach: boolean } {
    if (this.keys.length === 0) return { forward: chunk, detach: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) return { forward: Buffer.from(out), detach: true };
        continue;
      }
      // The sequence broke off: what was held back was ordinary input after all.
      for (let i = 0; i < this.matched; i++) out.push(this.keys[i]!);
      this.matched = 0;
      if (byte === this.keys[0]) this.matched = 1;
      else out.push(byte);
    }
    return { forward: Buffer.from(out), detach: false };
  }
}
