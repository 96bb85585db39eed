import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { interpolateDocument, interpolateString, variablesOf, variablesOfDocument, type Lookup } from "./interpolate.js";
import { parseComposeYaml } from "./source.js";

const env: Record<string, string> = { A: "a", B: "b", EMPTY: "", NUM: "8080", lower: "low", _U: "u", DOLLAR: "$x" };
const lookup: Lookup = (name) => (Object.hasOwn(env, name) ? env[name] : undefined);

describe("interpolateString: values", () => {
  const cases: [string, string, string[]?][] = [
    ["plain text", "plain text"],
    ["", ""],
    ["$A", "a"],
    ["${A}", "a"],
    ["x$A.y", "xa.y"],
    ["$A$B", "ab"],
    ["${A}${B}", "ab"],
    ["$lower ${_U}", "low u"],
    ["$Ab", "", ["Ab"]],
    ["${A}b", "ab"],
    ["$UNSET", "", ["UNSET"]],
    ["${UNSET}", "", ["UNSET"]],
    ["$UNSET $UNSET ${UNSET}", "  ", ["UNSET"]],
    ["${EMPTY}", ""],
    // defaults
    ["${UNSET:-def}", "def"],
    ["${EMPTY:-def}", "def"],
    ["${A:-def}", "a"],
    ["${UNSET-def}", "def"],
    ["${EMPTY-def}", ""],
    ["${A-def}", "a"],
    ["${UNSET:-}", ""],
    ["${UNSET:-a b c}", "a b c"],
    ["${UNSET:-with:colon}", "with:colon"],
    ["${UNSET:-http://x:80/}", "http://x:80/"],
    ["${UNSET:-$A}", "a"],
    ["${UNSET:-${B}}", "b"],
    ["${UNSET:-${NOPE:-deep}}", "deep"],
    ["${UNSET:-${NOPE-${B}}}", "b"],
    ["${UNSET:-${NOPE}}", "", ["NOPE"]],
    ["${A:-${NOPE}}", "a"],
    ["${UNSET:-x} and ${B}", "x and b"],
    ["${UNSET:-x}-${UNSET2:-y}", "x-y"],
    ["${UNSET:-x}}", "x}"],
    ["${UNSET:-{}}", "{}"],
    // alternates
    ["${A:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${UNSET:+alt}", ""],
    ["${A+alt}", "alt"],
    ["${EMPTY+alt}", "alt"],
    ["${UNSET+alt}", ""],
    ["${A:+${B}}", "b"],
    // required, satisfied
    ["${A:?need}", "a"],
    ["${A?need}", "a"],
    ["${EMPTY?need}", ""],
    // escapes and lone dollars
    ["$$", "$"],
    ["$$A", "$A"],
    ["$${A}", "${A}"],
    ["$$$A", "$a"],
    ["a$", "a$"],
    ["$1", "$1"],
    ["$ x", "$ x"],
    ["$-", "$-"],
    ["cost: 5$", "cost: 5$"],
    ["${DOLLAR}", "$x"],
    // the value of a variable is not interpolated again
    ["$DOLLAR$A", "$xa"],
    // multi-line strings: each line on its own
    ["line1 ${A}\nline2 ${UNSET:-d}", "line1 a\nline2 d"],
    ["${NUM}", "8080"],
  ];
  it.each(cases)("%j → %j", (input, want, unset = []) => {
    const r = interpolateString(input, lookup);
    expect(r).toEqual({ value: want, unset });
  });
});

describe("interpolateString: failures", () => {
  const cases: [string, "syntax" | "required", string, number][] = [
    ["${", "syntax", "invalid interpolation format", 0],
    ["${}", "syntax", "invalid interpolation format", 0],
    ["${A B}", "syntax", 'invalid interpolation format: "${A B}"', 0],
    ["x ${1}", "syntax", "invalid interpolation format", 2],
    ["${A", "syntax", "invalid interpolation format", 0],
    ["${A:-x", "syntax", "invalid interpolation format", 0],
    ["${A:-x\n}", "syntax", "invalid interpolation format", 0],
    ["${A*}", "syntax", "invalid interpolation format", 0],
    ["${A.B}", "syntax", "invalid interpolation format", 0],
    ["ok $A then ${-x}", "syntax", "invalid interpolation format", 11],
    ["${UNSET:-${}}", "syntax", "invalid interpolation format", 9],
    ["${DB_PASSWORD:?set it in .env}", "required", "required variable DB_PASSWORD is missing a value: set it in .env", 0],
    ["${DB_PASSWORD?set it}", "required", "required variable DB_PASSWORD is missing a value: set it", 0],
    ["${EMPTY:?must not be empty}", "required", "required variable EMPTY is missing a value: must not be empty", 0],
    ["${UNSET:?}", "required", "required variable UNSET is missing a value", 0],
    ["${UNSET?}", "required", "required variable UNSET is missing a value", 0],
    ["${UNSET:?from $A}", "required", "required variable UNSET is missing a value: from a", 0],
    ["pre ${UNSET:-${INNER:?inner}}", "required", "required variable INNER is missing a value: inner", 13],
  ];
  it.each(cases)("%j → %s", (input, kind, message, offset) => {
    const r = interpolateString(input, lookup);
    expect(r).toMatchObject({ kind, offset });
    expect("error" in r && r.error).toContain(message);
  });
});

