// Parses compose YAML into plain data while remembering where every key and value stood,
// so that later stages (interpolation, schema, consistency) can point at file:line:col.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from "yaml";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";

/** Limits that keep hostile input (alias bombs, huge or deep documents) from hanging the loader. */
export const SOURCE_LIMITS = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  /** Nodes produced by expanding aliases, in one document: generous for real files, fatal to alias bombs. */
  maxAliasExpansion: 500_000,
} as const;

/** Where a key and its value stand in one file. */
export interface PathLocation {
  readonly key?: Location;
  readonly value: Location;
}

const SEP = "\u0000";
export const pathKey = (path: KeyPath): string => path.join(SEP);

/** One node of the position trie: offsets into the text (-1 when absent), children by key. */
interface Slot {
  key: number;
  value: number;
  loc?: PathLocation;
  children?: Map<string | number, Slot>;
}

/**
 * Locations of every path in one parsed file. Stored as a trie of text offsets and turned into
 * line:col only when asked: a big file has hundreds of thousands of paths and few are ever shown.
 */
export class PositionIndex {
  private readonly root: Slot = { key: -1, value: -1 };
  constructor(
    readonly file: string,
    private readonly toLocation: (offset: number) => Location = () => ({ file, line: 1, col: 1 }),
  ) {}

  /** The slot for a child key, created when missing (the walker's fast path). */
  child(parent: Slot | undefined, key: string | number): Slot {
    const p = parent ?? this.root;
    p.children ??= new Map();
    let c = p.children.get(key);
    if (!c) {
      c = { key: -1, value: -1 };
      p.children.set(key, c);
    }
    return c;
  }

  get rootSlot(): Slot {
    return this.root;
  }

  set(path: KeyPath, loc: PathLocation): void {
    let slot = this.root;
    for (const k of path) slot = this.child(slot, k);
    slot.loc = loc;
  }

  private find(path: KeyPath, nearest: boolean): Slot | undefined {
    let slot: Slot | undefined = this.root;
    let best: Slot | undefined = this.has(this.root) ? this.root : undefined;
    for (const k of path) {
      slot = slot.children?.get(k);
      if (!slot) return nearest ? best : undefined;
      if (this.has(slot)) best = slot;
    }
    return nearest ? best : this.has(slot) ? slot : undefined;
  }

  private has(slot: Slot): boolean {
    return slot.loc !== undefined || slot.value >= 0;
  }

  private locationOf(slot: Slot): PathLocation {
    if (slot.loc) return slot.loc;
    const value = this.toLocation(slot.value);
    return slot.key >= 0 ? { key: this.toLocation(slot.key), value } : { value };
  }

  get(path: KeyPath): PathLocation | undefined {
    const slot = this.find(path, false);
    return slot ? this.locationOf(slot) : undefined;
  }

  /** The location of the path, or of its nearest ancestor that has one. */
  nearest(path: KeyPath): PathLocation | undefined {
    const slot = this.find(path, true);
    return slot ? this.locationOf(slot) : undefined;
  }
}

type SlotRef = ReturnType<PositionIndex["child"]>;

/** One YAML document of a compose file, as data plus positions plus the `!reset`/`!override` marks. */
export interface ParsedDocument {
  readonly file: string;
  data: unknown;
  readonly positions: PositionIndex;
  /** Paths tagged `!reset`: removed from `data`, and cleared in what earlier files set. */
  readonly resets: KeyPath[];
  /** Paths tagged `!override`: kept in `data`, and replacing (not merging with) earlier files. */
  readonly overrides: KeyPath[];
}

/**
 * Parses one compose file. Several YAML documents in one file are returned in order
 * (the loader merges them like several `-f` files). Problems go to `bag`.
 */
export function parseComposeYaml(file: string, text: string, bag: DiagnosticBag): ParsedDocument[] {
  if (text.length > SOURCE_LIMITS.maxBytes) {
    bag.error("yaml.too-large", `the file is ${text.length} bytes; moor reads compose files up to ${SOURCE_LIMITS.maxBytes} bytes`, {
      location: { file, line: 1, col: 1 },
      hint: "split the project with `include:` or several `-f` files",
    });
    return [];
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false }) as Document.Parsed[];
  } catch (err) {
    bag.error("yaml.syntax", `cannot parse YAML: ${(err as Error).message}`, { location: { file, line: 1, col: 1 } });
    return [];
  }
  if (!Array.isArray(docs)) docs = [docs as Document.Parsed];
  const locate = (offset: number | undefined): Location => {
    const p = lineCounter.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    let ok = true;
    for (const e of doc.errors) {
      ok = false;
      bag.error(e.code === "DUPLICATE_KEY" ? "yaml.duplicate-key" : "yaml.syntax", yamlMessage(e.message), {
        location: locate(e.pos[0]),
        hint: e.code === "DUPLICATE_KEY" ? "each key may appear once in a mapping; remove or rename one" : undefined,
      });
    }
    if (!ok) continue;
    if (doc.contents === null && out.length > 0) continue; // a trailing `---`
    const parsed: ParsedDocument = { file, data: undefined, positions: new PositionIndex(file, locate), resets: [], overrides: [] };
    const walker = new Walker(doc, parsed, bag, locate);
    parsed.data = walker.value(doc.contents as YamlNode | null, [], 0, -1, parsed.positions.rootSlot);
    out.push(parsed);
  }
  return out;
}

