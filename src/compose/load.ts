// The loader's orchestrator: discovery → environment → per file (parse, interpolate, cast,
// validate, extends) → merge → include → project name → profiles → normalize → consistency.
// Pure: the environment and a FileReader come in through LoadOptions.
import path from "node:path";
import { checkConsistency } from "./consistency.js";
import { DiagnosticBag, type Diagnostic, type KeyPath, type Location } from "./diagnostics.js";
import { discoverComposeFiles } from "./discover.js";
import { parseDotenv } from "./dotenv.js";
import { resolveExtends } from "./extends.js";
import { resolveInclude } from "./include.js";
import { castTypedValues } from "./cast.js";
import { interpolateDocument, interpolateString, isInterpolationFailure } from "./interpolate.js";
import type { LoadOptions, LoadResult } from "./load-options.js";
import type { Project } from "./types.js";
import { mergeDocuments } from "./merge.js";
import { normalizeProject } from "./normalize.js";
import { applyProfiles } from "./profiles.js";
import { checkProjectName, normalizeProjectName, suggestProjectName } from "./project-name.js";
import { parseComposeYaml, type ParsedDocument } from "./source.js";
import { validateDocument } from "./validate.js";

/** A boolean switch read as Go's strconv.ParseBool reads it (compose uses it for COMPOSE_DISABLE_ENV_FILE); undefined when unreadable. */
function parseBool(value: string): boolean | undefined {
  if (/^(1|t|T|TRUE|true|True)$/.test(value)) return true;
  if (/^(0|f|F|FALSE|false|False)$/.test(value)) return false;
  return undefined;
}

const splitList = (value: string | undefined, sep: string): string[] =>
  (value ?? "").split(sep).map((s) => s.trim()).filter((s) => s !== "");

/** Reads the env files in order; later files win over earlier ones, the shell over all. */
function loadEnvironment(
  envFiles: string[],
  shell: Readonly<Record<string, string | undefined>>,
  opts: LoadOptions,
  bag: DiagnosticBag,
  required: boolean,
): Record<string, string> {
  const fromFiles: Record<string, string> = {};
  for (const file of envFiles) {
    const text = opts.reader.readFile(file);
    if (text === undefined) {
      if (required) bag.error("env.file-missing", `env file ${file} not found`, { hint: "check the --env-file path (relative to the current directory)" });
      continue;
    }
    const lookup = (name: string): string | undefined => shell[name] ?? fromFiles[name];
    Object.assign(fromFiles, parseDotenv(file, text, lookup, bag));
  }
  const env: Record<string, string> = { ...fromFiles };
  for (const [k, v] of Object.entries(shell)) if (v !== undefined) env[k] = v;
  return env;
}

/** Locates a key path in the files that were read, the last file that has it first (later files win a merge). */
export function makeLocator(docs: readonly ParsedDocument[]): (path: KeyPath) => Location | undefined {
  return (keyPath) => {
    for (let i = docs.length - 1; i >= 0; i--) {
      const hit = docs[i]!.positions.get(keyPath);
      if (hit) return hit.key ?? hit.value;
    }
    for (let i = docs.length - 1; i >= 0; i--) {
      const hit = docs[i]!.positions.nearest(keyPath);
      if (hit) return hit.key ?? hit.value;
    }
    return undefined;
  };
}

/** Stages that only know a key path (profiles, include) get the position of the last file that has it. */
function located(items: Diagnostic[], locate: (path: KeyPath) => Location | undefined): Diagnostic[] {
  return items.map((d) => (d.location === undefined && d.path !== undefined && d.path.length > 0 ? { ...d, location: locate(d.path) } : d));
}

interface Stage {
  docs: ParsedDocument[];
  inputs: Set<string>;
  unset: Set<string>;
}

/** Parses, interpolates, casts and validates one file; every problem goes to the bag. */
function readComposeFile(file: string, text: string, env: Record<string, string>, opts: LoadOptions, bag: DiagnosticBag, stage: Stage): ParsedDocument[] {
  return processDocuments(parseComposeYaml(file, text, bag), env, opts, bag, stage);
}

/** Interpolates, casts and validates parsed documents in place. */
function processDocuments(docs: ParsedDocument[], env: Record<string, string>, opts: LoadOptions, bag: DiagnosticBag, stage: Stage): ParsedDocument[] {
  for (const doc of docs) {
    if (opts.interpolate !== false) {
      const lookup = (name: string): string | undefined => env[name];
      interpolateDocument(doc, lookup, bag, stage.unset);
    }
    // compose's typed model converts these strings whether or not it interpolated.
    castTypedValues(doc, bag);
    if (opts.interpolate !== false) validateDocument(doc, bag);
    stage.docs.push(doc);
  }
  return docs;
}

