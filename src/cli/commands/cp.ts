// `moor cp`: copies between a service container and the local filesystem, both ways, with the
// docker CLI's path rules (copy-paths.ts). To a service it copies into every container of it
// (or the --index one); from a service it reads the first. Archives are packed and unpacked with
// tar-fs; "-" reads a tar from standard input or writes one to standard output.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tarFs from "tar-fs";
import type { Engine } from "../../engine/engine.js";
import { NotFoundError } from "../../engine/errors.js";
import type { ContainerSummary } from "../../engine/types.js";
import type { EventSink } from "../../reconcile/events.js";
import { planCopy, renameEntry, splitCopyArg, splitDirEntry, type CopyEnd, type CopyPlan } from "../copy-paths.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { progressSink } from "../progress.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices, pickContainer, projectContainers } from "../service-containers.js";
import { parseIndex } from "./port.js";

export interface CpOptions {
  index?: string;
  all?: boolean;
  followLink?: boolean;
  archive?: boolean;
}

// Go's os.FileMode bits, as the engine's path stat header carries them.
const MODE_DIR = 0x80000000;
const MODE_SYMLINK = 0x8000000;
const isDirMode = (mode: number) => (mode & MODE_DIR) !== 0;
const isLinkMode = (mode: number) => (mode & MODE_SYMLINK) !== 0;

/** An absolute local path that keeps a trailing "/" or "/." (they mean "a directory"). */
function localPath(p: string): string {
  const abs = path.resolve(p);
  if (p.endsWith("/.") || p === ".") return abs === "/" ? "/." : `${abs}/.`;
  if (p.endsWith("/") && abs !== "/") return `${abs}/`;
  return abs;
}

