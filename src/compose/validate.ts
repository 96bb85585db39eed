// Schema validation of one compose file (after interpolation and casting), with errors that
// point at file:line:col and say in plain words what is wrong and how to fix it.
//
// The check itself is ajv running schemas/compose-spec.json. `npm run build` turns the schema
// into standalone validation code (dist/compose/schema-validator.cjs) so that `moor config`
// does not pay for compiling the schema at every start; run from src (tests), no such file
// exists and the schema is compiled once, on first use.
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import type Ajv2020 from "ajv/dist/2020.js";
import { didYouMean } from "./did-you-mean.js";
import { formatKeyPath, type DiagnosticBag, type KeyPath, type Location } from "./diagnostics.js";
import type { ParsedDocument } from "./source.js";

const require = createRequire(import.meta.url);

/** The file `scripts/build-schema.mjs` writes beside the compiled validate.js. */
export const STANDALONE_VALIDATOR = "./schema-validator.cjs";
const SCHEMA_FILE = "../../schemas/compose-spec.json";

/** Ajv options shared with scripts/build-schema.mjs: both must produce the same verdicts. */
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, inlineRefs: false } as const;

/** A validation function: the verdict, with ajv's errors left on `.errors`. */
export interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

let cached: { check: SchemaCheck; source: "standalone" | "compiled" } | undefined;

/** True when the standalone file itself is absent (not when something it requires is missing). */
function isStandaloneMissing(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return code === "MODULE_NOT_FOUND" && typeof message === "string" && message.includes(STANDALONE_VALIDATOR.slice(2));
}

/** Compiles the schema with ajv at run time: the fallback when no standalone code was built. */
export function compileSchemaValidator(): SchemaCheck {
  // ajv is CommonJS: `require` returns what a default import would, with the class on `.default`.
  const Ajv = (require("ajv/dist/2020") as typeof Ajv2020).default;
  return new Ajv({ ...AJV_OPTIONS }).compile(loadSchema());
}

function validator(): { check: SchemaCheck; source: "standalone" | "compiled" } {
  if (cached) return cached;
  let standalone: SchemaCheck | undefined;
  try {
    const mod = require(STANDALONE_VALIDATOR) as SchemaCheck | { default: SchemaCheck };
    standalone = typeof mod === "function" ? mod : mod.default;
  } catch (err) {
    // Absent when running from src; anything else (a corrupt build) is a bug worth a stack.
    if (!isStandaloneMissing(err)) throw err;
  }
  cached = standalone ? { check: standalone, source: "standalone" } : { check: compileSchemaValidator(), source: "compiled" };
  return cached;
}

/** Where the validator came from: build-time standalone code, or compiled at run time. */
export function validatorSource(): "standalone" | "compiled" {
  return validator().source;
}

/** The schema's verdict on plain data, with no diagnostics (the differential test's entry point). */
export function validateData(data: unknown): boolean {
  return validator().check(data);
}

/**
 * Validates one parsed compose document against moor's Compose schema and adds one located,
 * plain-words diagnostic per problem to `bag`. A document whose top level is not a mapping
 * (or is empty) is left to the loader, which reports it once.
 */
export function validateDocument(doc: ParsedDocument, bag: DiagnosticBag): void {
  const data = doc.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return;
  const { check } = validator();
  if (check(data)) return;
  const diagnostics = explainErrors(check.errors ?? [], data, doc);
  for (const d of diagnostics) bag.error(d.code, d.message, { path: d.path, location: d.location, hint: d.hint });
}

// ---------------------------------------------------------------------------------------------
// From ajv's errors to diagnostics.

/** The parts of a JSON Schema node this file reads. */
interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
  $defs?: Record<string, SchemaNode>;
}

let schemaCache: SchemaNode | undefined;
function loadSchema(): SchemaNode {
  // Read only when needed: a valid file never pays for it when the standalone code is used.
  schemaCache ??= require(SCHEMA_FILE) as SchemaNode;
  return schemaCache;
}

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let hops = 0; n?.$ref !== undefined && hops < 16; hops++) {
    const name = /^#\/\$defs\/(.+)$/.exec(n.$ref)?.[1];
    n = name === undefined ? undefined : loadSchema().$defs?.[name];
  }
  return n;
}

const patternCache = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let r = patternCache.get(source);
  if (!r) {
    r = new RegExp(source, "u");
    patternCache.set(source, r);
  }
  return r;
}