describe("variablesOf", () => {
  const cases: [string, ReturnType<typeof variablesOf>][] = [
    ["none", []],
    ["$$A", []],
    ["$A", [{ name: "A", required: false }]],
    ["${A} $B", [{ name: "A", required: false }, { name: "B", required: false }]],
    ["${A:-x}", [{ name: "A", default: "x", required: false }]],
    ["${A-}", [{ name: "A", default: "", required: false }]],
    ["${A:?err}", [{ name: "A", required: true }]],
    ["${A?err}", [{ name: "A", required: true }]],
    ["${A:+alt}", [{ name: "A", alternate: "alt", required: false }]],
    ["${A:-${B:-y}}", [{ name: "A", default: "${B:-y}", required: false }, { name: "B", default: "y", required: false }]],
    ["${A:-x} ${C}", [{ name: "A", default: "x", required: false }, { name: "C", required: false }]],
    ["${ bad} $OK", [{ name: "OK", required: false }]],
  ];
  it.each(cases)("%j", (input, want) => {
    expect(variablesOf(input)).toEqual(want);
  });

  it("collects a document's variables and keeps the strongest information", () => {
    const found = variablesOfDocument({ services: { web: { image: "${TAG}", environment: ["X=${TAG:-latest}", "Y=${PW:?}"] } }, n: 3 });
    expect([...found.keys()].sort()).toEqual(["PW", "TAG"]);
    expect(found.get("TAG")).toEqual({ name: "TAG", default: "latest", required: false });
    expect(found.get("PW")?.required).toBe(true);
  });
});

describe("interpolateDocument", () => {
  const load = (text: string) => {
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml("compose.yaml", text, bag);
    expect(bag.items).toEqual([]);
    return doc!;
  };

  it("replaces string values in place, leaves keys and non-strings alone", () => {
    const doc = load(["services:", "  ${A}:", "    image: img:${A}", "    ports: ['${NUM}:80', 9000]", "    tty: true", "x-key: $$HOME", ""].join("\n"));
    const bag = new DiagnosticBag();
    const unset = interpolateDocument(doc, lookup, bag);
    expect(bag.items).toEqual([]);
    expect(unset.size).toBe(0);
    expect(doc.data).toEqual({ services: { "${A}": { image: "img:a", ports: ["8080:80", 9000], tty: true } }, "x-key": "$HOME" });
  });

  it("locates a required-variable error at its value, with the key path", () => {
    const doc = load(["services:", "  db:", "    environment:", "      PASSWORD: ${DB_PASSWORD:?set it in .env}", ""].join("\n"));
    const bag = new DiagnosticBag();
    interpolateDocument(doc, lookup, bag);
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]).toMatchObject({
      code: "interpolate.required",
      message: "required variable DB_PASSWORD is missing a value: set it in .env",
      path: ["services", "db", "environment", "PASSWORD"],
      location: { file: "compose.yaml", line: 4, col: 17 },
    });
  });

  it("reports every bad value, not only the first", () => {
    const doc = load(["services:", "  a:", "    image: ${X Y}", "    command: ['ok', '${']", ""].join("\n"));
    const bag = new DiagnosticBag();
    interpolateDocument(doc, lookup, bag);
    expect(bag.errors.map((d) => [d.code, d.location?.line, d.location?.col])).toEqual([
      ["interpolate.syntax", 3, 12],
      ["interpolate.syntax", 4, 21],
    ]);
    expect(bag.errors[1]?.path).toEqual(["services", "a", "command", 1]);
  });

  it("warns once per unset variable, and not again for names the caller already warned about", () => {
    const doc = load(["services:", "  a:", "    image: ${NOPE}", "    command: $NOPE $OTHER $ALREADY", ""].join("\n"));
    const bag = new DiagnosticBag();
    const warned = new Set(["ALREADY"]);
    const unset = interpolateDocument(doc, lookup, bag, warned);
    expect([...unset]).toEqual(["NOPE", "OTHER", "ALREADY"]);
    expect(bag.warnings.map((w) => w.message)).toEqual([
      'The "NOPE" variable is not set. Defaulting to a blank string.',
      'The "OTHER" variable is not set. Defaulting to a blank string.',
    ]);
    expect(bag.warnings[0]?.location).toMatchObject({ line: 3, col: 12 });
    expect([...warned].sort()).toEqual(["ALREADY", "NOPE", "OTHER"]);
  });

  it("interpolates a document that is a single string", () => {
    const doc = load("$A\n");
    interpolateDocument(doc, lookup, new DiagnosticBag());
    expect(doc.data).toBe("a");
  });
});

describe("interpolateString: properties", () => {
  const text = fc.string({ unit: fc.constantFrom("$", "{", "}", ":", "-", "+", "?", "A", "b", "_", "1", " ", "\n") });

  it("never throws, and always returns a value or a failure", () => {
    fc.assert(
      fc.property(text, (s) => {
        const r = interpolateString(s, lookup);
        expect("value" in r || "error" in r).toBe(true);
      }),
    );
  });

  it("returns any text unchanged once its dollars are doubled", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(interpolateString(s.replaceAll("$", () => "$$"), lookup)).toEqual({ value: s, unset: [] });
      }),
    );
  });

  it("leaves text with no dollar alone", () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(interpolateString(s.replaceAll("$", ""), () => undefined)).toEqual({ value: s.replaceAll("$", ""), unset: [] });
      }),
    );
  });

  it("stays linear on one long line of many tokens", () => {
    const started = performance.now();
    const r = interpolateString("${UNSET:-x}".repeat(100_000), lookup);
    expect(r).toEqual({ value: "x".repeat(100_000), unset: [] });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("points a failure at a dollar of the input", () => {
    fc.assert(
      fc.property(text, (s) => {
        const r = interpolateString(s, lookup);
        if ("error" in r) expect(s[r.offset]).toBe("$");
      }),
    );
  });
});
