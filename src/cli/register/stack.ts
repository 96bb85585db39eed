// The deploy and stack commands (Docker Swarm). Each action imports its implementation only when it runs.
import { Command, Option } from "commander";
import type { DeployOptions } from "../commands/deploy.js";
import type { GlobalOptions } from "../global-options.js";
import { collect, type RegisterCommands } from "./shared.js";

const deployFlags = (cmd: Command): Command =>
  cmd
    .argument("[services...]", "services to deploy (default: all)")
    .option("--prune", "prune services that are no longer referenced")
    .option("-d, --detach", "exit immediately instead of waiting for the stack services to converge")
    .option("--dry-run", "print the plan, change nothing")
    .addOption(new Option("--resolve-image <when>", 'query the registry to resolve image digest and supported platforms ("always", "changed", "never")').default("always"))
    .option("--with-registry-auth", "send registry authentication details to Swarm agents")
    .option("--build", "build the images of services with a build section first")
    .option("--push", "push the services' images to their registry first, so every node can pull them")
    .option("-q, --quiet", "suppress progress output")
    .option("--wait-timeout <seconds>", "give up waiting for convergence after this many seconds");

export const registerStackCommands: RegisterCommands = (program, global) => {
  const deploy = async (services: string[], opts: DeployOptions) => {
    const { deployCommand } = await import("../commands/deploy.js");
    await deployCommand(global(), services, opts);
  };
  deployFlags(program.command("deploy").description("deploy the project to Docker Swarm as a stack named after the project (as docker stack deploy)")).action(deploy);

  const stack = program.command("stack").description("manage Swarm stacks");
  deployFlags(stack.command("deploy").alias("up").description("deploy the project as a stack (same as `moor deploy`)")).action(deploy);

  stack
    .command("ls")
    .alias("list")
    .description("list stacks")
    .option("--format <format>", "format output using a custom template: table, table TEMPLATE, json, TEMPLATE")
    .action(async (opts: { format?: string }) => {
      const { stackLsCommand } = await import("../commands/stack.js");
      await stackLsCommand(opts);
    });

  stack
    .command("ps")
    .description("list the tasks in the stack")
    .argument("[stack]", "stack name (default: the project name)")
    .option("--no-trunc", "do not truncate output")
    .option("--no-resolve", "do not map IDs to names")
    .option("-f, --filter <filter>", "filter output based on conditions provided (repeatable)", collect)
    .option("-q, --quiet", "only display task IDs")
    .option("--format <format>", "format output using a custom template: table, table TEMPLATE, json, TEMPLATE")
    .action(async (name: string | undefined, opts: { trunc?: boolean; resolve?: boolean; filter?: string[]; quiet?: boolean; format?: string }) => {
      const { stackPsCommand } = await import("../commands/stack.js");
      await stackPsCommand(global(), name, { ...opts, noTrunc: opts.trunc === false, noResolve: opts.resolve === false });
    });

  stack
    .command("services")
    .description("list the services in the stack")
    .argument("[stack]", "stack name (default: the project name)")
    .option("-f, --filter <filter>", "filter output based on conditions provided (repeatable)", collect)
    .option("-q, --quiet", "only display IDs")
    .option("--format <format>", "format output using a custom template: table, table TEMPLATE, json, TEMPLATE")
    .action(async (name: string | undefined, opts: { filter?: string[]; quiet?: boolean; format?: string }) => {
      const { stackServicesCommand } = await import("../commands/stack.js");
      await stackServicesCommand(global(), name, opts);
    });

  stack
    .command("rm")
    .aliases(["remove", "down"])
    .description("remove one or more stacks")
    .argument("[stacks...]", "stack names (default: the project name)")
    .option("-d, --detach", "do not wait for stack removal (default)", true)
    .option("--no-detach", "wait until every task of the stack has shut down")
    .action(async (names: string[], opts: { detach?: boolean }) => {
      const { stackRmCommand } = await import("../commands/stack.js");
      await stackRmCommand(global(), names, opts);
    });

  stack
    .command("config")
    .description("output the final config file, after doing merges and interpolations")
    .option("-c, --compose-file <file>", "path to a compose file, or - to read from stdin (repeatable)", collect)
    .option("--skip-interpolation", "skip interpolation and output only the merged config")
    .action(async (opts: { composeFile?: string[]; skipInterpolation?: boolean }) => {
      const { configCommand } = await import("../commands/config.js");
      const g: GlobalOptions = { ...global(), ...(opts.composeFile ? { file: [...(global().file ?? []), ...opts.composeFile] } : {}) };
      await configCommand(g, [], { format: "yaml", interpolate: opts.skipInterpolation !== true, normalize: true, pathResolution: true, consistency: true });
    });

  // main.ts gives top-level commands the global flags; `stack`'s subcommands take them here.
  for (const cmd of stack.commands) addHiddenGlobalFlags(cmd);
};

const GLOBAL_FLAGS: [string, string, boolean][] = [
  ["-f, --file <file>", "compose configuration files", true],
  ["-p, --project-name <name>", "project name", false],
  ["--project-directory <dir>", "alternate working directory", false],
  ["--env-file <file>", "environment files", true],
  ["--profile <profile>", "profiles to enable", true],
  ["--parallel <n>", "maximum parallel engine calls", false],
  ["--progress <type>", "progress output", false],
  ["--ansi <when>", "control characters", false],
];

function addHiddenGlobalFlags(cmd: Command): void {
  const taken = new Set(cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)));
  for (const [flags, description, repeatable] of GLOBAL_FLAGS) {
    const option = new Option(flags, description).hideHelp();
    if (taken.has(option.long ?? "") || (option.short !== undefined && taken.has(option.short))) continue;
    cmd.addOption(repeatable ? option.argParser(collect) : option);
  }
}
