// The one place that maps errors to output and exit codes. Expected errors (the user can fix
// them) print a short message and a hint, exit 1, no stack. Anything else is a bug: stack + report.
import fs from "node:fs";
import { formatDiagnostic, formatKeyPath, type Diagnostic } from "../compose/diagnostics.js";
import { codeFrame as renderCodeFrame } from "../ui/code-frame.js";

// The bundled CLI (scripts/bundle-cli.mjs) has its own copy of this module, and the commands it
// imports from dist/ have theirs: `instanceof` answers by a brand shared by every copy.
const USER_ERROR = Symbol.for("moor.UserError");
const EXIT_CODE = Symbol.for("moor.ExitCode");
const branded = (value: unknown, brand: symbol): boolean => typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;

/** An error the user can fix: printed without a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
    Object.defineProperty(this, USER_ERROR, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, USER_ERROR);
  }
}

/** Carries a process exit code out of a command without printing anything more. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = "ExitCode";
    Object.defineProperty(this, EXIT_CODE, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, EXIT_CODE);
  }
}

export interface Output {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  color: boolean;
}

const red = (s: string, on: boolean) => (on ? `\x1b[31m${s}\x1b[0m` : s);
const yellow = (s: string, on: boolean) => (on ? `\x1b[33m${s}\x1b[0m` : s);

/** The offending line (with one line around it) and a caret under the token, as on a compiler's output. */
export function codeFrame(d: Diagnostic, readText: (file: string) => string | undefined, color = false): string | undefined {
  if (!d.location) return undefined;
  const text = readText(d.location.file);
  if (text === undefined) return undefined;
  return renderCodeFrame(text, d.location.line, d.location.col, { color });
}

/**
 * Diagnostics as text: one line each (`file:line:col: error: path: message`), or, with `frames`,
 * each with its code frame and hint as on a terminal.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], o: { color: boolean; frames: boolean }): string {
  const cache = new Map<string, string | undefined>();
  const readText = (file: string) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, fs.readFileSync(file, "utf8"));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
  let out = "";
  for (const d of diagnostics) {
    if (!o.frames) {
      out += formatDiagnostic(d) + "\n";
      continue;
    }
    const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : "";
    const sev = d.severity === "error" ? red("error", o.color) : yellow("warning", o.color);
    const keyPath = d.path && d.path.length > 0 ? `${formatKeyPath(d.path)}: ` : "";
    out += `${where}${sev}: ${keyPath}${d.message}\n`;
    const frame = codeFrame(d, readText, o.color);
    if (frame) out += frame + "\n";
    if (d.hint) out += `  hint: ${d.hint}\n`;
  }
  return out;
}

/** Prints diagnostics: errors and warnings, each with its location, key path, frame and hint. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], out: Output, frames = out.stderr.isTTY === true): void {
  const text = formatDiagnostics(diagnostics, { color: out.color, frames });
  if (text !== "") out.stderr.write(text);
}
