// node:https (and with it node:tls) loads only for an endpoint that speaks TLS: requiring it
// costs a few milliseconds of every command's start, and a local socket never needs it.
import fs from "node:fs";
import type https from "node:https";
import { createRequire } from "node:module";
import type tls from "node:tls";
import type { TlsMaterial } from "./connection.js";

const requireBuiltin = createRequire(import.meta.url);

/** node:https, loaded on first use. */
export function httpsModule(): typeof https {
  return requireBuiltin("node:https") as typeof https;
}

/** An Agent carrying the endpoint's TLS material (client certificate, CA, verification). */
export function tlsAgent(material: TlsMaterial, keepAlive: boolean): https.Agent {
  const ca = material.ca ?? defaultRootsWithDeferredExtra();
  return new (httpsModule().Agent)({ ca, cert: material.cert, key: material.key, rejectUnauthorized: material.verify, keepAlive });
}

let roots: (string | Buffer)[] | undefined;

/**
 * The roots node would trust: its own plus NODE_EXTRA_CA_CERTS's file, when bin/moor.js's
 * launcher kept node from loading that file at start-up (else undefined: node's roots already
 * hold it). Read once, at the first TLS connection; a file that cannot be read is ignored with
 * node's own warning, as node would have done.
 */
export function defaultRootsWithDeferredExtra(): (string | Buffer)[] | undefined {
  const file = (globalThis as Record<symbol, unknown>)[Symbol.for("moor.deferredExtraCaCerts")];
  if (typeof file !== "string" || file === "") return undefined;
  if (roots === undefined) {
    const builtin = (requireBuiltin("node:tls") as typeof tls).rootCertificates;
    try {
      roots = [...builtin, fs.readFileSync(file)];
    } catch (err) {
      process.stderr.write(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${(err as Error).message}\n`);
      roots = [...builtin];
    }
  }
  return roots;
}
