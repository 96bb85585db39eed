// The run, exec, attach command(s). Each action imports its implementation only when it runs.
// Options stop at the service (compose's non-interspersed flags): `moor run web sh -c 'exit 3'`
// hands `-c` to the command, not to moor.
import { InvalidArgumentError, Option, type Command } from "commander";
import { collect, type RegisterCommands } from "./shared.js";

const parseBool = (value: string): boolean => {
  if (/^(true|1|t)$/i.test(value)) return true;
  if (/^(false|0|f)$/i.test(value)) return false;
  throw new InvalidArgumentError("expected true or false");
};

const given = (cmd: Command, name: string): boolean => cmd.getOptionValueSource(name) === "cli";

// -t/--tty is hidden (compose keeps it for `run -it`); -T/--no-tty is the documented switch and
// --no-TTY its legacy spelling. Each is recorded as given, so `run` can refuse both together.
const ttyOption = () => new Option("-t, --tty", "allocate a pseudo-TTY").hideHelp();
const noTtyOption = (description: string) => new Option("-T, --no-tty", description);
const legacyNoTtyOption = () => new Option("--no-TTY").hideHelp();

function watchTtyFlags(cmd: Command): { tty: boolean; noTty: boolean } {
  const seen = { tty: false, noTty: false };
  cmd.on("option:tty", () => (seen.tty = true));
  cmd.on("option:no-tty", () => (seen.noTty = true));
  cmd.on("option:no-TTY", () => (seen.noTty = true));
  return seen;
}

export const registerOneoffCommands: RegisterCommands = (program, global) => {
  const run = program
    .command("run")
    .description("run a one-off command on a service")
    .argument("<service>", "the service whose configuration the container gets")
    .argument("[command...]", "the command and its arguments (default: the service's)")
    .option("-d, --detach", "run the container in the background and print its ID")
    .option("--rm", "automatically remove the container when it exits")
    .option("--name <name>", "assign a name to the container")
    .option("-e, --env <KEY[=VALUE]>", "set an environment variable (repeatable)", collect)
    .option("--env-from-file <file>", "set environment variables from a file (repeatable)", collect)
    .option("-l, --label <KEY=VALUE>", "add or override a label (repeatable)", collect)
    .addOption(new Option("--labels <KEY=VALUE>").argParser(collect).hideHelp())
    .option("-p, --publish <port>", "publish a container's port(s) to the host (repeatable)", collect)
    .option("-P, --service-ports", "run with the service's ports enabled and mapped to the host")
    .option("--use-aliases", "use the service's network aliases in the networks the container joins")
    .option("-u, --user <user>", "run as this username or uid")
    .option("-v, --volume <volume>", "bind mount a volume (repeatable)", collect)
    .addOption(new Option("--volumes <volume>").argParser(collect).hideHelp())
    .option("-w, --workdir <dir>", "working directory inside the container")
    .option("--entrypoint <command>", "override the entrypoint of the image")
    .option("--cap-add <cap>", "add Linux capabilities (repeatable)", collect)
    .option("--cap-drop <cap>", "drop Linux capabilities (repeatable)", collect)
    .option("--no-deps", "don't start linked services")
    .option("--build", "build the image before starting the container")
    .option("--pull <policy>", "pull the image before running (always|missing|never)", "policy")
    .option("--remove-orphans", "remove containers for services not defined in the compose file")
    .option("-q, --quiet", "don't print anything to STDOUT but the command's output")
    .option("--quiet-pull", "pull without printing progress information")
    .option("--quiet-build", "suppress progress output from the build")
    .addOption(ttyOption())
    .addOption(noTtyOption("disable pseudo-TTY allocation (default: auto-detected)"))
    .addOption(legacyNoTtyOption())
    .addOption(new Option("-i, --interactive", "keep STDIN open even if not attached").default(true))
    .addOption(new Option("--no-interactive", "don't attach STDIN").hideHelp())
    .passThroughOptions();
  const runTty = watchTtyFlags(run);
  run.action(async (service: string, command: string[], opts, cmd: Command) => {
    const { runCommand } = await import("../commands/run.js");
    await runCommand(global(), service, command, {
      ...opts,
      label: [...(opts.label ?? []), ...(opts.labels ?? [])],
      volume: [...(opts.volume ?? []), ...(opts.volumes ?? [])],
      noDeps: opts.deps === false,
      noTty: runTty.noTty,
      tty: runTty.tty,
      explicit: { noTty: runTty.noTty, tty: runTty.tty, interactive: given(cmd, "interactive") },
    });
  });

  const exec = program
    .command("exec")
    .description("execute a command in a running container")
    .argument("<service>", "the service whose container runs the command")
    .argument("<command...>", "the command and its arguments")
    .option("-d, --detach", "detached mode: run the command in the background")
    .option("-e, --env <KEY[=VALUE]>", "set an environment variable (repeatable)", collect)
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .option("--privileged", "give extended privileges to the process")
    .option("-u, --user <user>", "run the command as this user")
    .option("-w, --workdir <dir>", "path to the working directory for this command")
    .addOption(ttyOption())
    .addOption(noTtyOption("disable pseudo-TTY allocation (default: a TTY when stdout is a terminal)"))
    .addOption(legacyNoTtyOption())
    .addOption(new Option("-i, --interactive", "keep STDIN open even if not attached").default(true).hideHelp())
    .addOption(new Option("--no-interactive").hideHelp())
    .passThroughOptions();
  // compose accepts -t on exec and ignores it: only -T decides.
  const execTty = watchTtyFlags(exec);
  exec.action(async (service: string, command: string[], opts) => {
    const { execCommand } = await import("../commands/exec.js");
    await execCommand(global(), service, command, { ...opts, noTty: execTty.noTty ? true : undefined });
  });

  program
    .command("attach")
    .description("attach local standard input, output, and error streams to a service's running container")
    .argument("<service>", "the service whose container to attach to")
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .option("--no-stdin", "do not attach STDIN")
    .addOption(new Option("--sig-proxy [bool]", "proxy all received signals to the process (default true)").argParser(parseBool))
    .addOption(new Option("--no-sig-proxy").hideHelp())
    .option("--detach-keys <keys>", "override the key sequence for detaching from a container")
    .action(async (service: string, opts) => {
      const { attachCommand } = await import("../commands/attach.js");
      await attachCommand(global(), service, opts);
    });
};
