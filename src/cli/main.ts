// argv → options → commands. Each command's module is imported only when it runs, so that
// `moor --version` and `moor config` never load the engine client or the terminal UI.
import { Command, Option } from "commander";
import { ComposeError } from "../compose/diagnostics.js";
import { ExitCode, printDiagnostics, UserError } from "./errors.js";
import type { GlobalOptions } from "./global-options.js";
import { MOOR_VERSION } from "./version.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(): Command {
  const program = new Command("moor")
    .description("Compose-first multi-container orchestrator: runs compose files on Docker, with a plan you can read first.")
    .version(MOOR_VERSION, "-v, --version", "print the version and exit")
    .option("-f, --file <file>", "compose configuration files (repeatable; - for standard input)", collect)
    .option("-p, --project-name <name>", "project name")
    .option("--project-directory <dir>", "alternate working directory (default: the directory of the first compose file)")
    .option("--env-file <file>", "environment files (repeatable)", collect)
    .option("--profile <profile>", "profiles to enable (repeatable)", collect)
    .option("--parallel <n>", "maximum parallel engine calls (-1: unlimited)")
    .addOption(new Option("--progress <type>", "progress output").choices(["auto", "tty", "plain", "json", "quiet"]))
    .addOption(new Option("--ansi <when>", "control characters").choices(["never", "always", "auto"]))
    .option("--dry-run", "show what would change, change nothing")
    .option("--compatibility", "run in backward compatibility mode")
    .enablePositionalOptions()
    .showHelpAfterError("(run `moor --help` for usage)")
    .configureOutput({ outputError: (str, write) => write(str) });
  program.exitOverride();

  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command("config")
    .description("parse, resolve and render the compose file in canonical format")
    .argument("[services...]", "services to render")
    .option("--services", "print the service names, one per line")
    .option("--volumes", "print the volume names, one per line")
    .option("--networks", "print the network names, one per line")
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
    .action(async (services: string[], opts) => {
      const { configCommand } = await import("./commands/config.js");
      await configCommand(global(), services, opts);
    });

  program
    .command("version")
    .description("show the moor version")
    .addOption(new Option("--format <format>", "output format").choices(["pretty", "json"]).default("pretty"))
    .option("--short", "print only the version number")
    .action((opts: { format: string; short?: boolean }) => {
      if (opts.short) process.stdout.write(`${MOOR_VERSION}\n`);
      else if (opts.format === "json") process.stdout.write(JSON.stringify({ version: MOOR_VERSION }) + "\n");
      else process.stdout.write(`moor version ${MOOR_VERSION}\n`);
    });

  return program;
}

/** Runs the CLI and returns the exit code; errors are printed once, here. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  try {
    await program.parseAsync(argv);
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

const exitCode = await run(process.argv);
process.exitCode = exitCode;
