// `docker compose config` output: the Project in compose's key order, forms and quoting.
// Each struct's keys come in compose's declared order (not alphabetical), maps are sorted,
// zero values are left out as Go's `omitempty` does, and a few types print specially:
// byte sizes as quoted numbers, file modes in octal, extra_hosts as sorted "host=ip" lines.
import { emitJson, emitYaml, jsonKeyCompare, yamlKeyCompare, type Node } from "./serialize-emit.js";
import { fileObjectShape, hostLines, isRecord, isZero, map, modeText, modelShape, networkShape, serviceShape, sshText, volumeShape, type Shape, type Struct } from "./serialize-shapes.js";
import { writeConfigYaml, type YamlSections } from "./serialize-yaml.js";
import type { Project, ServiceConfig } from "./types.js";

type Format = "yaml" | "json";

// ---- building the tree ---------------------------------------------------------------------

function scalar(v: unknown): Node {
  if (v === null || v === undefined) return { k: "null" };
  if (typeof v === "string") return { k: "str", v };
  if (typeof v === "number") return { k: "num", v };
  if (typeof v === "boolean") return { k: "bool", v };
  return { k: "str", v: String(v) };
}

function anyNode(v: unknown, fmt: Format): Node {
  if (Array.isArray(v)) return { k: "seq", items: v.map((x) => anyNode(x, fmt)) };
  if (isRecord(v)) {
    const cmp = fmt === "yaml" ? yamlKeyCompare : jsonKeyCompare;
    return { k: "map", entries: Object.keys(v).sort(cmp).map((k) => [k, anyNode(v[k], fmt)]) };
  }
  return scalar(v);
}

function buildNode(v: unknown, shape: Shape, fmt: Format): Node {
  if (typeof shape === "string") {
    switch (shape) {
      case "scalar":
        return scalar(v);
      case "bytes":
        // compose prints byte sizes as quoted decimal strings ("536870912").
        return typeof v === "number" ? { k: "str", v: String(v) } : scalar(v);
      case "mode":
        return typeof v === "number" ? { k: "str", v: modeText(v) } : scalar(v);
      case "any":
        return anyNode(v, fmt);
      case "hosts":
        return { k: "seq", items: hostLines(v, jsonKeyCompare).map((s) => ({ k: "str", v: s })) };
      case "ulimit": {
        const u = isRecord(v) ? v : {};
        if (typeof u.single === "number" && u.single !== 0) return { k: "num", v: u.single };
        // YAML prints both limits; JSON leaves out a zero one.
        const entries: [string, Node][] = [];
        for (const k of ["soft", "hard"]) {
          const n = typeof u[k] === "number" ? u[k] : 0;
          if (fmt === "yaml" || n !== 0) entries.push([k, { k: "num", v: n }]);
        }
        return { k: "map", entries };
      }
      case "ssh":
        return { k: "str", v: sshText(v) };
    }
  }
  if ("list" in shape) return { k: "seq", items: (Array.isArray(v) ? v : []).map((x) => buildNode(x, shape.list, fmt)) };
  if ("map" in shape) {
    const obj = isRecord(v) ? v : {};
    const cmp = fmt === "yaml" ? yamlKeyCompare : jsonKeyCompare;
    return {
      k: "map",
      entries: Object.keys(obj).sort(cmp).map((k) => [k, obj[k] === null || obj[k] === undefined ? { k: "null" } : buildNode(obj[k], shape.map, fmt)]),
    };
  }
  return buildStruct(isRecord(v) ? v : {}, shape, fmt);
}

function buildStruct(obj: Record<string, unknown>, shape: Struct, fmt: Format, extensions = fmt === "yaml"): Extract<Node, { k: "map" }> {
  const entries: [string, Node][] = [];
  for (const field0 of shape.fields) {
    const v = obj[field0.key];
    const field = fmt === "json" && field0.jsonName ? { ...field0, key: field0.jsonName } : field0;
    if (v === undefined || v === null) {
      if (fmt === "json" && field.jsonAlways) entries.push([field.key, typeof field.shape === "object" && "fields" in field.shape ? buildStruct({}, field.shape, fmt) : { k: "null" }]);
      else if (fmt === "json" && typeof field.shape === "object" && "fields" in field.shape && field.shape.value) entries.push([field.key, buildStruct({}, field.shape, fmt)]);
      continue;
    }
    if (field.optOut) {
      if (v === false) entries.push([field.key, { k: "bool", v: false }]);
      continue;
    }
    const isStruct = typeof field.shape === "object" && "fields" in field.shape;
    if (isStruct) {
      const node = buildStruct(isRecord(v) ? v : {}, field.shape as Struct, fmt);
      if ((field.shape as Struct).value && fmt === "yaml" && node.entries.length === 0) continue;
      entries.push([field.key, node]);
      continue;
    }
    // JSON prints `"command": []` for an explicitly empty command, unlike YAML.
    if (!field.keep && isZero(v) && !(fmt === "json" && field.jsonAlways)) continue;
    entries.push([field.key, buildNode(v, field.shape, fmt)]);
  }
  if (extensions) {
    const ext = Object.keys(obj).filter((k) => k.startsWith("x-")).sort(yamlKeyCompare);
    for (const k of ext) entries.push([k, anyNode(obj[k], fmt)]);
  }
  return { k: "map", entries };
}

/** The secrets' inline content is never printed; a config's content only when it did not come from the environment. */
function fileObjects(objs: Record<string, unknown> | undefined, secret: boolean): Record<string, unknown> | undefined {
  if (!objs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(objs)) {
    const o = { ...(v as Record<string, unknown>) };
    if (secret || o.environment !== undefined) delete o.content;
    out[k] = o;
  }
  return out;
}

