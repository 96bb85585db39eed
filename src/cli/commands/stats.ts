// `moor stats [SERVICE]`: the resource use of the project's containers, computed and printed as
// `docker stats` does (compose hands the command to it): once with --no-stream, else refreshed
// until interrupted.
import type { Engine } from "../../engine/engine.js";
import { LABELS } from "../../engine/types.js";
import { statsItem, statsRow, STATS_FORMAT, type ApiStats } from "../container-stats.js";
import { ExitCode, UserError } from "../errors.js";
import { formatItems } from "../format-template.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices } from "../service-containers.js";

export interface StatsOptions {
  all?: boolean;
  format?: string;
  noStream?: boolean;
  noTrunc?: boolean;
}

async function sample(engine: Engine, project: string, service: string | undefined, opts: StatsOptions): Promise<string> {
  const labels = [`${LABELS.project}=${project}`, ...(service ? [`${LABELS.service}=${service}`] : [])];
  const containers = await engine.listContainers({ all: opts.all === true, labels });
  const rows = await Promise.all(
    containers.map(async (c) => {
      // A stopped container has no sample: docker shows it with zeros.
      const raw = c.state === "running" || c.state === "paused" ? ((await engine.containerStats(c.id).catch(() => ({}))) as ApiStats) : {};
      return statsItem(statsRow(c.id, c.name, raw), opts.noTrunc === true);
    }),
  );
  return formatItems(rows, opts.format, STATS_FORMAT);
}

export async function statsCommand(global: GlobalOptions, services: string[], opts: StatsOptions): Promise<void> {
  if (services.length > 1) throw new UserError(`stats takes at most one service, got ${services.length}`, "name one service, or none for the whole project");
  const service = services[0];
  const { name, loaded } = await loadOrName(global);
  if (service !== undefined) checkServices(loaded?.project, [service]);
  const engine = await connectEngine();
  if (opts.noStream) {
    process.stdout.write(await sample(engine, name, service, opts));
    return;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  const tty = process.stdout.isTTY === true;
  try {
    while (!abort.signal.aborted) {
      const text = await sample(engine, name, service, opts);
      if (abort.signal.aborted) break;
      // On a terminal the table is redrawn in place; elsewhere each refresh follows the last.
      process.stdout.write(tty ? `\x1b[2J\x1b[H${text}` : text);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
  }
  throw new ExitCode(130);
}
