// Our schema must say "valid" exactly when the official Compose Specification schema does:
// moor is a drop-in for docker compose, so it may neither reject a file compose accepts nor
// accept one compose rejects. The official schema is the oracle here and nowhere else.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag, formatKeyPath } from "../../src/compose/diagnostics.js";
import { parseComposeYaml, PositionIndex } from "../../src/compose/source.js";
import { validateData, validateDocument } from "../../src/compose/validate.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = path.join(root, "test/fixtures/schema");

const official = JSON.parse(readFileSync("/work/shared/reference/compose-spec.schema.json", "utf8")) as object;
// ajv is CommonJS: under NodeNext the class is the default export's `.default`.
const oracle = new Ajv2020.default({ strict: false, allErrors: false }).compile(official);
const oracleVerdict = (data: unknown): boolean => oracle(data);

/**
 * Places where we decided to differ from the official schema, each explained in docs/schema.md.
 * `applies` recognises a document the difference affects; `ours` is the verdict we give it.
 * Empty: so far we give compose's verdict on every document.
 */
const DELIBERATE_DIFFERENCES: readonly { name: string; applies: (data: unknown) => boolean; ours: boolean }[] = [];

function expectedVerdict(data: unknown): boolean {
  const diff = DELIBERATE_DIFFERENCES.find((d) => d.applies(data));
  return diff ? diff.ours : oracleVerdict(data);
}

interface Fixture {
  name: string;
  text: string;
  data: unknown;
}

function loadFixtures(kind: "valid" | "invalid"): Fixture[] {
  const dir = path.join(fixtures, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(dir, name), "utf8");
      const bag = new DiagnosticBag();
      const docs = parseComposeYaml(name, text, bag);
      if (bag.hasErrors || docs.length !== 1) throw new Error(`fixture ${name} does not parse as one YAML document`);
      return { name, text, data: docs[0]!.data };
    });
}

const valid = loadFixtures("valid");
const invalid = loadFixtures("invalid");

