import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { expandEscapes, parseDotenv, parseRawEnv } from "./dotenv.js";
import type { Lookup } from "./interpolate.js";

const shell: Record<string, string> = { HOME: "/home/me", SHELLVAR: "from-shell", OPTION_A: "5" };
const lookup: Lookup = (name) => (Object.hasOwn(shell, name) ? shell[name] : undefined);
const none: Lookup = () => undefined;

function parse(text: string, look: Lookup = none, base?: Record<string, string>) {
  const bag = new DiagnosticBag();
  const vars = parseDotenv(".env", text, look, bag, base);
  return { vars, bag };
}

describe("parseDotenv: one line", () => {
  const cases: [string, string, string][] = [
    ["FOO=bar", "FOO", "bar"],
    ["FOO =bar", "FOO", "bar"],
    ["FOO= bar", "FOO", "bar"],
    ["FOO = bar ", "FOO", "bar"],
    ["  FOO=bar", "FOO", "bar"],
    ["\tFOO=bar", "FOO", "bar"],
    ["FOO=", "FOO", ""],
    ["FOO=\nBAR=1", "FOO", ""],
    ["FOO=foobar=", "FOO", "foobar="],
    ["FOO=1:B", "FOO", "1:B"],
    ["OPTION_A: 1", "OPTION_A", "1"],
    ["OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"],
    ['FOO="bar"', "FOO", "bar"],
    ["FOO='bar'", "FOO", "bar"],
    ['FOO=""', "FOO", ""],
    ["FOO=''", "FOO", ""],
    ['FOO="escaped\\"bar"', "FOO", 'escaped"bar'],
    ['FOO="\\"quoted\\""', "FOO", '"quoted"'],
    ["FOO=\"'d'\"", "FOO", "'d'"],
    ["FOO='Let\\'s go!'", "FOO", "Let's go!"],
    ["FOO='\\n'", "FOO", "\\n"],
    ["FOO='a\\\\b'", "FOO", "a\\\\b"],
    ['FOO="\\n"', "FOO", "\n"],
    ['FOO="bar\\nbaz"', "FOO", "bar\nbaz"],
    ["FOO=a\\tb", "FOO", "a\\tb"],
    ['FOO="a\\tb"', "FOO", "a\tb"],
    ['KEY="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"', "KEY", "Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ"],
    ['KEY="\\x07"', "KEY", "\\x07"],
    ['KEY="\\u12e4"', "KEY", "\\u12e4"],
    ['FOO="bar\\n\\ b\\az"', "FOO", "bar\n\\ b\x07z"],
    ['FOO="bar\\nbaz\\\\"', "FOO", "bar\nbaz\\"],
    ["export FOO=2", "FOO", "2"],
    ["export\tFOO=2", "FOO", "2"],
    ["  export FOO=2", "FOO", "2"],
    ["export exportFoo=2", "exportFoo", "2"],
    ["exportFOO=2", "exportFOO", "2"],
    ["export_FOO =2", "export_FOO", "2"],
    ["export.FOO= 2", "export.FOO", "2"],
    ['export FOO="export A"', "FOO", "export A"],
    ["FOO.BAR=foobar", "FOO.BAR", "foobar"],
    ["VAR-WITH-DASHES=dashes", "VAR-WITH-DASHES", "dashes"],
    ["a[1]=c", "a[1]", "c"],
    ["árvíztűrő=tükör", "árvíztűrő", "tükör"],
    ["456=ABC", "456", "ABC"],
    // comments
    ["FOO=bar # this is foo", "FOO", "bar"],
    ["FOO=bar #this is foo", "FOO", "bar"],
    ["FOO=bar #", "FOO", "bar"],
    ["FOO=123#not-a-comment", "FOO", "123#not-a-comment"],
    ["FOO=bar\t#tab is not a comment start", "FOO", "bar\t#tab is not a comment start"],
    ["FOO= #x", "FOO", "#x"],
    ['FOO="bar#baz"', "FOO", "bar#baz"],
    ['FOO="bar#baz"#', "FOO", "bar#baz"],
    ['FOO="bar#baz" # comment', "FOO", "bar#baz"],
    ["FOO='bar#baz' # comment", "FOO", "bar#baz"],
    // line endings and byte-order mark
    ["FOO=bar\r\nX=1", "FOO", "bar"],
    ['FOO="bar"\r\n', "FOO", "bar"],
    ["\uFEFFFOO=bar", "FOO", "bar"],
    // multi-line quoted values
    ["FOO='first line\nsecond line'", "FOO", "first line\nsecond line"],
    ['FOO="a:3333\nb:443"', "FOO", "a:3333\nb:443"],
  ];
  it.each(cases)("%j → %s=%j", (text, key, value) => {
    const { vars, bag } = parse(text);
    expect(bag.errors).toEqual([]);
    expect(vars[key]).toBe(value);
  });
});