function yamlMessage(message: string): string {
  // The yaml library appends a code frame of its own; we render our own frame.
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

class Walker {
  /** Nodes produced while expanding aliases; past the limit the document is refused. */
  private expanded = 0;
  private aliasDepth = 0;
  private refused = false;
  private readonly anchors = new Map<string, YamlNode>();
  constructor(
    private readonly doc: Document.Parsed,
    private readonly out: ParsedDocument,
    private readonly bag: DiagnosticBag,
    private readonly locate: (offset: number | undefined) => Location,
  ) {}

  /** Converts a node to plain data, recording the key and value offsets of `path` in `slot`. */
  value(node: YamlNode | null | undefined, path: KeyPath, depth: number, keyOffset: number, slot: SlotRef): unknown {
    if (keyOffset >= 0) slot.key = keyOffset;
    if (node === null || node === undefined) {
      if (slot.value < 0) slot.value = Math.max(keyOffset, 0);
      return null;
    }
    if (depth > SOURCE_LIMITS.maxDepth) {
      this.bag.error("yaml.too-deep", `the document nests deeper than ${SOURCE_LIMITS.maxDepth} levels`, {
        path,
        location: this.locate(node.range?.[0]),
      });
      return null;
    }
    if (this.refused) return null;
    if (this.aliasDepth > 0 && ++this.expanded > SOURCE_LIMITS.maxAliasExpansion) {
      this.refused = true;
      this.bag.error("yaml.alias-limit", `aliases expand to more than ${SOURCE_LIMITS.maxAliasExpansion} values: refusing a possible alias bomb`, {
        path,
        location: this.locate(node.range?.[0]),
        hint: "reduce nested aliases (`*name`) or write the values out",
      });
      return null;
    }
    // An alias's own position wins over its target's: errors point where the value was used.
    if (this.aliasDepth === 0 || slot.value < 0) slot.value = node.range?.[0] ?? 0;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, node);
    const tag = (node as { tag?: string }).tag;
    if (tag === "!reset") {
      this.out.resets.push(path);
      return RESET;
    }
    if (tag === "!override") this.out.overrides.push(path);
    if (isAlias(node)) {
      // Alias.resolve searches the whole document each time (quadratic on big files); anchors
      // always come before their aliases, so the ones seen so far are enough.
      const target = this.anchors.get(node.source) ?? node.resolve(this.doc);
      this.aliasDepth++;
      try {
        return this.value(target as YamlNode | undefined, path, depth + 1, -1, slot);
      } finally {
        this.aliasDepth--;
      }
    }
    if (isScalar(node)) {
      // compose's YAML reader takes a plain 0-prefixed integer as octal (file modes like 0444).
      const src = (node as { source?: string }).source;
      if (typeof node.value === "number" && node.type === "PLAIN" && typeof src === "string" && /^[-+]?0[0-7]+$/.test(src)) {
        return Number.parseInt(src, 8);
      }
      return node.value;
    }
    const positions = this.out.positions;
    if (isSeq(node)) {
      const arr: unknown[] = [];
      for (const item of node.items) {
        const i = arr.length;
        const v = this.value(item as YamlNode, [...path, i], depth + 1, -1, positions.child(slot, i));
        if (v !== RESET) arr.push(v);
      }
      return arr;
    }
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      const merged: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && (typeof keyNode.value === "symbol" || (keyNode.value === "<<" && keyNode.type === "PLAIN"))) {
          this.aliasDepth++;
          try {
            merged.push(this.value(pair.value as YamlNode, path, depth + 1, -1, slot));
          } finally {
            this.aliasDepth--;
          }
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const v = this.value(pair.value as YamlNode | null, [...path, key], depth + 1, keyNode?.range?.[0] ?? 0, positions.child(slot, key));
        if (v !== RESET) setOwn(obj, key, v);
      }
      // YAML merge keys: explicit keys win over merged ones; earlier merge sources win over later.
      for (const source of merged.flatMap((m) => (Array.isArray(m) ? m : [m]))) {
        if (source && typeof source === "object" && !Array.isArray(source)) {
          for (const [k, v] of Object.entries(source)) if (!Object.hasOwn(obj, k)) setOwn(obj, k, v);
        }
      }
      return obj;
    }
    return null;
  }
}

/** Sets a key as data; "__proto__" must stay a key, not replace the object's prototype. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Marks a value tagged `!reset` while walking; never left in returned data. */
const RESET: unique symbol = Symbol("reset");
