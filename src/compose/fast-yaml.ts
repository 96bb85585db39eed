// An experimental fast front end for compose YAML: plain data and positions built straight from
// the `yaml` package's Lexer tokens, skipping its CST and Document objects (the bulk of parse
// time, docs/performance.md). It covers the YAML real compose files use and returns undefined
// for anything else, so a caller falls back to the full parser; the output must equal
// parseComposeYaml's exactly (test/unit/fast-yaml.test.ts checks it differentially).
import { CST, Lexer } from "yaml";
import type { KeyPath, Location } from "./diagnostics.js";
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

/**
 * The tokens, lexed as the parser reaches them. Tokenizing the whole file first kept every
 * token alive until the end of the parse, and the garbage collector copied them all from one
 * space to the next (on 500 services most of a cold parse's GC time); now a token is garbage
 * soon after the parser is past it. The parser reads at most one token ahead and never back.
 */
class Tokens {
  private readonly lexed: Iterator<string>;
  private buf: Tok[] = [];
  /** The index of buf[0] in the whole token sequence. */
  private base = 0;
  private done = false;
  private off = 0;
  private scalarNext = false;
  private pendingHeader: { off: number; ls: number; src: string } | undefined;
  private ls = 0;

  constructor(private readonly text: string) {
    this.lexed = new Lexer().lex(text)[Symbol.iterator]();
  }

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
      this.pull();
    }
    return this.buf[i - this.base]!;
  }

  /** One lexer token: appends at most one Tok. */
  private pull(): void {
    const next = this.lexed.next();
    const text = this.text;
    if (next.done) {
      if (this.pendingHeader || this.scalarNext || this.off !== text.length) bail();
      this.buf.push({ k: K.Eof, off: text.length, ls: this.ls, src: "" });
      this.done = true;
      return;
    }
    const s = next.value;
    const out = this.buf;
    const start = this.off;
    const lineStart = this.ls;
    if (s.length > 0 && s !== "\u001f" && s !== "\u0002") {
      const nl = s.lastIndexOf("\n");
      if (nl >= 0) this.ls = start + nl + 1;
    }
    if (this.scalarNext) {
      this.scalarNext = false;
      this.off += s.length;
      const header = this.pendingHeader;
      if (header) {
        out.push({ k: K.Block, off: header.off, ls: header.ls, src: s, header: header.src });
        this.pendingHeader = undefined;
      } else out.push({ k: K.Plain, off: start, ls: lineStart, src: s });
      return;
    }
    if (s === "\u001f") {
      this.scalarNext = true;
      return;
    }
    if (s === "\u0002") return;
    this.off += s.length;
    const c = s[0];
    // parseFast declined tabs and CRs up front, so white space tokens are plain spaces and "\n"
    if (this.pendingHeader && s !== "\n" && c !== " " && c !== "#") bail();
    if (s === "\n" || c === " ") return;
    if (c === "#") {
      // a comment needs white space before it (`a#b` is a scalar, `{}#` an error)
      if (start > 0 && text[start - 1] !== " " && text[start - 1] !== "\n") bail();
      return;
    }
    if (s === "-") out.push({ k: K.Dash, off: start, ls: lineStart, src: s });
    else if (s === ":") out.push({ k: K.Colon, off: start, ls: lineStart, src: s });
    else if (s === ",") out.push({ k: K.Comma, off: start, ls: lineStart, src: s });
    else if (s === "{") out.push({ k: K.LBrace, off: start, ls: lineStart, src: s });
    else if (s === "}") out.push({ k: K.RBrace, off: start, ls: lineStart, src: s });
    else if (s === "[") out.push({ k: K.LBrack, off: start, ls: lineStart, src: s });
    else if (s === "]") out.push({ k: K.RBrack, off: start, ls: lineStart, src: s });
    else if (s === "---") out.push({ k: K.DocStart, off: start, ls: lineStart, src: s });
    else if (s === "...") out.push({ k: K.DocEnd, off: start, ls: lineStart, src: s });
    else if (c === "&" && /^&[A-Za-z0-9_.-]+$/.test(s)) out.push({ k: K.Anchor, off: start, ls: lineStart, src: s.slice(1) });
    else if (c === "*" && /^\*[A-Za-z0-9_.-]+$/.test(s)) out.push({ k: K.Alias, off: start, ls: lineStart, src: s.slice(1) });
    else if (s === "!reset" || s === "!override") out.push({ k: K.Tag, off: start, ls: lineStart, src: s });
    else if ((c === '"' || c === "'") && s.length >= 2 && s[s.length - 1] === c) out.push({ k: K.Quoted, off: start, ls: lineStart, src: s });
    else if ((c === "|" || c === ">") && /^[|>](?:[-+]?[1-9]?|[1-9][-+])$/.test(s)) this.pendingHeader = { off: start, ls: lineStart, src: s };
    else bail();
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

function resolveScalar(token: CST.FlowScalar | CST.BlockScalar): unknown {
  let failed = false;
  const r = CST.resolveAsScalar(token, true, () => {
    failed = true;
  });
  if (failed || !r) bail();
  return r!.value;
}

/** A key path as a chain of links, made into an array only when a `!reset`/`!override` needs it. */
interface PathLink {
  readonly up: PathLink | undefined;
  readonly key: string | number;
}
function keyPath(link: PathLink | undefined): KeyPath {
  const out: (string | number)[] = [];
  for (let l = link; l; l = l.up) out.push(l.key);
  return out.reverse();
}

/** Marks a value tagged `!reset` while walking; never left in returned data. */
const RESET: unique symbol = Symbol("reset");

/** Mirrors source.ts's Walker on our light nodes, so data and positions come out the same. */
class Walk {
  private expanded = 0;
  private aliasDepth = 0;
  private readonly anchors = new Map<string, FNode>();
  constructor(private readonly out: ParsedDocument) {}

  value(node: FNode, path: PathLink | undefined, depth: number, keyOffset: number, slot: ReturnType<PositionIndex["child"]>): unknown {
    if (keyOffset >= 0) slot.key = keyOffset;
    if (depth > SOURCE_LIMITS.maxDepth) bail();
    if (this.aliasDepth > 0 && ++this.expanded > SOURCE_LIMITS.maxAliasExpansion) bail();
    if (this.aliasDepth === 0 || slot.value < 0) slot.value = node.off;
    if (node.t === "alias") {
      const target = this.anchors.get(node.name) ?? bail();
      this.aliasDepth++;
      try {
        return this.value(target, path, depth + 1, -1, slot);
      } finally {
        this.aliasDepth--;
      }
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (node.tag === "!reset") {
      this.out.resets.push(keyPath(path));
      return RESET;
    }
    if (node.tag === "!override") this.out.overrides.push(keyPath(path));
    if (node.t === "scalar") return node.value;
    const positions = this.out.positions;
    if (node.t === "seq") {
      const arr: unknown[] = [];
      for (const item of node.items) {
        const i = arr.length;
        const v = this.value(item, { up: path, key: i }, depth + 1, -1, positions.child(slot, i));
        if (v !== RESET) arr.push(v);
      }
      return arr;
    }
    const obj: Record<string, unknown> = {};
    const merged: unknown[] = [];
    for (const pair of node.pairs) {
      if (pair.merge) {
        this.aliasDepth++;
        try {
          merged.push(this.value(pair.value, path, depth + 1, -1, slot));
        } finally {
          this.aliasDepth--;
        }
        continue;
      }
      const v = this.value(pair.value, { up: path, key: pair.key }, depth + 1, pair.keyOff, positions.child(slot, pair.key));
      if (v !== RESET) setOwn(obj, pair.key, v);
    }
    for (const source of merged.flatMap((m) => (Array.isArray(m) ? m : [m]))) {
      if (source && typeof source === "object" && !Array.isArray(source)) {
        for (const [k, v] of Object.entries(source)) if (!Object.hasOwn(obj, k)) setOwn(obj, k, v);
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
export function parseFast(file: string, text: string): FastResult | undefined {
  if (text.length === 0 || text.length > SOURCE_LIMITS.maxBytes) return undefined;
  if (text.charCodeAt(0) === 0xfeff || text.includes("\r") || text.includes("\t")) return undefined;
  try {
    const docs = new Parser(text, new Tokens(text)).documents();
    const toLocation = locator(file, text);
    const out: ParsedDocument[] = [];
    for (const root of docs) {
      const parsed: ParsedDocument = { file, data: undefined, positions: new PositionIndex(file, toLocation), resets: [], overrides: [] };
      const v = new Walk(parsed).value(root, undefined, 0, -1, parsed.positions.rootSlot);
      if (v === RESET) bail();
      parsed.data = v;
      out.push(parsed);
    }
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
