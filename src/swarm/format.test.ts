import { describe, expect, test } from "vitest";
import { formatRows } from "./format.js";

const header = { Name: "NAME", Services: "SERVICES" };
const rows = [
  { Name: "a", Services: "2" },
  { Name: "longer-stack-name", Services: "10" },
];
const table = "table {{.Name}}\t{{.Services}}";

describe("formatRows (docker's --format)", () => {
  test("the default table pads like docker's tabwriter (min 10, padding 3)", () => {
    expect(formatRows(undefined, table, header, rows)).toBe("NAME                SERVICES\na                   2\nlonger-stack-name   10\n");
    expect(formatRows("table", table, header, [{ Name: "x", Services: "1" }])).toBe("NAME      SERVICES\nx         1\n");
  });

  test("a template without `table` prints one line per row, no header", () => {
    expect(formatRows("{{.Name}}: {{.Services}}", table, header, rows)).toBe("a: 2\nlonger-stack-name: 10\n");
  });

  test("json, {{json .}} and {{json .Field}}", () => {
    expect(formatRows("json", table, header, rows.slice(0, 1))).toBe('{"Name":"a","Services":"2"}\n');
    expect(formatRows("{{json .}}", table, header, rows.slice(0, 1))).toBe('{"Name":"a","Services":"2"}\n');
    expect(formatRows("{{json .Name}}", table, header, rows.slice(0, 1))).toBe('"a"\n');
  });

  test("a custom table template with \\t", () => {
    expect(formatRows("table {{.Services}}\\t{{.Name}}", table, header, rows.slice(0, 1))).toBe("SERVICES   NAME\n2          a\n");
  });
});
