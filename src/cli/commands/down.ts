// `moor down`: stop and remove the project's containers and networks (dependants first); named
// volumes only with -v, images only with --rmi. Works with `-p NAME` and no compose file, from labels.
import { executePlan, NetworkInUseError } from "../../reconcile/execute.js";
import { planDown, planToString } from "../../reconcile/plan.js";
import { MOOR_VERSION } from "../version.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { progressSink } from "../progress.js";
import { connectEngine, loadOrName, observe, parallelism } from "../project-context.js";

export interface DownOptions {
  volumes?: boolean;
  rmi?: string;
  removeOrphans?: boolean;
  timeout?: string;
}

export async function downCommand(global: GlobalOptions, services: string[], opts: DownOptions): Promise<void> {
  if (opts.rmi !== undefined && opts.rmi !== "local" && opts.rmi !== "all") throw new UserError(`invalid --rmi value ${JSON.stringify(opts.rmi)}`, "use local or all");
  const { name, loaded } = await loadOrName(global);
  const engine = await connectEngine();
  const observed = await observe(engine, name, opts.rmi !== undefined);
  const thePlan = planDown(loaded?.project, observed, {
    volumes: opts.volumes,
    removeOrphans: opts.removeOrphans ?? /^(1|true)$/i.test(process.env.COMPOSE_REMOVE_ORPHANS ?? ""),
    rmi: opts.rmi as "local" | "all" | undefined,
    timeout: opts.timeout === undefined ? undefined : Number(opts.timeout),
    services: services.length > 0 ? services : undefined,
  });
  const sink = progressSink(global);
  for (const w of thePlan.warnings) {
    if (thePlan.actions.length === 0 && w.startsWith("No resource found to remove")) process.stderr.write(`Warning: ${w}\n`);
    else sink({ type: "warning", message: w });
  }
  if (global.dryRun) {
    process.stdout.write(planToString(thePlan));
    return;
  }
  const project = loaded?.project ?? { name, services: {} };
  await executePlan(thePlan, tolerantDown(engine, sink), {
    project,
    observed,
    configFiles: loaded?.result.configFiles ?? [],
    workingDir: loaded?.result.workingDir ?? process.cwd(),
    version: MOOR_VERSION,
    parallel: parallelism(global),
    onEvent: sink,
  });
}

/**
 * `down` keeps going past a network another project still uses (compose reports it and goes on)
 * and past resources someone else removed meanwhile.
 */
function tolerantDown<E extends import("../../reconcile/execute.js").ExecutorEngine>(engine: E, sink: ReturnType<typeof progressSink>): E {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "removeNetwork") {
        return async (name: string) => {
          try {
            await target.removeNetwork(name);
          } catch (err) {
            const e = err as { statusCode?: number; name?: string; message: string };
            if (e.name === "NotFoundError") return;
            // Compose says "Resource is still in use" on the network's line and goes on.
            if (e.name === "ConflictError" || /active endpoints|in use/i.test(e.message)) throw new NetworkInUseError(e.message);
            throw err;
          }
        };
      }
      if (prop === "removeContainer" || prop === "stopContainer" || prop === "removeVolume") {
        return async (...args: unknown[]) => {
          try {
            await (value as (...a: unknown[]) => Promise<void>).apply(target, args);
          } catch (err) {
            if ((err as { name?: string }).name === "NotFoundError") return;
            if (prop === "removeVolume" && (err as { name?: string }).name === "ConflictError") {
              sink({ type: "warning", message: `volume ${String(args[0])} is in use: ${(err as Error).message}` });
              return;
            }
            throw err;
          }
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
