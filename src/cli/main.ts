// argv → options → commands. Each command's module is imported only when it runs, so that
// `moor --version` and `moor config` never load the engine client or the terminal UI.
import { Command, Option } from "commander";
import { ComposeError } from "../compose/diagnostics.js";
import { ExitCode, printDiagnostics, UserError } from "./errors.js";
import type { GlobalOptions } from "./global-options.js";
import { registerImagesCommands } from "./register/images.js";
import { registerInspectCommands } from "./register/inspect.js";
import { registerLifecycleCommands } from "./register/lifecycle.js";
import { registerOneoffCommands } from "./register/oneoff.js";
import { collect } from "./register/shared.js";
import { registerStackCommands } from "./register/stack.js";
import { registerWatchCommands } from "./register/watch.js";
import { endAtOnce } from "./ending.js";
import { MOOR_VERSION } from "./version.js";

export { mayEndAtOnce } from "./ending.js";

export function buildProgram(): Command {
  const program = new Command("moor")
    .description("Compose-first multi-container orchestrator: runs compose files on Docker, with a plan you can read first.")
    .version(`moor version v${MOOR_VERSION}`, "-v, --version", "print the version and exit")
    .option("-f, --file <file>", "compose configuration files (repeatable; - for standard input)", collect)
    .option("-p, --project-name <name>", "project name")
    .option("--project-directory <dir>", "alternate working directory (default: the directory of the first compose file)")
    .option("--env-file <file>", "environment files (repeatable)", collect)
    .option("--profile <profile>", "profiles to enable (repeatable)", collect)
    .option("--parallel <n>", "maximum parallel engine calls (-1: unlimited)")
    .addOption(new Option("--progress <type>", "progress output").choices(["auto", "tty", "plain", "json", "quiet"]))
    .addOption(new Option("--ansi <when>", "control characters").choices(["never", "always", "auto"]))
    .option("--dry-run", "show what would change, change nothing")
    .option("--all-resources", "include all resources, even those not used by services (config)")
    .option("--compatibility", "run in backward compatibility mode")
    .enablePositionalOptions()
    .showHelpAfterError("(run `moor --help` for usage)")
    .configureOutput({ outputError: (str, write) => write(str) });
  program.exitOverride();

  // docker compose's global flags are persistent: `moor config -f x` works like `moor -f x config`.
  // Each command gets them too (unless it has a flag of that name); the action's command wins.
  let current: Command | undefined;
  program.hook("preAction", (_root, actionCommand) => {
    current = actionCommand;
  });
  const global = (): GlobalOptions => mergeGlobal(program.opts<GlobalOptions>(), current?.opts<GlobalOptions>() ?? {});

  program
    .command("config")
    .description("parse, resolve and render the compose file in canonical format")
    .argument("[services...]", "services to render")
    .option("--services", "print the service names, one per line")
    .option("--volumes", "print the volume names, one per line")
    .option("--networks", "print the network names, one per line")
    .option("--models", "print the model names, one per line")
    .option("--images", "print the image names, one per line")
    .option("--profiles", "print the profile names, one per line")
    .option("--variables", "print the model variables and their defaults")
    .option("--environment", "print the environment used for interpolation")
    .option("--hash <services>", "print the service config hash, one per line (\"*\" for all)")
    .addOption(new Option("--format <format>", "output format").choices(["yaml", "json"]).default("yaml"))
    .option("-o, --output <file>", "save to this file instead of standard output")
    .option("-q, --quiet", "only validate the configuration, print nothing")
    .option("--no-interpolate", "do not interpolate environment variables")
    .option("--no-normalize", "do not normalize the compose model")
    .option("--no-path-resolution", "do not resolve file paths")
    .option("--no-consistency", "do not check the model's consistency")
    .option("--no-env-resolution", "do not resolve service env files")
    .action(async (services: string[], opts) => {
      const { configCommand } = await import("./commands/config.js");
      await configCommand(global(), services, opts);
      endAtOnce();
    });

  const upFlags = (cmd: Command): Command =>
    cmd
      .option("-d, --detach", "detached mode: run containers in the background")
      .option("--build", "build images before starting containers")
      .option("--no-build", "don't build an image, even if it's missing")
      .option("--pull <policy>", "pull image before running (always|missing|never)")
      .option("--force-recreate", "recreate containers even if their configuration and image haven't changed")
      .option("--no-recreate", "if containers already exist, don't recreate them")
      .option("--remove-orphans", "remove containers for services not defined in the compose file")
      .option("--scale <service=num>", "scale SERVICE to NUM instances (repeatable)", collect)
      .option("--wait", "wait for services to be running|healthy (implies --detach)")
      .option("--wait-timeout <seconds>", "maximum duration to wait for the project to be running|healthy")
      .option("--no-deps", "don't start linked services")
      .option("--no-start", "don't start the services after creating them")
      .option("-V, --renew-anon-volumes", "recreate anonymous volumes instead of retrieving data from the previous containers")
      .option("--always-recreate-deps", "recreate dependent containers")
      .option("--abort-on-container-exit", "stop all containers if any container was stopped")
      .option("--abort-on-container-failure", "stop all containers if any container exited with failure")
      .option("--exit-code-from <service>", "return the exit code of the selected service container (implies --abort-on-container-exit)")
      .option("--attach <service>", "restrict attaching to the specified services (repeatable)", collect)
      // commander reads --no-X as the negation of --X; compose's --no-attach takes a service instead.
      .addOption(new Option("--x-no-attach <service>", "do not attach (stream logs) to the specified services (repeatable)").argParser(collect).hideHelp())
      .option("--attach-dependencies", "automatically attach to log output of dependent services")
      .option("-t, --timeout <seconds>", "shutdown timeout in seconds")
      .option("--timestamps", "show timestamps")
      .option("--no-color", "produce monochrome output")
      .option("--no-log-prefix", "don't print prefix in logs")
      .option("-y, --yes", "assume yes: go ahead with a plan that would lose data")
      .option("--quiet-pull", "pull without printing progress information")
      .option("--quiet-build", "suppress the build output")
      .option("--dry-run", "show the plan, change nothing");

  upFlags(program.command("up").description("create and start containers").argument("[services...]"))
    .option("-w, --watch", "watch source code and compose files and refresh containers when files are updated")
    .option("--menu [bool]", "enable interactive shortcuts when running attached (d detach, w watch); also COMPOSE_MENU")
    .action(async (services: string[], opts) => {
      const { upCommand } = await import("./commands/up.js");
      if (opts.wait) opts.detach = true;
      if (opts.exitCodeFrom) opts.abortOnContainerExit = true;
      // commander turns --no-build into build: false; compose's flags are two separate switches.
      const o = { ...opts, build: opts.build === true, noBuild: opts.build === false, noRecreate: opts.recreate === false, noDeps: opts.deps === false, noStart: opts.start === false, logPrefix: opts.logPrefix !== false, noAttach: opts.xNoAttach };
      if (opts.watch) {
        const { upWatchCommand } = await import("./commands/watch.js");
        return upWatchCommand(global(), services, o);
      }
      await upCommand(global(), services, o);
    });

  upFlags(program.command("plan").description("show what `up` would change and why, field by field; change nothing").argument("[services...]")).action(async (services: string[], opts) => {
    const { planCommand } = await import("./commands/plan.js");
    await planCommand(global(), services, { ...opts, build: opts.build === true, noBuild: opts.build === false, noRecreate: opts.recreate === false, noDeps: opts.deps === false, noStart: opts.start === false });
  });

  program
    .command("down")
    .description("stop and remove containers, networks")
    .argument("[services...]")
    .option("-v, --volumes", "remove named volumes declared in the volumes section and anonymous volumes attached to containers")
    .option("--rmi <type>", "remove images used by services: local (no custom tag) or all")
    .option("--remove-orphans", "remove containers for services not defined in the compose file")
    .option("-t, --timeout <seconds>", "shutdown timeout in seconds")
    .action(async (services: string[], opts) => {
      const { downCommand } = await import("./commands/down.js");
      await downCommand(global(), services, opts);
    });

  program
    .command("ps")
    .description("list containers")
    .argument("[services...]")
    .option("-a, --all", "show all stopped containers (including those created by the run command)")
    .option("-q, --quiet", "only display IDs")
    .option("--services", "display services")
    .option("--status <status>", "filter services by status (repeatable)", collect)
    .option("--filter <filter>", "filter services by a property (repeatable)", collect)
    .option("--format <format>", "format the output: table, json or a Go template (table TEMPLATE for a header)", "table")
    .option("--no-trunc", "don't truncate output")
    .option("--orphans [bool]", "include orphaned services (default true; --orphans=false as compose spells it)")
    .option("--no-orphans", "exclude orphaned services")
    .action(async (services: string[], opts) => {
      const { psCommand } = await import("./commands/ps.js");
      const orphans: unknown = opts.orphans;
      if (typeof orphans === "string" && !["true", "false", "1", "0"].includes(orphans)) {
        throw new UserError(`invalid argument ${JSON.stringify(orphans)} for "--orphans" flag`, "use --orphans=true or --orphans=false");
      }
      await psCommand(global(), services, { ...opts, noTrunc: opts.trunc === false, orphans: orphans !== false && orphans !== "false" && orphans !== "0" });
    });

  program
    .command("logs")
    .description("view output from containers")
    .argument("[services...]")
    .option("-f, --follow", "follow log output")
    .option("-n, --tail <lines>", "number of lines to show from the end of the logs for each container", "all")
    .option("--since <time>", "show logs since timestamp or relative (e.g. 42m)")
    .option("--until <time>", "show logs before a timestamp or relative")
    .option("-t, --timestamps", "show timestamps")
    .option("--no-color", "produce monochrome output")
    .option("--no-log-prefix", "don't print prefix in logs")
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .action(async (services: string[], opts) => {
      const { logsCommand } = await import("./commands/logs.js");
      await logsCommand(global(), services, opts);
    });

  program
    .command("graph")
    .description("print the project's dependency graph")
    .option("--format <format>", "text, dot or mermaid", "text")
    .action(async (opts: { format?: string }) => {
      const { graphCommand } = await import("./commands/graph.js");
      await graphCommand(global(), opts);
    });

  program
    .command("version")
    .description("show the moor version")
    // compose: pretty or json; anything else prints pretty. `-f` is this command's shorthand.
    .option("-f, --format <format>", "output format: pretty or json", "pretty")
    .option("--short", "print only the version number")
    .action((opts: { format: string; short?: boolean }) => {
      if (opts.short) process.stdout.write(`${MOOR_VERSION}\n`);
      else if (opts.format === "json") process.stdout.write(JSON.stringify({ version: `v${MOOR_VERSION}` }) + "\n");
      else process.stdout.write(`moor version v${MOOR_VERSION}\n`);
    });

  registerOneoffCommands(program, global);
  registerLifecycleCommands(program, global);
  registerImagesCommands(program, global);
  registerInspectCommands(program, global);
  registerWatchCommands(program, global);
  registerStackCommands(program, global);

  // Only the command that runs gets them: some 450 Option objects for every command otherwise,
  // ≈ 1 ms of each start (they are hidden from help, so nothing else sees the difference).
  program.hook("preSubcommand", (_program, sub) => addGlobalFlags(sub));
  return program;
}

