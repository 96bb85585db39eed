// The `.env` / `env_file` grammar of docker compose v5 (compose-go's dotenv package), and the
// `format: raw` variant (docker run --env-file's key/value files). Pure: the text and a lookup
// for variables from outside the file are passed in.
import type { DiagnosticBag, Location } from "./diagnostics.js";
import { interpolateString, isInterpolationFailure, type Lookup } from "./interpolate.js";

/** Maps offsets of a text to 1-based line and column. */
class LineMap {
  private readonly starts: number[] = [0];
  constructor(
    readonly file: string,
    text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.starts.push(i + 1);
  }
  at(offset: number): Location {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    // Columns are counted after a stripped byte-order mark: editors do not show it.
    return { file: this.file, line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

const BOM = "\uFEFF";

/** A map of variables with no prototype, so names like `__proto__` or `constructor` are ordinary keys. */
function variables(base: Readonly<Record<string, string>>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, base);
}

/** Spaces that do not end a line, as compose's parser counts them. */
function isInlineSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\r" || c === "\u0085" || c === "\u00a0";
}

function isSpace(c: string | undefined): boolean {
  return c !== undefined && /\s/u.test(c);
}

/** Characters compose allows in a variable name besides letters and digits. */
const KEY_PUNCT = new Set(["_", ".", "-", "[", "]"]);
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

function lineText(text: string, from: number): string {
  const end = text.indexOf("\n", from);
  return text.slice(from, end === -1 ? undefined : end).replace(/\r$/, "");
}

/**
 * Parses a compose `.env` file (also the default `env_file` format). Values may use `${VAR}`:
 * `lookup` is asked first, then keys set earlier (in `base`, then in this file), which is
 * compose's order. Starts from `base` (earlier env files of the same service) and returns the
 * merged variables. Problems go to `bag` with file:line:col; parsing goes on after a bad line.
 */
export function parseDotenv(
  file: string,
  text: string,
  lookup: Lookup,
  bag: DiagnosticBag,
  base: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out = variables(base);
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const lines = new LineMap(file, src);
  const resolve: Lookup = (name) => lookup(name) ?? (Object.hasOwn(out, name) ? out[name] : undefined);
  const warned = new Set<string>();
  const skipLine = (from: number): number => {
    const nl = src.indexOf("\n", from);
    return nl === -1 ? src.length : nl + 1;
  };

  // `exact`: the value is the source text itself (unquoted), so an offset inside it is a column.
  const expand = (value: string, at: number, exact: boolean): string => {
    if (!value.includes("$")) return value;
    const r = interpolateString(value, resolve);
    if (isInterpolationFailure(r)) {
      bag.error(r.kind === "syntax" ? "dotenv.interpolate-syntax" : "dotenv.interpolate-required", r.error, {
        location: lines.at(exact ? at + r.offset : at),
        hint:
          r.kind === "syntax"
            ? "a literal `$` is written `$$` (or `\\$` inside double quotes), or put the value in single quotes"
            : `set ${r.variable} in the shell, or earlier in this file`,
      });
      return value;
    }
    for (const name of r.unset) {
      if (warned.has(name)) continue;
      warned.add(name);
      bag.warn("dotenv.unset", `The ${JSON.stringify(name)} variable is not set. Defaulting to a blank string.`, { location: lines.at(at) });
    }
    return r.value;
  };

  let pos = 0;
  while (pos < src.length) {
    // Blank space (newlines included) and whole-line comments between statements.
    while (pos < src.length && isSpace(src[pos])) pos++;
    if (pos >= src.length) break;
    if (src[pos] === "#") {
      pos = skipLine(pos);
      continue;
    }
    const statement = pos;
    if (src.startsWith("export", pos) && (src[pos + 6] === " " || src[pos + 6] === "\t")) {
      pos += 6;
      while (src[pos] === " " || src[pos] === "\t") pos++;
    }

    // The key runs to `=`, `:` (compose also reads YAML-style `KEY: value`) or the end of the line.
    const keyStart = pos;
    let sep: "=" | ":" | "\n" | "" = "";
    let bad = -1;
    let j = pos;
    for (; j < src.length; j++) {
      const c = src[j]!;
      if (c === "=" || c === ":" || c === "\n") {
        sep = c;
        break;
      }
      if (isInlineSpace(c) || KEY_PUNCT.has(c) || LETTER_OR_NUMBER.test(c)) continue;
      bad = j;
      break;
    }
    if (bad !== -1) {
      bag.error("dotenv.syntax", `unexpected character ${JSON.stringify(src[bad])} in variable name ${JSON.stringify(lineText(src, statement))}`, {
        location: lines.at(bad),
        hint: "each line is KEY=VALUE; names use letters, digits, `_`, `.`, `-`, `[`, `]`; comments start with `#`",
      });
      pos = skipLine(bad);
      continue;
    }
    const key = src.slice(keyStart, j).replace(/\s+$/u, "");
    if (/\s/u.test(key)) {
      bag.error("dotenv.key-space", `variable name ${JSON.stringify(key)} cannot contain a space`, {
        location: lines.at(keyStart),
        hint: "write KEY=VALUE: put spaces in the value (quoted if you like), not in the name",
      });
      pos = sep === "\n" || sep === "" ? j + 1 : skipLine(j);
      continue;
    }

    if (sep === "\n" || sep === "") {
      // A name alone takes its value from outside the file, or is left out when unset.
      // (At the end of a file without a final newline compose-go stores the text under an empty
      // name; reading it as a name alone is what the user meant.)
      const v = lookup(key);
      if (v !== undefined) out[key] = v;
      pos = j + 1;
      continue;
    }

    pos = j + 1;
    while (isInlineSpace(src[pos])) pos++;
    const valueStart = pos;
    const quote = src[pos];
    let value: string;
    if (quote === "'" || quote === '"') {
      let chars = "";
      let escaped = false;
      let close = -1;
      for (let k = pos + 1; k < src.length; k++) {
        const c = src[k]!;
        if (c !== quote) {
          if (!escaped && c === "\\") {
            escaped = true;
            continue;
          }
          if (escaped) {
            escaped = false;
            chars += "\\";
          }
          chars += c;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += c;
          continue;
        }
        close = k;
        break;
      }
      if (close === -1) {
        bag.error("dotenv.unterminated-quote", `unterminated quoted value ${lineText(src, valueStart)}`, {
          location: lines.at(valueStart),
          hint: `close the value with ${quote}; a ${quote} inside it is written \\${quote}`,
        });
        break; // everything after an open quote belongs to it: nothing more can be read reliably
      }
      value = quote === '"' ? expand(expandEscapes(chars), valueStart + 1, false) : chars;
      pos = close + 1;
      let after = pos;
      while (isInlineSpace(src[after])) after++;
      if (after < src.length && src[after] !== "\n" && src[after] !== "#") {
        // Compose reads what follows the closing quote as the next statement; say so, since it is rarely meant.
        bag.warn("dotenv.after-quote", `text after the closing quote of ${key} is read as another line: ${JSON.stringify(lineText(src, after))}`, {
          location: lines.at(after),
          hint: "put one KEY=VALUE per line, or move the text inside the quotes",
        });
      }
    } else {
      const nl = src.indexOf("\n", pos);
      const end = nl === -1 ? src.length : nl;
      let raw = src.slice(pos, end);
      const comment = raw.indexOf(" #");
      if (comment !== -1) raw = raw.slice(0, comment);
      value = expand(raw.replace(/\s+$/u, ""), valueStart, true);
      pos = end;
    }
    if (key === "") {
      bag.warn("dotenv.empty-name", "a value without a variable name is ignored", {
        location: lines.at(statement),
        hint: "write NAME=VALUE",
      });
      continue;
    }
    out[key] = value;
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  '"': '"',
  "\\": "\\",
};

/**
 * The escapes compose expands inside double quotes: the C ones, `\\`, `\"`, `\0NNN` octal
 * (exactly three octal digits, up to 255) and `\$` (kept as `$$`, so interpolation yields a
 * literal `$`). Anything else, e.g. `\x41` or `\u00e9`, stays as written.
 */
export function expandEscapes(s: string): string {
  return s.replace(/\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g, (m) => {
    const c = m[1]!;
    if (c === "$") return "$$";
    if (c !== "0") return ESCAPES[c] ?? m;
    const digits = m.slice(2);
    if (!/^[0-7]{3}$/.test(digits)) return m;
    const code = parseInt(digits, 8);
    return code > 255 ? m : String.fromCharCode(code);
  });
}

/**
 * Parses an `env_file` with `format: raw` (docker run --env-file rules): one KEY=VALUE per line,
 * value taken literally (no interpolation, no escapes, trailing spaces kept) except that one
 * pair of matching surrounding quotes is removed; a name alone is looked up.
 */
export function parseRawEnv(
  file: string,
  text: string,
  lookup: Lookup,
  bag: DiagnosticBag,
  base: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out = variables(base);
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    let raw = lines[n]!.replace(/\r$/, "");
    if (n === 0 && raw.startsWith(BOM)) raw = raw.slice(1);
    const indent = raw.length - raw.trimStart().length;
    const line = raw.slice(indent);
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq === -1 ? line : line.slice(0, eq);
    const location: Location = { file, line: n + 1, col: indent + 1 };
    if (key === "") {
      bag.error("dotenv.syntax", `no variable name on line ${JSON.stringify(line)}`, { location, hint: "write NAME=VALUE" });
      continue;
    }
    if (/[ \t]/.test(key)) {
      bag.error("dotenv.key-space", `variable ${JSON.stringify(key)} contains whitespace`, {
        location,
        hint: "raw env files take NAME=VALUE with no spaces around the name or the `=`",
      });
      continue;
    }
    if (eq !== -1) {
      out[key] = trimQuotes(line.slice(eq + 1));
      continue;
    }
    const v = lookup(key);
    if (v !== undefined) out[key] = trimQuotes(v);
  }
  return out;
}

function trimQuotes(v: string): string {
  if (v.length < 2) return v;
  const first = v[0];
  return (first === "'" || first === '"') && v[v.length - 1] === first ? v.slice(1, -1) : v;
}
