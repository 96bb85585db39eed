// Mutations of a valid compose project, as plain data (so fast-check can shrink a failing case to
// the fewest, smallest edits) and the function that applies them to the project's text.
import fc from "fast-check";
import { parse, stringify } from "yaml";

/** One edit of a seed project. `line` and `at` pick a position modulo the text's size. */
export type Mutation =
  | { kind: "set-value"; line: number; value: string }
  | { kind: "delete-line"; line: number }
  | { kind: "duplicate-line"; line: number }
  | { kind: "indent"; line: number; delta: number; tab: boolean }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "deep-nest"; line: number; depth: number; flow: boolean }
  | { kind: "document-marker"; line: number; marker: string }
  | { kind: "alias-bomb"; shape: number; width: number; levels: number }
  | { kind: "structure"; pick: number; op: "replace" | "delete" | "rename" | "wrap"; value: unknown; key: string }
  | { kind: "env-file"; text: string };

/** Values of the wrong type or shape for whatever key they land on. */
const ODD_VALUES = [
  "[]", "{}", "null", "~", "true", "no", "yes", "on", "-0", "0", "''", '""', "[a, [b, {c: d}]]", "{a: 1, a: 2}",
  "!reset", "!reset []", "!override x", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2001-12-14", "!custom x",
  "*nothing", "&a x", "|", ">-", "|+\n  text\n", "? key", ": value", "- item", "@x", "`x`", "%x", "key: value: other",
  "0x", "0o9", "1_000", "0b101", "1:2:3", "80:80/udp", "1-65535:1-65535", "127.0.0.1::80", "[::1]:80:80",
  "5s", "1h2m3s", "-1s", "1.5x", "1gb", "-1g", "9999999999999999999999b", "10 MB",
];
/** Numbers no field can take: beyond int64 and float64, infinities, NaN, exponent forms. */
const HUGE_NUMBERS = [
  "9".repeat(400), "1e999", "-1e999", "1e308", "4.9e-324", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
  "0x" + "f".repeat(64), "0o" + "7".repeat(64), ".inf", "-.inf", ".nan", ".NaN", "1" + "0".repeat(30) + ":80", "99999:99999",
];
/** Interpolation that is malformed, nested, recursive or huge. */
const BAD_INTERPOLATION = [
  "${", "${}", "${ }", "${A", "${A:-", "${A:?}", "${A:?must be set}", "${A?}", "${1A}", "${A B}", "${A:-${B:-${C:-${D}}}}",
  "$$", "$", "$$$", "${A:+x}", "${A+${B}}", "${A:-}}", "${${A}}", "${A:x}", "${A-${B-${C-${D-${E-${F-x}}}}}}",
  "$" + "{A:-".repeat(200) + "x" + "}".repeat(200), "${A\n}", "${\u0000}", "${é}", "${COMPOSE_PROJECT_NAME}", "${HOME:?}",
];
const MARKERS = ["---", "...", "--- !!map", "%YAML 1.2\n---", "%TAG ! tag:x,2000:\n---", "--- |\n  text", "---\n---", "--- []"];

const lineIndex = fc.nat({ max: 1_000_000 });

/** A string of any code points, including lone surrogates, NUL and other control characters. */
const garbage = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => String.fromCharCode(...b)),
  fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { maxLength: 4 }).map((cs) => String.fromCharCode(...cs)),
  fc.constantFrom("\u0000", "\ufeff", "\r", "\r\n", "\t", "\u2028", "\u0085", "\u00a0", "\x1b[31m", "\u202e", "\ud800", "\udfff"),
);

const oddValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_VALUES) },
  { weight: 2, arbitrary: fc.constantFrom(...HUGE_NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...BAD_INTERPOLATION) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 2, arbitrary: garbage },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
);

/** A value for the structural mutations: any JSON, or something of a type YAML has and JSON lacks. */
const anyValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, Number.MIN_VALUE, 2 ** 63, 0.1 + 0.2) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_INTERPOLATION) },
);

