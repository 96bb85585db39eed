// `moor deploy [SERVICE...]` (also `moor stack deploy`): the project, loaded exactly as for `up`,
// deployed as a Swarm stack named after the project. Observe once, plan (pure), print the plan
// with --dry-run, else execute it and, unless -d, wait until the services converged.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Project } from "../../compose/types.js";
import { EngineError } from "../../engine/errors.js";
import { connectDockerSwarmEngine, type DockerSwarmEngine, type SwarmEngine } from "../../engine/swarm-engine.js";
import { LABELS } from "../../engine/types.js";
import { executeDeploy, waitForConvergence } from "../../swarm/execute.js";
import { listStack, observeStack, type StackLists } from "../../swarm/observe.js";
import { imagesToResolve, pinImages, planDeploy, swarmPlanToString, type ResolveImage } from "../../swarm/plan.js";
import { translateProject } from "../../swarm/translate.js";
import { endAtOnce } from "../ending.js";
import { UserError } from "../errors.js";
import { readDockerConfig, registryAuthFor, registryOf } from "../registry-auth.js";
import type { GlobalOptions } from "../global-options.js";
import { progressSink } from "../progress.js";
import { connectEngine, explicitProjectName, loadOrThrow, parallelism } from "../project-context.js";

export interface DeployOptions {
  prune?: boolean;
  detach?: boolean;
  dryRun?: boolean;
  resolveImage?: string;
  withRegistryAuth?: boolean;
  build?: boolean;
  push?: boolean;
  quiet?: boolean;
  waitTimeout?: string;
}

/** Connects the Swarm port to the engine the environment names. */
export function connectSwarm(): DockerSwarmEngine {
  return connectDockerSwarmEngine({ env: process.env });
}

/**
 * Runs calls only a swarm manager answers, without asking first (`GET /info` costs a round trip on
 * every command): when the engine refuses with 503, `requireManager` says why in docker's words.
 */
export async function asManager<T>(engine: SwarmEngine, calls: () => Promise<T>): Promise<T> {
  try {
    return await calls();
  } catch (err) {
    if (err instanceof EngineError && err.status === 503) await requireManager(engine);
    throw err;
  }
}

/** Refuses to go on unless this engine is a swarm manager, with docker's words. */
export async function requireManager(engine: SwarmEngine): Promise<void> {
  const info = await engine.info();
  if (!info.controlAvailable) {
    throw new UserError(
      'this node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again',
      info.localNodeState === "inactive" ? "for one machine: docker swarm init --advertise-addr 127.0.0.1" : undefined,
    );
  }
}

export async function deployCommand(global: GlobalOptions, services: string[], opts: DeployOptions): Promise<void> {
  const mode = (opts.resolveImage ?? "always") as ResolveImage;
  if (!["always", "changed", "never"].includes(mode)) throw new UserError(`invalid option ${opts.resolveImage} for flag --resolve-image`, "use always, changed or never");
  const timeout = opts.waitTimeout === undefined ? undefined : Number(opts.waitTimeout);
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) throw new UserError(`invalid --wait-timeout ${JSON.stringify(opts.waitTimeout)}`, "give a number of seconds");
  const early = engineEarly(global);
  const { project, result } = await loadOrThrow(global, { services }).catch((err: unknown) => {
    // Nothing was done; the early reads must not hold the exit (a busy or hung engine).
    if (early) endAtOnce();
    throw err;
  });
  const sink = progressSink(opts.quiet ? { ...global, progress: "quiet" } : global);
  const dryRun = global.dryRun === true || opts.dryRun === true;

  const desired0 = translateProject({ project, services, env: result.environment ?? {}, readFile: readFileOrUndefined });
  // With --build the build section is used (here, not by Swarm): no warning for it.
  if (opts.build) desired0.warnings = desired0.warnings.filter((w) => !/^service "[^"]+": build is not supported/.test(w));
  if (desired0.errors.length > 0) throw new UserError(`cannot deploy ${project.name}:\n  ${desired0.errors.join("\n  ")}`);

  if ((opts.build || opts.push) && !dryRun) await buildAndPush(project, services, opts, sink);

  const engine = early?.engine ?? connectSwarm();
  const lists = early?.namespace === project.name ? early.lists : undefined;
  const observed = await asManager(engine, () => observeStack(engine, project.name, desired0, lists));
  const authFor = registryAuthLookup(opts.withRegistryAuth === true);
  // Credential helpers run here, before any write: one that fails stops the deploy with nothing done.
  for (const svc of desired0.services) authFor(svc.spec.TaskTemplate.ContainerSpec.Image);
  const resolved: Record<string, string> = {};
  await Promise.all(
    imagesToResolve(desired0, observed, mode).map(async (image) => {
      try {
        const d = await engine.inspectDistribution(image, authFor(image));
        if (d.digest) resolved[image] = `${image.replace(/@.*$/, "")}@${d.digest}`;
      } catch {
        sink({
          type: "warning",
          message: `image ${image} could not be accessed on a registry to record its digest. Each node will access ${image} independently, possibly leading to different nodes running different versions of the image.`,
        });
      }
    }),
  );
  const desired = pinImages(desired0, observed, resolved);
  const plan = planDeploy(desired, observed, { prune: opts.prune, selected: services });
  if (dryRun) {
    process.stdout.write(swarmPlanToString(plan));
    return;
  }
  for (const w of plan.warnings) sink({ type: "warning", message: w });
  if (plan.errors.length > 0) throw new UserError(plan.errors.join("\n"));
  const { touched } = await executeDeploy(plan, observed, engine, { onEvent: sink, parallel: parallelism(global), registryAuth: authFor });
  if (opts.detach) return;
  await waitForConvergence(engine, touched, { namespace: project.name, onEvent: sink, timeoutMs: timeout === undefined ? undefined : timeout * 1000 });
}