/** Loads, validates and normalizes a compose project. Never throws for user errors: see `diagnostics`. */
export function loadProject(opts: LoadOptions): LoadResult {
  const bag = new DiagnosticBag();
  const stage: Stage = { docs: [], inputs: new Set(), unset: opts.warnedUnset ?? new Set() };
  const shell = opts.env;
  const resolveCwd = (p: string): string => path.resolve(opts.workingDir, p);

  // The env files come before discovery: COMPOSE_FILE and COMPOSE_PROFILES may be set in `.env`.
  const explicitFiles = (opts.files ?? []).filter((f) => f !== "-");
  const guessDir = opts.projectDirectory
    ? resolveCwd(opts.projectDirectory)
    : explicitFiles[0] !== undefined
      ? path.dirname(resolveCwd(explicitFiles[0]))
      : opts.workingDir;
  let envFiles: string[];
  let envRequired = true;
  // --env-file paths start from the working directory, after `~` is expanded (as compose does).
  const expandUser = (p: string): string => (p === "~" ? opts.homeDir : p.startsWith("~/") ? path.join(opts.homeDir, p.slice(2)) : p);
  if (opts.exactEnvFiles || (opts.envFiles && opts.envFiles.length > 0)) envFiles = (opts.envFiles ?? []).map((f) => resolveCwd(expandUser(f)));
  else if (shell.COMPOSE_ENV_FILES) envFiles = splitList(shell.COMPOSE_ENV_FILES, ",").map(resolveCwd);
  else {
    // compose reads the default `.env` twice: first from the directory it knows before discovery
    // (--project-directory, else the first -f file's directory, else the working directory), then,
    // below, from the project directory discovery settled on (a parent found by walking up, a
    // COMPOSE_FILE entry's directory); the first one's values win.
    const disable = shell.COMPOSE_DISABLE_ENV_FILE;
    const disabled = disable === undefined ? false : parseBool(disable);
    if (disabled === undefined) {
      bag.error("env.disable-flag", `COMPOSE_DISABLE_ENV_FILE=${JSON.stringify(disable)} is not a boolean`, { hint: "use 1, true, 0 or false" });
    }
    envFiles = disabled === false ? [path.join(guessDir, ".env")] : [];
    envRequired = false;
  }
  envFiles = envFiles.filter((f) => envRequired || (opts.reader.exists(f) && !opts.reader.isDirectory(f)));
  const defaultDotEnv = !envRequired && envFiles.length <= 1 && !(shell.COMPOSE_DISABLE_ENV_FILE && parseBool(shell.COMPOSE_DISABLE_ENV_FILE) !== false);
  const environment = loadEnvironment(envFiles, shell, opts, bag, envRequired);
  for (const f of envFiles) stage.inputs.add(f);

  const discovered = discoverComposeFiles(
    { workingDir: opts.workingDir, files: opts.files, projectDirectory: opts.projectDirectory, env: environment, reader: opts.reader },
    bag,
  );
  const workingDir = discovered.projectDir;
  const secondDotEnv = path.join(workingDir, ".env");
  if (defaultDotEnv && !envFiles.includes(secondDotEnv) && opts.reader.exists(secondDotEnv) && !opts.reader.isDirectory(secondDotEnv)) {
    const text = opts.reader.readFile(secondDotEnv) ?? "";
    const vars = parseDotenv(secondDotEnv, text, (name) => environment[name], bag);
    for (const [k, v] of Object.entries(vars)) if (!(k in environment)) environment[k] = v;
    stage.inputs.add(secondDotEnv);
    envFiles.push(secondDotEnv);
  }
  const configFiles = discovered.files.map((f) => (f === "-" ? "-" : path.resolve(opts.workingDir, f)));
  const empty = (): LoadResult => ({
    diagnostics: bag.items,
    configFiles,
    inputFiles: [...stage.inputs],
    workingDir,
    environment,
    envFiles,
    explicitEnvFiles: envRequired ? [...envFiles] : [],
  });
  if (configFiles.length === 0) return empty();

  // Per file, as compose does: parse, interpolate, cast, validate, then include, then extends.
  const extendedCache = new Map<string, ParsedDocument | undefined>();
  const loadExtended = (absPath: string): ParsedDocument | undefined => {
    if (!extendedCache.has(absPath)) {
      const text = opts.reader.readFile(absPath);
      if (text === undefined) extendedCache.set(absPath, undefined);
      else {
        stage.inputs.add(absPath);
        extendedCache.set(absPath, readComposeFile(absPath, text, environment, opts, bag, stage)[0]);
      }
    }
    return extendedCache.get(absPath);
  };
  const loadIncluded = (req: { files: string[]; projectDirectory: string; envFiles: string[] }) => {
    // A missing file is reported by include, at its entry (the sub-load could not locate it).
    if (req.files.some((f) => !opts.reader.exists(f) || opts.reader.isDirectory(f))) return undefined;
    const sub = loadProject({
      ...opts,
      workingDir: req.projectDirectory,
      projectDirectory: req.projectDirectory,
      files: req.files,
      envFiles: req.envFiles,
      exactEnvFiles: true,
      warnedUnset: stage.unset,
      // The included project sees the parent's whole environment (which wins over its own env files).
      env: environment,
      projectName,
      profiles: ["*"],
      normalize: false,
      consistency: false,
    });
    for (const d of sub.diagnostics) bag.add(d);
    for (const f of sub.inputFiles) stage.inputs.add(f);
    return sub.raw === undefined || sub.diagnostics.some((d) => d.severity === "error") ? undefined : { data: sub.raw };
  };

  // Every file is parsed first: the project name (which `${COMPOSE_PROJECT_NAME}` then reads)
  // comes from the files' `name:` before anything is interpolated, as in compose.
  const parsed: ParsedDocument[][] = [];
  for (const file of configFiles) {
    const text = file === "-" ? (opts.stdin ?? "") : opts.reader.readFile(file);
    if (text === undefined) {
      bag.error("file.missing", `open ${file}: no such file or directory`, { hint: "check the -f path or COMPOSE_FILE" });
      continue;
    }
    if (file !== "-") stage.inputs.add(file);
    parsed.push(parseComposeYaml(file === "-" ? "<stdin>" : file, text, bag));
  }

  // Project name: -p > COMPOSE_PROJECT_NAME (shell or env files) > the last non-empty `name:`
  // (interpolated, then normalized) > the project directory's name (normalized).
  // An explicit -p or COMPOSE_PROJECT_NAME that is not already normal is rejected.
  let projectName: string;
  const explicit = opts.projectName || environment.COMPOSE_PROJECT_NAME || undefined;
  if (explicit !== undefined) {
    const problem = checkProjectName(explicit);
    if (problem) {
      const hint = suggestProjectName(explicit);
      bag.error("project.name", problem, { hint: hint ?? "use lowercase letters, digits, dashes and underscores" });
    }
    projectName = explicit;
  } else {
    let fromFile = "";
    for (const doc of parsed.flat()) {
      const data = doc.data as Record<string, unknown> | null | undefined;
      if (data && typeof data === "object" && !Array.isArray(data) && typeof data.name === "string" && data.name !== "") fromFile = data.name;
    }
    if (fromFile !== "" && opts.interpolate !== false) {
      // Failures are reported where the document itself is interpolated.
      const r = interpolateString(fromFile, (n) => environment[n]);
      fromFile = isInterpolationFailure(r) ? "" : r.value;
    }
    if (opts.normalize !== false) fromFile = normalizeProjectName(fromFile);
    projectName = fromFile !== "" ? fromFile : normalizeProjectName(path.basename(workingDir));
    if (projectName === "") {
      bag.error("project.name", "project name must not be empty", {
        hint: `cannot derive one from the directory ${JSON.stringify(path.basename(workingDir))}; set one with -p, COMPOSE_PROJECT_NAME or \`name:\` (lowercase letters, digits, dashes, underscores)`,
      });
    }
  }
  // compose hands the name to interpolation as COMPOSE_PROJECT_NAME, over any other value.
  environment.COMPOSE_PROJECT_NAME = projectName;

  const mainDocs: ParsedDocument[] = [];
  for (const docs of parsed) {
    processDocuments(docs, environment, opts, bag, stage);
    for (const doc of docs) {
      if (doc.data !== null && doc.data !== undefined && (typeof doc.data !== "object" || Array.isArray(doc.data))) {
        bag.error("file.top-level", "the top level of a compose file must be a mapping", {
          location: { file: doc.file, line: 1, col: 1 },
          hint: "start with `services:`",
        });
        continue;
      }
      if (doc.data === null || doc.data === undefined) doc.data = {};
      mainDocs.push(doc);
    }
  }
  if (bag.hasErrors) return empty();

  for (const doc of mainDocs) {
    resolveInclude(
      doc.data,
      {
        file: doc.file,
        projectDir: workingDir,
        reader: opts.reader,
        resets: doc.resets,
        overrides: doc.overrides,
        locate: (p) => doc.positions.nearest(p)?.value,
      },
      loadIncluded,
      bag,
    );
    resolveExtends(doc, loadExtended, bag, { projectDir: workingDir });
  }

  let merged: unknown = {};
  // The files' own data is not read again after merging (positions are): the merge may keep it.
  for (const doc of mainDocs) merged = mergeDocuments(merged, doc, bag, { adoptOverlay: true });
  const mergedObj = (merged ?? {}) as Record<string, unknown>;
  // compose refuses a model with nothing in it (every file empty or only comments).
  if (Object.keys(mergedObj).length === 0) {
    bag.error("file.empty", "empty compose file", {
      location: { file: configFiles[0] === "-" ? "<stdin>" : configFiles[0]!, line: 1, col: 1 },
      hint: "define at least one service under `services:`",
    });
  }

  // compose warns once per file that sets `version`, naming that file.
  for (const doc of mainDocs) {
    if (!Object.prototype.hasOwnProperty.call(doc.data, "version")) continue;
    bag.warn("compose.version-obsolete", "the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion", {
      path: ["version"],
      location: makeLocator([doc])(["version"]),
    });
  }

  const profiles = opts.profiles && opts.profiles.length > 0 ? opts.profiles : splitList(environment.COMPOSE_PROFILES, ",");
  const { disabled } = applyProfiles(mergedObj as { services?: Record<string, unknown> }, profiles, opts.services ?? [], bag);

  const locate = makeLocator(stage.docs);
  const result: LoadResult = { ...empty(), raw: mergedObj, projectName };
  if (bag.hasErrors || opts.normalize === false) {
    result.diagnostics = located(bag.items, makeLocator(stage.docs));
    result.inputFiles = [...stage.inputs];
    return result;
  }
  const project = normalizeProject(
    mergedObj,
    { projectName, workingDir, homeDir: opts.homeDir, env: environment, reader: opts.reader, resolvePaths: opts.resolvePaths !== false, resolveEnvironment: opts.resolveEnvironment !== false },
    bag,
    locate,
  );
  if (opts.services && opts.services.length > 0) forgiveUnusedEnvFiles(project, opts.services, bag);
  if (opts.consistency !== false) checkConsistency(project, bag, locate, { disabledServices: disabled });
  result.project = bag.hasErrors ? undefined : project;
  result.diagnostics = located(bag.items, locate);
  result.inputFiles = [...stage.inputs];
  return result;
}

