// Whether the process may end as soon as the command's output is written. Set by a command that
// leaves nothing behind when it returns (no stream, no pending stop, no progress view), or that
// failed before doing anything and has only its own reads still in flight: bin/moor.js then ends
// the process at once instead of when node's event loop runs dry, which first finishes the
// garbage collection under way (10–20 ms after a 500-service `moor config`) or waits for those
// reads. Other commands end as node ends them: some finish work after their action returns.
// main.ts and the commands that set it are in one bundle (scripts/bundle-cli.mjs), so they
// share this module's flag; a command imported from dist/ would not.

let atOnce = false;

/** The running command leaves nothing that must finish: the process may end once output is out. */
export function endAtOnce(): void {
  atOnce = true;
}

/** Whether the command that ran said it may end at once. */
export function mayEndAtOnce(): boolean {
  return atOnce;
}