describe("the fixture corpus", () => {
  it("is large enough to mean something", () => {
    expect(PLACES.length).toBeGreaterThan(300);
    expect(valid.length).toBeGreaterThanOrEqual(60);
    expect(invalid.length).toBeGreaterThanOrEqual(40);
  });

  it.each(valid.map((f) => [f.name, f] as const))("valid/%s is valid for both schemas", (_name, f) => {
    expect(oracleVerdict(f.data)).toBe(true);
    expect(validateData(f.data)).toBe(true);
  });

  it.each(invalid.map((f) => [f.name, f] as const))("invalid/%s is invalid for both and reported as expected", (_name, f) => {
    expect(oracleVerdict(f.data)).toBe(false);
    expect(validateData(f.data)).toBe(false);
    const expectLine = /^# expect: (\S+) (.+)$/m.exec(f.text);
    expect(expectLine, "each invalid fixture names its expected code and path").not.toBeNull();
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml(f.name, f.text, bag);
    validateDocument(doc!, bag);
    const found = bag.errors.map((d) => `${d.code} ${formatKeyPath(d.path ?? [])}`);
    expect(found).toContain(`${expectLine![1]} ${expectLine![2]}`);
    // One problem per place: no fixture holds more than one mistake.
    expect(found).toHaveLength(1);
    expect(bag.errors[0]!.location?.line).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated mutations of the valid corpus.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Seg = string | number;

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Every path to a value in the document (the root excluded). */
function paths(v: unknown, prefix: Seg[] = [], out: Seg[][] = []): Seg[][] {
  const entries: [Seg, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : v !== null && typeof v === "object" ? Object.entries(v) : [];
  for (const [k, item] of entries) {
    out.push([...prefix, k]);
    paths(item, [...prefix, k], out);
  }
  return out;
}

function containers(v: unknown, kind: "object" | "array"): Seg[][] {
  const all: Seg[][] = [[], ...paths(v)];
  return all.filter((p) => {
    const x = get(v, p);
    return kind === "array" ? Array.isArray(x) : x !== null && typeof x === "object" && !Array.isArray(x);
  });
}

function get(v: unknown, p: readonly Seg[]): unknown {
  let cur = v;
  for (const s of p) cur = (cur as Record<Seg, unknown>)[s];
  return cur;
}

function set(v: unknown, p: readonly Seg[], value: unknown): void {
  const parent = get(v, p.slice(0, -1)) as Record<Seg, unknown>;
  parent[p[p.length - 1]!] = value;
}

// ---- Places: every key path the official schema knows, so mutations reach every attribute.

interface OracleNode {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, OracleNode>;
  patternProperties?: Record<string, OracleNode>;
  items?: OracleNode;
  oneOf?: OracleNode[];
  anyOf?: OracleNode[];
  enum?: Json[];
}

/** A key that matches a name pattern, to stand for "any name" in a place template. */
const SAMPLE_NAME: Record<string, string> = { "^[a-zA-Z0-9._-]+$": "n1", ".+": "KEY", "^.+$": "opt", "^[a-z]+$": "nofile" };

/**
 * Walks the official schema: every place as a template ("[]" is a list entry), every enum word,
 * and for places that hold a mapping with required keys, values for those keys, so that a
 * mutation deep inside (`volumes[].bind.selinux`) is not hidden by a missing `type` beside it.
 */
function placesOf(schema: OracleNode): { places: Seg[][]; words: Json[]; fills: Map<string, Record<string, Json>> } {
  const places: Seg[][] = [];
  const words = new Set<Json>();
  const fills = new Map<string, Record<string, Json>>();
  const defs = (schema as { $defs?: Record<string, OracleNode> }).$defs ?? {};
  const deref = (node: OracleNode | undefined): OracleNode | undefined => (node?.$ref ? deref(defs[node.$ref.replace("#/$defs/", "")]) : node);
  const minimal = (node: OracleNode | undefined): Json => {
    const n = deref(node);
    if (n?.enum?.[0] !== undefined) return n.enum[0];
    const type = n?.type ?? deref(n?.oneOf?.[0])?.type;
    const first = Array.isArray(type) ? type[0] : type;
    return first === "integer" || first === "number" ? 1 : first === "boolean" ? true : first === "array" ? [] : first === "object" ? {} : "s";
  };
  const walk = (node: OracleNode | undefined, at: Seg[], depth: number): void => {
    if (!node || depth > 9) return;
    if (node.$ref) return walk(defs[node.$ref.replace("#/$defs/", "")], at, depth + 1);
    for (const w of node.enum ?? []) words.add(w);
    if (node.required && node.properties) {
      const fill: Record<string, Json> = {};
      for (const key of node.required) fill[key] = minimal(node.properties[key]);
      fills.set(at.join("/"), fill);
    }
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) walk(branch, at, depth + 1);
    for (const [k, sub] of Object.entries(node.properties ?? {})) {
      places.push([...at, k]);
      walk(sub, [...at, k], depth + 1);
    }
    for (const [pattern, sub] of Object.entries(node.patternProperties ?? {})) {
      const name = SAMPLE_NAME[pattern];
      if (name === undefined) continue;
      places.push([...at, name]);
      walk(sub, [...at, name], depth + 1);
    }
    if (node.items) {
      places.push([...at, "[]"]);
      walk(node.items, [...at, "[]"], depth + 1);
    }
  };
  walk(schema, [], 0);
  const unique = new Map(places.map((p) => [p.join("/"), p]));
  return { places: [...unique.values()], words: [...words], fills };
}

const { places: PLACES, words: ENUM_WORDS, fills: REQUIRED_FILLS } = placesOf(official as OracleNode);

/** Makes the place exist in the document (replacing short forms on the way) and sets its value. */
function setAtPlace(doc: Record<string, unknown>, place: readonly Seg[], value: unknown): void {
  let cur: unknown = doc;
  for (let i = 0; i < place.length; i++) {
    const seg = place[i]!;
    const last = i === place.length - 1;
    const nextIsList = place[i + 1] === "[]";
    const fresh = (): unknown => (nextIsList ? [] : { ...clone(REQUIRED_FILLS.get(place.slice(0, i + 1).join("/")) ?? {}) });
    if (seg === "[]") {
      const arr = cur as unknown[];
      if (last) arr[0] = value;
      else {
        const want = nextIsList ? Array.isArray(arr[0]) : arr[0] !== null && typeof arr[0] === "object" && !Array.isArray(arr[0]);
        if (!want) arr[0] = fresh();
        cur = arr[0];
      }
      continue;
    }
    const obj = cur as Record<string, unknown>;
    if (last) obj[seg] = value;
    else {
      const existing = obj[seg];
      const want = nextIsList ? Array.isArray(existing) : existing !== null && typeof existing === "object" && !Array.isArray(existing);
      if (!want) obj[seg] = fresh();
      cur = obj[seg];
    }
  }
}

// Values of every JSON type, with the strings compose files hold (interpolations, enum words)
// and the numbers at the edges of the schema's ranges.
const VALUE_POOL: Json[] = [
  0, 1, -1, 1.5, 100, 101, -1000, -1001, 1000, 1001, 65535, "", "x", "${X}", "80:80", "true", "10s", "sometimes", "xalwaysx",
  "every_1d", "every_", "-", "a b", "ab", true, false, null, [], ["a"], ["a", "a"], [1], [{}], {}, { a: 1 },
  { type: "bind" }, { condition: "service_started" }, { soft: 1, hard: 2 }, { path: ".", action: "sync" }, { command: "x" },
  { model: "ai/x" }, { capabilities: ["gpu"] }, { source: "s" }, { "x-a": 1 }, { "": 1 }, { a: null }, { a: [1] }, { a: { b: 1 } },
];

/** Keys a mutation may add: typos of real keys, extension keys, real keys in the wrong place. */
const KEY_POOL = [
  "x-extra", "x-", "portss", "imagee", "depends-on", "Environment", "volume", "network", "service", "condition", "type", "required",
  "path", "action", "command", "soft", "hard", "name", "external", "driver", "file", "model", "subpath", "bad key", "", "X-upper",
];

type Mutation =
  | { kind: "swap"; at: number; value: Json }
  | { kind: "add-key"; at: number; key: string; value: Json }
  | { kind: "delete"; at: number }
  | { kind: "duplicate"; at: number }
  | { kind: "rename"; at: number; key: string }
  | { kind: "place"; place: number; value: Json };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...VALUE_POOL), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>) }),
  fc.record({ kind: fc.constant("add-key" as const), at: fc.nat(), key: fc.constantFrom(...KEY_POOL), value: fc.constantFrom(...VALUE_POOL) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), at: fc.nat(), key: fc.constantFrom(...KEY_POOL) }),
  fc.record({ kind: fc.constant("place" as const), place: fc.nat(), value: fc.oneof(fc.constantFrom(...VALUE_POOL), fc.constantFrom(...ENUM_WORDS)) }),
  fc.record({ kind: fc.constant("place" as const), place: fc.nat(), value: fc.oneof(fc.constantFrom(...VALUE_POOL), fc.constantFrom(...ENUM_WORDS)) }),
);

