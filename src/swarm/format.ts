// `--format` for the stack listings: the docker CLI's Go-template subset people use with them
// (`table` prefix, `{{.Field}}`, `{{json .}}`, `{{json .Field}}`, `\t`), and docker's padded tables.

/** Renders rows with a docker-style format: undefined/"table" for the default table, "json" for JSON lines. */
export function formatRows(format: string | undefined, defaultTable: string, header: Record<string, string>, rows: Record<string, string>[]): string {
  if (format === "json") return rows.map((r) => `${JSON.stringify(r)}\n`).join("");
  const f = format === undefined || format === "" || format === "table" ? defaultTable : format;
  const isTable = f.startsWith("table");
  const template = (isTable ? f.slice(5).trimStart() : f).replace(/\\t/g, "\t").replace(/\\n/g, "\n");
  const lines = rows.map((r) => render(template, r));
  if (!isTable) return lines.map((l) => `${l}\n`).join("");
  const head = render(template, header);
  const table = [head, ...lines].map((l) => l.split("\t"));
  const widths: number[] = [];
  for (const cells of table) cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  // The docker CLI's tabwriter: cells at least 10 wide, 3 spaces of padding, the last cell unpadded.
  return table.map((cells) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(Math.max(widths[i]! + 3, 10)))).join("")}\n`).join("");
}

function render(template: string, row: Record<string, string>): string {
  return template.replace(/\{\{\s*(json\s+)?\.([A-Za-z]*)\s*\}\}/g, (_m, json: string | undefined, field: string) => {
    if (field === "") return JSON.stringify(row);
    const value = row[field] ?? "";
    return json ? JSON.stringify(value) : value;
  });
}
