/** A path of keys and indexes into a compose document, e.g. ["services", "web", "ports", 0]. */
export type KeyPath = readonly (string | number)[];

/** Where a value stands in a source file (1-based line and column). */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = "error" | "warning";

/** One problem found while loading a project: what, where, and how to fix it. */
export interface Diagnostic {
  readonly severity: Severity;
  /** A stable machine code, e.g. "schema.additional-property", "interpolate.required". */
  readonly code: string;
  /** Plain words: what is wrong. */
  readonly message: string;
  readonly path?: KeyPath;
  readonly location?: Location;
  /** What the user could do, e.g. "did you mean `depends_on`?". */
  readonly hint?: string;
}

/** Renders a key path the way users read it: services.web.ports[0]. */
export function formatKeyPath(path: KeyPath): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** One line per diagnostic: file:line:col: error: services.web.ports[0]: message (hint). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : "";
  const path = d.path && d.path.length > 0 ? `${formatKeyPath(d.path)}: ` : "";
  const hint = d.hint ? `\n  hint: ${d.hint}` : "";
  return `${where}${d.severity}: ${path}${d.message}${hint}`;
}

/** Collects diagnostics across stages so every problem is reported in one run. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  error(code: string, message: string, extra: Omit<Diagnostic, "severity" | "code" | "message"> = {}): void {
    this.items.push({ severity: "error", code, message, ...extra });
  }
  warn(code: string, message: string, extra: Omit<Diagnostic, "severity" | "code" | "message"> = {}): void {
    this.items.push({ severity: "warning", code, message, ...extra });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }
  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "warning");
  }
}

const COMPOSE_ERROR = Symbol.for("moor.ComposeError");

/** Thrown by the loader when a project has errors; carries all of them. Expected, not a bug. */
export class ComposeError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic).join("\n"));
    this.name = "ComposeError";
    Object.defineProperty(this, COMPOSE_ERROR, { value: true });
  }

  /** By brand, not prototype: the bundled CLI and the modules it imports from dist/ each have a copy of this class. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[COMPOSE_ERROR] === true;
  }
}