function mutate(doc: unknown, m: Mutation): void {
  switch (m.kind) {
    case "swap": {
      const all = paths(doc);
      if (all.length > 0) set(doc, all[m.at % all.length]!, clone(m.value));
      return;
    }
    case "add-key": {
      const objs = containers(doc, "object");
      (get(doc, objs[m.at % objs.length]!) as Record<string, unknown>)[m.key] = clone(m.value);
      return;
    }
    case "delete":
    case "rename": {
      const keyed = paths(doc).filter((p) => typeof p[p.length - 1] === "string");
      if (keyed.length === 0) return;
      const p = keyed[m.at % keyed.length]!;
      const parent = get(doc, p.slice(0, -1)) as Record<string, unknown>;
      const old = parent[p[p.length - 1] as string];
      delete parent[p[p.length - 1] as string];
      if (m.kind === "rename") parent[m.key] = old;
      return;
    }
    case "place": {
      if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return;
      setAtPlace(doc as Record<string, unknown>, PLACES[m.place % PLACES.length]!, clone(m.value));
      return;
    }
    case "duplicate": {
      const arrays = containers(doc, "array").filter((p) => (get(doc, p) as unknown[]).length > 0);
      if (arrays.length === 0) return;
      const arr = get(doc, arrays[m.at % arrays.length]!) as unknown[];
      arr.push(clone(arr[0]));
      return;
    }
  }
}

