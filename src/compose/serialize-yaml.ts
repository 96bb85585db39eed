// `docker compose config`'s YAML written straight from the Project: the same text as building
// the document tree (serialize.ts's configTree) and emitting it (serialize-emit.ts's emitYaml),
// without the tree. On a 500-service project the tree, its re-sliced nested strings and a fresh
// analysis of every repeated scalar cost more than the loader itself; here each distinct string
// is analysed once per document, and the text is collected as parts joined at the end.
// serialize-yaml.test.ts holds both writers to the same bytes.
import { formatNumber, jsonKeyCompare, yamlFoldedText, yamlInlineParts, yamlKeyCompare, yamlKeyLess, yamlLiteralText, WIDTH } from "./serialize-emit.js";
import { hostLines, isRecord, isZero, map, modeText, sshText, type Shape, type Struct } from "./serialize-shapes.js";

interface Scalar {
  /** Unfolded text: what a key prints as, and a value too when it cannot reach column 80. */
  text: string;
  /** Literal block (multi-line values only). */
  literal: boolean;
  /** Whether folding could apply at all (a space outside the quotes). */
  foldable: boolean;
}

const EMPTY: Record<string, unknown> = {};

class YamlWriter {
  readonly parts: string[] = [];
  private readonly values = new Map<string, Scalar>();
  private readonly keys = new Map<string, string>();
  private readonly pads: string[] = [];
  /** By indentation: a key's "key:" line start and the column its colon ends at. */
  private readonly keyLines: Map<string, { text: string; col: number }>[] = [];

  constructor(private readonly escapeDollars: boolean) {}

  private dollars(s: string): string {
    return this.escapeDollars && s.includes("$") ? s.replaceAll("$", "$$$$") : s;
  }

  pad(n: number): string {
    let p = this.pads[n];
    if (p === undefined) this.pads[n] = p = " ".repeat(n);
    return p;
  }

  key(k: string): string {
    let text = this.keys.get(k);
    if (text === undefined) {
      text = yamlInlineParts(k, true).text;
      this.keys.set(k, text);
    }
    return text;
  }

  /** A string value after "key:" or "-", the indicator ending at column `col`. */
  string(s: string, indent: number, col: number): void {
    let sc = this.values.get(s);
    if (sc === undefined) {
      const p = yamlInlineParts(s, false);
      sc = { text: p.literal ? "" : this.dollars(` ${p.text}\n`), literal: p.literal, foldable: p.foldable };
      this.values.set(s, sc);
    }
    if (sc.literal) this.parts.push(this.dollars(yamlLiteralText(s, indent + 2)));
    // The unfolded text ends before column 80: no space in it can be past the width.
    else if (!sc.foldable || col + sc.text.length - 1 <= WIDTH) this.parts.push(sc.text);
    else this.parts.push(this.dollars(` ${yamlFoldedText(s, col + 1, indent + 2)}\n`));
  }

  scalar(v: unknown, indent: number, col: number): void {
    if (v === null || v === undefined) this.parts.push(" null\n");
    else if (typeof v === "string") this.string(v, indent, col);
    else if (typeof v === "number") this.parts.push(` ${formatNumber(v)}\n`);
    else if (typeof v === "boolean") this.parts.push(v ? " true\n" : " false\n");
    else this.string(String(v), indent, col);
  }

  /**
   * Opens a block collection after "key:" or "-": a placeholder for what follows the indicator,
   * settled by `close` once the entries are known (" {}" when there are none).
   */
  private open(): number {
    this.parts.push("");
    return this.parts.length;
  }

  private close(start: number, count: number, afterDash: boolean, indent: number, empty: string): void {
    const at = start - 1;
    if (count === 0) {
      this.parts[at] = empty;
      return;
    }
    if (afterDash) {
      // The first entry follows "- " on the dash's line, where its indentation would have been.
      this.parts[at] = " ";
      this.parts[start] = this.parts[start]!.slice(indent + 2);
    } else this.parts[at] = "\n";
  }

  /** One "key:" line start at `indent`; returns the column its colon ends at. */
  private entryKey(k: string, indent: number): number {
    // The same few dozen keys recur at the same indentation in every service: each line start
    // is made (and its width counted) once.
    const lines = (this.keyLines[indent] ??= new Map());
    let line = lines.get(k);
    if (line === undefined) {
      const text = this.key(k);
      line = { text: `${this.pad(indent)}${this.dollars(text)}:`, col: indent + runeLength(text) + 1 };
      lines.set(k, line);
    }
    this.parts.push(line.text);
    return line.col;
  }

