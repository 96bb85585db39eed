// Compose variable interpolation: `$VAR`, `${VAR}`, the `:-` `-` `:+` `+` `:?` `?` forms,
// nesting inside the argument, and `$$` for a literal dollar. The edge cases follow what
// docker compose v5 does (compose-go's template package), not bash, because users' files
// are written against compose: see the comments at each quirk.
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import type { ParsedDocument } from "./source.js";

/** Resolves a variable; undefined means unset (distinct from set to ""). */
export type Lookup = (name: string) => string | undefined;

/** A successful substitution: the text and the variables that were read while unset. */
export interface InterpolationOk {
  readonly value: string;
  /** Variables referenced without a fallback and not set, in first-use order, once each. */
  readonly unset: string[];
}

/** Why a string could not be interpolated. `offset` is where the offending `$` stands. */
export type InterpolationFailure =
  | { readonly error: string; readonly kind: "syntax"; readonly offset: number }
  | { readonly error: string; readonly kind: "required"; readonly variable: string; readonly offset: number };

export type InterpolationResult = InterpolationOk | InterpolationFailure;

/** True when an interpolation result is a failure. */
export function isInterpolationFailure(r: InterpolationResult): r is InterpolationFailure {
  return "error" in r;
}

type Operator = ":-" | "-" | ":+" | "+" | ":?" | "?";

/** Thrown inside the recursive substitution and turned back into a value at the top. */
class Failure {
  constructor(readonly result: InterpolationFailure) {}
  /** The same failure, its offset moved by `base` (nested arguments are substituted on their own). */
  withBase(base: number): Failure {
    return base === 0 ? this : new Failure({ ...this.result, offset: this.result.offset + base });
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Interpolates one string. Never throws: a bad template or a missing required variable is a failure value. */
export function interpolateString(input: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  try {
    return { value: substitute(input, 0, lookup, unset), unset };
  } catch (e) {
    if (e instanceof Failure) return e.result;
    throw e;
  }
}

/** The end (exclusive) of a variable name starting at `i`, or `i` when none starts there. */
function nameEnd(s: string, i: number): number {
  if (i >= s.length || !NAME_START.test(s[i]!)) return i;
  let j = i + 1;
  while (j < s.length && NAME_CHAR.test(s[j]!)) j++;
  return j;
}

function operatorAt(s: string, i: number): Operator | undefined {
  const two = s.slice(i, i + 2);
  if (two === ":-" || two === ":+" || two === ":?") return two;
  const one = s[i];
  if (one === "-" || one === "+" || one === "?") return one;
  return undefined;
}

/**
 * Where the `${NAME<op>…}` token that starts at `dollar` ends (the index of its `}`), or -1.
 * Compose's pattern takes the argument greedily up to the last `}` on the line, then cuts it at
 * the brace that closes the first `{`, counting braces and skipping the character after every
 * `{` (so `${A:-{}}` keeps `{}`); with no such brace, the last `}` of the line ends it.
 * One forward scan, so long lines with many tokens stay linear.
 */
function tokenEnd(s: string, dollar: number, argStart: number): number {
  let open = 0;
  let lastBrace = -1;
  for (let i = dollar; i < s.length && s[i] !== "\n"; i++) {
    if (s[i] === "}") {
      lastBrace = i;
      open--;
      if (open === 0) return i;
    }
    if (s[i] === "{") {
      open++;
      if (s[i + 1] === "\n") break;
      i++;
      if (s[i] === "}") lastBrace = i;
    }
  }
  return lastBrace >= argStart ? lastBrace : -1;
}

function syntaxError(s: string, at: number): Failure {
  const end = s.indexOf("\n", at);
  let fragment = s.slice(at, end === -1 ? undefined : end);
  if (fragment.length > 40) fragment = `${fragment.slice(0, 40)}…`;
  return new Failure({ error: `invalid interpolation format: ${JSON.stringify(fragment)}`, kind: "syntax", offset: at });
}

function note(unset: string[], name: string): void {
  if (!unset.includes(name)) unset.push(name);
}

/** `base` is the offset of `s` in the caller's string, so failures point into the original input. */
function substitute(s: string, base: number, lookup: Lookup, unset: string[]): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf("$", i);
    if (dollar === -1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, dollar);
    const next = s[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      const end = nameEnd(s, dollar + 1);
      const name = s.slice(dollar + 1, end);
      const value = lookup(name);
      if (value === undefined) note(unset, name);
      out += value ?? "";
      i = end;
      continue;
    }
    if (next !== "{") {
      // Compose leaves a `$` that starts nothing (`$1`, `$ `, a trailing `$`) as it is.
      out += "$";
      i = dollar + 1;
      continue;
    }
    const nameStart = dollar + 2;
    const end = nameEnd(s, nameStart);
    if (end === nameStart) throw syntaxError(s, dollar).withBase(base);
    const name = s.slice(nameStart, end);
    if (s[end] === "}") {
      const value = lookup(name);
      if (value === undefined) note(unset, name);
      out += value ?? "";
      i = end + 1;
      continue;
    }
    const op = operatorAt(s, end);
    if (op === undefined) throw syntaxError(s, dollar).withBase(base);
    const argStart = end + op.length;
    const close = tokenEnd(s, dollar, argStart);
    if (close === -1) throw syntaxError(s, dollar).withBase(base);
    // What follows the token is ordinary text again, even when the argument held more braces.
    out += apply(name, op, s.slice(argStart, close), base + argStart, base + dollar, lookup, unset);
    i = close + 1;
  }
  return out;
}