/** Compose keys, so renamed and inserted keys are often almost right (did-you-mean, wrong place). */
const KEYS = [
  "services", "image", "build", "ports", "volumes", "networks", "environment", "env_file", "depends_on", "command", "entrypoint",
  "healthcheck", "deploy", "secrets", "configs", "labels", "extends", "include", "profiles", "name", "x-ext", "<<", "restart",
  "container_name", "scale", "develop", "models", "external", "driver", "target", "source", "__proto__", "constructor", "",
];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("set-value" as const), line: lineIndex, value: oddValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete-line" as const), line: lineIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("duplicate-line" as const), line: lineIndex }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("indent" as const), line: lineIndex, delta: fc.integer({ min: -6, max: 6 }), tab: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: lineIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: lineIndex, text: fc.oneof(garbage, oddValue) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deep-nest" as const),
      line: lineIndex,
      depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 60, max: 2_000 })),
      flow: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("document-marker" as const), line: lineIndex, marker: fc.constantFrom(...MARKERS) }) },
  {
    // Small fan-outs that load (at most 5^6 values) or, for shape 3, are cyclic: the bombs that must be
    // refused take half a second each and have their own tests.
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("alias-bomb" as const),
      shape: fc.nat({ max: 3 }),
      width: fc.integer({ min: 2, max: 5 }),
      levels: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("structure" as const),
      pick: lineIndex,
      op: fc.constantFrom("replace" as const, "delete" as const, "rename" as const, "wrap" as const),
      value: anyValue,
      key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("env-file" as const), text: fc.oneof(garbage, oddValue.map((v) => `A=${v}\nB=$A\n`)) }) },
);

