// The create, start, stop, restart, kill, pause, unpause, rm, scale, wait command(s). Each action imports its implementation only when it runs.
import { Option } from "commander";
import { collect, type RegisterCommands } from "./shared.js";

export const registerLifecycleCommands: RegisterCommands = (program, global) => {
  program
    .command("create")
    .description("create containers for services (without starting them)")
    .argument("[services...]")
    .option("--build", "build images before creating containers")
    .option("--no-build", "don't build an image, even if it's missing")
    .option("--pull <policy>", "pull image before creating (always|missing|never|build)", "policy")
    .option("--quiet-pull", "pull without printing progress information")
    .option("--force-recreate", "recreate containers even if their configuration and image haven't changed")
    .option("--no-recreate", "if containers already exist, don't recreate them")
    .option("--remove-orphans", "remove containers for services not defined in the compose file")
    .option("--scale <service=num>", "scale SERVICE to NUM instances (repeatable)", collect)
    .option("-y, --yes", "assume yes: go ahead with a plan that would lose data")
    .action(async (services: string[], opts) => {
      const { createCommand } = await import("../commands/create.js");
      await createCommand(global(), services, { ...opts, build: opts.build === true, noBuild: opts.build === false, noRecreate: opts.recreate === false });
    });

  program
    .command("start")
    .description("start existing containers of services")
    .argument("[services...]")
    .option("--wait", "wait for services to be running|healthy")
    .option("--wait-timeout <seconds>", "maximum duration to wait for the project to be running|healthy")
    .action(async (services: string[], opts) => {
      const { startCommand } = await import("../commands/start.js");
      await startCommand(global(), services, opts);
    });

  program
    .command("stop")
    .description("stop services (dependants before their dependencies)")
    .argument("[services...]")
    .option("-t, --timeout <seconds>", "shutdown timeout in seconds (default: each service's stop_grace_period)")
    .action(async (services: string[], opts) => {
      const { stopCommand } = await import("../commands/stop.js");
      await stopCommand(global(), services, opts);
    });

  program
    .command("restart")
    .description("restart service containers")
    .argument("[services...]")
    .option("-t, --timeout <seconds>", "shutdown timeout in seconds")
    .option("--no-deps", "don't restart dependent services")
    .action(async (services: string[], opts) => {
      const { restartCommand } = await import("../commands/restart.js");
      await restartCommand(global(), services, { timeout: opts.timeout, noDeps: opts.deps === false });
    });

  program
    .command("kill")
    .description("force stop service containers")
    .argument("[services...]")
    .option("-s, --signal <signal>", "signal to send to the container", "SIGKILL")
    .option("--remove-orphans", "also kill containers of services not defined in the compose file")
    .action(async (services: string[], opts) => {
      const { killCommand } = await import("../commands/kill.js");
      await killCommand(global(), services, opts);
    });

  program
    .command("pause")
    .description("pause services")
    .argument("[services...]")
    .action(async (services: string[]) => {
      const { pauseCommand } = await import("../commands/pause.js");
      await pauseCommand(global(), services);
    });

  program
    .command("unpause")
    .description("unpause services")
    .argument("[services...]")
    .action(async (services: string[]) => {
      const { unpauseCommand } = await import("../commands/unpause.js");
      await unpauseCommand(global(), services);
    });

  program
    .command("rm")
    .description("remove stopped service containers")
    .argument("[services...]")
    .option("-f, --force", "don't ask to confirm removal")
    .option("-s, --stop", "stop the containers, if required, before removing")
    .option("-v, --volumes", "remove any anonymous volumes attached to containers")
    .addOption(new Option("-a, --all", "deprecated: no effect").hideHelp())
    .action(async (services: string[], opts) => {
      const { rmCommand } = await import("../commands/rm.js");
      await rmCommand(global(), services, opts);
    });

  program
    .command("scale")
    .description("scale services")
    .argument("<service=replicas...>")
    .option("--no-deps", "don't start linked services")
    .action(async (args: string[], opts) => {
      const { scaleCommand } = await import("../commands/scale.js");
      await scaleCommand(global(), args, { noDeps: opts.deps === false });
    });

  program
    .command("wait")
    .description("block until the containers of the given services stop")
    .argument("<services...>")
    .option("--down-project", "drop the project once the containers have stopped")
    .action(async (services: string[], opts) => {
      const { waitCommand } = await import("../commands/wait.js");
      await waitCommand(global(), services, opts);
    });
};
