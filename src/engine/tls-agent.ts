// node:https (and with it node:tls) loads only for an endpoint that speaks TLS: requiring it
// costs a few milliseconds of every command's start, and a local socket never needs it.
import type https from "node:https";
import { createRequire } from "node:module";
import type { TlsMaterial } from "./connection.js";

const requireBuiltin = createRequire(import.meta.url);

/** node:https, loaded on first use. */
export function httpsModule(): typeof https {
  return requireBuiltin("node:https") as typeof https;
}

/** An Agent carrying the endpoint's TLS material (client certificate, CA, verification). */
export function tlsAgent(tls: TlsMaterial, keepAlive: boolean): https.Agent {
  return new (httpsModule().Agent)({ ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.verify, keepAlive });
}