describe("parseDotenv: whole files", () => {
  it("skips blank lines and comments and keeps order of definition", () => {
    const { vars, bag } = parse(["# comment", "", "\t # indented comment", "A=1", "   ", "B=2", "# end"].join("\n"));
    expect(bag.items).toEqual([]);
    expect(vars).toEqual({ A: "1", B: "2" });
  });

  it("treats names like __proto__ and constructor as ordinary names", () => {
    const { vars } = parse("__proto__=x\nconstructor=y\nZ=${constructor}");
    expect(Object.keys(vars)).toEqual(["__proto__", "constructor", "Z"]);
    expect([vars.__proto__, vars.constructor, vars.Z]).toEqual(["x", "y", "y"]);
    const bag = new DiagnosticBag();
    expect(Object.keys(parseRawEnv("f", "__proto__=1", none, bag))).toEqual(["__proto__"]);
  });

  it("a later line overrides an earlier one", () => {
    expect(parse("A=1\nA=2").vars).toEqual({ A: "2" });
  });

  it("interpolates unquoted and double-quoted values, not single-quoted ones", () => {
    const { vars, bag } = parse(
      ["FOO=test", "BAR=$FOO", "BAZ=${FOO}bar", 'Q="quote $FOO"', "S='quote $FOO'", 'E1="foo\\$BAR"', 'E2="foo\\${BAR}"', "E3=$$FOO", "D=${NOPE:-dflt}"].join("\n"),
    );
    expect(bag.items).toEqual([]);
    expect(vars).toMatchObject({ BAR: "test", BAZ: "testbar", Q: "quote test", S: "quote $FOO", E1: "foo$BAR", E2: "foo${BAR}", E3: "$FOO", D: "dflt" });
  });

  it("asks the outside lookup before keys of the file (compose's order)", () => {
    const { vars } = parse(["OPTION_A=1", "OPTION_B=${OPTION_A}", "OPTION_C=$OPTION_B", "OPTION_D=${OPTION_A}_${OPTION_B}", "OPTION_E=${OPTION_NOT_DEFINED}"].join("\n"), lookup);
    expect(vars).toEqual({ OPTION_A: "1", OPTION_B: "5", OPTION_C: "5", OPTION_D: "5_5", OPTION_E: "" });
  });

  it("reads earlier env files through base, and returns the merged set", () => {
    const { vars } = parse(['ENV_MY_URL="http://${ENV_HOSTNAME}"', "ENV_HOSTNAME=dev.example.com", 'AGAIN="${ENV_HOSTNAME}"'].join("\n"), none, { ENV_HOSTNAME: "localhost" });
    expect(vars).toEqual({ ENV_HOSTNAME: "dev.example.com", ENV_MY_URL: "http://localhost", AGAIN: "dev.example.com" });
  });

  it("a name alone takes the outside value, or is left out", () => {
    const { vars, bag } = parse("SHELLVAR\nVARIABLE_NOT_FOUND\nHOME\n  LAST", lookup);
    expect(bag.items).toEqual([]);
    expect(vars).toEqual({ SHELLVAR: "from-shell", HOME: "/home/me" });
  });

  it("warns once per unset variable, at the value", () => {
    const { vars, bag } = parse("A=$NOPE\nB=${NOPE}x", none);
    expect(vars).toEqual({ A: "", B: "x" });
    expect(bag.warnings).toHaveLength(1);
    expect(bag.warnings[0]).toMatchObject({ code: "dotenv.unset", message: 'The "NOPE" variable is not set. Defaulting to a blank string.', location: { file: ".env", line: 1, col: 3 } });
  });

  it("warns when text follows a closing quote, which compose reads as another line", () => {
    const { vars, bag } = parse('A="x" B=2', none);
    expect(vars).toEqual({ A: "x", B: "2" });
    expect(bag.warnings[0]).toMatchObject({ code: "dotenv.after-quote", location: { line: 1, col: 7 } });
  });

  it("ignores a value with no name, with a warning", () => {
    const { vars, bag } = parse('="value"\nA=1');
    expect(vars).toEqual({ A: "1" });
    expect(bag.warnings.map((w) => w.code)).toEqual(["dotenv.empty-name"]);
  });
});

