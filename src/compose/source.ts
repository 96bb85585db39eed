// Parses compose YAML into plain data while remembering where every key and value stood,
// so that later stages (interpolation, schema, consistency) can point at file:line:col.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from "yaml";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";

/** Limits that keep hostile input (alias bombs, huge or deep documents) from hanging the loader. */
export const SOURCE_LIMITS = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxAliasCount: 1000,
} as const;

/** Where a key and its value stand in one file. */
export interface PathLocation {
  readonly key?: Location;
  readonly value: Location;
}

const SEP = "\u0000";
export const pathKey = (path: KeyPath): string => path.join(SEP);

/** Locations of every path in one parsed file. */
export class PositionIndex {
  private readonly map = new Map<string, PathLocation>();
  constructor(readonly file: string) {}
  set(path: KeyPath, loc: PathLocation): void {
    this.map.set(pathKey(path), loc);
  }
  get(path: KeyPath): PathLocation | undefined {
    return this.map.get(pathKey(path));
  }
  /** The location of the path, or of its nearest ancestor that has one. */
  nearest(path: KeyPath): PathLocation | undefined {
    for (let n = path.length; n >= 0; n--) {
      const hit = this.map.get(pathKey(path.slice(0, n)));
      if (hit) return hit;
    }
    return undefined;
  }
}

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
    const parsed: ParsedDocument = { file, data: undefined, positions: new PositionIndex(file), resets: [], overrides: [] };
    const walker = new Walker(doc, parsed, bag, locate);
    parsed.data = walker.value(doc.contents as YamlNode | null, [], 0, undefined);
    out.push(parsed);
  }
  return out;
}

function yamlMessage(message: string): string {
  // The yaml library appends a code frame of its own; we render our own frame.
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

class Walker {
  private aliases = 0;
  constructor(
    private readonly doc: Document.Parsed,
    private readonly out: ParsedDocument,
    private readonly bag: DiagnosticBag,
    private readonly locate: (offset: number | undefined) => Location,
  ) {}

  value(node: YamlNode | null | undefined, path: KeyPath, depth: number, keyLoc: Location | undefined): unknown {
    if (node === null || node === undefined) {
      this.out.positions.set(path, { key: keyLoc, value: keyLoc ?? { file: this.out.file, line: 1, col: 1 } });
      return null;
    }
    if (depth > SOURCE_LIMITS.maxDepth) {
      this.bag.error("yaml.too-deep", `the document nests deeper than ${SOURCE_LIMITS.maxDepth} levels`, {
        path,
        location: this.locate(node.range?.[0]),
      });
      return null;
    }
    const here = this.locate(node.range?.[0]);
    this.out.positions.set(path, { key: keyLoc, value: here });
    const tag = (node as { tag?: string }).tag;
    if (tag === "!reset") {
      this.out.resets.push(path);
      return RESET;
    }
    if (tag === "!override") this.out.overrides.push(path);
    if (isAlias(node)) {
      if (++this.aliases > SOURCE_LIMITS.maxAliasCount) {
        this.bag.error("yaml.alias-limit", `more than ${SOURCE_LIMITS.maxAliasCount} aliases: refusing a possible alias bomb`, { path, location: here });
        return null;
      }
      const target = node.resolve(this.doc);
      return this.value(target as YamlNode | undefined, path, depth + 1, keyLoc);
    }
    if (isScalar(node)) {
      // compose's YAML reader takes a plain 0-prefixed integer as octal (file modes like 0444).
      const src = (node as { source?: string }).source;
      if (typeof node.value === "number" && node.type === "PLAIN" && typeof src === "string" && /^[-+]?0[0-7]+$/.test(src)) {
        return Number.parseInt(src, 8);
      }
      return node.value;
    }
    if (isSeq(node)) {
      const arr: unknown[] = [];
      for (const item of node.items) {
        const v = this.value(item as YamlNode, [...path, arr.length], depth + 1, undefined);
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
          merged.push(this.value(pair.value as YamlNode, path, depth + 1, undefined));
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const v = this.value(pair.value as YamlNode | null, [...path, key], depth + 1, this.locate(keyNode?.range?.[0]));
        // defineProperty: a YAML key "__proto__" must stay a key, not replace the prototype.
        if (v !== RESET) Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      }
      // YAML merge keys: explicit keys win over merged ones; earlier merge sources win over later.
      for (const source of merged.flatMap((m) => (Array.isArray(m) ? m : [m]))) {
        if (source && typeof source === "object" && !Array.isArray(source)) {
          for (const [k, v] of Object.entries(source)) {
            if (!Object.hasOwn(obj, k)) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
          }
        }
      }
      this.out.positions.set(path, { key: keyLoc, value: here });
      return obj;
    }
    return null;
  }
}

/** Marks a value tagged `!reset` while walking; never left in returned data. */
const RESET: unique symbol = Symbol("reset");
