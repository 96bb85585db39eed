// `moor logs`: the logs of the project's containers, prefixed per container; -f keeps following,
// across restarts and recreates, until Ctrl-C.
import { LABELS } from "../../engine/types.js";
import { ExitCode, UserError } from "../errors.js";
import { followContainers } from "../follow-logs.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";

export interface LogsCommandOptions {
  follow?: boolean;
  tail?: string;
  since?: string;
  until?: string;
  timestamps?: boolean;
  color?: boolean;
  logPrefix?: boolean;
  index?: string;
}

export async function logsCommand(global: GlobalOptions, services: string[], opts: LogsCommandOptions): Promise<void> {
  const { name, loaded } = await loadOrName(global);
  if (loaded) for (const s of services) if (!loaded.project.services[s]) throw new UserError(`no such service: ${s}`);
  const tail = opts.tail === undefined || opts.tail === "all" || Number(opts.tail) < 0 ? "all" : Number(opts.tail);
  if (tail !== "all" && !Number.isInteger(tail)) throw new UserError(`invalid --tail value ${JSON.stringify(opts.tail)}`, "a number of lines, or all");
  const engine = await connectEngine();
  const containers = (await engine.listContainers({ all: true, labels: [`${LABELS.project}=${name}`] }))
    .filter((c) => c.labels[LABELS.oneoff] !== "True")
    .filter((c) => services.length === 0 || services.includes(c.labels[LABELS.service] ?? ""))
    .filter((c) => opts.index === undefined || c.labels[LABELS.containerNumber] === opts.index)
    .sort((a, b) => a.name.localeCompare(b.name));
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  try {
    await followContainers(
      engine,
      containers,
      {
        follow: opts.follow === true,
        tail,
        since: opts.since,
        until: opts.until,
        timestamps: opts.timestamps,
        color: opts.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR,
        prefix: opts.logPrefix !== false,
        signal: abort.signal,
        out: process.stdout,
      },
      opts.follow ? { project: name, services, index: opts.index } : undefined,
    );
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
  }
  // compose ends any command a signal interrupted with 130.
  if (abort.signal.aborted) throw new ExitCode(130);
}
