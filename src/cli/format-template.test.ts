import { describe, expect, it } from "vitest";
import { formatItems, type FormatSpec } from "./format-template.js";

const spec: FormatSpec = { defaultTable: "{{.Driver}}\t{{.Name}}", headers: { Driver: "DRIVER", Name: "VOLUME NAME", Scope: "SCOPE" } };
const items = [
  { Name: "b", Driver: "local", Scope: "local" },
  { Name: "a", Driver: "local", Scope: "local" },
];

describe("formatItems", () => {
  it("prints the default table, with the titles of the fields", () => {
    expect(formatItems(items, undefined, spec)).toBe("DRIVER    VOLUME NAME\nlocal     b\nlocal     a\n");
    expect(formatItems(items, "table", spec)).toBe(formatItems(items, "", spec));
  });

  it("prints one JSON object per line, keys sorted as Go marshals a map", () => {
    const out = formatItems(items, "json", spec).trim().split("\n");
    expect(out.map((l) => JSON.parse(l))).toEqual(items);
    expect(out[0]).toBe('{"Driver":"local","Name":"b","Scope":"local"}');
  });

  it("renders a custom table template and a bare template, with \\t written as two characters", () => {
    expect(formatItems(items, "table {{.Name}}\\t{{.Scope}}", spec)).toBe("VOLUME NAME   SCOPE\nb             local\na             local\n");
    expect(formatItems(items, "{{.Name}}: {{ .Driver }}", spec)).toBe("b: local\na: local\n");
    expect(formatItems(items, "{{json .Name}} {{upper .Scope}}", spec)).toBe('"b" LOCAL\n"a" LOCAL\n');
    expect(formatItems(items.slice(0, 1), "{{json .}}", spec)).toBe('{"Name":"b","Driver":"local","Scope":"local"}\n');
  });

  it("rejects an unknown field or function with a clear error", () => {
    expect(() => formatItems(items, "{{.Nope}}", spec)).toThrow(/can't evaluate field Nope/);
    expect(() => formatItems(items, "{{range .}}", spec)).toThrow(/unsupported action/);
  });
});