/** A YAML file of `levels` anchors, each a list of `width` aliases to the one before: width^levels values. */
export function aliasBomb(shape: number, width: number, levels: number): string {
  const lines: string[] = [];
  if (shape === 0) {
    // The billion-laughs shape, in an extension field where compose allows anything.
    lines.push("x-bomb:");
    lines.push(`  l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`);
    for (let i = 1; i <= levels; i++) lines.push(`  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
    lines.push(`services:\n  web:\n    image: x\n    command: *l${levels}`);
  } else if (shape === 1) {
    // Merge keys fanning out: each mapping merges the one before several times over.
    lines.push("x-m0: &m0 {a: 1, b: 2}");
    for (let i = 1; i <= levels; i++) {
      const refs = Array.from({ length: Math.min(width, 6) }, () => `*m${i - 1}`).join(", ");
      lines.push(`x-m${i}: &m${i} {<<: [${refs}], k${i}: [${Array(width).fill(`*m${i - 1}`).join(", ")}]}`);
    }
    lines.push(`services:\n  web:\n    image: x\n    labels: *m${levels}`);
  } else if (shape === 2) {
    // A block-style bomb reaching into service fields.
    lines.push("x-a: &a0\n  - x");
    for (let i = 1; i <= levels; i++) lines.push(`x-a${i}: &a${i}\n${Array(width).fill(`  - *a${i - 1}`).join("\n")}`);
    lines.push(`services:\n  web:\n    image: x\n    environment:\n      A: *a${levels}\n    ports: *a${levels}`);
  } else {
    // A self reference and an alias to an anchor defined later.
    lines.push("x-self: &self [1, *self]", "x-late: *later", "x-later: &later {a: *later}", "services:\n  web: &web\n    image: x\n    extends: *web");
  }
  return lines.join("\n") + "\n";
}

/** Paths of every node in a plain value, parents before children. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], seen = new Set<unknown>()): (string | number)[][] {
  out.push(prefix);
  // Self-referencing anchors parse to cyclic data: visit each object once.
  if (value === null || typeof value !== "object" || seen.has(value) || out.length > 10_000) return out;
  seen.add(value);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out, seen));
  else for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out, seen);
  return out;
}

function restructure(text: string, m: Extract<Mutation, { kind: "structure" }>): string {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100, uniqueKeys: false });
  } catch {
    return text; // already unparsable: the textual mutations have done their work
  }
  const all = paths(data);
  const target = all[m.pick % all.length]!;
  if (target.length === 0) return stringify(m.op === "wrap" ? [data] : m.value);
  const parentPath = target.slice(0, -1);
  const last = target[target.length - 1]!;
  let parent = data as Record<string | number, unknown>;
  for (const k of parentPath) parent = parent[k] as Record<string | number, unknown>;
  if (m.op === "replace") parent[last] = m.value;
  else if (m.op === "wrap") parent[last] = { [m.key]: parent[last] };
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else {
    const v = parent[last];
    delete parent[last];
    if (m.op === "rename") Object.defineProperty(parent, m.key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  try {
    return stringify(data, { aliasDuplicateObjects: false });
  } catch {
    return text;
  }
}

/** Applies the mutations in order to a project's files (compose.yaml and .env). */
export function applyMutations(files: Readonly<Record<string, string>>, mutations: readonly Mutation[]): Record<string, string> {
  const out: Record<string, string> = { ...files };
  let text = out["compose.yaml"] ?? "";
  for (const m of mutations) {
    const lines = text.split("\n");
    const n = lines.length;
    const valueLine = (line: number): number => {
      // Prefer a line with a value to change; fall back to any line.
      const withValue = lines.map((l, i) => (/:\s+\S|^\s*-\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
      return withValue.length > 0 ? withValue[line % withValue.length]! : line % n;
    };
    switch (m.kind) {
      case "set-value": {
        const i = valueLine(m.line);
        const l = lines[i]!;
        const cut = l.search(/:\s+\S/) >= 0 ? l.search(/:\s+\S/) + 2 : l.search(/-\s+\S/) >= 0 ? l.search(/-\s+\S/) + 2 : l.length;
        lines[i] = l.slice(0, cut) + m.value;
        break;
      }
      case "delete-line":
        lines.splice(m.line % n, 1);
        break;
      case "duplicate-line":
        lines.splice(m.line % n, 0, lines[m.line % n]!);
        break;
      case "indent": {
        const i = m.line % n;
        const l = lines[i]!;
        lines[i] = m.delta >= 0 ? (m.tab ? "\t" : " ").repeat(m.delta) + l : l.slice(Math.min(-m.delta, l.length - l.trimStart().length));
        break;
      }
      case "truncate":
        text = text.slice(0, m.at % (text.length + 1));
        continue;
      case "insert": {
        const at = m.at % (text.length + 1);
        text = text.slice(0, at) + m.text + text.slice(at);
        continue;
      }
      case "deep-nest": {
        const i = valueLine(m.line);
        const l = lines[i]!;
        const cut = l.indexOf(":") >= 0 ? l.indexOf(":") + 1 : l.length;
        const indent = l.length - l.trimStart().length;
        lines[i] = m.flow
          ? `${l.slice(0, cut)} ${"[".repeat(m.depth)}x${"]".repeat(m.depth)}`
          : l.slice(0, cut) + Array.from({ length: Math.min(m.depth, 400) }, (_, d) => `\n${" ".repeat(indent + 2 * (d + 1))}k${d}:`).join("") + " x";
        break;
      }
      case "document-marker":
        lines.splice(m.line % (n + 1), 0, m.marker);
        break;
      case "alias-bomb":
        text = aliasBomb(m.shape, m.width, m.levels) + (m.shape === 3 ? "" : text.replace(/^services:/m, "x-rest:"));
        continue;
      case "structure":
        text = restructure(text, m);
        continue;
      case "env-file":
        out[".env"] = m.text;
        continue;
    }
    text = lines.join("\n");
  }
  out["compose.yaml"] = text;
  return out;
}
