// EXPERIMENTAL (src/compose/fast-yaml.ts is not wired into the loader yet). Differential test:
// parseFast must either decline (undefined: the caller falls back to the full parser) or give
// exactly what parseComposeYaml gives — data, !reset/!override paths and every position.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCompose } from "../../bench/lib/gen-compose.mjs";
import { DiagnosticBag, type KeyPath } from "../../src/compose/diagnostics.js";
import { parseFast } from "../../src/compose/fast-yaml.js";
import { parseComposeYamlFull as parseComposeYaml, type ParsedDocument } from "../../src/compose/source.js";

// FAST_YAML_RUNS / FAST_YAML_SEED widen the property runs locally (e.g. 100000 runs).
const RUNS = Number(process.env.FAST_YAML_RUNS ?? 3000);
const SEED = process.env.FAST_YAML_SEED ? Number(process.env.FAST_YAML_SEED) : undefined;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

function paths(value: unknown, prefix: KeyPath, acc: KeyPath[]): KeyPath[] {
  acc.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], acc));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], acc);
  return acc;
}

function sameDocs(fast: ParsedDocument[], ref: ParsedDocument[]): void {
  expect(fast.length).toBe(ref.length);
  fast.forEach((f, d) => {
    const r = ref[d]!;
    expect(f.data).toStrictEqual(r.data);
    expect(f.resets).toStrictEqual(r.resets);
    expect(f.overrides).toStrictEqual(r.overrides);
    const all = [...paths(r.data, [], []), ...r.resets, ...r.overrides, ...r.resets.map((p) => [...p, "x"]), ["no-such-key"]];
    // Top-level paths first: with deferred positions they are answered before the whole index is built.
    all.sort((a, b) => Math.min(a.length, 2) - Math.min(b.length, 2));
    for (const p of all) {
      expect(f.positions.get(p), `get ${JSON.stringify(p)}`).toStrictEqual(r.positions.get(p));
      expect(f.positions.nearest(p), `nearest ${JSON.stringify(p)}`).toStrictEqual(r.positions.nearest(p));
    }
  });
}

