// SHA-256 with node:crypto loaded on first use: requiring it costs some 2 ms, which `moor config`
// and `moor deploy` would otherwise pay at start even when nothing is hashed (no --hash, no secret).
import type crypto from "node:crypto";
import { createRequire } from "node:module";

let loaded: typeof crypto | undefined;

/** A SHA-256 hash object, to `update` and `digest` as node:crypto's. */
export function sha256(): crypto.Hash {
  loaded ??= createRequire(import.meta.url)("node:crypto") as typeof crypto;
  return loaded.createHash("sha256");
}
