// The fast front end for compose YAML: plain data and positions built straight from the text by
// a hand-written scanner (class Tokens) and parser, skipping the `yaml` package's Lexer, CST and
// Document objects (the bulk of parse time, docs/performance.md). It covers the YAML real
// compose files use and returns undefined for anything else, so a caller falls back to the full
// parser; the output must equal parseComposeYamlFull's exactly (test/unit/fast-yaml.test.ts
// checks it differentially). The `yaml` package is loaded only for what is rare here: block
// scalars and multi-line or oddly escaped quoted scalars.
import { createRequire } from "node:module";
import type { CST } from "yaml";
import type { Location } from "./diagnostics.js";
import { PositionIndex, SOURCE_LIMITS, type ParsedDocument } from "./positions.js";

export type FastResult = ParsedDocument[];

/** Thrown inside the parser to mean "not certain: use the full parser". */
class Bail extends Error {}
function bail(): never {
  throw new Bail();
}

const enum K {
  Plain,
  Quoted,
  Block,
  Anchor,
  Alias,
  Tag,
  Dash,
  Colon,
  Comma,
  LBrace,
  RBrace,
  LBrack,
  RBrack,
  DocStart,
  DocEnd,
  Eof,
}

interface Tok {
  k: K;
  off: number;
  /** Offset of the start of the line the token starts on: lines compare by it, columns count from it. */
  ls: number;
  src: string;
  /** Block scalars: the header (`|-`), with src the content. */
  header?: string;
}

type FNode =
  | { t: "scalar"; off: number; value: unknown; anchor?: string; tag?: string }
  | { t: "alias"; off: number; name: string }
  | { t: "seq"; off: number; items: FNode[]; anchor?: string; tag?: string }
  | { t: "map"; off: number; pairs: FPair[]; anchor?: string; tag?: string };

interface FPair {
  key: string;
  keyOff: number;
  merge: boolean;
  value: FNode;
}

/** The `yaml` package, loaded only for what this front end leaves to it (block scalars, rare quoting). */
let yamlModule: typeof import("yaml") | undefined;
function yamlCst(): typeof CST {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlModule.CST;
}

const SPACE = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Space, line break or the end: what must follow an indicator (`- `, `: `, `---`). */
function isBlank(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  return c === SPACE || c === NL || Number.isNaN(c);
}

/** `,[]{}`: the flow indicators, which end a plain scalar inside a flow collection. */
function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

const ANCHOR_RE = /^[A-Za-z0-9_.-]+$/;
// Sticky scans: a regular expression runs at full speed from the first call, where a loop over
// characters is interpreted until V8 optimises it, and most of a file's characters are plain
// scalars and indentation.
const SPACES = / +/y;
/**
 * A plain scalar runs to the end of the line, to ` #`, or to a `:` followed by white space or the
 * end (and in a flow collection to a flow indicator, or a `:` before one); trailing spaces are
 * trimmed after the match.
 */