/**
 * The engine's first round trips started before the project loads, so they overlap it: the API
 * version always, the stack's lists too when its name is already known (`-p`, or the shell's
 * COMPOSE_PROJECT_NAME, which nothing in the files overrides). Reads only; when the files turn
 * out invalid their errors are reported as before, the answers are dropped and the process ends
 * without waiting for them. Only on a unix socket (TCP may wait on a remote host, ssh would
 * spawn a process before the files are checked), and not when the endpoint itself is wrong:
 * connectSwarm reports that at its usual place.
 */
function engineEarly(global: GlobalOptions): { engine: DockerSwarmEngine; namespace?: string; lists?: StackLists } | undefined {
  let engine: DockerSwarmEngine;
  try {
    engine = connectSwarm();
  } catch {
    return undefined;
  }
  if (!engine.local) return undefined;
  const namespace = explicitProjectName(global);
  if (!namespace) {
    engine.warmUp();
    return { engine };
  }
  const lists = listStack(engine, namespace);
  lists.catch(() => undefined); // awaited (and its error reported) only if the name holds
  return { engine, namespace, lists };
}

/** `--with-registry-auth`: the X-Registry-Auth value per image, each registry looked up once. */
function registryAuthLookup(enabled: boolean): (image: string) => string | undefined {
  if (!enabled) return () => undefined;
  const config = readDockerConfig(process.env.DOCKER_CONFIG ?? path.join(os.homedir(), ".docker"));
  const byRegistry = new Map<string, string | undefined>();
  return (image) => {
    const registry = registryOf(image);
    if (!byRegistry.has(registry)) byRegistry.set(registry, registryAuthFor(image, config));
    return byRegistry.get(registry);
  };
}

function readFileOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** `--build` builds the services that have a build section; `--push` pushes their images so other nodes can pull. */
async function buildAndPush(project: Project, selected: string[], opts: DeployOptions, sink: ReturnType<typeof progressSink>): Promise<void> {
  const names = selected.length > 0 ? selected : Object.keys(project.services).sort();
  const withBuild = names.map((n) => project.services[n]!).filter((s) => s.build && s.image);
  if (withBuild.length === 0) return;
  const engine = await connectEngine();
  if (opts.build) {
    for (const s of withBuild) {
      const b = s.build!;
      const args: Record<string, string> = {};
      for (const [k, v] of Object.entries(b.args ?? {})) if (v !== null) args[k] = v;
      sink({ type: "resource", kind: "image", name: s.image!, status: "Building", done: false });
      await engine.buildImage({
        contextDir: b.context,
        dockerfile: b.dockerfile,
        dockerfileInline: b.dockerfile_inline,
        args,
        target: b.target,
        labels: { ...(b.labels ?? {}), [LABELS.project]: project.name, [LABELS.service]: s.name },
        network: b.network,
        tags: [s.image!, ...(b.tags ?? [])],
        noCache: b.no_cache,
        pull: b.pull,
      });
      sink({ type: "resource", kind: "image", name: s.image!, status: "Built", done: true });
    }
  }
  if (opts.push) {
    for (const s of withBuild) {
      sink({ type: "info", message: `Pushing ${s.image!}` });
      try {
        await engine.pushImage(s.image!);
      } catch (err) {
        throw new UserError((err as Error).message, "Swarm nodes pull the images they run: push them to a registry every node can reach (e.g. registry:5000/name:tag)");
      }
      sink({ type: "info", message: `Pushed ${s.image!}` });
    }
  }
}
