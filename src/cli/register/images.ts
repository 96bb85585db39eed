// The build, pull, push, images, volumes command(s). Each action imports its implementation only when it runs.
import { Option } from "commander";
import { collect, type RegisterCommands } from "./shared.js";

export const registerImagesCommands: RegisterCommands = (program, global) => {
  program
    .command("build")
    .description("build or rebuild services")
    .argument("[services...]")
    .option("--build-arg <key=value>", "set build-time variables for services (repeatable; KEY alone takes it from the environment)", collect)
    .option("--no-cache", "do not use cache when building the image")
    .option("--pull", "always attempt to pull a newer version of the image")
    .option("--push", "push service images")
    .option("-q, --quiet", "suppress the build output")
    .option("--with-dependencies", "also build dependencies (transitively)")
    // Deprecated in compose and without effect there; accepted so scripts keep working.
    .addOption(new Option("--parallel").hideHelp())
    .addOption(new Option("--compress").hideHelp())
    .addOption(new Option("--force-rm").hideHelp())
    .addOption(new Option("--no-rm").hideHelp())
    // BuildKit-only flags: recognised so the error says why they cannot work here.
    .addOption(new Option("--ssh <spec>").hideHelp())
    .addOption(new Option("--builder <name>").hideHelp())
    .addOption(new Option("-m, --memory <bytes>").hideHelp())
    .addOption(new Option("--print").hideHelp())
    .addOption(new Option("--check").hideHelp())
    .addOption(new Option("--sbom <value>").hideHelp())
    .addOption(new Option("--provenance <value>").hideHelp())
    .action(async (services: string[], opts) => {
      const { buildCommand } = await import("../commands/build.js");
      await buildCommand(global(), services, { ...opts, noCache: opts.cache === false });
    });

  program
    .command("pull")
    .description("pull service images")
    .argument("[services...]")
    .option("-q, --quiet", "pull without printing progress information")
    .option("--include-deps", "also pull services declared as dependencies")
    .option("--ignore-pull-failures", "pull what it can and ignore images with pull failures")
    .option("--ignore-buildable", "ignore images that can be built")
    .option("--policy <policy>", 'apply pull policy ("missing"|"always")')
    .addOption(new Option("--parallel", "deprecated: pull multiple images in parallel").hideHelp())
    .addOption(new Option("--no-parallel", "deprecated: disable parallel pulling").hideHelp())
    .action(async (services: string[], opts) => {
      const { pullCommand } = await import("../commands/pull.js");
      await pullCommand(global(), services, { ...opts, parallel: opts.parallel === true ? true : undefined, noParallel: opts.parallel === false ? true : undefined });
    });

  program
    .command("push")
    .description("push service images")
    .argument("[services...]")
    .option("--ignore-push-failures", "push what it can and ignore images with push failures")
    .option("--include-deps", "also push images of services declared as dependencies")
    .option("-q, --quiet", "push without printing progress information")
    .action(async (services: string[], opts) => {
      const { pushCommand } = await import("../commands/push.js");
      await pushCommand(global(), services, opts);
    });

  program
    .command("images")
    .description("list images used by the created containers")
    .argument("[services...]")
    .option("--format <format>", "format the output: table or json", "table")
    .option("-q, --quiet", "only display IDs")
    .action(async (services: string[], opts) => {
      const { imagesCommand } = await import("../commands/images.js");
      await imagesCommand(global(), services, opts);
    });

  program
    .command("volumes")
    .description("list volumes")
    .argument("[services...]")
    .option("--format <format>", "format output: table, json, or a Go-style template ({{.Name}})", "table")
    .option("-q, --quiet", "only display volume names")
    .action(async (services: string[], opts) => {
      const { volumesCommand } = await import("../commands/volumes.js");
      await volumesCommand(global(), services, opts);
    });

  program
    .command("commit")
    .description("create a new image from a service container's changes")
    .argument("<service>")
    .argument("[repository]", "REPOSITORY[:TAG] of the new image")
    .option("-a, --author <author>", 'author (e.g. "John Hannibal Smith <hannibal@a-team.com>")')
    .option("-c, --change <instruction>", "apply a Dockerfile instruction to the created image (repeatable)", collect)
    .option("-m, --message <message>", "commit message")
    .option("-p, --pause", "pause the container during commit (default)", true)
    .option("--no-pause", "do not pause the container during commit")
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .action(async (service: string, repository: string | undefined, opts) => {
      const { commitCommand } = await import("../commands/commit.js");
      await commitCommand(global(), service, repository, opts);
    });

  program
    .command("export")
    .description("export a service container's filesystem as a tar archive")
    .argument("<service>")
    .option("-o, --output <file>", "write to a file, instead of standard output")
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .action(async (service: string, opts) => {
      const { exportCommand } = await import("../commands/export.js");
      await exportCommand(global(), service, opts);
    });
};
