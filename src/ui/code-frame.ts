// The code frame under an error: the offending line with a line before and after it, numbered,
// and a caret under the token the diagnostic points at, as a compiler prints it.
import { paint } from "./ansi.js";

export interface FrameOptions {
  color: boolean;
  /** Lines shown before and after the offending one. */
  context?: number;
}

/** How many characters the token at `start` spans: a quoted string or a bare word. */
function tokenLength(line: string, start: number): number {
  const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#,\]}]+)/.exec(line.slice(start));
  return Math.max(1, m?.[0].length ?? 1);
}

/**
 * The frame for a 1-based `line` and `col` in `text`, or undefined when the position is not in
 * it (a stale location must not print a wrong line).
 */
export function codeFrame(text: string, line: number, col: number, o: FrameOptions): string | undefined {
  const lines = text.split(/\r?\n/);
  const target = lines[line - 1];
  if (target === undefined || line < 1) return undefined;
  const context = o.context ?? 1;
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = lines[n - 1] ?? "";
    const gutter = `${String(n).padStart(width)} |`;
    if (n === line) {
      out.push(`${paint("red", ">", o.color)} ${paint("bold", gutter, o.color)} ${src}`);
      const start = Math.min(Math.max(0, col - 1), src.length);
      // Keep tabs as tabs so the caret lines up however wide the terminal draws them.
      const lead = src.slice(0, start).replace(/[^\t]/g, " ");
      const carets = "^".repeat(start < src.length ? tokenLength(src, start) : 1);
      out.push(`  ${" ".repeat(width)} | ${lead}${paint("red", carets, o.color)}`);
    } else {
      out.push(paint("dim", `  ${gutter} ${src}`, o.color));
    }
  }
  return out.map((l) => l.trimEnd()).join("\n");
}