function apply(name: string, op: Operator, arg: string, argBase: number, at: number, lookup: Lookup, unset: string[]): string {
  const value = lookup(name);
  const emptyCounts = op.startsWith(":");
  const missing = value === undefined || (emptyCounts && value === "");
  switch (op) {
    case ":-":
    case "-":
      return missing ? substitute(arg, argBase, lookup, unset) : (value ?? "");
    case ":+":
    case "+":
      return missing ? (value ?? "") : substitute(arg, argBase, lookup, unset);
    case ":?":
    case "?": {
      if (!missing) return value ?? "";
      const reason = substitute(arg, argBase, lookup, unset);
      const error = reason === "" ? `required variable ${name} is missing a value` : `required variable ${name} is missing a value: ${reason}`;
      throw new Failure({ error, kind: "required", variable: name, offset: at });
    }
  }
}

/** One use of a variable in a string, for `moor config --variables`. */
export interface VariableUse {
  readonly name: string;
  /** The fallback of `${X:-d}` / `${X-d}`, uninterpolated. */
  readonly default?: string;
  /** The replacement of `${X:+a}` / `${X+a}`, uninterpolated. */
  readonly alternate?: string;
  /** `${X:?e}` / `${X?e}`. */
  readonly required: boolean;
}

/** Lists the variables a string refers to, including those nested in defaults and alternates. */
export function variablesOf(input: string): VariableUse[] {
  const out: VariableUse[] = [];
  let i = 0;
  while (i < input.length) {
    const dollar = input.indexOf("$", i);
    if (dollar === -1) break;
    const next = input[dollar + 1];
    if (next === "$") {
      i = dollar + 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      const end = nameEnd(input, dollar + 1);
      out.push({ name: input.slice(dollar + 1, end), required: false });
      i = end;
      continue;
    }
    if (next !== "{") {
      i = dollar + 1;
      continue;
    }
    const end = nameEnd(input, dollar + 2);
    if (end === dollar + 2) {
      i = dollar + 2; // invalid syntax: interpolation reports it, here it names nothing
      continue;
    }
    const name = input.slice(dollar + 2, end);
    if (input[end] === "}") {
      out.push({ name, required: false });
      i = end + 1;
      continue;
    }
    const op = operatorAt(input, end);
    const close = op === undefined ? -1 : tokenEnd(input, dollar, end + op.length);
    if (op === undefined || close === -1) {
      i = end;
      continue;
    }
    const arg = input.slice(end + op.length, close);
    if (op === ":?" || op === "?") out.push({ name, required: true });
    else if (op === ":-" || op === "-") out.push({ name, default: arg, required: false });
    else out.push({ name, alternate: arg, required: false });
    if (op !== ":?" && op !== "?") out.push(...variablesOf(arg));
    i = close + 1;
  }
  return out;
}

/** All variables a document's string values refer to, by name; a default or `required` seen anywhere is kept. */
export function variablesOfDocument(data: unknown): Map<string, VariableUse> {
  const found = new Map<string, VariableUse>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const use of variablesOf(v)) {
        const prev = found.get(use.name);
        found.set(use.name, prev ? mergeUse(prev, use) : use);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(data);
  return found;
}

function mergeUse(a: VariableUse, b: VariableUse): VariableUse {
  return {
    name: a.name,
    required: a.required || b.required,
    ...((a.default ?? b.default) !== undefined ? { default: a.default ?? b.default } : {}),
    ...((a.alternate ?? b.alternate) !== undefined ? { alternate: a.alternate ?? b.alternate } : {}),
  };
}

/**
 * Interpolates every string value of a document in place (keys are left alone, as compose does).
 * Failures become located errors; each unset variable is warned about once, unless `warned`
 * (shared across files by the caller) already holds it. Returns the unset names met in this document.
 */
export function interpolateDocument(doc: ParsedDocument, lookup: Lookup, bag: DiagnosticBag, warned: Set<string> = new Set()): Set<string> {
  const unsetHere = new Set<string>();
  const locate = (path: KeyPath): Location | undefined => (doc.positions.get(path) ?? doc.positions.nearest(path))?.value;
  // One path array for the whole walk (a copy only goes into a diagnostic): the walk meets
  // every node of the document.
  const path: (string | number)[] = [];
  const visit = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (!value.includes("$")) return value;
      const r = interpolateString(value, lookup);
      if (isInterpolationFailure(r)) {
        const location = locate(path);
        if (r.kind === "syntax") {
          bag.error("interpolate.syntax", r.error, {
            path: [...path],
            location,
            hint: "a literal `$` is written `$$`; a variable is `$NAME` or `${NAME}` (letters, digits, `_`)",
          });
        } else {
          bag.error("interpolate.required", r.error, {
            path: [...path],
            location,
            hint: `set ${r.variable} in the shell or in the project's .env file`,
          });
        }
        return value;
      }
      for (const name of r.unset) {
        unsetHere.add(name);
        if (warned.has(name)) continue;
        warned.add(name);
        bag.warn("interpolate.unset", `The ${JSON.stringify(name)} variable is not set. Defaulting to a blank string.`, {
          path: [...path],
          location: locate(path),
        });
      }
      return r.value;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const v = visit(value[i]);
        if (v !== value[i]) value[i] = v;
        path.pop();
      }
      return value;
    }
    if (value !== null && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        path.push(key);
        const v = visit(obj[key]);
        if (v !== obj[key]) obj[key] = v;
        path.pop();
      }
      return value;
    }
    return value;
  };
  doc.data = visit(doc.data);
  return unsetHere;
}
