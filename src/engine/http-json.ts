// One JSON request to the Engine API over node:http (or https for a TLS endpoint), without
// dockerode: what both adapters (docker-engine.ts, swarm-engine.ts) use for every plain JSON call.
// Failures come back in docker-modem's shape (an Error with statusCode and json), so
// translateEngineError reads errors from either path alike.
import http from "node:http";
import net from "node:net";
import type { EngineEndpoint } from "./connection.js";
import { httpsModule, tlsAgent } from "./tls-agent.js";

export type QueryValue = string | number | boolean | object | undefined;

export interface JsonRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  /** With the API version prefix, without the query. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: object;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Called with the response's headers (e.g. `Api-Version` on `/_ping`), whatever its status. */
  onHeaders?: (headers: http.IncomingHttpHeaders) => void;
}

/** The query string as the engine reads it: objects (filters) as JSON, undefined left out. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    params.set(k, typeof v === "object" ? JSON.stringify(v) : String(v));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

/**
 * Sends the request and resolves with the parsed JSON answer (undefined when empty, the text when
 * it is not JSON). 2xx and 304 ("already started/stopped") are success. Rejects with the raw
 * socket error or an HTTP error shaped as docker-modem's; the caller translates it.
 */
export function httpJson(target: Exclude<EngineEndpoint, { kind: "ssh" }>, req: JsonRequest): Promise<unknown> {
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string | number> = { Accept: "application/json", ...req.headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = Buffer.byteLength(body);
  } else if (req.method !== "GET" && req.method !== "HEAD") headers["Content-Length"] = 0;
  const tls = target.kind === "tcp" ? target.tls : undefined;
  // On a unix socket the request opens its own connection, without an Agent: the Agent's first
  // request compiles node's IPv6 pattern for a TLS server name (some 3 ms of a 95 ms `deploy -d`),
  // and a local connect costs microseconds.
  const where =
    target.kind === "unix"
      ? { createConnection: () => net.connect(target.socketPath) }
      : { host: target.host, port: target.port, ...(tls ? { agent: tlsAgent(tls, false) } : {}) };
  const lib = tls ? httpsModule() : http;
  return new Promise((resolve, reject) => {
    const request = lib.request({ ...where, path: `${req.path}${encodeQuery(req.query)}`, method: req.method, headers, signal: req.signal }, (res) => {
      req.onHeaders?.(res.headers);
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = text;
        }
        const status = res.statusCode ?? 0;
        if ((status >= 200 && status < 300) || status === 304) resolve(json);
        else reject(Object.assign(new Error(`(HTTP code ${status}) ${http.STATUS_CODES[status] ?? "unexpected"}`), { statusCode: status, json: typeof json === "string" ? Buffer.from(json) : json }));
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}
