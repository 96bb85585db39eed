// The watch command(s). Each action imports its implementation only when it runs.
import type { RegisterCommands } from "./shared.js";

export const registerWatchCommands: RegisterCommands = (program, global) => {
  program
    .command("watch")
    .description("watch the build context and the compose files of the services; rebuild, sync or recreate containers when files change")
    .argument("[services...]")
    .option("--no-up", "do not build and start the services before watching")
    .option("--prune", "prune dangling images on rebuild", true)
    .option("--no-prune", "keep the image a rebuild replaced")
    .option("--quiet", "hide build output")
    .action(async (services: string[], opts: { up?: boolean; prune?: boolean; quiet?: boolean }) => {
      const { watchCommand } = await import("../commands/watch.js");
      await watchCommand(global(), services, { noUp: opts.up === false, prune: opts.prune !== false, quiet: opts.quiet === true });
    });
};
