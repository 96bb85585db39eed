#!/usr/bin/env -S node --
// `node --` ends node's own options: Node 20 would otherwise take `--env-file` for itself.
// `moor --version` answers before any module loads: it is typed often and must feel instant.
import { createRequire } from "node:module";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  process.stdout.write(`moor version v${createRequire(import.meta.url)("../package.json").version}\n`);
} else {
  await import("../dist/cli/main.js");
}
