// `moor rm [SERVICE...]`: removes the stopped containers of the named services (all when none are
// named), after asking. With `-s` they are stopped first; with `-v` their anonymous volumes go too.
import readline from "node:readline";
import type { GlobalOptions } from "../global-options.js";
import { isYes, planRemove, planStop, removable } from "../lifecycle-model.js";
import { openTarget, runPlan } from "../lifecycle-target.js";
import { projectContainers, serviceOf } from "../service-containers.js";

export interface RmOptions {
  force?: boolean;
  stop?: boolean;
  volumes?: boolean;
}

export async function rmCommand(global: GlobalOptions, services: string[], opts: RmOptions): Promise<void> {
  const target = await openTarget(global, services, { all: true });
  const chosen = new Set(services.length > 0 ? services : Object.keys(target.project.services));
  if (opts.stop) {
    await runPlan(target, planStop(target.project, target.containers, services));
    // What the stop left stopped is what rm may remove; a dry run only pretends they stopped.
    target.containers = global.dryRun
      ? target.containers.map((c) => (chosen.has(serviceOf(c)) ? { ...c, state: "exited" as const } : c))
      : await projectContainers(target.engine, target.name, { all: true });
  }
  const candidates = removable(target.containers, chosen);
  if (candidates.length === 0) {
    process.stderr.write("No stopped containers\n");
    return;
  }
  const message = `Going to remove ${candidates.map((c) => c.name).join(", ")}`;
  if (opts.force) process.stdout.write(`${message}\n`);
  else if (!(await ask(message))) return;
  await runPlan(target, planRemove(target.project, candidates, services, opts.volumes === true));
}

/**
 * compose's confirmation: on a terminal a y/N question (default no); otherwise the message, then
 * one line read from standard input ("y" or a Go true value confirms; nothing read declines).
 */
async function ask(message: string): Promise<boolean> {
  const terminal = process.stdin.isTTY === true;
  process.stdout.write(terminal ? `? ${message} (y/N) ` : message);
  const answer = await new Promise<string>((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    let line: string | undefined;
    rl.once("line", (l) => {
      line = l;
      rl.close();
    });
    rl.once("close", () => resolve(line ?? ""));
  });
  if (!terminal) process.stdout.write("\n");
  return isYes(answer);
}
