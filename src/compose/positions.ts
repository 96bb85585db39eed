// Where things stand in a compose file: the limits on hostile input, the position trie every
// stage uses to point at file:line:col, and the parsed document both YAML front ends produce.
import type { KeyPath, Location } from "./diagnostics.js";

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
export interface Slot {
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
  private rootSlotValue: Slot | undefined;
  /**
   * `fill`, when given, builds the trie under the root on first use: a parser that can recompute
   * positions need not record them on every load (few loads ever show one). `shallow` then holds
   * the root and its direct children as the full trie will have them, so that a question about a
   * top-level key (the obsolete `version`) does not build the whole trie.
   */
  constructor(
    readonly file: string,
    private readonly toLocation: (offset: number) => Location = () => ({ file, line: 1, col: 1 }),
    private fill?: (root: Slot) => void,
    private readonly shallow?: Slot,
  ) {}

  private get root(): Slot {
    if (!this.rootSlotValue) {
      this.rootSlotValue = { key: -1, value: -1 };
      const fill = this.fill;
      this.fill = undefined;
      fill?.(this.rootSlotValue);
    }
    return this.rootSlotValue;
  }

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
    const root = this.fill !== undefined && this.shallow !== undefined && path.length <= 1 ? this.shallow : this.root;
    let slot: Slot | undefined = root;
    let best: Slot | undefined = this.has(root) ? root : undefined;
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
