// `moor events`: the project's container events as they happen, in compose's text or `--json`
// lines, until interrupted (exit 130, as compose) or until `--until`.
import { LABELS } from "../../engine/types.js";
import { apiTimestamp } from "../api-timestamp.js";
import { composeEvent, eventJson, eventText } from "../compose-events.js";
import { ExitCode } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices } from "../service-containers.js";

export interface EventsOptions {
  json?: boolean;
  since?: string;
  until?: string;
}

export async function eventsCommand(global: GlobalOptions, services: string[], opts: EventsOptions): Promise<void> {
  const since = apiTimestamp(opts.since);
  const until = apiTimestamp(opts.until);
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, services);
  const engine = await connectEngine();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const stream = engine.events({ filters: { label: [`${LABELS.project}=${name}`], type: ["container"] }, since, until, signal: abort.signal });
    for await (const raw of stream) {
      const event = composeEvent(raw, services);
      if (event) process.stdout.write(opts.json ? eventJson(event) : eventText(event));
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  if (abort.signal.aborted) throw new ExitCode(130);
}