describe("parseDotenv: errors are located and parsing goes on", () => {
  const cases: [string, string, string, number, number][] = [
    ["lol$wut", "dotenv.syntax", 'unexpected character "$" in variable name "lol$wut"', 1, 4],
    ["A=1\n%!(EXTRA)=foo", "dotenv.syntax", 'unexpected character "%"', 2, 1],
    ["# some comments\nfoo=\"\n  a\n  multiline\n\"\nINVALID LINE\nzot=qix", "dotenv.key-space", 'variable name "INVALID LINE" cannot contain a space', 6, 1],
    ["BAD KEY=1", "dotenv.key-space", "cannot contain a space", 1, 1],
    ['KEY="', "dotenv.unterminated-quote", "unterminated quoted value", 1, 5],
    ['A=1\nKEY="value', "dotenv.unterminated-quote", "unterminated quoted value", 2, 5],
    ['KEY="value\\"', "dotenv.unterminated-quote", "unterminated", 1, 5],
    ["KEY=\"value'", "dotenv.unterminated-quote", "unterminated", 1, 5],
    ["KEY='", "dotenv.unterminated-quote", "unterminated", 1, 5],
    ["KEY='value\\'", "dotenv.unterminated-quote", "unterminated", 1, 5],
    ['KEY=   "value', "dotenv.unterminated-quote", "unterminated", 1, 8],
    ["A=x ${B C}", "dotenv.interpolate-syntax", "invalid interpolation format", 1, 5],
    ["A=1\nPW=${DB_PASSWORD:?set it}", "dotenv.interpolate-required", "required variable DB_PASSWORD is missing a value: set it", 2, 4],
    ['A="${X:?quoted}"', "dotenv.interpolate-required", "required variable X is missing a value: quoted", 1, 4],
  ];
  it.each(cases)("%j → %s", (text, code, message, line, col) => {
    const { bag } = parse(text);
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]).toMatchObject({ code, location: { file: ".env", line, col } });
    expect(bag.errors[0]?.message).toContain(message);
    expect(bag.errors[0]?.hint).toBeTruthy();
  });

  it("keeps the good lines around a bad one", () => {
    const { vars, bag } = parse("A=1\nBAD LINE\nB=2\nc$d=3\nC=3");
    expect(bag.errors.map((e) => e.location?.line)).toEqual([2, 4]);
    expect(vars).toEqual({ A: "1", B: "2", C: "3" });
  });
});

describe("expandEscapes", () => {
  const cases: [string, string][] = [
    ["plain", "plain"],
    ["\\n\\t\\r", "\n\t\r"],
    ["\\\\n", "\\n"],
    ["\\$X", "$$X"],
    ["\\0101", "A"],
    ["\\01234", "S4"],
    ["\\0", "\\0"],
    ["\\012", "\\012"],
    ["\\0128", "\\0128"],
    ["\\0400", "\\0400"],
    ["\\0377", "\xff"],
    ["\\q", "\\q"],
  ];
  it.each(cases)("%j → %j", (input, want) => expect(expandEscapes(input)).toBe(want));
});

describe("parseRawEnv", () => {
  const raw = (text: string, look: Lookup = lookup) => {
    const bag = new DiagnosticBag();
    return { vars: parseRawEnv("app.env", text, look, bag), bag };
  };
  const cases: [string, Record<string, string>][] = [
    ["A=1", { A: "1" }],
    ["A=${HOME} $X", { A: "${HOME} $X" }],
    ["A=value with spaces  ", { A: "value with spaces  " }],
    ["  A=1", { A: "1" }],
    ["A='quoted'", { A: "quoted" }],
    ['A="quoted"', { A: "quoted" }],
    ["A='mismatched\"", { A: "'mismatched\"" }],
    ["A='", { A: "'" }],
    ["A=a\\nb # not a comment", { A: "a\\nb # not a comment" }],
    ["A=x=y", { A: "x=y" }],
    ["A=", { A: "" }],
    ["# comment\n\nA=1\r\nB=2", { A: "1", B: "2" }],
    ["\uFEFFA=1", { A: "1" }],
    ["SHELLVAR\nUNKNOWN", { SHELLVAR: "from-shell" }],
  ];
  it.each(cases)("%j", (text, want) => {
    const { vars, bag } = raw(text);
    expect(bag.items).toEqual([]);
    expect(vars).toEqual(want);
  });

  it.each([
    ["=1", "no variable name", 1, 1],
    ["OK=1\n  A B=1", "contains whitespace", 2, 3],
    ["A =1", "contains whitespace", 1, 1],
  ])("%j is an error", (text, message, line, col) => {
    const { bag } = raw(text);
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]?.message).toContain(message);
    expect(bag.errors[0]?.location).toEqual({ file: "app.env", line, col });
  });
});

describe("parseDotenv: properties", () => {
  it("never throws on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("A", "=", "'", '"', "\\", "#", " ", "\n", "$", "{", "}", ":", "x", "export ") }), (s) => {
        const bag = new DiagnosticBag();
        expect(typeof parseDotenv(".env", s, none, bag)).toBe("object");
      }),
    );
  });

  it("reads back any single-quoted value without a quote or backslash", () => {
    const value = fc.string().filter((v) => !v.includes("'") && !v.includes("\\"));
    fc.assert(
      fc.property(value, (v) => {
        expect(parse(`K='${v}'`).vars.K).toBe(v);
      }),
    );
  });
});