/**
 * compose reads env files only for the services a command works on (those named and their
 * dependencies): another service's missing env file is no error there (`up a` with b's file gone).
 */
function forgiveUnusedEnvFiles(project: Project, named: readonly string[], bag: DiagnosticBag): void {
  const needed = new Set<string>();
  const visit = (name: string) => {
    const svc = project.services[name];
    if (!svc || needed.has(name)) return;
    needed.add(name);
    for (const dep of Object.keys(svc.depends_on ?? {})) visit(dep);
  };
  named.forEach(visit);
  // A name that is no service is reported elsewhere; nothing is forgiven for it.
  if (named.some((n) => !project.services[n])) return;
  for (let i = bag.items.length - 1; i >= 0; i--) {
    const d = bag.items[i]!;
    if (d.code === "env-file.missing" && d.path?.[0] === "services" && !needed.has(String(d.path[1]))) bag.items.splice(i, 1);
  }
}

/**
 * The project without the networks, volumes, secrets, configs and models that none of its
 * services uses: what docker compose loads unless `--all-resources` is given (its
 * WithoutUnnecessaryResources). Only named volumes count; a build's secrets count too.
 */
export function withoutUnusedResources(project: Project): Project {
  const used = { networks: new Set<string>(), volumes: new Set<string>(), secrets: new Set<string>(), configs: new Set<string>(), models: new Set<string>() };
  for (const s of Object.values(project.services)) {
    for (const n of Object.keys(s.networks ?? {})) used.networks.add(n);
    for (const v of s.volumes ?? []) if (v.type === "volume" && v.source) used.volumes.add(v.source);
    for (const r of [...(s.secrets ?? []), ...(s.build?.secrets ?? [])]) used.secrets.add(r.source);
    for (const r of s.configs ?? []) used.configs.add(r.source);
    for (const m of Object.keys(s.models ?? {})) used.models.add(m);
  }
  const keep = <T>(all: Record<string, T> | undefined, names: Set<string>): Record<string, T> | undefined =>
    all === undefined ? undefined : Object.fromEntries(Object.entries(all).filter(([name]) => names.has(name)));
  return {
    ...project,
    networks: keep(project.networks, used.networks),
    volumes: keep(project.volumes, used.volumes),
    secrets: keep(project.secrets, used.secrets),
    configs: keep(project.configs, used.configs),
    models: keep(project.models, used.models),
  };
}
