// The docker CLI's `--format` for list commands that compose hands to it (`volumes`, `stats`):
// "table" (default columns), "json" (one object per line), "table TEMPLATE" (a header, then a row
// per item), or "TEMPLATE" alone. Templates are the common subset of Go templates people use:
// {{.Field}}, {{json .}}, {{json .Field}}, {{upper .Field}}, {{lower .Field}}, and \t / \n.
import { UserError } from "./errors.js";
import { DOCKER_TABLE, tabwrite } from "./tabwriter.js";

/** An item's fields by their template names, e.g. { Name: "x", Driver: "local" }. */
export type TemplateItem = Record<string, string>;

export interface FormatSpec {
  /** The default table, e.g. "{{.Driver}}\t{{.Name}}". */
  defaultTable: string;
  /** Column titles of the fields, e.g. { Name: "VOLUME NAME" }. */
  headers: Record<string, string>;
}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

function evaluate(action: string, item: TemplateItem, header: boolean, headers: Record<string, string>): string {
  const words = action.split(/\s+/).filter((w) => w !== "");
  const field = (ref: string | undefined): string => {
    if (ref === ".") return header ? "" : JSON.stringify(item);
    if (ref === undefined || !ref.startsWith(".")) throw new UserError(`template: unsupported action {{${action}}}`, "use {{.Field}}, {{json .}} or {{json .Field}}");
    const name = ref.slice(1);
    if (!(name in item)) throw new UserError(`template: can't evaluate field ${name}`, `fields: ${Object.keys(item).sort().join(", ")}`);
    return header ? (headers[name] ?? name.toUpperCase()) : item[name]!;
  };
  if (words.length === 1) return field(words[0]);
  if (words.length === 2) {
    const [fn, arg] = words;
    if (fn === "json") return header && arg !== "." ? (headers[arg!.slice(1)] ?? "") : arg === "." ? field(arg) : JSON.stringify(field(arg));
    if (fn === "upper") return field(arg).toUpperCase();
    if (fn === "lower") return field(arg).toLowerCase();
  }
  throw new UserError(`template: unsupported action {{${action}}}`, "use {{.Field}}, {{json .}} or {{json .Field}}");
}

function render(template: string, item: TemplateItem, header: boolean, headers: Record<string, string>): string {
  return template.replace(ACTION, (_m, action: string) => evaluate(action, item, header, headers));
}

/** Renders items with a docker-style `--format`; every line ends with a newline. */
export function formatItems(items: readonly TemplateItem[], format: string | undefined, spec: FormatSpec): string {
  const raw = (format ?? "").trim() === "" ? "table" : format!.trim();
  if (raw === "json") return items.map((i) => JSON.stringify(sortedKeys(i)) + "\n").join("");
  const isTable = raw === "table" || raw.startsWith("table ");
  let template = raw === "table" ? spec.defaultTable : isTable ? raw.slice("table ".length) : raw;
  template = template.trim().replace(/\\t/g, "\t").replace(/\\n/g, "\n");
  if (!isTable) return items.map((i) => render(template, i, false, spec.headers) + "\n").join("");
  // A table template's header is the same template with titles in place of the values.
  const sample = items[0] ?? Object.fromEntries(Object.keys(spec.headers).map((k) => [k, ""]));
  const header = render(template, sample, true, spec.headers);
  const lines = [header, ...items.map((i) => render(template, i, false, spec.headers))];
  return tabwrite(lines.flatMap((l) => l.split("\n")).map((l) => l.split("\t")), DOCKER_TABLE);
}

function sortedKeys(item: TemplateItem): TemplateItem {
  return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
