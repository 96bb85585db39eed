// The text forms `docker compose config` writes: YAML as go-yaml v3 emits it (2-space indent,
// sequences indented under their key, go-yaml's quoting and key order) and JSON as Go's
// encoding/json MarshalIndent writes it (2 spaces, HTML-safe escapes).

/** An ordered document tree: maps keep the order they were built in. */
export type Node =
  | { k: "map"; entries: [string, Node][] }
  | { k: "seq"; items: Node[] }
  | { k: "str"; v: string }
  | { k: "num"; v: number }
  | { k: "bool"; v: boolean }
  | { k: "null" };

const isLetter = (c: string): boolean => (c < "\u0080" ? (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") : /\p{L}/u.test(c));
const ASCII = /^[^\u0080-\uffff]*$/;
const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isAsciiLetterCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * go-yaml's map key order: at the first differing rune two letters compare by code point,
 * a letter and a non-letter put the non-letter first (the letter first right after a digit),
 * and digit runs compare as numbers ("a2" < "a10").
 */
export function yamlKeyLess(a: string, b: string): boolean {
  // Most keys differ at their first character, both ASCII letters: decided there, as below.
  const a0 = a.charCodeAt(0);
  const b0 = b.charCodeAt(0);
  if (a0 !== b0 && isAsciiLetterCode(a0) && isAsciiLetterCode(b0)) return a0 < b0;
  // ASCII text indexes as its runes; anything else is split into code points first.
  const ar: ArrayLike<string> = ASCII.test(a) ? a : Array.from(a);
  const br: ArrayLike<string> = ASCII.test(b) ? b : Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ac === "0" || bc === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return ar.length < br.length;
}

export const yamlKeyCompare = (a: string, b: string): number => (a === b ? 0 : yamlKeyLess(a, b) ? -1 : 1);
/** Go's encoding/json sorts map keys by their bytes. */
export const jsonKeyCompare = (a: string, b: string): number => {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return Buffer.compare(ab, bb);
};

// ---- YAML scalars --------------------------------------------------------------------------
// compose prints with go.yaml.in/yaml/v4's Encoder (v3-compatible presets, indent 2): strings
// that would read back as another type are double-quoted, YAML 1.1 booleans and sexagesimal
// numbers single-quoted, text that cannot be plain single-quoted (double-quoted when it holds
// control characters), multi-line text as a literal block, and long lines folded at spaces
// once they pass 80 columns.

/** The preferred line width of go-yaml's v3 presets. */
export const WIDTH = 80;

const OLD_BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]);
const RESOLVED = new Set(["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "-0", "-0.0"]);
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

/** Whether go-yaml would read the plain text back as something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (RESOLVED.has(s)) return true;
  const first = s[0] ?? "";
  if (first === ".") return /^\.[0-9]/.test(s) && YAML_FLOAT.test(s);
  if (!/[-+0-9]/.test(first)) return false;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replaceAll("_", "");
  return GO_INT.test(plain) || YAML_FLOAT.test(plain);
}

const isPrintable = (c: number): boolean =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
const isBreak = (ch: string | undefined): boolean => ch === "\n" || ch === "\r" || ch === "\u0085" || ch === "\u2028" || ch === "\u2029";

interface Analysis {
  plain: boolean;
  single: boolean;
  block: boolean;
  multiline: boolean;
}

const isBreakCode = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlankCode = (c: number): boolean => c === 0x20 || c === 0x09 || isBreakCode(c);
const FIRST_INDICATORS = new Set(Array.from("#,[]{}&*!|>'\"%@`", (ch) => ch.charCodeAt(0)));

/** libyaml's scalar analysis, for block context (one pass over the code points). */
function analyze(s: string): Analysis {
  if (s === "") return { plain: true, single: true, block: false, multiline: false };
  let indicators = s.startsWith("---") || s.startsWith("...");
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  let precededByBlank = true;
  const n = s.length;
  for (let i = 0; i < n; ) {
    const c = s.codePointAt(i)!;
    const next = i + (c > 0xffff ? 2 : 1);
    const isLast = next >= n;
    const followedByBlank = isLast || isBlankCode(s.codePointAt(next)!);
    if (i === 0) {
      if (FIRST_INDICATORS.has(c)) indicators = true;
      else if ((c === 0x3f || c === 0x3a || c === 0x2d) && followedByBlank) indicators = true;
    } else if ((c === 0x3a && followedByBlank) || (c === 0x23 && precededByBlank)) {
      indicators = true;
    }
    const brk = isBreakCode(c);
    if (c === 0x09) tabs = true;
    else if (!isPrintable(c) && !brk) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (isLast) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (brk) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (isLast) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByBlank = c === 0x20 || c === 0x09 || brk;
    i = next;
  }
  const a: Analysis = { plain: true, single: true, block: true, multiline: lineBreaks };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.plain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.plain = a.single = false;
  if (spaceBreak || tabs || special) a.plain = a.single = false;
  if (spaceBreak || special) a.block = false;
  if (lineBreaks || indicators) a.plain = false;
  return a;
}

type Style = "plain" | "single" | "double" | "literal";

/** The style go-yaml ends up with for a string (keys never use block styles). */
export function yamlStringStyle(s: string, isKey = false): Style {
  let style: Style;
  if (s.includes("\n")) style = /\S/.test(s) && s.length >= 2 ? "literal" : "double";
  else if (BASE60.test(s) || OLD_BOOLS.has(s) || s === "<<") style = "single";
  else if (resolvesToNonString(s)) style = "double";
  else style = "plain";
  const a = analyze(s);
  if (isKey && a.multiline) style = "double";
  if (style === "plain" && (!a.plain || (s === "" && isKey))) style = "single";
  if (style === "single" && !a.single) style = "double";
  if (style === "literal" && (!a.block || isKey)) style = "double";
  return style;
}

const ESCAPES: Record<number, string> = {
  0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r", 0x1b: "e", 0x22: '"', 0x5c: "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P",
};

function escapeChar(ch: string): string | undefined {
  const c = ch.codePointAt(0)!;
  if (isPrintable(c) && !isBreak(ch) && ch !== '"' && ch !== "\\" && c !== 0xfeff) return undefined;
  const named = ESCAPES[c];
  if (named !== undefined) return `\\${named}`;
  if (c <= 0xff) return `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
  if (c <= 0xffff) return `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return `\\U${c.toString(16).toUpperCase().padStart(8, "0")}`;
}

const NO_ESCAPES = /^[\u0020\u0021\u0023-\u005b\u005d-\u007e]*$/;

/** The inside of a double-quoted scalar: go-yaml's escapes for what is not printable. */
function escapeDouble(s: string): string {
  if (NO_ESCAPES.test(s)) return s;
  let out = "";
  for (const ch of s) out += escapeChar(ch) ?? ch;
  return out;
}

/**
 * Writes a single-line scalar starting at column `col` (after the separating space). With
 * `fold`, a space past column 80 becomes a line break indented to `indent`, as go-yaml does.
 */
function writeInline(s: string, style: Exclude<Style, "literal">, col: number, indent: number, fold: boolean): string {
  // Without a space nothing can fold: the quoting alone.
  if (!fold || !s.includes(" ")) {
    if (style === "plain") return s;
    if (style === "single") return `'${s.replaceAll("'", "''")}'`;
    return `"${escapeDouble(s)}"`;
  }
  const chars = Array.from(s);
  const last = chars.length - 1;
  let out = style === "plain" ? "" : style === "single" ? "'" : '"';
  let column = col + out.length;
  let spaces = false;
  const newline = (): void => {
    out += `\n${" ".repeat(indent)}`;
    column = indent;
  };
  chars.forEach((ch, i) => {
    const next = chars[i + 1];
    if (style === "double") {
      const esc = escapeChar(ch);
      if (esc !== undefined) {
        out += esc;
        column += esc.length;
        spaces = false;
        return;
      }
    }
    if (ch === " ") {
      const inner = style === "plain" || (i > 0 && i < last);
      const nextIsSpace = next === " ";
      if (fold && !spaces && column > WIDTH && inner && (style === "double" || !nextIsSpace)) {
        newline();
        if (style === "double" && nextIsSpace) {
          out += "\\";
          column++;
        }
      } else {
        out += " ";
        column++;
      }
      spaces = true;
      return;
    }
    const text = style === "single" && ch === "'" ? "''" : ch;
    out += text;
    column += text.length;
    spaces = false;
  });
  if (style !== "plain") out += style === "single" ? "'" : '"';
  return out;
}

/** A key or short value as go-yaml writes it, without folding. */
export function yamlInlineString(s: string, isKey = false): string {
  const style = yamlStringStyle(s, isKey);
  return writeInline(s, style === "literal" ? "double" : style, 0, 0, false);
}

/** The unfolded text of a string and whether it needs a literal block or could fold past column 80. */
export function yamlInlineParts(s: string, isKey: boolean): { text: string; literal: boolean; foldable: boolean } {
  const style = yamlStringStyle(s, isKey);
  if (style === "literal") return { text: "", literal: true, foldable: false };
  return { text: writeInline(s, style, 0, 0, false), literal: false, foldable: s.includes(" ") };
}

/** A single-line value starting at column `col`, folded at spaces past column 80 and indented to `indent`. */
export function yamlFoldedText(s: string, col: number, indent: number): string {
  const style = yamlStringStyle(s);
  return writeInline(s, style === "literal" ? "double" : style, col, indent, true);
}

/** A multi-line value as a literal block whose lines are indented to `indent` (with its leading " |" and trailing newline). */
export const yamlLiteralText = (s: string, indent: number): string => writeLiteral(s, indent);

function writeLiteral(s: string, indent: number): string {
  const chomp = !s.endsWith("\n") ? "-" : s.length === 1 || isBreak(s[s.length - 2]) ? "+" : "";
  const indicator = s.startsWith(" ") ? "2" : "";
  // The last line break belongs to the chomping indicator, not to the content.
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  const pad = " ".repeat(indent);
  const lines = body.split("\n").map((l) => (l === "" ? "" : `${pad}${l}`));
  return ` |${indicator}${chomp}\n${lines.join("\n")}\n`;
}

/** go-yaml's number text: integers as is, floats in Go's shortest 'g' form. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (n === Infinity) return ".inf";
  if (n === -Infinity) return "-.inf";
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  // Go writes exponents with at least two digits ("1e-07"), JS with one ("1e-7").
  return s.replace(/e([-+])(\d)$/, "e$10$2");
}

// ---- YAML document -------------------------------------------------------------------------

const runeLength = (s: string): number => Array.from(s).length;

/**
 * Emits a value after "key:" or "-" on the current line. `col` is the column the indicator
 * ends at; `indent` is the indentation of the key or dash.
 */
function emitValue(node: Node, indent: number, col: number, afterDash: boolean): string {
  switch (node.k) {
    case "map":
      if (node.entries.length === 0) return " {}\n";
      return afterDash ? ` ${emitMap(node, indent + 2).slice(indent + 2)}` : `\n${emitMap(node, indent + 2)}`;
    case "seq":
      if (node.items.length === 0) return " []\n";
      return afterDash ? ` ${emitSeq(node, indent + 2).slice(indent + 2)}` : `\n${emitSeq(node, indent + 2)}`;
    case "str": {
      const style = yamlStringStyle(node.v);
      if (style === "literal") return writeLiteral(node.v, indent + 2);
      return ` ${writeInline(node.v, style, col + 1, indent + 2, true)}\n`;
    }
    case "num":
      return ` ${formatNumber(node.v)}\n`;
    case "bool":
      return ` ${node.v ? "true" : "false"}\n`;
    case "null":
      return " null\n";
  }
}

function emitMap(node: Extract<Node, { k: "map" }>, indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  for (const [key, value] of node.entries) {
    const k = yamlInlineString(key, true);
    out += `${pad}${k}:${emitValue(value, indent, indent + runeLength(k) + 1, false)}`;
  }
  return out;
}

function emitSeq(node: Extract<Node, { k: "seq" }>, indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  for (const item of node.items) out += `${pad}-${emitValue(item, indent, indent + 1, true)}`;
  return out;
}

/** The YAML text of a document whose root is a map (or a sequence). */
export function emitYaml(root: Node): string {
  if (root.k === "map") return root.entries.length === 0 ? "{}\n" : emitMap(root, 0);
  if (root.k === "seq") return root.items.length === 0 ? "[]\n" : emitSeq(root, 0);
  return emitValue(root, -2, -1, false).trimStart();
}

// ---- JSON ----------------------------------------------------------------------------------

/** A JSON string as Go writes it: <, > and & escaped for HTML, U+2028/9 escaped. */
export function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) return "null";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n.toExponential().replace(/e([-+])(\d)$/, "e$10$2");
  }
  return String(n);
}

/** The JSON text of a node with Go's MarshalIndent(v, "", "  ") layout. */
export function emitJson(node: Node, indent = ""): string {
  const inner = indent + "  ";
  switch (node.k) {
    case "map":
      if (node.entries.length === 0) return "{}";
      return `{\n${node.entries.map(([k, v]) => `${inner}${jsonString(k)}: ${emitJson(v, inner)}`).join(",\n")}\n${indent}}`;
    case "seq":
      if (node.items.length === 0) return "[]";
      return `[\n${node.items.map((v) => `${inner}${emitJson(v, inner)}`).join(",\n")}\n${indent}]`;
    case "str":
      return jsonString(node.v);
    case "num":
      return jsonNumber(node.v);
    case "bool":
      return node.v ? "true" : "false";
    case "null":
      return "null";
  }
}