/** What a path in the container is, following one symlink as the docker CLI does; absent: does not exist. */
async function statInContainer(engine: Engine, id: string, p: string): Promise<{ path: string; mode: number; linkTarget: string } | undefined> {
  try {
    const { tar, stat } = await engine.getArchive(id, p);
    tar.destroy();
    return stat ? { path: p, mode: stat.mode, linkTarget: stat.linkTarget } : undefined;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** Combines the -L rebase (link target's name → the link's name) with the plan's rename. */
function entryMapper(rebase: CopyPlan["rename"], rename: CopyPlan["rename"]) {
  return <H extends { name: string }>(header: H): H => ({ ...header, name: renameEntry(renameEntry(header.name, rebase), rename) });
}

async function copyFromContainer(engine: Engine, c: ContainerSummary, srcPath: string, dest: string, opts: CpOptions): Promise<void> {
  let source = srcPath;
  let rebase: CopyPlan["rename"];
  if (opts.followLink) {
    const st = await statInContainer(engine, c.id, srcPath);
    if (st && isLinkMode(st.mode)) {
      const target = path.posix.isAbsolute(st.linkTarget) ? st.linkTarget : path.posix.join(splitDirEntry(srcPath).dir, st.linkTarget);
      rebase = { from: path.posix.basename(target), to: splitDirEntry(srcPath).base };
      source = target;
    }
  }
  let archive;
  try {
    archive = await engine.getArchive(c.id, source);
  } catch (err) {
    if (err instanceof NotFoundError) throw new UserError(`could not find the file ${srcPath} in container ${c.name}`);
    throw err;
  }
  if (dest === "-") {
    await pipeline(archive.tar, process.stdout);
    return;
  }
  const destPath = localPath(dest);
  const clean = destPath.replace(/\/\.?$/, "") || "/";
  let dst: CopyEnd;
  try {
    const st = fs.statSync(clean);
    dst = { path: destPath, exists: true, isDir: st.isDirectory() };
  } catch {
    const parent = path.dirname(clean);
    if (!fs.existsSync(parent)) throw new UserError(`invalid output path: directory ${JSON.stringify(parent)} does not exist`);
    dst = { path: destPath, exists: false, isDir: false };
  }
  const isDir = archive.stat ? isDirMode(archive.stat.mode) : false;
  const plan = planCopy({ path: srcPath, isDir }, dst);
  // Modes as the archive has them (no umask), owners left to the user running moor, and symlinks
  // written as they are (absolute ones too), as docker cp does. What docker cp does not do: an
  // entry that would land through a symlink the archive itself made is refused, not followed.
  const root = path.resolve(plan.extractDir);
  const refused: string[] = [];
  const throughSymlink = (target: string): boolean => {
    for (let d = path.dirname(target); d.startsWith(`${root}${path.sep}`); d = path.dirname(d)) {
      if (fs.lstatSync(d, { throwIfNoEntry: false })?.isSymbolicLink()) return true;
    }
    return false;
  };
  const extract = tarFs.extract(root, {
    map: entryMapper(rebase, plan.rename),
    ignore: (name: string) => throughSymlink(name) && refused.push(name) > 0,
    umask: 0,
    chown: false,
    validateSymlinks: false,
  } as tarFs.ExtractOptions);
  await pipeline(archive.tar, extract);
  if (refused.length > 0) throw new UserError(`refused to write ${refused.join(", ")} through a symbolic link`, "the container's archive put files under a link it made; copy the link's target instead");
}

async function copyToContainer(engine: Engine, c: ContainerSummary, src: string, destPath: string, opts: CpOptions, stdinTar?: Buffer): Promise<void> {
  let dstStat = await statInContainer(engine, c.id, destPath);
  let resolvedDest = destPath;
  if (dstStat && isLinkMode(dstStat.mode)) {
    const target = path.posix.isAbsolute(dstStat.linkTarget) ? dstStat.linkTarget : path.posix.join(splitDirEntry(destPath).dir, dstStat.linkTarget);
    resolvedDest = target;
    dstStat = await statInContainer(engine, c.id, target);
  }
  const dst: CopyEnd = { path: resolvedDest, exists: dstStat !== undefined, isDir: dstStat ? isDirMode(dstStat.mode) : false };
  if (src === "-") {
    if (!dst.isDir) throw new UserError(`destination "${c.name}:${destPath}" must be a directory`);
    await engine.putArchive(c.id, dst.path, stdinTar ?? Buffer.alloc(0), { copyUIDGID: opts.archive });
    return;
  }
  let source = localPath(src);
  const clean = source.replace(/\/\.?$/, "") || "/";
  let st: fs.Stats;
  try {
    st = fs.lstatSync(clean);
  } catch {
    throw new UserError(`no such file or directory: ${src}`);
  }
  let rebase: CopyPlan["rename"];
  if (st.isSymbolicLink() && opts.followLink) {
    const real = fs.realpathSync(clean);
    rebase = { from: path.basename(real), to: path.basename(clean) };
    source = real;
    st = fs.statSync(real);
  }
  const plan = planCopy({ path: rebase ? clean : source, isDir: st.isDirectory() }, dst);
  const { dir, base } = splitDirEntry(source);
  const mapper = entryMapper(rebase, plan.rename);
  const packOpts = { map: mapper, umask: 0 } as tarFs.PackOptions;
  const pack = base === "." ? tarFs.pack(dir, packOpts) : tarFs.pack(dir, { ...packOpts, entries: [base] });
  // tar-fs streams are streamx streams; the engine port takes a Node stream.
  await engine.putArchive(c.id, plan.extractDir, Readable.from(pack), { copyUIDGID: opts.archive });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

export async function cpCommand(global: GlobalOptions, source: string, destination: string, opts: CpOptions): Promise<void> {
  if (source === "") throw new UserError("source can not be empty");
  if (destination === "") throw new UserError("destination can not be empty");
  const from = splitCopyArg(source);
  const to = splitCopyArg(destination);
  if (from.service !== undefined && to.service !== undefined) throw new UserError("copying between services is not supported");
  if (from.service === undefined && to.service === undefined) throw new UserError("unknown copy direction", "name the container side as SERVICE:PATH");
  const service = (from.service ?? to.service)!;
  const index = parseIndex(opts.index);
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, [service]);
  const engine = await connectEngine();
  const all = await projectContainers(engine, name, { all: true, services: [service], oneoff: opts.all && index === undefined ? undefined : false });
  let targets: ContainerSummary[];
  if (index !== undefined) targets = [pickContainer(all, service, index)];
  else if (all.length === 0) throw new UserError(`no container found for service ${JSON.stringify(service)}`, `create it first with \`moor up -d ${service}\``);
  else targets = from.service !== undefined ? all.slice(0, 1) : all;

  // Standard input can be read once: every container of the service gets the same bytes.
  const stdinTar = from.service === undefined && from.path === "-" && !global.dryRun ? await readAll(process.stdin) : undefined;
  const sink: EventSink = destination === "-" ? () => {} : progressSink(global);
  await Promise.all(
    targets.map(async (c) => {
      const detail = from.service !== undefined ? `${c.name}:${from.path} to ${to.path}` : `${from.path} to ${c.name}:${to.path}`;
      sink({ type: "resource", kind: "container", name: c.name, status: "Copying", detail, done: false });
      if (global.dryRun) {
        // --dry-run: say what would be copied, touch nothing.
      } else if (from.service !== undefined) await copyFromContainer(engine, c, from.path, to.path, opts);
      else await copyToContainer(engine, c, from.path, to.path, opts, stdinTar);
      sink({ type: "resource", kind: "container", name: c.name, status: "Copied", detail, done: true });
    }),
  );
}