const KNOWN_CODES = ["schema.unknown-key", "schema.invalid-name", "schema.type", "schema.enum", "schema.pattern", "schema.required", "schema.range", "schema.duplicate"];
const RUNS = 3000;
const SEED = 20_261_124;

describe("generated mutations of the valid corpus", () => {
  const stats = { valid: 0, invalid: 0 };
  afterAll(() => {
    // Both outcomes must be well represented, or the comparison proves little.
    if (process.env.MOOR_SCHEMA_STATS) process.stdout.write(`mutants: ${stats.valid} valid, ${stats.invalid} invalid\n`);
    expect(stats.valid).toBeGreaterThan(RUNS / 20);
    expect(stats.invalid).toBeGreaterThan(RUNS / 4);
  });

  it(`gives the official schema's verdict on ${RUNS} mutants`, () => {
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        const doc = clone(valid[index]!.data);
        for (const m of mutations) mutate(doc, m);
        const verdict = expectedVerdict(doc);
        if (verdict) stats.valid++;
        else stats.invalid++;
        expect(validateData(doc)).toBe(verdict);
        // Every rejection must come out as at least one readable diagnostic, and no crash.
        const bag = new DiagnosticBag();
        validateDocument({ file: "m.yaml", data: doc, positions: new PositionIndex("m.yaml"), resets: [], overrides: [] }, bag);
        expect(bag.items.length > 0).toBe(!verdict);
        for (const d of bag.items) {
          expect(KNOWN_CODES).toContain(d.code);
          expect(d.message).not.toMatch(/undefined|\[object Object\]|must NOT|must have/);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe("every place the official schema knows, with every value of the pool", () => {
  it("gives the official schema's verdict on each", () => {
    const values = [...VALUE_POOL, ...ENUM_WORDS];
    const mismatches: string[] = [];
    let count = 0;
    for (const place of PLACES) {
      for (const value of values) {
        const doc: Record<string, unknown> = { services: { n1: { image: "x" } } };
        setAtPlace(doc, place, clone(value));
        count++;
        const verdict = expectedVerdict(doc);
        if (validateData(doc) !== verdict) mismatches.push(`${place.join(".")} = ${JSON.stringify(value)}`);
        if (!verdict) {
          const bag = new DiagnosticBag();
          validateDocument({ file: "m.yaml", data: doc, positions: new PositionIndex("m.yaml"), resets: [], overrides: [] }, bag);
          const unreadable = bag.items.length === 0 || bag.items.some((d) => !KNOWN_CODES.includes(d.code) || /undefined|\[object Object\]|must NOT/.test(d.message));
          if (unreadable) mismatches.push(`unreadable: ${place.join(".")} = ${JSON.stringify(value)}: ${bag.items.map((d) => d.message).join(" | ")}`);
        }
      }
    }
    expect(count).toBeGreaterThan(20_000);
    if (process.env.MOOR_SCHEMA_STATS) process.stdout.write(`sweep: ${PLACES.length} places x ${values.length} values = ${count}\n`);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});

describe("the standalone code that the build generates", () => {
  // Inside the project, so that the generated code's require("ajv/dist/runtime/…") resolves.
  const cache = path.join(root, "node_modules/.cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, "moor-schema-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the same verdicts as the schema compiled at run time", () => {
    const out = path.join(dir, "schema-validator.cjs");
    execFileSync(process.execPath, [path.join(root, "scripts/build-schema.mjs"), "--out", out]);
    const standalone = createRequire(import.meta.url)(out) as (data: unknown) => boolean;
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.array(mutationArb, { minLength: 0, maxLength: 2 }), (index, mutations) => {
        const doc = clone(valid[index]!.data);
        for (const m of mutations) mutate(doc, m);
        expect(standalone(doc)).toBe(validateData(doc));
      }),
      { seed: SEED + 1, numRuns: 500 },
    );
    for (const f of invalid) expect(standalone(f.data)).toBe(false);
  });
});
