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

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= "0" && c <= "9";

/**
 * go-yaml's map key order: at the first differing rune two letters compare by code point,
 * a letter and a non-letter put the non-letter first (the letter first right after a digit),
 * and digit runs compare as numbers ("a2" < "a10").
 */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
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

const OLD_BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]);
const RESOLVED = new Set(["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<"]);
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

/** Whether go-yaml would read the plain text back as something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (RESOLVED.has(s)) return true;
  const first = s[0] ?? "";
  if (!/[-+.0-9]/.test(first)) return false;
  if (TIMESTAMP.test(s)) return true;
  const plain = s.replaceAll("_", "");
  return GO_INT.test(plain) || YAML_FLOAT.test(plain);
}

const isPrintable = (c: number): boolean =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);

/** The analysis libyaml makes before choosing a style, reduced to what block context needs. */
function plainAllowed(s: string): boolean {
  if (s === "") return false;
  if (/^[ \t]|[ \t]$/.test(s)) return false;
  if (s.startsWith("---") || s.startsWith("...")) return false;
  const first = s[0]!;
  const followedByBlank = (i: number): boolean => i + 1 >= s.length || s[i + 1] === " " || s[i + 1] === "\t" || s[i + 1] === "\n";
  if ("#,[]{}&*!|>'\"%@`".includes(first)) return false;
  if ((first === "?" || first === ":" || first === "-") && followedByBlank(0)) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === ":" && followedByBlank(i)) return false;
    if (c === "#" && (s[i - 1] === " " || s[i - 1] === "\t")) return false;
  }
  return true;
}

function hasSpecial(s: string): boolean {
  for (const ch of s) {
    if (!isPrintable(ch.codePointAt(0)!)) return true;
  }
  return false;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (isPrintable(c) && c !== 0x0a && c !== 0x85) out += ch;
    else if (c === 0x00) out += "\\0";
    else if (c === 0x07) out += "\\a";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0b) out += "\\v";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x1b) out += "\\e";
    else if (c === 0x85) out += "\\N";
    else if (c === 0xa0) out += "\\_";
    else if (c === 0x2028) out += "\\L";
    else if (c === 0x2029) out += "\\P";
    else if (c <= 0xff) out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (c <= 0xffff) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += `\\U${c.toString(16).toUpperCase().padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** A single-line scalar as go-yaml writes it: plain, else single-quoted, else double-quoted. */
export function yamlInlineString(s: string): string {
  if (s.includes("\n") || resolvesToNonString(s) || BASE60.test(s) || OLD_BOOLS.has(s) || hasSpecial(s)) return doubleQuoted(s);
  if (plainAllowed(s)) return s;
  return `'${s.replaceAll("'", "''")}'`;
}

/** Multi-line strings use a literal block unless trailing spaces or control characters forbid it. */
function literalAllowed(s: string): boolean {
  if (hasSpecial(s.replaceAll("\n", ""))) return false;
  return !/[ \t]\n|[ \t]$/.test(s) && !/^\n/.test(s);
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

function emitScalarAfterKey(node: Node, indent: string): string {
  switch (node.k) {
    case "str": {
      if (node.v.includes("\n") && literalAllowed(node.v)) {
        const chomp = node.v.endsWith("\n\n") ? "+" : node.v.endsWith("\n") ? "" : "-";
        const indicator = node.v.startsWith(" ") ? "2" : "";
        // The last line break belongs to the chomping indicator, not to the content.
        const body = node.v.endsWith("\n") ? node.v.slice(0, -1) : node.v;
        const lines = body.split("\n").map((l) => (l === "" ? "" : `${indent}  ${l}`));
        return ` |${indicator}${chomp}\n${lines.join("\n")}\n`;
      }
      return ` ${yamlInlineString(node.v)}\n`;
    }
    case "num":
      return ` ${formatNumber(node.v)}\n`;
    case "bool":
      return ` ${node.v ? "true" : "false"}\n`;
    case "null":
      return " null\n";
    default:
      return "";
  }
}

/** Emits a value that follows "key:" or "- " on the current line. */
function emitValue(node: Node, indent: string, afterDash: boolean): string {
  if (node.k === "map") {
    if (node.entries.length === 0) return " {}\n";
    if (afterDash) return ` ${emitMap(node, indent + "  ").trimStart()}`;
    return `\n${emitMap(node, indent + "  ")}`;
  }
  if (node.k === "seq") {
    if (node.items.length === 0) return " []\n";
    if (afterDash) return ` ${emitSeq(node, indent + "  ").trimStart()}`;
    return `\n${emitSeq(node, indent + "  ")}`;
  }
  return emitScalarAfterKey(node, indent);
}

function emitMap(node: Extract<Node, { k: "map" }>, indent: string): string {
  let out = "";
  for (const [key, value] of node.entries) {
    out += `${indent}${yamlInlineString(key)}:${emitValue(value, indent, false)}`;
  }
  return out;
}

function emitSeq(node: Extract<Node, { k: "seq" }>, indent: string): string {
  let out = "";
  for (const item of node.items) {
    out += `${indent}-${emitValue(item, indent, true)}`;
  }
  return out;
}

/** The YAML text of a document whose root is a map. */
export function emitYaml(root: Node): string {
  if (root.k === "map") return root.entries.length === 0 ? "{}\n" : emitMap(root, "");
  if (root.k === "seq") return root.items.length === 0 ? "[]\n" : emitSeq(root, "");
  return emitScalarAfterKey(root, "").trimStart();
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