function resourceMap(objs: Record<string, unknown> | undefined, shape: Struct, fmt: Format): Node | undefined {
  if (!objs || Object.keys(objs).length === 0) return undefined;
  return buildNode(objs, map(shape), fmt);
}

/** The tree `docker compose config` prints for a project, in the given format's key order. */
export function configTree(project: Project, fmt: Format): Node {
  const services = buildNode(project.services, map(serviceShape), fmt);
  const parts: [string, Node | undefined][] = [
    ["name", project.name === "" ? undefined : { k: "str", v: project.name }],
    ["services", services],
    ["networks", resourceMap(project.networks as Record<string, unknown> | undefined, networkShape, fmt)],
    ["volumes", resourceMap(project.volumes as Record<string, unknown> | undefined, volumeShape, fmt)],
    ["secrets", resourceMap(fileObjects(project.secrets as Record<string, unknown> | undefined, true), fileObjectShape, fmt)],
    ["configs", resourceMap(fileObjects(project.configs as Record<string, unknown> | undefined, false), fileObjectShape, fmt)],
  ];
  // compose's JSON output has no `models` section; its YAML does.
  if (fmt === "yaml") parts.push(["models", resourceMap(project.models as Record<string, unknown> | undefined, modelShape, fmt)]);
  const entries = parts.filter((p): p is [string, Node] => p[1] !== undefined);
  const ext = Object.keys(project).filter((k) => k.startsWith("x-")).sort(fmt === "yaml" ? yamlKeyCompare : jsonKeyCompare);
  for (const k of ext) entries.push([k, anyNode((project as unknown as Record<string, unknown>)[k], fmt)]);
  // encoding/json sorts the top-level map's keys; YAML keeps the struct order.
  if (fmt === "json") entries.sort((a, b) => jsonKeyCompare(a[0], b[0]));
  return { k: "map", entries };
}

export interface SerializeOptions {
  /** Double every `$` so the output can be read again without interpolating twice (compose does this unless --no-interpolate). */
  escapeDollars?: boolean;
  /**
   * Print each service's env_file (`config --no-env-resolution`). By default they are left out, as
   * compose discards them once read into `environment`.
   */
  envFiles?: boolean;
}

/** The text `docker compose config [--format json]` prints for the project. */
export function serializeConfig(whole: Project, format: Format, options: SerializeOptions = {}): string {
  const project = options.envFiles === true ? whole : withoutEnvFiles(whole);
  if (format === "yaml") return writeConfigYaml(configSections(project), options.escapeDollars !== false);
  const text = emitJson(configTree(project, format));
  return options.escapeDollars === false ? text : text.replaceAll("$", "$$$$");
}

function withoutEnvFiles(project: Project): Project {
  if (!Object.values(project.services).some((s) => s.env_file !== undefined)) return project;
  const services = Object.fromEntries(Object.entries(project.services).map(([name, svc]) => {
    const { env_file: _read, ...rest } = svc;
    return [name, rest];
  }));
  return { ...project, services };
}

const nonEmpty = (objs: Record<string, unknown> | undefined): Record<string, unknown> | undefined => (objs && Object.keys(objs).length > 0 ? objs : undefined);

/** The top level of the YAML `docker compose config` prints, section by section (as configTree lays it out). */
function configSections(project: Project): YamlSections {
  const p = project as unknown as Record<string, Record<string, unknown> | undefined>;
  return {
    ...(project.name === "" ? {} : { name: project.name }),
    sections: [
      ["services", p.services ?? {}, serviceShape],
      ["networks", nonEmpty(p.networks), networkShape],
      ["volumes", nonEmpty(p.volumes), volumeShape],
      ["secrets", nonEmpty(fileObjects(p.secrets, true)), fileObjectShape],
      ["configs", nonEmpty(fileObjects(p.configs, false)), fileObjectShape],
      ["models", nonEmpty(p.models), modelShape],
    ],
    extensions: project as unknown as Record<string, unknown>,
  };
}

/** The model as it stands before normalization (`--no-normalize`, `--no-interpolate`): maps sorted, nothing converted. */
export function serializeRaw(raw: unknown, format: Format): string {
  const tree = anyNode(raw, format);
  return format === "yaml" ? emitYaml(tree) : emitJson(tree);
}

/** `config --services`: every service after the ones it depends on, names in order otherwise. */
export function configServices(project: Project): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const s: ServiceConfig | undefined = project.services[name];
    if (!s) return;
    for (const dep of Object.keys(s.depends_on ?? {}).sort()) visit(dep);
    out.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name);
  return out;
}

/** `config --volumes`: the keys of the top-level volumes. */
export const configVolumes = (project: Project): string[] => Object.keys(project.volumes ?? {}).sort();

/** `config --networks`: the keys of the top-level networks. */
export const configNetworks = (project: Project): string[] => Object.keys(project.networks ?? {}).sort();

/** The image a service runs: its `image`, else the one compose builds, "<project>-<service>". */
export const imageNameOrDefault = (project: Project, service: ServiceConfig): string => service.image ?? `${project.name}-${service.name}`;

/** `config --images`: each service's image, then the other images its pre_start hooks run. */
export function configImages(project: Project): string[] {
  const out: string[] = [];
  for (const name of Object.keys(project.services).sort()) {
    const s = project.services[name]!;
    const image = imageNameOrDefault(project, s);
    out.push(image);
    for (const h of s.pre_start ?? []) if (h.image && h.image !== image) out.push(h.image);
  }
  return out;
}
