// `moor scale SERVICE=N...`: `up -d --scale` for the named services (and what they depend on,
// unless --no-deps): new containers take the next numbers, scaling down removes the highest.
import type { GlobalOptions } from "../global-options.js";
import { UserError } from "../errors.js";
import { parseReplicas } from "../lifecycle-model.js";
import { upCommand } from "./up.js";

export interface ScaleOptions {
  noDeps?: boolean;
}

export async function scaleCommand(global: GlobalOptions, args: string[], opts: ScaleOptions): Promise<void> {
  if (args.length === 0) throw new UserError("scale needs at least one SERVICE=REPLICAS", "e.g. moor scale web=3");
  const replicas = parseReplicas(args);
  const services = Object.keys(replicas).sort();
  await upCommand(global, services, { detach: true, noDeps: opts.noDeps, scale: services.map((s) => `${s}=${replicas[s]}`) });
}
