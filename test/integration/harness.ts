// Shared by every real-engine suite: connect (or explain why not), name projects uniquely, tear
// down exactly what a project created, and run the built CLI.
//
//   const engine = await requireEngine();
//   describe.skipIf(!engine)("up", () => {
//     const project = uniqueProject("up");
//     afterAll(() => cleanupProject(engine!, project));
//     it("starts", async () => { const r = await runMoor(["-p", project, "up", "-d"], { cwd }); … });
//   });
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { connectDockerEngine, type DockerEngine } from "../../src/engine/docker-engine.js";
import { EngineError, NotFoundError } from "../../src/engine/errors.js";
import { LABELS } from "../../src/engine/types.js";

/** The repository root (where package.json and bin/ are). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The images scripts/build-images.sh makes; suites use these and never pull. */
export const TEST_IMAGES = {
  busybox: "moor-test/busybox:latest",
  python: "moor-examples/python:3",
  redis: "moor-examples/redis:7",
  nginx: "moor-examples/nginx:1",
  node: "moor-examples/node:20",
} as const;

let connected: Promise<DockerEngine | undefined> | undefined;

/**
 * The engine from the environment (DOCKER_HOST, docker context, default socket), once per file.
 * No engine: with CI=true this throws, so a CI run can never pass by skipping every real-engine
 * test; elsewhere it prints why and resolves undefined, for `describe.skipIf(!engine)`.
 */
export function requireEngine(): Promise<DockerEngine | undefined> {
  connected ??= (async () => {
    const engine = connectDockerEngine({ env: process.env });
    try {
      await engine.ping();
      return engine;
    } catch (err) {
      const reason = err instanceof EngineError ? `${err.message}${err.hint ? ` (${err.hint})` : ""}` : String(err);
      if (process.env.CI === "true") throw new Error(`CI=true and no engine answers, so the integration tests cannot run: ${reason}`, { cause: err });
      console.warn(`skipping real-engine tests: ${reason}`);
      return undefined;
    }
  })();
  return connected;
}

/** Fails with the fix when a base image is missing, instead of a pull error deep inside a test. */
export async function requireImages(engine: DockerEngine, images: readonly string[] = [TEST_IMAGES.busybox]): Promise<void> {
  const missing: string[] = [];
  for (const image of images) if (!(await engine.inspectImage(image))) missing.push(image);
  if (missing.length > 0) throw new Error(`missing base images ${missing.join(", ")}: run scripts/build-images.sh`);
}

/** A compose project name no other test (or earlier run) uses: lowercase, starts with a letter. */
export function uniqueProject(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_-]/g, "-").replace(/^[^a-z0-9]+/, "") || "t";
  return `moortest-${clean}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** The label filter that names one project's resources. */
export function projectLabel(project: string): string {
  return `${LABELS.project}=${project}`;
}

/**
 * Removes the containers, networks and volumes (and with `images`, the images) that carry
 * `com.docker.compose.project=<project>`, and nothing else. Safe to call twice, or on a project
 * that created nothing.
 */
export async function cleanupProject(engine: DockerEngine, project: string, opts: { images?: boolean } = {}): Promise<void> {
  // An empty name would make the filter "project=" and is always a test's bug.
  if (project.trim() === "") throw new Error("cleanupProject needs a project name");
  const label = [projectLabel(project)];
  const gone = (err: unknown) => {
    // Already removed (a test's own `down`, or a container removed with its --rm) is the goal.
    if (!(err instanceof NotFoundError)) throw err;
  };
  const containers = await engine.listContainers({ all: true, labels: label });
  // Stop (t=0), then remove: forced DELETEs of running containers side by side now and then leave
  // the network with an endpoint no container owns on this engine, and the network can never go.
  await Promise.all(
    containers.map(async (c) => {
      if (c.state === "running" || c.state === "restarting" || c.state === "paused") await engine.killContainer(c.id).catch(() => undefined);
      await engine.removeContainer(c.id, { force: true, volumes: true }).catch(gone);
    }),
  );
  const networks = await engine.listNetworks({ labels: label });
  for (const n of networks) {
    try {
      await engine.removeNetwork(n.id);
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      // The engine's stale-endpoint bug (see above) can outlive the containers by a moment: one
      // retry, then a warning. Cleanup is not where a test's assertions are.
      await new Promise((r) => setTimeout(r, 500));
      await engine.removeNetwork(n.id).catch((again: unknown) => {
        if (!(again instanceof NotFoundError)) console.warn(`cleanup: network ${n.name} could not be removed: ${(again as Error).message}`);
      });
    }
  }
  const volumes = await engine.listVolumes({ labels: label });
  for (const v of volumes) await engine.removeVolume(v.name, { force: true }).catch(gone);
  if (opts.images) {
    const images = await engine.listImages({ labels: label });
    for (const i of images) await engine.removeImage(i.id, { force: true }).catch(gone);
  }
}

export interface MoorResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as printed. */
  all: string;
}

/**
 * Runs the built CLI (`node bin/moor.js …`, so `npm run build` must have run) and captures its
 * output. Never throws on a non-zero exit: the test asserts on `exitCode`.
 */
export async function runMoor(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<MoorResult> {
  const bin = path.join(repoRoot, "bin", "moor.js");
  if (!fs.existsSync(path.join(repoRoot, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npm run build` before the integration tests");
  }
  // "--": Node 20 would take a later `--env-file` for itself, as the bin shebang also guards.
  const result = await execa(process.execPath, ["--", bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...opts.env, NO_COLOR: "1" },
    extendEnv: true,
    input: opts.input,
    reject: false,
    all: true,
    timeout: opts.timeoutMs ?? 120_000,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), all: String(result.all ?? "") };
}

/** Runs the docker CLI and returns its stdout; a non-zero exit fails with its stderr. */
export async function docker(args: string[]): Promise<string> {
  const r = await execa("docker", args, { reject: false });
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(" ")}: ${String(r.stderr)}`);
  return String(r.stdout);
}

/** Passes a moor result through, or fails with moor's whole output when it exited non-zero. */
export function expectOk(r: MoorResult, args: readonly string[]): MoorResult {
  if (r.exitCode !== 0) throw new Error(`moor ${args.join(" ")} exited ${r.exitCode}:\n${r.all}`);
  return r;
}
