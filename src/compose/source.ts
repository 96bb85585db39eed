// Parses compose YAML into plain data while remembering where every key and value stood,
// so that later stages (interpolation, schema, consistency) can point at file:line:col.
import { createRequire } from "node:module";
import type { Document, Node as YamlNode } from "yaml";
import type { DiagnosticBag, KeyPath, Location } from "./diagnostics.js";
import { parseFast } from "./fast-yaml.js";
import { PositionIndex, SOURCE_LIMITS, type ParsedDocument } from "./positions.js";

export { PositionIndex, SOURCE_LIMITS, pathKey, type ParsedDocument, type PathLocation } from "./positions.js";

type SlotRef = ReturnType<PositionIndex["child"]>;

/**
 * The `yaml` package, loaded on first use: most files never need it (the fast front end reads
 * them), and loading it is a good part of a cold `moor config`'s start-up.
 */
let yamlModule: typeof import("yaml") | undefined;
function yaml(): typeof import("yaml") {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
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
  // The token-level front end covers what real compose files use, in a third of the time; it
  // declines (undefined) anything it is not sure of, and the full parser below takes over.
  return parseFast(file, text) ?? parseComposeYamlFull(file, text, bag);
}

/** The full parser (the `yaml` package's Document): every construct, every error located. */
export function parseComposeYamlFull(file: string, text: string, bag: DiagnosticBag): ParsedDocument[] {
  const { LineCounter, parseAllDocuments } = yaml();
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
      // The yaml package recurses per nesting level and turns a stack overflow into this error:
      // the same refusal as our own depth limit, in the same words.
      if (e.code === "RESOURCE_EXHAUSTION" && /call stack/i.test(e.message)) {
        bag.error("yaml.too-deep", `the document nests deeper than ${SOURCE_LIMITS.maxDepth} levels`, { location: locate(e.pos[0]) });
        break;
      }
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
    // A refused document is half-read: validating the rest would only add errors about the holes.
    if (!walker.refused && !walker.holes) out.push(parsed);
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
  /** Set once a limit is hit: the rest of the document is not read, and the document is dropped. */
  refused = false;
  /** Set when an alias names no anchor: the document is read on (to report every one) but dropped. */
  holes = false;
  /** Anchors seen so far by name; null for a name searched for and found nowhere. */
  private readonly anchors = new Map<string, YamlNode | null>();
  constructor(
    private readonly doc: Document.Parsed,
    private readonly out: ParsedDocument,
    private readonly bag: DiagnosticBag,
    private readonly locate: (offset: number | undefined) => Location,
  ) {}

  /** Converts a node to plain data, recording the key and value offsets of `path` in `slot`. */
  value(node: YamlNode | null | undefined, path: KeyPath, depth: number, keyOffset: number, slot: SlotRef): unknown {
    const { isAlias, isMap, isPair, isScalar, isSeq } = yaml();
    if (keyOffset >= 0) slot.key = keyOffset;
    if (node === null || node === undefined) {
      if (slot.value < 0) slot.value = Math.max(keyOffset, 0);
      return null;
    }
    if (this.refused) return null;
    if (depth > SOURCE_LIMITS.maxDepth) {
      // Once is enough: a deep value reached through aliases would otherwise be reported (and
      // walked) once per use, which an alias fan-out turns into millions.
      this.refused = true;
      this.bag.error("yaml.too-deep", `the document nests deeper than ${SOURCE_LIMITS.maxDepth} levels`, {
        path,
        location: this.locate(node.range?.[0]),
      });
      return null;
    }
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
      // always come before their aliases, so the ones seen so far are enough. A name found
      // nowhere is searched for once: an undefined alias used thousands of times (through other
      // aliases) would otherwise walk the document thousands of times.
      let target = this.anchors.get(node.source);
      if (target === undefined && !this.anchors.has(node.source)) {
        target = node.resolve(this.doc) ?? null;
        this.anchors.set(node.source, target);
        if (target === null) {
          this.holes = true;
          this.bag.error("yaml.unknown-anchor", `unknown anchor '${node.source}' referenced`, {
            path,
            location: this.locate(node.range?.[0]),
            hint: `define it with &${node.source} on a value before this use`,
          });
        }
      }
      this.aliasDepth++;
      try {
        return this.value(target, path, depth + 1, -1, slot);
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
        let key: string;
        try {
          key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        } catch (err) {
          // A complex key (`? …`) the yaml library cannot print (e.g. a bad merge inside it).
          this.bag.error("yaml.key", `a mapping key cannot be read: ${(err as Error).message}`, { path, location: this.locate(keyNode?.range?.[0]), hint: "use plain string keys" });
          continue;
        }
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
