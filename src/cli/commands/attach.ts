// `moor attach SERVICE`: connect this terminal to a running container of the service, like
// `docker attach`: its output here, our input to it (unless --no-stdin, and only when it was
// created with stdin open), signals passed on without a TTY (--sig-proxy), ctrl-p ctrl-q (or
// --detach-keys) to leave it running; its exit code becomes moor's.
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../detach-keys.js";
import { ExitCode, UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { parseIndex, runningContainer } from "../running-container.js";
import { proxySignals, runSession } from "../terminal-session.js";

export interface AttachCommandOptions {
  index?: string;
  /** false with --no-stdin. */
  stdin?: boolean;
  /** false with --no-sig-proxy or --sig-proxy=false. */
  sigProxy?: boolean;
  detachKeys?: string;
}

export async function attachCommand(global: GlobalOptions, service: string, opts: AttachCommandOptions): Promise<void> {
  const index = parseIndex(opts.index);
  const keys = opts.detachKeys || DEFAULT_DETACH_KEYS;
  const detachKeys = parseDetachKeys(keys);
  const noStdin = opts.stdin === false;
  const { name } = await loadOrName(global);
  const engine = await connectEngine();
  const target = await runningContainer(engine, name, service, index);

  // Registered before anything else, so an exit while we attach is still reported.
  const watch = await engine.watchContainerExit(target.id, "not-running");
  const stopProxy: { stop?: () => void } = {};
  try {
    const info = await engine.inspectContainer(target.id);
    if (!info.state.running) throw new UserError("cannot attach to a stopped container, start it first");
    if (info.state.paused) throw new UserError("cannot attach to a paused container, unpause it first");
    if (info.state.restarting) throw new UserError("cannot attach to a restarting container, wait until it is running");
    const tty = info.config.tty;
    if (!noStdin && tty && process.stdin.isTTY !== true) throw new UserError("the input device is not a TTY", "pass --no-stdin to attach without input");
    const stdin = !noStdin && info.config.openStdin;
    if (opts.sigProxy !== false && !tty) stopProxy.stop = proxySignals((signal) => engine.killContainer(target.id, signal));
    const stream = await engine.attachContainer(target.id, { stdin, tty, detachKeys: keys });
    const end = await runSession(stream, {
      tty,
      stdin,
      detachKeys,
      resize: tty && process.stdout.isTTY === true ? (size) => engine.resizeContainer(target.id, size) : undefined,
      nudge: true,
    });
    // The docker CLI reports a detach as an error: the container goes on running.
    if (end === "detached") throw new UserError("read escape sequence");
    const { exitCode, error } = await watch.exit;
    if (error) throw new UserError(error);
    if (exitCode !== 0) throw new ExitCode(exitCode);
  } finally {
    stopProxy.stop?.();
    watch.cancel();
  }
}