const GLOBAL_FLAGS: [string, string, boolean][] = [
  ["-f, --file <file>", "compose configuration files (repeatable; - for standard input)", true],
  ["-p, --project-name <name>", "project name", false],
  ["--project-directory <dir>", "alternate working directory", false],
  ["--env-file <file>", "environment files (repeatable)", true],
  ["--profile <profile>", "profiles to enable (repeatable)", true],
  ["--parallel <n>", "maximum parallel engine calls", false],
  ["--progress <type>", "progress output: auto, tty, plain, json, quiet", false],
  ["--ansi <when>", "control characters: never, always, auto", false],
  ["--dry-run", "show what would change, change nothing", false],
  ["--all-resources", "include all resources, even those not used by services", false],
];

/** Adds the global flags a command does not define itself, hidden from its help. */
function addGlobalFlags(cmd: Command): void {
  const taken = new Set(cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)));
  for (const [flags, description, repeatable] of GLOBAL_FLAGS) {
    const option = new Option(flags, description).hideHelp();
    if (taken.has(option.long ?? "") || (option.short !== undefined && taken.has(option.short))) continue;
    cmd.addOption(repeatable ? option.argParser(collect) : option);
  }
}

/** Global flags given before the command, then after it: repeatable ones add up, others are replaced. */
export function mergeGlobal(before: GlobalOptions, after: GlobalOptions): GlobalOptions {
  const out: GlobalOptions = { ...before };
  for (const key of ["file", "envFile", "profile"] as const) {
    if (after[key]) out[key] = [...(before[key] ?? []), ...after[key]!];
  }
  for (const key of ["projectName", "projectDirectory", "parallel", "progress", "ansi", "dryRun", "allResources"] as const) {
    if (after[key] !== undefined) (out as Record<string, unknown>)[key] = after[key];
  }
  return out;
}

/** Runs the CLI and returns the exit code; errors are printed once, here. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  try {
    await program.parseAsync(argv.map((a) => (a === "--no-attach" ? "--x-no-attach" : a.startsWith("--no-attach=") ? `--x-no-attach=${a.slice(12)}` : a)));
    return 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === "string" && e.code.startsWith("commander.")) {
      // --help and --version end with exit code 0; usage errors were printed by commander.
      return e.exitCode ?? 1;
    }
    if (err instanceof ExitCode) return err.code;
    if (err instanceof ComposeError) {
      printDiagnostics(err.diagnostics, { stderr: process.stderr, color });
      return 1;
    }
    if (err instanceof UserError || (err as { expected?: boolean }).expected === true) {
      const ue = err as UserError;
      process.stderr.write(`${color ? "\x1b[31merror\x1b[0m" : "error"}: ${ue.message}\n`);
      if (ue.hint) process.stderr.write(`  hint: ${ue.hint}\n`);
      return ue.exitCode ?? 1;
    }
    process.stderr.write(`moor hit a bug; please report it with the steps that led here.\n${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