/** The schema that applies to `key` inside an object node, as JSON Schema picks it. */
function propertySchema(node: SchemaNode, key: string): SchemaNode | undefined {
  const own = node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
  if (own) return resolve(own);
  for (const [pattern, sub] of Object.entries(node.patternProperties ?? {})) if (regex(pattern).test(key)) return resolve(sub);
  return typeof node.additionalProperties === "object" ? resolve(node.additionalProperties) : undefined;
}

/** Walks the schema along a data path. Our schema has no oneOf/anyOf, so the walk is unambiguous. */
function schemaAt(path: KeyPath): SchemaNode | undefined {
  let node = resolve(loadSchema());
  for (const seg of path) {
    if (!node) return undefined;
    node = typeof seg === "number" ? resolve(node.items) : propertySchema(node, seg);
  }
  return node;
}

/** Decodes ajv's JSON-pointer instancePath into a KeyPath, with numbers where the data has lists. */
function toKeyPath(pointer: string, root: unknown): KeyPath {
  if (pointer === "") return [];
  const out: (string | number)[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(root: unknown, path: KeyPath): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

interface Explained {
  code: string;
  message: string;
  path: KeyPath;
  location?: Location;
  hint?: string;
}

const RESOURCE_WORDS: Record<string, string> = {
  services: "service",
  networks: "network",
  volumes: "volume",
  secrets: "secret",
  configs: "config",
  models: "model",
};

/** Names the place a path points at the way a user thinks of it: "service `web`", "`build` of service `web`". */
export function describePlace(path: KeyPath): string {
  if (path.length === 0) return "the top level";
  const [top, name, ...rest] = path;
  const word = typeof top === "string" ? RESOURCE_WORDS[top] : undefined;
  if (word !== undefined && name !== undefined) {
    const owner = `${word} \`${String(name)}\``;
    return rest.length === 0 ? owner : `\`${formatKeyPath(rest)}\` of ${owner}`;
  }
  return `\`${formatKeyPath(path)}\``;
}

function quote(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** What a value is, in words: "a list", "the string \"abc\"", "the number 3". */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "boolean") return `\`${String(v)}\``;
  if (typeof v === "number") return `the number ${String(v)}`;
  return `the string ${quote(v)}`;
}

function joinWords(words: string[], conjunction = "or"): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]!}`;
}

function typeWord(type: string, example: string | undefined): string {
  switch (type) {
    case "string":
      return example === undefined ? "a string" : `a string like ${quote(example)}`;
    case "number":
      return "a number";
    case "integer":
      return "a whole number";
    case "boolean":
      return "true/false";
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "null":
      return "nothing";
    default:
      return type;
  }
}

function typesOf(node: SchemaNode | undefined): string[] {
  if (!node?.type) return [];
  return Array.isArray(node.type) ? node.type : [node.type];
}

function stringExample(node: SchemaNode | undefined): string | undefined {
  const ex = node?.examples?.find((e) => typeof e === "string");
  return typeof ex === "string" ? ex : undefined;
}

/** "expected a number, a string like \"8080:80\" or a mapping" for a node's accepted types. */
function expected(node: SchemaNode | undefined, fallback: string[]): string {
  let types = typesOf(node);
  if (types.length === 0) types = fallback;
  // "a number or a whole number" says nothing more than "a number".
  if (types.includes("number")) types = types.filter((t) => t !== "integer");
  // A flag is true/false or a "${VAR}" string; saying "a string" invites `privileged: "yes please"`.
  if (types.length === 2 && types.includes("boolean") && types.includes("string")) return "true or false";
  // "nothing" reads best last: "a string or a list, or nothing".
  if (types.includes("null") && types.length > 1) types = [...types.filter((t) => t !== "null"), "null"];
  return joinWords(types.map((t) => typeWord(t, t === "string" ? stringExample(node) : undefined)));
}

/** A short example of an accepted form, when the message does not show one already. */
function exampleHint(node: SchemaNode | undefined, key: string | number | undefined): string | undefined {
  const ex = node?.examples?.find((e) => typeof e !== "string") ?? (typesOf(node).includes("string") ? undefined : node?.examples?.[0]);
  if (ex === undefined || typeof key !== "string") return undefined;
  return `for example: ${key}: ${JSON.stringify(ex)}`;
}

/** Keys a user may write at a place: the named properties (extension keys aside). */
function allowedKeys(node: SchemaNode | undefined): string[] {
  return Object.keys(node?.properties ?? {});
}

function allowsExtensions(node: SchemaNode | undefined): boolean {
  return Object.hasOwn(node?.patternProperties ?? {}, "^x-");
}

/** The pattern a named collection (services, depends_on, …) puts on its keys, if any. */
function namePattern(node: SchemaNode | undefined): string | undefined {
  return Object.keys(node?.patternProperties ?? {}).find((p) => p !== "^x-");
}

const ORDER_BY_KEYWORD: Record<string, number> = { type: 0, required: 1, additionalProperties: 1 };

/** Keeps one problem per place: drops the bookkeeping errors of if/oneOf/anyOf and merges branch type errors. */
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (e.keyword === "if" || e.keyword === "oneOf" || e.keyword === "anyOf" || e.keyword === "not") continue;
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const out: ErrorObject[] = [];
  for (const list of byPath.values()) {
    const typeErrors = list.filter((e) => e.keyword === "type");
    const others = list.filter((e) => e.keyword !== "type");
    // A type error next to other errors at the same place means some branch accepted the type:
    // the other errors are the ones about the value the user wrote.
    if (others.length > 0) {
      const seen = new Set<string>();
      const missing: string[] = [];
      for (const e of others) {
        if (e.keyword === "required") missing.push(String((e.params as { missingProperty?: unknown }).missingProperty));
        const id = e.keyword === "required" ? "required" : `${e.keyword}\u0000${JSON.stringify(e.params)}`;
        if (!seen.has(id)) out.push(e);
        seen.add(id);
      }
      // Several missing keys at one place are one problem: "missing `soft` and `hard`".
      const req = out.find((e) => e.keyword === "required" && e.instancePath === list[0]!.instancePath);
      if (req && missing.length > 1) out[out.indexOf(req)] = { ...req, params: { ...req.params, missingProperty: missing.join("\u0000") } };
    } else if (typeErrors[0]) out.push(typeErrors[0]);
  }
  return out.sort((a, b) => (ORDER_BY_KEYWORD[a.keyword] ?? 2) - (ORDER_BY_KEYWORD[b.keyword] ?? 2));
}

function explainErrors(errors: readonly ErrorObject[], data: unknown, doc: ParsedDocument): Explained[] {
  const located = (path: KeyPath, preferKey: boolean): Location | undefined => {
    const hit = doc.positions.get(path);
    if (hit) return preferKey ? (hit.key ?? hit.value) : hit.value;
    const near = doc.positions.nearest(path);
    return near ? (near.key ?? near.value) : undefined;
  };
  const out: Explained[] = [];
  for (const e of collapse(errors)) {
    const path = toKeyPath(e.instancePath, data);
    const explained = explainOne(e, path, valueAt(data, path));
    out.push({ ...explained, location: located(explained.path, explained.atKey) });
  }
  // File order is reading order; ajv's order is the schema's.
  return out.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0));
}

interface OneExplanation {
  code: string;
  message: string;
  path: KeyPath;
  hint?: string;
  /** Point at the key rather than the value (unknown keys, missing children). */
  atKey: boolean;
}

function lastKey(path: KeyPath): string | number | undefined {
  return path[path.length - 1];
}

function explainOne(e: ErrorObject, path: KeyPath, value: unknown): OneExplanation {
  const node = schemaAt(path);
  const key = lastKey(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "type": {
      const hint = exampleHint(node, key) ?? flagHint(node, value);
      return { code: "schema.type", message: `expected ${expected(node, String(params.type).split(","))}, got ${kindOf(value)}`, path, hint, atKey: false };
    }
    case "additionalProperties":
      return unknownKey(String(params.additionalProperty), path, node);
    case "required": {
      const keys = String(params.missingProperty).split("\u0000");
      const first = keys[0]!;
      const child = node ? propertySchema(node, first) : undefined;
      const choices = child?.enum?.map((v) => String(v));
      const hint = choices
        ? `for example: ${first}: ${choices[0]!} (one of ${choices.map((c) => `\`${c}\``).join(", ")})`
        : child?.examples
          ? `for example: ${first}: ${JSON.stringify(child.examples[0])}`
          : undefined;
      const what = keys.length === 1 ? `key \`${first}\`` : `keys ${joinWords(keys.map((k) => `\`${k}\``), "and")}`;
      return { code: "schema.required", message: `missing required ${what} in ${describePlace(path)}`, path, hint, atKey: true };
    }
    case "enum": {
      const choices = (node?.enum ?? (params.allowedValues as unknown[] | undefined) ?? []).map((v) => String(v));
      const guess = typeof value === "string" ? didYouMean(value, choices) : undefined;
      return {
        code: "schema.enum",
        message: `${quote(value)} is not an accepted value for ${describePlace(path)}: expected one of ${choices.map((c) => `\`${c}\``).join(", ")}`,
        path,
        hint: guess ? `did you mean \`${guess}\`?` : undefined,
        atKey: false,
      };
    }
    case "const":
      return { code: "schema.enum", message: `expected ${quote(params.allowedValue)} for ${describePlace(path)}, got ${kindOf(value)}`, path, atKey: false };
    case "pattern": {
      const examples = node?.examples?.filter((x): x is string => typeof x === "string") ?? [];
      const hint = examples.length > 1 ? `accepted forms include ${examples.map((x) => `\`${x}\``).join(", ")}` : examples[0] ? `for example: ${quote(examples[0])}` : `it must match ${String(params.pattern)}`;
      return { code: "schema.pattern", message: `${quote(value)} is not a valid value for ${describePlace(path)}`, path, hint, atKey: false };
    }
    case "minimum":
    case "maximum": {
      const limit = String(params.limit);
      const word = e.keyword === "minimum" ? `below the minimum ${limit}` : `above the maximum ${limit}`;
      return { code: "schema.range", message: `${String(value)} is ${word} for ${describePlace(path)}`, path, atKey: false };
    }
    case "uniqueItems": {
      const later = Math.max(Number(params.i), Number(params.j));
      const earlier = Math.min(Number(params.i), Number(params.j));
      const item = Array.isArray(value) ? value[later] : undefined;
      return {
        code: "schema.duplicate",
        message: `${quote(item)} appears more than once in ${describePlace(path)} (entries ${earlier + 1} and ${later + 1})`,
        path: [...path, later],
        hint: "remove the repeated entry",
        atKey: false,
      };
    }
    default:
      return { code: "schema.invalid", message: `${describePlace(path)}: ${e.message ?? "is not valid"}`, path, atKey: false };
  }
}

/** A number where true/false was expected is usually a YAML 1.1 habit (`1`, `yes`). */
function flagHint(node: SchemaNode | undefined, value: unknown): string | undefined {
  const types = typesOf(node);
  if (types.length === 2 && types.includes("boolean") && types.includes("string") && typeof value === "number") return "write `true` or `false`";
  return undefined;
}

// Top-level keys that belong one level down: a common slip is to forget `services:`.
function misplacedServiceKeyHint(key: string): string | undefined {
  const service = resolve(loadSchema().$defs?.service);
  if (!service?.properties || !Object.hasOwn(service.properties, key)) return undefined;
  return `\`${key}\` is a service setting: put it under \`services: <name>:\``;
}

