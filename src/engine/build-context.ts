// The build context as the classic builder receives it: a tar of the context directory minus what
// .dockerignore excludes. What must never happen is a file the user excluded (a .env, a key)
// reaching the engine, so the file list is decided here, entry by entry, and tar-fs only writes
// what the list names.
//
// Rules, as the docker CLI applies them:
// - `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's `.dockerignore`.
// - The Dockerfile and `.dockerignore` are always sent, even when a pattern matches them.
// - A directory excluded by a pattern is still walked when a `!exception` might re-include
//   something inside it; without exceptions it is skipped whole.
// - Symlinks are sent as symlinks, never followed, so nothing outside the context leaks in.
// - Owners are 0:0 in the tar, as the CLI sends them.
// - A Dockerfile outside the context, and `dockerfile_inline`, are added under a generated name.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import dockerignore from "@balena/dockerignore";
import tarFs from "tar-fs";
import { BuildContextError } from "./errors.js";

export interface BuildContextInput {
  /** Absolute path of the context directory. */
  contextDir: string;
  /** The Dockerfile, relative to the context or absolute; "Dockerfile" when absent. */
  dockerfile?: string;
  /** The Dockerfile's text, when compose gives `dockerfile_inline`; wins over `dockerfile`. */
  dockerfileInline?: string;
}

export interface PackedContext {
  /** The tar stream to send as the body of `POST /build`. */
  tar: Readable;
  /** The Dockerfile's path inside the tar: the `dockerfile` query parameter. */
  dockerfile: string;
  /** Every path sent, relative to the context, in tar order (the injected Dockerfile last). */
  entries: string[];
  /** The ignore file that applied, if any. */
  ignoreFile: string | undefined;
}

/** True for contexts the engine fetches itself (`remote=`): git and HTTP URLs. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git:\/\/|git@|ssh:\/\/|github\.com\/)/.test(context);
}

/** Packs the context; throws `BuildContextError` when the directory or the Dockerfile is missing. */
export async function packBuildContext(input: BuildContextInput): Promise<PackedContext> {
  const contextDir = path.resolve(input.contextDir);
  const stat = await fs.promises.stat(contextDir).catch((err: NodeJS.ErrnoException) => {
    throw new BuildContextError(`build context ${contextDir} ${err.code === "ENOENT" ? "does not exist" : `cannot be read (${err.code ?? err.message})`}`, {
      hint: "check `build.context` in the compose file; relative paths start at the compose file's directory",
      cause: err,
    });
  });
  if (!stat.isDirectory()) throw new BuildContextError(`build context ${contextDir} is not a directory`);

  const dockerfilePath = path.resolve(contextDir, input.dockerfile ?? "Dockerfile");
  const relDockerfile = toPosix(path.relative(contextDir, dockerfilePath));
  const dockerfileInside = !relDockerfile.startsWith("../") && relDockerfile !== ".." && !path.isAbsolute(relDockerfile);

  let injected: { name: string; content: Buffer } | undefined;
  if (input.dockerfileInline !== undefined) {
    injected = { name: generatedName(), content: Buffer.from(input.dockerfileInline, "utf8") };
  } else if (!dockerfileInside) {
    const content = await fs.promises.readFile(dockerfilePath).catch((err: NodeJS.ErrnoException) => {
      throw new BuildContextError(`Dockerfile ${dockerfilePath} ${err.code === "ENOENT" ? "does not exist" : `cannot be read (${err.code ?? err.message})`}`, { cause: err });
    });
    injected = { name: generatedName(), content };
  } else if (!(await isFile(dockerfilePath))) {
    throw new BuildContextError(`Dockerfile ${dockerfilePath} does not exist`, {
      hint: "check `build.dockerfile`; it is relative to the build context",
    });
  }

  // BuildKit's per-Dockerfile ignore file, honoured by compose; else the context's own.
  const candidates = [`${dockerfilePath}.dockerignore`, path.join(contextDir, ".dockerignore")];
  let ignoreFile: string | undefined;
  let patterns: string[] = [];
  for (const candidate of input.dockerfileInline === undefined ? candidates : candidates.slice(1)) {
    const text = await fs.promises.readFile(candidate, "utf8").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return undefined;
      throw new BuildContextError(`cannot read ${candidate}: ${err.message}`, { cause: err });
    });
    if (text !== undefined) {
      ignoreFile = candidate;
      patterns = parseIgnoreFile(text);
      break;
    }
  }

  const alwaysSent = new Set([".dockerignore"]);
  if (dockerfileInside && injected === undefined) alwaysSent.add(relDockerfile);
  const entries = await selectEntries(contextDir, patterns, alwaysSent);

  const pack = tarFs.pack(contextDir, {
    entries,
    // Children are already listed in `entries`; letting tar-fs descend would add ignored files back.
    ignore: () => true,
    dereference: false,
    strict: false,
    map: (header) => ({ ...header, uid: 0, gid: 0, uname: "", gname: "" }),
    finalize: injected === undefined,
    finish: (pack) => {
      if (injected === undefined) return;
      pack.entry({ name: injected.name, mode: 0o644, mtime: new Date(), uid: 0, gid: 0 }, injected.content);
      pack.finalize();
    },
  });
  return {
    // tar-stream's Pack is a streamx stream; a Node Readable is what the HTTP layer pipes.
    tar: Readable.from(pack),
    dockerfile: injected?.name ?? relDockerfile,
    entries: injected ? [...entries, injected.name] : entries,
    ignoreFile,
  };
}

/** .dockerignore lines as patterns: comments and blank lines dropped, a leading "/" removed. */
export function parseIgnoreFile(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    let pattern = (negated ? line.slice(1) : line).trim();
    // Patterns are relative to the context root whether or not they start with a slash.
    pattern = pattern.replace(/^\/+/, "");
    if (pattern === "") continue;
    out.push(negated ? `!${pattern}` : pattern);
  }
  return out;
}

/**
 * The context's paths to send, parents before children, sorted for a reproducible tar. A path in
 * `alwaysSent` is sent whatever the patterns say, and its parent directories are walked for it.
 */
export async function selectEntries(contextDir: string, patterns: readonly string[], alwaysSent: ReadonlySet<string>): Promise<string[]> {
  // The package is CommonJS; under NodeNext its factory is the `default` property.
  const ig = dockerignore.default().add([...patterns]);
  const hasExceptions = patterns.some((p) => p.startsWith("!"));
  const mustWalk = new Set<string>();
  for (const keep of alwaysSent) {
    for (let dir = path.posix.dirname(keep); dir !== "." && dir !== "/"; dir = path.posix.dirname(dir)) mustWalk.add(dir);
  }
  const out: string[] = [];
  const walk = async (relDir: string): Promise<void> => {
    const dirents = await fs.promises.readdir(path.join(contextDir, relDir), { withFileTypes: true });
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const rel = relDir === "" ? d.name : `${relDir}/${d.name}`;
      const excluded = !alwaysSent.has(rel) && ig.ignores(rel);
      if (d.isDirectory()) {
        if (!excluded) out.push(rel);
        if (!excluded || hasExceptions || mustWalk.has(rel)) await walk(rel);
      } else if (!excluded) {
        out.push(rel);
      }
    }
  };
  await walk("");
  return out;
}

function generatedName(): string {
  return `.dockerfile.${randomBytes(10).toString("hex")}`;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isFile();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
