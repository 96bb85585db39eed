// `moor create [SERVICE...]`: `up`'s plan without the starts: builds/pulls what is missing and
// creates (or recreates) containers, networks and volumes, leaving the containers created.
import type { GlobalOptions } from "../global-options.js";
import { upCommand } from "./up.js";

export interface CreateOptions {
  build?: boolean;
  noBuild?: boolean;
  pull?: string;
  quietPull?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  scale?: string[];
  yes?: boolean;
}

export async function createCommand(global: GlobalOptions, services: string[], opts: CreateOptions): Promise<void> {
  // "policy" is compose's default for --pull: what each service's pull_policy says.
  const pull = opts.pull === "policy" ? undefined : opts.pull;
  await upCommand(global, services, { ...opts, pull, noStart: true, detach: true });
}
