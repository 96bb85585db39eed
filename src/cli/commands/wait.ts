// `moor wait SERVICE...`: blocks until every running container of the named services (one-offs
// included) has stopped; exits with the exit code of the last one to stop, as compose does. With
// --down-project the project is taken down (orphans too) afterwards.
import { ExitCode, UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { projectContainers } from "../service-containers.js";

export interface WaitOptions {
  downProject?: boolean;
}

export async function waitCommand(global: GlobalOptions, services: string[], opts: WaitOptions): Promise<void> {
  if (services.length === 0) throw new UserError("wait needs at least one service", "moor wait SERVICE [SERVICE...]");
  const { name } = await loadOrName(global);
  const engine = await connectEngine();
  const containers = await projectContainers(engine, name, { all: false, services });
  if (containers.length === 0) throw new UserError(`no containers for project ${JSON.stringify(name)}`, "`moor ps` shows what runs");
  let code = 0;
  await Promise.all(
    containers.map(async (c) => {
      const result = await engine.waitContainer(c.id, "not-running");
      process.stdout.write(`container ${JSON.stringify(c.id)} exited with status code ${result.exitCode}\n`);
      code = result.exitCode;
    }),
  );
  if (opts.downProject) {
    const { downCommand } = await import("./down.js");
    await downCommand(global, [], { removeOrphans: true });
  }
  if (code !== 0) throw new ExitCode(code);
}