  value(v: unknown, shape: Shape, indent: number, col: number, afterDash: boolean): void {
    if (typeof shape === "string") {
      switch (shape) {
        case "scalar":
          return this.scalar(v, indent, col);
        case "bytes":
          // compose prints byte sizes as quoted decimal strings ("536870912").
          return typeof v === "number" ? this.string(String(v), indent, col) : this.scalar(v, indent, col);
        case "mode":
          return typeof v === "number" ? this.string(modeText(v), indent, col) : this.scalar(v, indent, col);
        case "any":
          return this.any(v, indent, col, afterDash);
        case "hosts": {
          const start = this.open();
          const lines = hostLines(v, jsonKeyCompare);
          const pad = this.pad(indent + 2);
          for (const line of lines) {
            this.parts.push(`${pad}-`);
            this.string(line, indent + 2, indent + 3);
          }
          return this.close(start, lines.length, afterDash, indent, " []\n");
        }
        case "ulimit": {
          const u = isRecord(v) ? v : EMPTY;
          if (typeof u.single === "number" && u.single !== 0) {
            this.parts.push(` ${formatNumber(u.single)}\n`);
            return;
          }
          const start = this.open();
          for (const k of ["soft", "hard"]) {
            this.entryKey(k, indent + 2);
            this.parts.push(` ${formatNumber(typeof u[k] === "number" ? u[k] : 0)}\n`);
          }
          return this.close(start, 2, afterDash, indent, " {}\n");
        }
        case "ssh":
          return this.string(sshText(v), indent, col);
      }
    }
    if ("list" in shape) {
      const items = Array.isArray(v) ? v : [];
      const start = this.open();
      const pad = this.pad(indent + 2);
      for (let i = 0; i < items.length; i++) {
        this.parts.push(`${pad}-`);
        this.value(items[i], shape.list, indent + 2, indent + 3, true);
      }
      return this.close(start, items.length, afterDash, indent, " []\n");
    }
    if ("map" in shape) {
      const obj = isRecord(v) ? v : EMPTY;
      const keys = sortedKeys(Object.keys(obj));
      const start = this.open();
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const mark = this.parts.length;
        const c = this.entryKey(k, indent + 2);
        const x = obj[k];
        if (x === null || x === undefined) this.parts.push(" null\n");
        else this.value(x, shape.map, indent + 2, c, false);
        // A finished service (network, volume, …) becomes one string: its hundreds of small
        // parts die young instead of being copied by every scavenge until the final join.
        if (indent === 0) this.parts.push(this.parts.splice(mark).join(""));
      }
      return this.close(start, keys.length, afterDash, indent, " {}\n");
    }
    const start = this.open();
    this.close(start, this.fields(isRecord(v) ? v : EMPTY, shape, indent + 2), afterDash, indent, " {}\n");
  }

  /** A struct's entries at `indent`, in the shape's order, then its x- extensions; returns how many. */
  fields(obj: Record<string, unknown>, shape: Struct, indent: number): number {
    let count = 0;
    // The fields the object has, in the shape's order, and its x- extensions: one pass over
    // its own keys (a service sets a score of the hundred a service may have).
    const index = fieldIndex(shape);
    const present: number[] = [];
    let ext: string[] | undefined;
    const keys = Object.keys(obj);
    for (let n = 0; n < keys.length; n++) {
      const k = keys[n]!;
      const i = index.get(k);
      if (i !== undefined) {
        // Insertion in order (a score of small numbers, often nearly sorted): cheaper than
        // Array.prototype.sort calling back a comparator.
        let j = present.length;
        present.push(i);
        for (; j > 0 && present[j - 1]! > i; j--) present[j] = present[j - 1]!;
        present[j] = i;
      } else if (k.startsWith("x-")) (ext ??= []).push(k);
    }
    for (let n = 0; n < present.length; n++) {
      const field = shape.fields[present[n]!]!;
      const v = obj[field.key];
      if (v === undefined || v === null) continue;
      if (field.optOut) {
        if (v === false) {
          this.entryKey(field.key, indent);
          this.parts.push(" false\n");
          count++;
        }
        continue;
      }
      const sub = field.shape;
      if (typeof sub === "object" && "fields" in sub) {
        const mark = this.parts.length;
        this.entryKey(field.key, indent);
        const start = this.open();
        const n = this.fields(isRecord(v) ? v : EMPTY, sub, indent + 2);
        // A value struct (resources, placement, ipam) prints nothing when empty.
        if (n === 0 && sub.value) {
          this.parts.length = mark;
          continue;
        }
        this.close(start, n, false, indent, " {}\n");
        count++;
        continue;
      }
      if (!field.keep && isZero(v)) continue;
      const c = this.entryKey(field.key, indent);
      this.value(v, sub, indent, c, false);
      count++;
    }
    if (ext !== undefined) {
      for (const k of ext.sort(yamlKeyCompare)) {
        const c = this.entryKey(k, indent);
        this.any(obj[k], indent, c, false);
        count++;
      }
    }
    return count;
  }

  /** Free-form data (x- extensions, generic resources): maps sorted, everything else as it is. */
  any(v: unknown, indent: number, col: number, afterDash: boolean): void {
    if (Array.isArray(v)) {
      const start = this.open();
      const pad = this.pad(indent + 2);
      for (const item of v) {
        this.parts.push(`${pad}-`);
        this.any(item, indent + 2, indent + 3, true);
      }
      return this.close(start, v.length, afterDash, indent, " []\n");
    }
    if (isRecord(v)) {
      const keys = sortedKeys(Object.keys(v));
      const start = this.open();
      for (const k of keys) {
        const c = this.entryKey(k, indent + 2);
        this.any(v[k], indent + 2, c, false);
      }
      return this.close(start, keys.length, afterDash, indent, " {}\n");
    }
    this.scalar(v, indent, col);
  }

  /** A top-level section ("services:", "networks:", …) holding a map of structs. */
  section(name: string, objs: Record<string, unknown>, shape: Struct): void {
    const c = this.entryKey(name, 0);
    this.value(objs, map(shape), 0, c, false);
  }

  /** Top-level x- extensions. */
  extensions(obj: Record<string, unknown>): void {
    for (const k of extensionKeys(obj)) {
      const c = this.entryKey(k, 0);
      this.any(obj[k], 0, c, false);
    }
  }

  scalarEntry(k: string, v: string): void {
    const c = this.entryKey(k, 0);
    this.string(v, 0, c);
  }
}

