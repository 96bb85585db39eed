// A counting proxy for the Engine API: listens on a unix socket of its own and forwards every
// request, unchanged, to the engine's socket. Point a tool at it with
// DOCKER_HOST=unix://<socket> and it counts that tool's calls, whatever the tool: moor and
// docker-compose are counted the same way, which is the fair comparison.
//
// Counting only: the extra hop adds latency to every call, so timed runs never go through it.
//
//   const proxy = await startApiProxy();
//   ...spawn a tool with { env: { ...process.env, DOCKER_HOST: proxy.dockerHost } } (asynchronously:
//   the proxy answers on this process's event loop, so spawnSync would deadlock)...
//   proxy.counts()  // { "GET /containers/json": 1, "POST /containers/{id}/start": 100, ... }
//   await proxy.close();
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { engineSocket } from "./engine-floor.mjs";

/**
 * An operation's key: the method and the path without its API version, query and ids/names,
 * e.g. `POST /containers/{id}/start`, `GET /images/{name}/json`.
 * @param {string} method
 * @param {string} url
 */
export function operationOf(method, url) {
  let p = (url.split("?")[0] ?? "").replace(/^\/v\d+\.\d+(?=\/)/, "");
  p = decodeURIComponent(p);
  // Image names hold slashes and colons: everything between /images/ and a known tail is the name.
  const img = /^\/(images|distribution)\/(?!json$|create$|build$|prune$|search$|load$|get$)(.+?)(\/(json|history|push|tag|get))?$/.exec(p);
  if (img) return `${method} /${img[1]}/{name}${img[3] ?? ""}`;
  p = p.replace(/^\/(containers|networks|volumes|exec|plugins|services|tasks|secrets|configs|nodes)\/(?!json$|create$|prune$)[^/]+/, "/$1/{id}");
  return `${method} ${p}`;
}

/**
 * Groups of operations, for the summary line: lists are what an observe step should need,
 * one per resource kind.
 * @param {string} op
 * @returns {"list" | "image look-up" | "version/ping" | "create" | "start" | "stop/kill" | "remove" | "inspect" | "other"}
 */
export function categoryOf(op) {
  if (/^GET \/(containers\/json|networks|volumes|images\/json)$/.test(op)) return "list";
  if (/^GET \/(images|distribution)\/\{name\}(\/json)?$/.test(op)) return "image look-up";
  if (/^(GET|HEAD) \/(version|_ping|info)$/.test(op)) return "version/ping";
  if (/^POST \/(containers|networks|volumes)\/create$/.test(op) || op === "POST /networks/{id}/connect") return "create";
  if (op === "POST /containers/{id}/start") return "start";
  if (/^POST \/containers\/\{id\}\/(stop|kill|wait)$/.test(op)) return "stop/kill";
  if (/^DELETE /.test(op)) return "remove";
  if (/^GET \/(containers|networks|volumes)\/\{id\}(\/json)?$/.test(op)) return "inspect";
  return "other";
}

/**
 * @typedef {object} ApiProxy
 * @property {string} socketPath   where the proxy listens
 * @property {string} dockerHost   unix://<socketPath>, for DOCKER_HOST
 * @property {() => Record<string, number>} counts  calls by operation since the last reset
 * @property {() => number} total
 * @property {() => void} reset
 * @property {() => Promise<void>} close
 */

/**
 * Starts the proxy.
 * @param {{ socketPath?: string, target?: string }} [o]  target: the engine's socket (default: DOCKER_HOST's or /var/run/docker.sock)
 * @returns {Promise<ApiProxy>}
 */
export async function startApiProxy(o = {}) {
  const target = o.target ?? engineSocket();
  const socketPath = o.socketPath ?? path.join(os.tmpdir(), `moor-bench-proxy-${process.pid}-${Date.now()}.sock`);
  fs.rmSync(socketPath, { force: true });
  /** @type {Map<string, number>} */
  let calls = new Map();
  const count = (/** @type {string} */ method, /** @type {string} */ url) => {
    const op = operationOf(method, url);
    calls.set(op, (calls.get(op) ?? 0) + 1);
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    count(req.method ?? "GET", req.url ?? "/");
    const up = http.request({ socketPath: target, agent, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on("error", (e) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`moor bench proxy: ${e.message}`);
    });
    req.pipe(up);
  });
  // Attach/exec hijack the connection (HTTP upgrade): pass the raw bytes both ways.
  server.on("upgrade", (req, socket, head) => {
    count(req.method ?? "GET", req.url ?? "/");
    const upstream = net.connect(target, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve(undefined));
  });
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    counts: () => Object.fromEntries([...calls.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    reset: () => {
      calls = new Map();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          agent.destroy();
          fs.rmSync(socketPath, { force: true });
          resolve(undefined);
        });
      }),
  };
}

/**
 * Calls by category (see categoryOf).
 * @param {Record<string, number>} counts
 * @returns {Record<string, number>}
 */
export function byCategory(counts) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const [op, n] of Object.entries(counts)) {
    const c = categoryOf(op);
    out[c] = (out[c] ?? 0) + n;
  }
  return out;
}
