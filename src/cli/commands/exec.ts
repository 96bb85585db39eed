// `moor exec SERVICE COMMAND...`: run a command in a running container of the service, like
// `docker exec -it`: a TTY when stdout is a terminal (unless -T), stdin forwarded, the terminal's
// size followed, and the command's exit code becomes moor's.
import type { Engine } from "../../engine/engine.js";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../detach-keys.js";
import { ExitCode, UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { resolveEnvFlags } from "../run-options.js";
import { parseIndex, runningContainer } from "../running-container.js";
import { runSession } from "../terminal-session.js";

export interface ExecCommandOptions {
  detach?: boolean;
  env?: string[];
  index?: string;
  privileged?: boolean;
  user?: string;
  /** -T given. */
  noTty?: boolean;
  workdir?: string;
  interactive?: boolean;
}

/** `-e` entries as compose sends them: KEY=VALUE as given, a bare KEY with its value from `lookup`, or bare when unset. */
export function execEnv(entries: string[], lookup: (key: string) => string | undefined): string[] {
  const resolved = resolveEnvFlags(entries, lookup);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = entry.includes("=") ? entry.slice(0, entry.indexOf("=")) : entry;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Object.hasOwn(resolved, key) ? `${key}=${resolved[key]}` : key);
  }
  return out;
}

/** The exit code of a finished exec; the engine may need a moment to record it after the output ends. */
async function execExitCode(engine: Engine, execId: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const status = await engine.inspectExec(execId);
    if (!status.running && status.exitCode !== undefined) return status.exitCode;
    if (attempt >= 50) return -1;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function execCommand(global: GlobalOptions, service: string, command: string[], opts: ExecCommandOptions): Promise<void> {
  const index = parseIndex(opts.index);
  // compose: a TTY unless -T, whose default is "stdout is not a terminal".
  const tty = !(opts.noTty ?? process.stdout.isTTY !== true);
  const interactive = opts.interactive !== false;
  if (!opts.detach && interactive && tty && process.stdin.isTTY !== true) {
    throw new UserError("the input device is not a TTY", "pass -T to run the command without a TTY");
  }
  const { name, loaded } = await loadOrName(global);
  const environment = loaded?.result.environment;
  const env = execEnv(opts.env ?? [], (k) => (environment ? environment[k] : process.env[k]));
  const engine = await connectEngine();
  const target = await runningContainer(engine, name, service, index);

  const execId = await engine.createExec(target.id, {
    cmd: command,
    env,
    workingDir: opts.workdir,
    user: opts.user,
    privileged: opts.privileged,
    tty,
    attachStdin: !opts.detach && interactive,
    attachStdout: !opts.detach,
    attachStderr: !opts.detach,
  });
  if (opts.detach) {
    await engine.startExecDetached(execId, { tty });
    return;
  }
  const stream = await engine.startExec(execId, { tty });
  const end = await runSession(stream, {
    tty,
    stdin: interactive,
    detachKeys: parseDetachKeys(DEFAULT_DETACH_KEYS),
    resize: tty && process.stdin.isTTY === true ? (size) => engine.resizeExec(execId, size) : undefined,
  });
  // The docker CLI reports a detach as an error: the command goes on running.
  if (end === "detached") throw new UserError("read escape sequence");
  const code = await execExitCode(engine, execId);
  if (code !== 0) throw new ExitCode(code);
}