const PLAIN_IN_BLOCK = /(?:[^\n: ]|:(?=[^ \n])| +(?=[^ #\n]))*/y;
const PLAIN_IN_FLOW = /(?:[^\n: ,[\]{}]|:(?=[^ \n,[\]{}])| +(?=[^ #\n,[\]{}]))*/y;
const BLOCK_HEADER_RE = /^[|>](?:[-+]?[1-9]?|[1-9][-+])$/;

/**
 * The tokens, scanned by hand as the parser reaches them: a single pass over the text for the
 * block-style YAML compose files are written in, declining (Bail) anything outside it. It keeps
 * the indentation state YAML's lexing depends on (the column a scalar's continuation lines must
 * reach, the flow level) so that it splits the text exactly where the full parser does; anything
 * it cannot split with certainty ends the fast path. A token is garbage soon after the parser is
 * past it (the parser reads at most one token ahead and never back).
 */
class Tokens {
  private buf: Tok[] = [];
  /** The index of buf[0] in the whole token sequence. */
  private base = 0;
  private done = false;
  private pos = 0;
  /** Offset of the start of the current line. */
  private ls = 0;
  private flowLevel = 0;
  /** Column of the current line's content after any `- ` indicators. */
  private lineIndent = 0;
  /** The least indentation of a scalar's continuation lines, as YAML's lexing tracks it. */
  private indentNext = 0;
  /** The line on which the last block `:` or `-` indicator set indentNext. */
  private indentLine = -1;
  /** The indentNext of the block context around the outermost open flow collection. */
  private flowIndentNext = 0;
  /** The end of the last token: what a comment must be separated from. */
  private lineFresh = true;

  constructor(private readonly text: string) {}

  /** Token `i`; past the end, the end (Eof). */
  at(i: number): Tok {
    if (i - this.base > 4096) {
      // Forget what lies well behind `i`.
      const drop = i - this.base - 8;
      this.buf = this.buf.slice(drop);
      this.base += drop;
    }
    while (i - this.base >= this.buf.length) {
      if (this.done) return this.buf[this.buf.length - 1]!;
      this.buf.push(this.next());
    }
    return this.buf[i - this.base]!;
  }

  private tok(k: K, off: number, src: string): Tok {
    return { k, off, ls: this.ls, src };
  }

  /** Scans the next token. */
  private next(): Tok {
    const text = this.text;
    const len = text.length;
    for (;;) {
      const p = this.pos;
      if (p >= len) {
        if (this.flowLevel > 0) bail();
        this.done = true;
        return this.tok(K.Eof, len, "");
      }
      let c = text.charCodeAt(p);
      if (c === NL) {
        this.pos = p + 1;
        this.ls = p + 1;
        this.lineFresh = true;
        continue;
      }
      if (c === SPACE) {
        SPACES.lastIndex = p;
        SPACES.test(text);
        this.pos = SPACES.lastIndex;
        continue;
      }
      if (c === HASH) {
        // a comment needs white space before it (`a#b` is a scalar, `{}#` an error)
        if (p > 0 && text.charCodeAt(p - 1) !== SPACE && text.charCodeAt(p - 1) !== NL) bail();
        const nl = text.indexOf("\n", p);
        this.pos = nl < 0 ? len : nl;
        continue;
      }
      const col = p - this.ls;
      if (this.lineFresh) {
        this.lineFresh = false;
        if (col === 0 && (c === DASH || c === 46) && text.startsWith(c === DASH ? "---" : "...", p) && isBlank(text, p + 3)) {
          if (this.flowLevel > 0) bail();
          this.pos = p + 3;
          this.lineIndent = 0;
          this.indentNext = 0;
          return this.tok(c === DASH ? K.DocStart : K.DocEnd, p, text.substr(p, 3));
        }
        if (this.flowLevel > 0) {
          // Continuation lines of a flow collection reach past the block around it; only the
          // outermost collection's closing bracket may stand at that block's column.
          if (col < this.flowIndentNext && !(col === this.flowIndentNext - 1 && this.flowLevel === 1 && (c === 93 || c === 125))) bail();
        } else {
          this.lineIndent = col;
          if (this.indentNext > col && !isBlank(text, p + 1)) this.indentNext = col;
        }
      }
      if (this.flowLevel === 0) {
        if (c === DASH && isBlank(text, p + 1)) {
          this.pos = p + 1;
          this.indentNext = col + 1;
          this.indentLine = this.ls;
          let q = p + 1;
          while (text.charCodeAt(q) === SPACE) q++;
          this.lineIndent = q - this.ls;
          return this.tok(K.Dash, p, "-");
        }
        if (c === COLON) {
          // `:x` is a plain scalar (e.g. `device: :/exports`)
          if (!isBlank(text, p + 1)) return this.plain(p);
          this.pos = p + 1;
          this.indentNext = this.lineIndent + 1;
          this.indentLine = this.ls;
          return this.tok(K.Colon, p, ":");
        }
        if (c === 91 || c === 123) {
          this.flowLevel = 1;
          this.flowIndentNext = this.indentNext;
          this.pos = p + 1;
          return this.tok(c === 91 ? K.LBrack : K.LBrace, p, c === 91 ? "[" : "{");
        }
        if (c === 124 || c === 62) return this.blockScalar(p);
        if (c === 44 || c === 93 || c === 125 || c === 63 && isBlank(text, p + 1)) bail();
      } else {
        if (c === 44) {
          this.pos = p + 1;
          return this.tok(K.Comma, p, ",");
        }
        if (c === 91 || c === 123) {
          this.flowLevel++;
          this.pos = p + 1;
          return this.tok(c === 91 ? K.LBrack : K.LBrace, p, c === 91 ? "[" : "{");
        }
        if (c === 93 || c === 125) {
          this.flowLevel--;
          this.pos = p + 1;
          this.afterNode(p + 1);
          return this.tok(c === 93 ? K.RBrack : K.RBrace, p, c === 93 ? "]" : "}");
        }
        if (c === COLON) {
          if (!isBlank(text, p + 1)) bail();
          this.pos = p + 1;
          return this.tok(K.Colon, p, ":");
        }
        if ((c === DASH || c === 63) && (isBlank(text, p + 1) || isFlowIndicator(text.charCodeAt(p + 1)))) bail();
        if (c === 124 || c === 62) bail();
      }
      if (c === 34 || c === 39) return this.quoted(p, c);
      if (c === 38 || c === 42) {
        // an anchor or alias name runs to white space or a flow indicator
        let q = p + 1;
        for (c = text.charCodeAt(q); !(c === SPACE || c === NL || isFlowIndicator(c) || Number.isNaN(c)); c = text.charCodeAt(++q));
        const name = text.slice(p + 1, q);
        if (!ANCHOR_RE.test(name)) bail();
        this.pos = q;
        return this.tok(text.charCodeAt(p) === 38 ? K.Anchor : K.Alias, p, name);
      }
      if (c === 33) {
        // only compose's own tags, followed by white space or the end of a flow entry
        let q = p + 1;
        while (q < len && !isBlank(text, q) && !isFlowIndicator(text.charCodeAt(q))) q++;
        const tag = text.slice(p, q);
        if (tag !== "!reset" && tag !== "!override") bail();
        if (this.flowLevel === 0 && !isBlank(text, q)) bail();
        this.pos = q;
        return this.tok(K.Tag, p, tag);
      }
      if (c === 37 || c === 64 || c === 96) bail();
      return this.plain(p);
    }
  }

  /** After a quoted scalar or a closing bracket: white space, `:` or (in a flow) a flow indicator. */
  private afterNode(q: number): void {
    const c = this.text.charCodeAt(q);
    if (c === SPACE || c === NL || c === COLON || Number.isNaN(c)) return;
    if (this.flowLevel > 0 && (c === 44 || c === 93 || c === 125)) return;
    bail();
  }

  /** A plain scalar: to the end of the line, ` #`, `: ` (and in a flow, a flow indicator). */
  private plain(p: number): Tok {
    const text = this.text;
    const re = this.flowLevel > 0 ? PLAIN_IN_FLOW : PLAIN_IN_BLOCK;
    re.lastIndex = p;
    re.test(text);
    let end = re.lastIndex;
    while (end > p && text.charCodeAt(end - 1) === SPACE) end--;
    this.pos = end;
    return this.tok(K.Plain, p, text.slice(p, end));
  }

  /** A quoted scalar, possibly over several lines (the parser checks their indentation). */
  private quoted(p: number, q: number): Tok {
    const text = this.text;
    let end: number;
    if (q === 39) {
      end = text.indexOf("'", p + 1);
      while (end >= 0 && text.charCodeAt(end + 1) === 39) end = text.indexOf("'", end + 2);
    } else {
      end = text.indexOf('"', p + 1);
      while (end >= 0) {
        let n = 0;
        while (text.charCodeAt(end - 1 - n) === 92) n++;
        if (n % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
    }
    if (end < 0) bail();
    const src = text.slice(p, end + 1);
    const t = this.tok(K.Quoted, p, src);
    const nl = src.lastIndexOf("\n");
    if (nl >= 0) {
      // Continuation lines reach the column YAML requires of them, and none is a document marker.
      for (let s = src.indexOf("\n"); s >= 0; s = src.indexOf("\n", s + 1)) {
        let k = s + 1;
        while (src.charCodeAt(k) === SPACE) k++;
        if (k < src.length && src.charCodeAt(k) !== NL && (k - s - 1 < this.indentNext || k - s - 1 === 0)) bail();
      }
      this.ls = p + nl + 1;
    }
    this.pos = end + 1;
    this.afterNode(end + 1);
    return t;
  }

  /** A block scalar's header and content, as one token (src: the content lines). */
  private blockScalar(p: number): Tok {
    const text = this.text;
    const len = text.length;
    // The header must follow a `:` or `-` on its line: that is what fixes the content's indentation.
    if (this.indentLine !== this.ls) bail();
    let q = p + 1;
    while (q < len && !isBlank(text, q) && text.charCodeAt(q) !== HASH) q++;
    const header = text.slice(p, q);
    if (!BLOCK_HEADER_RE.test(header)) bail();
    while (text.charCodeAt(q) === SPACE) q++;
    if (text.charCodeAt(q) === HASH) {
      if (text.charCodeAt(q - 1) !== SPACE) bail();
      const nl = text.indexOf("\n", q);
      q = nl < 0 ? len : nl;
    }
    if (q < len && text.charCodeAt(q) !== NL) bail();
    const headerTok: Tok = { k: K.Block, off: p, ls: this.ls, src: "", header };
    const start = Math.min(q + 1, len);
    let explicit = -1;
    let keep = false;
    for (let h = 1; h < header.length; h++) {
      const c = header.charCodeAt(h);
      if (c === 43) keep = true;
      else if (c >= 49 && c <= 57) explicit = c - 49;
    }
    // The first content line's indentation (blank lines before it do not count).
    let nl = start - 1;
    let indent = 0;
    let i = start;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE) indent++;
      else if (c === NL) {
        nl = i;
        indent = 0;
      } else break;
    }
    if (indent >= this.indentNext) {
      const need = explicit < 0 ? indent : explicit + (this.indentNext === 0 ? 1 : this.indentNext);
      for (;;) {
        // does the line after `nl` continue the scalar?
        const o = nl + 1;
        let k = o;
        while (text.charCodeAt(k) === SPACE) k++;
        if (!(text.charCodeAt(k) === NL || k - o >= need)) break;
        if (k >= len) {
          nl = len;
          break;
        }
        const n = text.indexOf("\n", k);
        if (n < 0) {
          nl = len;
          break;
        }
        nl = n;
      }
      this.indentNext = need;
    }
    if (!keep) {
      // Trailing lines no more indented than the content are not part of it.
      for (;;) {
        let j = nl - 1;
        const lastChar = j;
        while (text.charCodeAt(j) === SPACE) j--;
        if (text.charCodeAt(j) === NL && j >= start && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    const end = Math.min(nl + 1, len);
    headerTok.src = text.slice(start, end);
    this.pos = end;
    this.ls = end;
    this.lineFresh = true;
    return headerTok;
  }
}

const INT_RE = /^[-+]?[0-9]+$/;
const LEGACY_OCTAL_RE = /^[-+]?0[0-7]+$/;

/** The core schema's reading of a plain scalar, as the yaml package resolves it. */
function resolvePlain(src: string): unknown {
  // Most values are words: nothing in the core schema starts with these characters.
  const c = src.charCodeAt(0);
  if (src.length > 0 && !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || c === 78 || c === 110 || c === 84 || c === 116 || c === 70 || c === 102)) {
    return src;
  }
  if (/^(?:~|[Nn]ull|NULL)?$/.test(src)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(src)) return src[0] === "t" || src[0] === "T";
  if (/^0o[0-7]+$/.test(src)) return parseInt(src.substring(2), 8);
  if (INT_RE.test(src)) return parseInt(src, 10);
  if (/^0x[0-9a-fA-F]+$/.test(src)) return parseInt(src.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(src)) {
    return src.slice(-3).toLowerCase() === "nan" ? NaN : src[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(src)) return parseFloat(src);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(src)) return parseFloat(src);
  return src;
}

class Parser {
  private i = 0;
  /** Collections open around the current token: the parser recurses, so deep input must not reach the stack's end. */
  private nesting = 0;
  private readonly anchorsSeen = new Set<string>();
  constructor(
    private readonly text: string,
    private readonly toks: Tokens,
  ) {}

  private get cur(): Tok {
    return this.toks.at(this.i);
  }
  private peek(n = 1): Tok {
    return this.toks.at(this.i + n);
  }

  /** Documents, each the root node. */
  documents(): FNode[] {
    const docs: FNode[] = [];
    let explicitStart = false;
    for (;;) {
      let t = this.cur;
      if (t.k === K.Eof) break;
      if (t.k === K.DocStart) {
        this.i++;
        explicitStart = true;
        if (this.cur.ls === t.ls && this.cur.k !== K.Eof) bail();
        t = this.cur;
      }
      if (t.k === K.Eof || t.k === K.DocStart || t.k === K.DocEnd) bail(); // empty document
      if ((t.off - t.ls) !== 0 && !explicitStart) bail();
      const node = this.blockNode(-1, false);
      docs.push(node);
      t = this.cur;
      if (t.k === K.DocEnd) {
        this.i++;
        if (this.cur.ls === t.ls && this.cur.k !== K.Eof) bail();
        explicitStart = false;
        if (this.cur.k !== K.Eof && this.cur.k !== K.DocStart) bail();
      } else if (t.k !== K.Eof && t.k !== K.DocStart) bail();
    }
    if (docs.length === 0) bail();
    return docs;
  }

  private isKeyAt(i: number): boolean {
    const t = this.toks.at(i);
    const n = this.toks.at(i + 1);
    return (t.k === K.Plain || t.k === K.Quoted) && n.k === K.Colon && n.ls === t.ls;
  }

  /** A node in block context whose parent collection stands at column `indent`. */
  private blockNode(indent: number, sameLineOnly: boolean): FNode {
    // Past the depth limit the full parser reports the error with its position.
    if (++this.nesting > SOURCE_LIMITS.maxDepth) bail();
    const node = this.blockNodeAt(indent, sameLineOnly);
    this.nesting--;
    return node;
  }

  private blockNodeAt(indent: number, sameLineOnly: boolean): FNode {
    const first = this.cur;
    // Props on another line than the first belong to a key below: not this node's.
    const { anchor, tag } = this.props(true);
    const t = this.cur;
    const hasProps = t !== first;
    if (hasProps) {
      if (t.ls === first.ls) {
        if (this.isKeyAt(this.i) || t.k === K.Dash) bail(); // props of a key, or a compact sequence
      } else {
        // props alone on their line: the value follows, more indented
        if (t.k === K.Eof || t.k === K.DocStart || t.k === K.DocEnd) bail();
        if ((t.off - t.ls) <= indent) bail();
        if (t.k !== K.Dash && !this.isKeyAt(this.i)) bail();
        sameLineOnly = false;
      }
    }
    let node: FNode;
    if (t.k === K.Dash) {
      if (sameLineOnly) bail();
      node = this.blockSeq();
    } else if (this.isKeyAt(this.i)) {
      if (sameLineOnly) bail();
      node = this.blockMap();
    } else if (t.k === K.LBrace || t.k === K.LBrack) {
      node = this.flow(indent);
    } else if (t.k === K.Alias) {
      if (hasProps) bail();
      this.i++;
      node = { t: "alias", off: t.off, name: t.src };
    } else {
      node = this.scalar(indent, tag !== undefined);
    }
    if (anchor !== undefined) {
      if (node.t === "alias" || this.anchorsSeen.has(anchor)) bail();
      this.anchorsSeen.add(anchor);
      node.anchor = anchor;
    }
    if (tag !== undefined && node.t !== "alias") node.tag = tag;
    return node;
  }

  private scalar(indent: number, tagged: boolean): FNode {
    const t = this.cur;
    this.i++;
    if (t.k === K.Plain) {
      if (t.src.includes("\n") || t.src.includes("\r") || t.src.includes("\t")) bail();
      if (t.src === "" || ",[]{}#&*!|>'\"%@`".includes(t.src[0]!)) bail();
      if (tagged) return { t: "scalar", off: t.off, value: t.src };
      const v = resolvePlain(t.src);
      if (typeof v === "number" && LEGACY_OCTAL_RE.test(t.src)) return { t: "scalar", off: t.off, value: Number.parseInt(t.src, 8) };
      return { t: "scalar", off: t.off, value: v };
    }
    if (t.k === K.Quoted) {
      if (t.src.includes("\n")) this.checkContinuation(t.src, indent);
      if (t.src.includes("\r") || t.src.includes("\t")) bail();
      const type = t.src[0] === '"' ? "double-quoted-scalar" : "single-quoted-scalar";
      return { t: "scalar", off: t.off, value: resolveScalar({ type, offset: t.off, indent: Math.max(indent, 0), source: t.src }) };
    }
    if (t.k === K.Block) {
      if (t.src.includes("\r") || t.src.includes("\t")) bail();
      const header = t.header!;
      const token: CST.BlockScalar = {
        type: "block-scalar",
        offset: t.off,
        indent: Math.max(indent, 0),
        props: [{ type: "block-scalar-header", offset: t.off, indent: Math.max(indent, 0), source: header }],
        source: t.src,
      };
      return { t: "scalar", off: t.off, value: resolveScalar(token) };
    }
    return bail();
  }

  /** Continuation lines of a multi-line flow scalar must be indented past the parent. */
  private checkContinuation(src: string, indent: number): void {
    const lines = src.split("\n");
    for (let j = 1; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.trim() === "") continue;
      const lead = l.length - l.trimStart().length;
      if (lead <= indent || lead === 0) bail();
    }
  }

  private blockSeq(): FNode {
    const first = this.cur;
    const col = (first.off - first.ls);
    const items: FNode[] = [];
    for (;;) {
      const dash = this.cur;
      this.i++;
      const n = this.cur;
      if (n.k === K.Eof || n.k === K.DocStart || n.k === K.DocEnd || n.ls !== dash.ls) {
        // value on following lines, or empty
        if (n.k !== K.Eof && n.k !== K.DocStart && n.k !== K.DocEnd && (n.off - n.ls) > col) {
          items.push(this.blockNode(col, false));
        } else {
          items.push({ t: "scalar", off: this.afterSpaces(dash.off + 1), value: null });
        }
      } else {
        items.push(this.blockNode(col, false));
      }
      const t = this.cur;
      if (t.k === K.Eof || t.k === K.DocStart || t.k === K.DocEnd) break;
      if (t.ls === dash.ls) bail();
      const c = (t.off - t.ls);
      if (c > col) bail();
      if (c < col) break;
      if (t.k !== K.Dash) break;
    }
    return { t: "seq", off: first.off, items };
  }

  private afterSpaces(p: number): number {
    while (this.text[p] === " ") p++;
    return p;
  }

  private blockMap(): FNode {
    const first = this.cur;
    const col = (first.off - first.ls);
    const pairs: FPair[] = [];
    const seen = new Set<string>();
    let merges = 0;
    for (;;) {
      const kt = this.cur;
      if (!this.isKeyAt(this.i)) bail();
      if (kt.src.length > 1000) bail();
      let key: string;
      let merge = false;
      if (kt.k === K.Plain) {
        if (kt.src.includes("\n") || kt.src === "" || ",[]{}#&*!|>'\"%@`".includes(kt.src[0]!)) bail();
        if (kt.src === "<<") {
          merge = true;
          key = "<<";
          if (++merges > 1) bail();
        } else key = String(resolvePlain(kt.src));
      } else {
        if (kt.src.includes("\n")) bail();
        key = String(resolveScalar({ type: kt.src[0] === '"' ? "double-quoted-scalar" : "single-quoted-scalar", offset: kt.off, indent: 0, source: kt.src }));
      }
      if (!merge) {
        if (seen.has(key)) bail();
        seen.add(key);
      }
      this.i++;
      const colon = this.cur;
      this.i++;
      const n = this.cur;
      let value: FNode;
      const atEnd = n.k === K.Eof || n.k === K.DocStart || n.k === K.DocEnd;
      if (!atEnd && n.ls === colon.ls) {
        value = this.blockNode(col, true);
      } else if (!atEnd && ((n.off - n.ls) > col || (n.k === K.Dash && (n.off - n.ls) === col))) {
        value = n.k === K.Dash && (n.off - n.ls) === col ? this.blockSeq() : this.blockNode(col, false);
      } else {
        value = { t: "scalar", off: this.afterSpaces(colon.off + 1), value: null };
      }
      if (merge && !(value.t === "alias" || (value.t === "seq" && value.items.every((x) => x.t === "alias")))) bail();
      pairs.push({ key, keyOff: kt.off, merge, value });
      const t = this.cur;
      if (t.k === K.Eof || t.k === K.DocStart || t.k === K.DocEnd) break;
      if (t.ls === colon.ls) bail();
      const c = (t.off - t.ls);
      if (c > col) bail();
      if (c < col) break;
    }
    return { t: "map", off: first.off, pairs };
  }

  /** A flow collection; `indent` is the enclosing block collection's column. */
  private flow(indent: number): FNode {
    if (++this.nesting > SOURCE_LIMITS.maxDepth) bail();
    const node = this.flowAt(indent);
    this.nesting--;
    return node;
  }

  private flowAt(indent: number): FNode {
    const open = this.cur;
    const startLine = open.ls;
    this.i++;
    const isMap = open.k === K.LBrace;
    const close = isMap ? K.RBrace : K.RBrack;
    const items: FNode[] = [];
    const pairs: FPair[] = [];
    const seen = new Set<string>();
    // Continuation lines go past the block collection's column; a closing bracket may sit on it.
    const check = (t: Tok): void => {
      if (t.ls !== startLine && (t.k === close ? (t.off - t.ls) < indent : (t.off - t.ls) <= indent)) bail();
    };
    for (;;) {
      let t = this.cur;
      check(t);
      if (t.k === close) {
        this.i++;
        break;
      }
      if (isMap) {
        if (t.k !== K.Plain && t.k !== K.Quoted) bail();
        const n = this.peek();
        if (n.k !== K.Colon) bail();
        if (t.src.includes("\n")) bail();
        let key: string;
        if (t.k === K.Plain) {
          if (t.src === "<<" || t.src === "" || ",[]{}#&*!|>'\"%@`".includes(t.src[0]!)) bail();
          key = String(resolvePlain(t.src));
        } else key = String(resolveScalar({ type: t.src[0] === '"' ? "double-quoted-scalar" : "single-quoted-scalar", offset: t.off, indent: 0, source: t.src }));
        if (seen.has(key)) bail();
        seen.add(key);
        this.i += 2;
        const v = this.cur;
        check(v);
        if (v.k === K.Comma || v.k === close) bail();
        pairs.push({ key, keyOff: t.off, merge: false, value: this.flowNode(indent) });
      } else {
        if (this.peek().k === K.Colon) bail();
        items.push(this.flowNode(indent));
        if (this.cur.k === K.Colon) bail();
      }
      t = this.cur;
      check(t);
      if (t.k === K.Comma) {
        this.i++;
        continue;
      }
      if (t.k === close) {
        this.i++;
        break;
      }
      bail();
    }
    return isMap ? { t: "map", off: open.off, pairs } : { t: "seq", off: open.off, items };
  }

  /** A node's anchor and tag, at most one of each (else the full parser decides); `sameLine`: both on the first one's line. */
  private props(sameLine: boolean): { anchor: string | undefined; tag: string | undefined } {
    let anchor: string | undefined;
    let tag: string | undefined;
    const line = this.cur.ls;
    while (this.cur.k === K.Anchor || this.cur.k === K.Tag) {
      if (sameLine && this.cur.ls !== line) bail();
      if (this.cur.k === K.Anchor) {
        if (anchor !== undefined) bail();
        anchor = this.cur.src;
      } else {
        if (tag !== undefined) bail();
        tag = this.cur.src;
      }
      this.i++;
    }
    return { anchor, tag };
  }

  private flowNode(indent: number): FNode {
    const { anchor, tag } = this.props(false);
    const t = this.cur;
    let node: FNode;
    if (t.k === K.LBrace || t.k === K.LBrack) node = this.flow(indent);
    else if (t.k === K.Alias) {
      if (anchor !== undefined || tag !== undefined) bail();
      this.i++;
      node = { t: "alias", off: t.off, name: t.src };
    } else if (t.k === K.Plain || t.k === K.Quoted) node = this.scalar(indent, tag !== undefined);
    else return bail();
    if (anchor !== undefined) {
      if (node.t === "alias" || this.anchorsSeen.has(anchor)) bail();
      this.anchorsSeen.add(anchor);
      node.anchor = anchor;
    }
    if (tag !== undefined && node.t !== "alias") node.tag = tag;
    return node;
  }
}

/** What a double-quoted `\x` escape stands for (YAML 1.2), for the escapes that are one character. */
const DQ_ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
  N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029", " ": " ", '"': '"', "/": "/", "\\": "\\",
};
const HEX_RE = /^[0-9a-fA-F]+$/;

/**
 * The value of a one-line quoted scalar (`src` with its quotes), or undefined when it is left
 * to the yaml package (line folding, an escape this does not know).
 */
function quotedValue(src: string): string | undefined {
  if (src.includes("\n")) return undefined;
  const inner = src.slice(1, -1);
  if (src.charCodeAt(0) === 39) return inner.includes("'") ? inner.replaceAll("''", "'") : inner;
  let i = inner.indexOf("\\");
  if (i < 0) return inner;
  let out = "";
  let from = 0;
  while (i >= 0) {
    out += inner.slice(from, i);
    const e = inner[i + 1];
    if (e === undefined) return undefined;
    const simple = DQ_ESCAPES[e];
    if (simple !== undefined && Object.hasOwn(DQ_ESCAPES, e)) {
      out += simple;
      from = i + 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = inner.substr(i + 2, n);
      if (hex.length !== n || !HEX_RE.test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      from = i + 2 + n;
    } else return undefined;
    i = inner.indexOf("\\", from);
  }
  return out + inner.slice(from);
}

function resolveScalar(token: CST.FlowScalar | CST.BlockScalar): unknown {
  if (token.type !== "block-scalar") {
    const v = quotedValue(token.source);
    if (v !== undefined) return v;
  }
  let failed = false;
  const r = yamlCst().resolveAsScalar(token, true, () => {
    failed = true;
  });
  if (failed || !r) bail();
  return r!.value;
}

/** Marks a value tagged `!reset` while walking; never left in returned data. */
const RESET: unique symbol = Symbol("reset");
/** What a collection is in a walk for positions only. */
const DATALESS: unique symbol = Symbol("dataless");

/**
 * Up to this size a file's positions are recorded while it is read (a few ms at most); a bigger
 * one defers them to the first diagnostic that needs one (then the text is parsed again).
 */
const EAGER_POSITIONS_MAX_BYTES = 128 * 1024;

type Slot = ReturnType<PositionIndex["child"]>;

/**
 * Mirrors source.ts's Walker on our light nodes, so data and positions come out the same. With
 * no position index it builds the data alone: every slot is one scratch slot, written and
 * never read (the index is built later, by a second walk, if anyone asks for a position).
 */
class Walk {
  private expanded = 0;
  private aliasDepth = 0;
  private readonly anchors = new Map<string, FNode>();
  /** The key path of the node being walked, copied only when a `!reset`/`!override` needs it. */
  private readonly path: (string | number)[] = [];
  private readonly scratch: Slot = { key: -1, value: -1 };
  /**
   * With `positions`, every slot is recorded; without, only the children of `shallowRoot` (the
   * document's top-level keys), the rest going to the scratch slot.
   */
  constructor(
    private readonly out: Pick<ParsedDocument, "resets" | "overrides">,
    private readonly positions: PositionIndex | undefined,
    private readonly shallowRoot?: Slot,
    /** Positions only, no data (the deferred index): collections walk their entries and return DATALESS. */
    private readonly dataless = false,
  ) {}

  private child(slot: Slot, key: string | number): Slot {
    if (this.positions) return this.positions.child(slot, key);
    if (slot !== this.shallowRoot) return this.scratch;
    slot.children ??= new Map();
    let c = slot.children.get(key);
    if (!c) {
      c = { key: -1, value: -1 };
      slot.children.set(key, c);
    }
    return c;
  }

  value(node: FNode, depth: number, keyOffset: number, slot: Slot): unknown {
    if (keyOffset >= 0) slot.key = keyOffset;
    if (depth > SOURCE_LIMITS.maxDepth) bail();
    if (this.aliasDepth > 0 && ++this.expanded > SOURCE_LIMITS.maxAliasExpansion) bail();
    if (this.aliasDepth === 0 || slot.value < 0) slot.value = node.off;
    if (node.t === "alias") {
      const target = this.anchors.get(node.name) ?? bail();
      this.aliasDepth++;
      try {
        return this.value(target, depth + 1, -1, slot);
      } finally {
        this.aliasDepth--;
      }
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (node.tag === "!reset") {
      this.out.resets.push(this.path.slice());
      return RESET;
    }
    if (node.tag === "!override") this.out.overrides.push(this.path.slice());
    if (node.t === "scalar") return node.value;
    const path = this.path;
    if (node.t === "seq") {
      if (this.dataless) {
        // Positions only: an item's index counts the items before it that were not `!reset`.
        let n = 0;
        for (const item of node.items) {
          path.push(n);
          if (this.value(item, depth + 1, -1, this.child(slot, n)) !== RESET) n++;
          path.pop();
        }
        return DATALESS;
      }
      const arr: unknown[] = [];
      for (const item of node.items) {
        const i = arr.length;
        path.push(i);
        const v = this.value(item, depth + 1, -1, this.child(slot, i));
        path.pop();
        if (v !== RESET) arr.push(v);
      }
      return arr;
    }
    const obj: Record<string, unknown> = {};
    let merged: unknown[] | undefined;
    for (const pair of node.pairs) {
      if (pair.merge) {
        this.aliasDepth++;
        try {
          (merged ??= []).push(this.value(pair.value, depth + 1, -1, slot));
        } finally {
          this.aliasDepth--;
        }
        continue;
      }
      path.push(pair.key);
      const v = this.value(pair.value, depth + 1, pair.keyOff, this.child(slot, pair.key));
      path.pop();
      if (v !== RESET && !this.dataless) setOwn(obj, pair.key, v);
    }
    if (this.dataless) return DATALESS;
    if (merged) {
      for (const source of merged.flatMap((m) => (Array.isArray(m) ? m : [m]))) {
        if (source && typeof source === "object" && !Array.isArray(source)) {
          for (const k in source) if (Object.hasOwn(source, k) && !Object.hasOwn(obj, k)) setOwn(obj, k, (source as Record<string, unknown>)[k]);
        }
      }
    }
    return obj;
  }
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Parses like parseComposeYaml, or returns undefined when the input uses anything this front end
 * does not handle with certainty (then use the full parser, which also reports the errors).
 * `toLocation` turns offsets into locations when positions are read.
 */
export function parseFast(file: string, text: string, opts: { eagerPositions?: boolean } = {}): FastResult | undefined {
  if (text.length === 0 || text.length > SOURCE_LIMITS.maxBytes) return undefined;
  if (text.charCodeAt(0) === 0xfeff || text.includes("\r") || text.includes("\t")) return undefined;
  try {
    const docs = new Parser(text, new Tokens(text)).documents();
    const toLocation = locator(file, text);
    const out: ParsedDocument[] = [];
    docs.forEach((root, d) => {
      // Positions are read only to report a problem. A small file records them as it goes; a big
      // one only its top-level keys, the whole index being built on first use by parsing the
      // text again (the same text parses the same way), not on every load.
      const eager = opts.eagerPositions ?? text.length <= EAGER_POSITIONS_MAX_BYTES;
      const shallow: Slot = { key: -1, value: -1 };
      const fill = (rootSlot: Slot): void => {
        const again = new Parser(text, new Tokens(text)).documents()[d]!;
        new Walk({ resets: [], overrides: [] }, positions, undefined, true).value(again, 0, -1, rootSlot);
      };
      const positions = eager ? new PositionIndex(file, toLocation) : new PositionIndex(file, toLocation, fill, shallow);
      const parsed: ParsedDocument = { file, data: undefined, positions, resets: [], overrides: [] };
      const v = eager ? new Walk(parsed, positions).value(root, 0, -1, positions.rootSlot) : new Walk(parsed, undefined, shallow).value(root, 0, -1, shallow);
      if (v === RESET) bail();
      parsed.data = v;
      out.push(parsed);
    });
    return out;
  } catch (err) {
    if (err instanceof Bail) return undefined;
    throw err;
  }
}

/** Offsets to line:col as the yaml package's LineCounter reports them; line starts found lazily. */
function locator(file: string, text: string): (offset: number) => Location {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let p = text.indexOf("\n"); p >= 0; p = text.indexOf("\n", p + 1)) starts.push(p + 1);
    }
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offset < starts[mid]!) hi = mid;
      else lo = mid + 1;
    }
    if (lo === 0) return { file, line: 0, col: offset };
    return { file, line: lo, col: offset - starts[lo - 1]! + 1 };
  };
}