/** Returns whether the fast path handled the text; fails the test when it differs. */
function check(text: string, file = "compose.yaml"): boolean {
  const bag = new DiagnosticBag();
  let ref: ParsedDocument[] | undefined;
  try {
    ref = parseComposeYaml(file, text, bag);
  } catch {
    // source.ts can throw on odd merge keys (yaml's own toString of the key); fast must decline then
    ref = undefined;
  }
  if (bag.hasErrors) ref = undefined;
  const fast = parseFast(file, text);
  if (fast === undefined) return false;
  expect(ref, `fast path accepted what the full parser rejects:\n${text}`).toBeDefined();
  try {
    sameDocs(fast, ref!);
    // Positions recorded while reading (small files) and deferred to first use (big ones) alike.
    const other = parseFast(file, text, { eagerPositions: text.length > 128 * 1024 });
    expect(other).toBeDefined();
    sameDocs(other!, ref!);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nin:\n${text}`, { cause: err });
  }
  return true;
}

describe("parseFast equals the full parser", () => {
  const corpus = [...yamlFiles(path.join(root, "test/fixtures")), ...yamlFiles(path.join(root, "examples"))];

  // Generous timeouts: both parse hundreds of KiB twice, and CI machines run several suites at once.
  it("on every YAML file of the corpus", { timeout: 60_000 }, () => {
    let handled = 0;
    for (const file of corpus) {
      const text = readFileSync(file, "utf8");
      try {
        if (check(text, file)) handled++;
      } catch (err) {
        throw new Error(`${path.relative(root, file)}: ${(err as Error).message}`, { cause: err });
      }
    }
    // Coverage: the fast path must actually serve most real files.
    expect(handled).toBeGreaterThan(corpus.length * 0.5);
  });

  it("handles the generated 500-service bench file", { timeout: 60_000 }, () => {
    // The same generator and seed as bench/config.mjs's goal file, made here so the test never depends on a bench run.
    expect(check(generateCompose({ services: 500, seed: 1 }), "generated 500-service file")).toBe(true);
  });

  const handledCases: [string, string][] = [
    ["scalars", "a: ~\nb: null\nc:\nd: true\ne: False\nf: 0x1F\ng: 0o17\nh: 0444\ni: -0444\nj: 12\nk: 1.50\nl: .inf\nm: -.Inf\nn: .nan\no: 1e3\np: hello world\nq: 0\nr: +12\ns: 09\n"],
    ["quoted", "a: \"x\\ty\\u00e9\\n\"\nb: 'it''s'\nc: \"0444\"\nd: \"folded\n  line\n\n  next\"\n"],
    ["block scalars", "a: |\n  one\n  two\nb: >-\n  folded\n  text\n\n  para\nc: |+\n  keep\n\nd: |2\n    indented\ne: >\n  x\n"],
    ["flow", "a: [1, 'two', {b: c, d: [e]}]\nf: {}\ng: []\nh: [\n  x,\n  y,\n]\n"],
    ["anchors", "x: &base\n  a: 1\n  b: [1, 2]\ny: *base\nz:\n  - *base\n  - &s str\n  - *s\n"],
    ["merge", "base: &b\n  a: 1\n  b: 2\nother: &o\n  c: 3\nm:\n  <<: *b\n  b: 9\nn:\n  b: 8\n  <<: [*b, *o]\n"],
    ["tags", "services:\n  web:\n    ports: !reset []\n    env: !override\n      A: 1\n    x: !reset null\n    y: !override 0444\n"],
    ["comments", "# top\na: 1 # c\n# mid\nb:  # c\n  - x # y\n"],
    ["multi documents", "---\na: 1\n---\nb: 2\n...\n---\nc: [3]\n"],
    ["seq of maps", "s:\n- a: 1\n  b: 2\n- - x\n  - y\n-\n- c:\n    d: e\n"],
    ["keys", "1: a\ntrue: b\n\"q k\": c\n'0x10': d\n0x10: e\nnull: f\n"],
  ];
  for (const [name, text] of handledCases) {
    it(`handles ${name}`, () => {
      expect(check(text)).toBe(true);
    });
  }

  const declined: [string, string][] = [
    ["duplicate keys", "a: 1\na: 2\n"],
    ["complex keys", "? a\n: 1\n"],
    ["directives", "%YAML 1.2\n---\na: 1\n"],
    ["tabs", "a:\n\tb: 1\n"],
    ["unknown tags", "a: !!str 1\n"],
    ["lexer errors", "a: [1, 2\nb: 3\n"],
    ["bad indentation", "a:\n  b: 1\n c: 2\n"],
    ["undefined alias", "a: *nope\n"],
    ["empty file", ""],
    ["an empty document", "a: 1\n---\n"],
    ["deep nesting", `${Array.from({ length: 70 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} 1\n`],
    ["alias bombs", `a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 6 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]`).join("\n")}\n`],
    ["anchors redefined", "a: &x 1\nb: &x 2\nc: *x\n"],
    ["props on keys", "&k a: 1\n"],
    ["tabs in scalars", "a: \"x\ty\"\n"],
    ["CRLF", "a: 1\r\nb: 2\r\n"],
  ];
  for (const [name, text] of declined) {
    it(`declines ${name}`, () => {
      expect(parseFast("c.yaml", text)).toBeUndefined();
      check(text);
    });
  }

  const edges = [
    "- |2\n   x\n", "a:\n  - |1\n    x\n", " - >2-\n     y\n", "a: &s x\nb:\n  <<: *s\n", "a: &l [1]\nb:\n  <<: *l\n",
    "a: &m {x: 1}\nb:\n  <<: [*m, *m]\n", "a: &m {x: 1}\nb: {<<: *m}\n", "a: &m\n  x: !reset 1\n  y: 2\nb:\n  <<: *m\n",
    "a: |\n\n  x\n\n\nb: 1\n", "a: >\n  x\n\n   y\n  z\nb: |-\n", "a: \"x\\\n  y\"\n", "a: 'x\n\n  y'\n", "- 'x\n  y'\n",
    "a: [x,\n  y]\n", "a:\n  b: {x: [1,\n    2], y: 3}\n", "a: b\n...\n", "--- \na: 1\n", "---\n- 1\n--- # c\n- 2\n",
    "a:\n- 1\n- 2\nb: 3\n", "a:\n  - 1\n  -\n  - - x\n    - y\n", "a:   \nb: 2\n", "a: # c\nb: 2\n", "- \n- x\n",
    "\"a b\": 1\n'c''d': 2\n", "a: 1\n  # c\nb: 2\n", "a: !reset\nb: 1\n", "a: !override\nb: 1\n", "x: !reset [1]\ny: !override {a: 1}\n",
    "a: &x !override\n  b: 1\nc: *x\n", "s:\n  - &x a\n  - !reset *x\n", "a: 0b101\nb: 1_000\nc: 0x\nd: 1.\ne: .5\nf: +.inf\ng: 1e\n",
    "a: -\n", "a: - b\n", "a: [a: 1]\n", "a: {b}\n", "a: {b: }\n", "k: v\n-- x\n", "a:\n  b: 1\n   c: 2\n", "a: 'x'y\n",
  ];
  it("on edge cases: declined or identical", () => {
    for (const text of edges) check(text);
  });

  it("on generated YAML-ish documents (seeded)", () => {
    const plain = fc.constantFrom("x", "hello world", "0444", "-0444", "0x1F", "0o7", "~", "null", "", "True", "false", ".inf", "-.5", "1e3", "12", "09", "a:b", "a #c", "<<", "@x", "-", "- x", "?", "&a x", "*a", "!reset", "!override", "[a]", "{a: b}");
    const quoted = fc.constantFrom("\"a\\tb\"", "'it''s'", "\"x\n  y\"", "''", "\"0444\"", "\"<<\"");
    const block = fc.constantFrom("|\n  l1\n  l2\n", ">-\n  f\n  g\n", "|+\n  k\n\n", "|2\n    i\n", "|\n");
    const keyArb = fc.constantFrom("a", "b", "c", "<<", "1", "true", "'q'", "\"k\"", "~", "0x2", "&a a", "!reset b");
    type Gen = { text: (indent: number) => string };
    const leaf: fc.Arbitrary<Gen> = fc.oneof(plain, quoted, fc.constantFrom("*a", "*b", "&a v", "&b [1, 2]", "!reset", "!override x", "[]", "{}", "[x, *a]", "{k: v, j: [1]}")).map((s) => ({ text: () => ` ${s}` }));
    const blockLeaf: fc.Arbitrary<Gen> = block.map((s) => ({ text: (indent: number) => ` ${s.replace(/\n {2}/g, `\n${" ".repeat(indent + 2)}`).replace(/\n$/, "")}` }));
    const tree = fc.letrec<{ node: Gen }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        blockLeaf,
        fc.array(fc.tuple(keyArb, tie("node"), fc.constantFrom("", " &a", " &b", " !override", " # c")), { minLength: 1, maxLength: 4 }).map((entries) => ({
          text: (indent: number) => entries.map(([k, v, props]) => `\n${" ".repeat(indent)}${k}:${props}${v.text(indent + 2)}`).join(""),
        })),
        fc.array(fc.tuple(tie("node"), fc.constantFrom("", " &a", " !reset")), { minLength: 1, maxLength: 3 }).map((items) => ({
          text: (indent: number) => items.map(([v, props]) => `\n${" ".repeat(indent)}-${props}${v.text(indent + 2)}`).join(""),
        })),
      ),
    }));
    let handled = 0;
    fc.assert(
      fc.property(tree.node, fc.constantFrom("", "---", "...", "--- # c"), (node, sep) => {
        const body = node.text(0).replace(/^\n/, "").replace(/^ /, "");
        const text = sep ? `${body}\n${sep}\nz: 1\n` : `${body}\n`;
        if (check(text)) handled++;
      }),
      { seed: SEED ?? 424242, numRuns: RUNS },
    );
    expect(handled).toBeGreaterThan(100);
  }, 600_000);

  it("on generated compose-like documents with varied layout (seeded)", () => {
    type Tree = string | Tree[] | { [k: string]: Tree };
    const scalar = fc.constantFrom("nginx:1.27", "0444", "8080:80", "true", "~", "", "'single'", "\"dq \\\"x\\\"\"", "\"multi\n line\"", "*a", "*b", "!reset", "!override v", "a # c", "x:y", "1.5", "-1", "|\n  l1\n\n  l2\n", ">+\n  f\n", "|-\n   deep\n  x\n");
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: "small" },
        scalar,
        fc.array(tie("t"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a", "b", "image", "<<", "ports", "x y", "\"q\""), tie("t"), { maxKeys: 3 }),
      ),
    })).t;
    const layout = fc.record({
      step: fc.constantFrom(1, 2, 4),
      flow: fc.boolean(),
      flowBreak: fc.boolean(),
      seqSameIndent: fc.boolean(),
      blank: fc.constantFrom("", "\n", "\n# note\n", "\n   # deep note\n"),
      colon: fc.constantFrom(":", " :"),
      anchorOn: fc.constantFrom("", "&a", "&b", "!override", "&a !reset"),
    });
    const render = (t: Tree, indent: number, l: { step: number; flow: boolean; flowBreak: boolean; seqSameIndent: boolean; blank: string; colon: string; anchorOn: string }, top: boolean): string => {
      const pad = (n: number) => " ".repeat(n);
      if (typeof t === "string") {
        if (t.startsWith("|") || t.startsWith(">")) return ` ${t.replace(/\n(?=.)/g, `\n${pad(indent)}`).replace(/\n$/, "")}`;
        return t === "" ? "" : ` ${t.replace(/\n/g, `\n${pad(indent)}`)}`;
      }
      if (l.flow && !top) {
        const br = l.flowBreak ? `\n${pad(indent)}` : " ";
        const flat = (x: Tree): string => (typeof x === "string" ? (/^[\w.:~-]*$/.test(x) && x !== "" ? x : "'s'") : Array.isArray(x) ? `[${x.map(flat).join(", ")}]` : `{${Object.entries(x).filter(([k]) => k !== "<<").map(([k, v]) => `${k}: ${flat(v)}`).join(",")}}`);
        return ` ${flat(t).replace(/, /g, `,${br}`)}`;
      }
      if (Array.isArray(t)) {
        if (t.length === 0) return " []";
        const ind = l.seqSameIndent && !top ? indent - l.step : indent;
        return t.map((x) => `\n${pad(Math.max(ind, 0))}-${render(x, Math.max(ind, 0) + 2, l, false)}`).join("") ;
      }
      const entries = Object.entries(t);
      if (entries.length === 0) return " {}";
      return entries.map(([k, v], i) => `${i === 1 ? l.blank : ""}\n${pad(indent)}${k}${l.colon}${i === 0 && l.anchorOn ? ` ${l.anchorOn}` : ""}${render(v, indent + l.step, l, false)}`).join("");
    };
    let handled = 0;
    fc.assert(
      fc.property(tree, layout, (t, l) => {
        const text = `${render(typeof t === "string" || Array.isArray(t) ? { services: t } : t, 0, l, true).replace(/^\n/, "")}\n`;
        if (check(text)) handled++;
      }),
      { seed: SEED ?? 777, numRuns: RUNS },
    );
    expect(handled).toBeGreaterThan(50);
  }, 600_000);

  it("on mutated corpus files (seeded)", () => {
    const texts = corpus.filter((f) => !f.includes(".bench-tmp")).map((f) => readFileSync(f, "utf8")).filter((t) => t.length < 20_000);
    const bits = ["\n", " ", "  ", "-", "- ", ":", ": ", "#", "&a ", "*a", "[", "]", "{", "}", ",", "'", "\"", "|", ">", "<<: *a\n", "!reset ", "? ", "\t", "---\n", "...\n", "\\", "0444", "~"];
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...bits), fc.nat(3)), { minLength: 1, maxLength: 3 }), (ti, edits) => {
        let text = texts[ti]!;
        for (const [at, bit, del] of edits) {
          const p = Math.floor(at * text.length);
          text = text.slice(0, p) + bit + text.slice(p + del);
        }
        check(text);
      }),
      { seed: SEED ?? 1337, numRuns: RUNS },
    );
  }, 600_000);
});