/**
 * Where `key` is allowed a few mapping levels below `node` (`replicas` in a service belongs
 * under `deploy`): the shortest such relative path, breadth first, or undefined.
 */
function nestedHome(node: SchemaNode, key: string, maxDepth = 3): string | undefined {
  let level: { node: SchemaNode; at: string[] }[] = [{ node, at: [] }];
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const next: { node: SchemaNode; at: string[] }[] = [];
    for (const { node: n, at } of level) {
      for (const [name, child] of Object.entries(n.properties ?? {})) {
        const c = resolve(child);
        if (!c || !typesOf(c).includes("object")) continue;
        if (c.properties && Object.hasOwn(c.properties, key)) return [...at, name].join(".");
        next.push({ node: c, at: [...at, name] });
      }
    }
    level = next;
  }
  return undefined;
}

function unknownKey(key: string, path: KeyPath, node: SchemaNode | undefined): OneExplanation {
  const childPath = [...path, key];
  const pattern = namePattern(node);
  if (pattern !== undefined && pattern !== ".+" && pattern !== "^.+$") {
    const owner = typeof path[0] === "string" && path.length === 1 ? RESOURCE_WORDS[path[0]] : undefined;
    return {
      code: "schema.invalid-name",
      message: owner ? `${quote(key)} is not a valid ${owner} name` : `${quote(key)} is not a valid name in ${describePlace(path)}`,
      path: childPath,
      hint: "names may use only letters, digits, `.`, `_` and `-`",
      atKey: true,
    };
  }
  if (pattern !== undefined) {
    return { code: "schema.invalid-name", message: `empty key in ${describePlace(path)}`, path: childPath, hint: "give the entry a name", atKey: true };
  }
  const guess = didYouMean(key, allowedKeys(node));
  const nested = guess === undefined && node ? nestedHome(node, key) : undefined;
  let hint: string | undefined;
  if (guess !== undefined) hint = `did you mean \`${guess}\`?`;
  else if (nested !== undefined) hint = `\`${key}\` belongs under \`${nested}\` here`;
  else if (path.length === 0) hint = misplacedServiceKeyHint(key) ?? "custom top-level keys must start with `x-`";
  else if (allowsExtensions(node)) hint = "custom keys must start with `x-`";
  return { code: "schema.unknown-key", message: `unknown key \`${key}\` in ${describePlace(path)}`, path: childPath, hint, atKey: true };
}
