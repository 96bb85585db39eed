// The port, top, cp, events, stats, ls command(s). Each action imports its implementation only when it runs.
import { collect, type RegisterCommands } from "./shared.js";

export const registerInspectCommands: RegisterCommands = (program, global) => {
  program
    .command("port")
    .description("print the public port for a port binding")
    .argument("<service>")
    .argument("<private_port>")
    .option("--protocol <protocol>", "tcp or udp", "tcp")
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .action(async (service: string, privatePort: string, opts) => {
      const { portCommand } = await import("../commands/port.js");
      await portCommand(global(), service, privatePort, opts);
    });

  program
    .command("top")
    .description("display the running processes")
    .argument("[services...]")
    .action(async (services: string[]) => {
      const { topCommand } = await import("../commands/top.js");
      await topCommand(global(), services);
    });

  program
    .command("cp")
    .description("copy files/folders between a service container and the local filesystem (SERVICE:SRC DEST, or SRC SERVICE:DEST; - for a tar on stdin/stdout)")
    .argument("<source>")
    .argument("<destination>")
    .option("--index <n>", "index of the container if the service has multiple replicas")
    .option("--all", "include containers created by the run command")
    .option("-L, --follow-link", "always follow symbol link in SRC_PATH")
    .option("-a, --archive", "archive mode (copy all uid/gid information)")
    .action(async (source: string, destination: string, opts) => {
      const { cpCommand } = await import("../commands/cp.js");
      await cpCommand(global(), source, destination, opts);
    });

  program
    .command("events")
    .description("receive real time events from containers")
    .argument("[services...]")
    .option("--json", "output events as a stream of json objects")
    .option("--since <time>", "show all events created since timestamp")
    .option("--until <time>", "stream events until this timestamp")
    .action(async (services: string[], opts) => {
      const { eventsCommand } = await import("../commands/events.js");
      await eventsCommand(global(), services, opts);
    });

  program
    .command("stats")
    .description("display a live stream of container(s) resource usage statistics")
    .argument("[service]")
    .option("-a, --all", "show all containers (default shows just running)")
    .option("--format <format>", "format output: table, json, 'table TEMPLATE' or a Go-style template ({{.Name}})")
    .option("--no-stream", "disable streaming stats and only pull the first result")
    .option("--no-trunc", "do not truncate output")
    .action(async (service: string | undefined, opts) => {
      const { statsCommand } = await import("../commands/stats.js");
      await statsCommand(global(), service === undefined ? [] : [service], { ...opts, noStream: opts.stream === false, noTrunc: opts.trunc === false });
    });

  program
    .command("ls")
    .description("list running compose projects")
    .option("-a, --all", "show all stopped compose projects")
    .option("--filter <filter>", "filter output based on conditions provided (name=NAME)", collect)
    .option("--format <format>", "format the output: table or json", "table")
    .option("-q, --quiet", "only display project names")
    .action(async (opts) => {
      const { lsCommand } = await import("../commands/ls.js");
      await lsCommand(opts);
    });
};