const fieldIndexes = new Map<Struct, Map<string, number>>();

/** A struct's field positions by key (a shape that names a key twice keeps the first). */
function fieldIndex(shape: Struct): Map<string, number> {
  let index = fieldIndexes.get(shape);
  if (index === undefined) {
    index = new Map();
    shape.fields.forEach((f, i) => {
      if (!index!.has(f.key)) index!.set(f.key, i);
    });
    fieldIndexes.set(shape, index);
  }
  return index;
}

function extensionKeys(obj: Record<string, unknown>): string[] {
  let ext: string[] | undefined;
  for (const k in obj) if (k.startsWith("x-")) (ext ??= []).push(k);
  return ext === undefined ? [] : ext.sort(yamlKeyCompare);
}

/**
 * Keys in go-yaml's order. A map here has a handful of keys (environment, labels, options):
 * insertion with yamlKeyLess beats Array.prototype.sort calling back a comparator; a big map
 * (the services) is sorted as usual.
 */
function sortedKeys(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort(yamlKeyCompare);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i;
    for (; j > 0 && yamlKeyLess(k, keys[j - 1]!); j--) keys[j] = keys[j - 1]!;
    keys[j] = k;
  }
  return keys;
}

function runeLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** A document whose top level is a list of sections, written in order. */
export interface YamlSections {
  name?: string;
  sections: [string, Record<string, unknown> | undefined, Struct][];
  extensions: Record<string, unknown>;
}

/** The YAML text of a project laid out as `docker compose config` prints it. */
export function writeConfigYaml(doc: YamlSections, escapeDollars: boolean): string {
  const w = new YamlWriter(escapeDollars);
  if (doc.name !== undefined) w.scalarEntry("name", doc.name);
  for (const [name, objs, shape] of doc.sections) if (objs !== undefined) w.section(name, objs, shape);
  w.extensions(doc.extensions);
  return w.parts.length === 0 ? "{}\n" : w.parts.join("");
}
