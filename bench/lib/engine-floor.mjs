// The engine floor: what creating, starting and removing N containers costs through the Engine
// API itself, with no orchestration (no compose file, no planning, no observing, no progress
// output) and at a chosen concurrency. It is the least any orchestrator can take for the same
// containers, so moor's and docker-compose's times are reported against it.
//
// Raw HTTP over the engine's unix socket with a keep-alive agent (one socket per concurrent
// call); no dockerode, so that not even a client library's overhead is counted.
//
// Every container and network made here carries `com.docker.compose.project=<project>` (plus the
// labels the caller adds), and `removeProject` finds them by that label alone, so cleanup works
// after a failure half-way through.
import { Buffer } from "node:buffer";
import http from "node:http";
import process from "node:process";
import { setTimeout } from "node:timers";

/** The engine's socket: DOCKER_HOST when it is a unix:// address, else the default. */
export function engineSocket(env = process.env) {
  const h = env.DOCKER_HOST;
  if (h && h.startsWith("unix://")) return h.slice("unix://".length);
  return "/var/run/docker.sock";
}

/** The API version every call is sent with (the engine here is Docker 20.10, API 1.41). */
export const API = "/v1.41";

/**
 * A small Engine API client: raw HTTP/1.1 over a unix socket, JSON in and out.
 * @typedef {object} FloorClient
 * @property {(method: string, path: string, body?: unknown) => Promise<{ status: number, json: unknown }>} call
 *   one request; rejects on a status of 400 or more (a floor of failing calls measures nothing)
 * @property {() => void} close  closes the kept-alive sockets
 */

/**
 * @param {{ socketPath?: string, maxSockets?: number }} [o]
 * @returns {FloorClient}
 */
export function floorClient(o = {}) {
  const socketPath = o.socketPath ?? engineSocket();
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 64 });
  /** @type {FloorClient["call"]} */
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = http.request(
        {
          socketPath,
          agent,
          method,
          path: `${API}${path}`,
          headers: payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {},
        },
        (res) => {
          /** @type {Buffer[]} */
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              reject(new Error(`${method} ${path}: ${status} ${text.trim()}`));
              return;
            }
            let json;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = text;
            }
            resolve({ status, json });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

/**
 * Runs `fn` over `items` with at most `concurrency` in flight; rejects with the first failure
 * (after the calls already in flight have settled, so nothing is left running behind us).
 * @template T, R
 * @param {T[]} items
 * @param {number} concurrency
 * @param {(item: T, index: number) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function pool(items, concurrency, fn) {
  /** @type {R[]} */
  const out = new Array(items.length);
  let next = 0;
  /** @type {unknown} */
  let failure;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure !== undefined) throw failure;
  return out;
}

/**
 * What the floor creates: the same containers a compose file of N busybox services running
 * `sleep 3600` yields (one per service, on the project's network, with its service alias),
 * so the engine does the same work (a veth pair and an endpoint per container) as under
 * either tool.
 * @typedef {object} FloorSpec
 * @property {string} project        value of com.docker.compose.project (and the network's name prefix)
 * @property {string[]} services     one container per service, named <project>-<service>-1
 * @property {string} [image]        default moor-test/busybox:latest
 * @property {string[]} [cmd]        default sleep 3600
 * @property {Record<string, string>} [labels]  added to every container and to the network
 * @property {number} concurrency    calls in flight at most
 * @property {string[][]} [chains]   start order: each chain's services one after another, chains side by side
 */

/**
 * Creates the project's network and N containers, then starts them: all at once (at the given
 * concurrency), or, with `chains`, each chain in order (a dependency started before its
 * dependent, as `depends_on` requires) and the chains side by side.
 * @param {FloorClient} client
 * @param {FloorSpec} spec
 * @returns {Promise<{ network: string, ids: Map<string, string> }>}  container id by service
 */
export async function floorUp(client, spec) {
  const labels = { "com.docker.compose.project": spec.project, ...spec.labels };
  const network = `${spec.project}_default`;
  await client.call("POST", "/networks/create", { Name: network, CheckDuplicate: true, Labels: labels });
  /** @type {Map<string, string>} */
  const ids = new Map();
  const create = async (/** @type {string} */ service) => {
    const { json } = await client.call("POST", `/containers/create?name=${encodeURIComponent(`${spec.project}-${service}-1`)}`, {
      Image: spec.image ?? "moor-test/busybox:latest",
      Cmd: spec.cmd ?? ["sleep", "3600"],
      Labels: { ...labels, "com.docker.compose.service": service, "com.docker.compose.container-number": "1", "com.docker.compose.oneoff": "False" },
      HostConfig: { NetworkMode: network },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service] } } },
    });
    const id = /** @type {{ Id: string }} */ (json).Id;
    ids.set(service, id);
    return id;
  };
  const start = (/** @type {string} */ service) => client.call("POST", `/containers/${ids.get(service)}/start`);
  if (spec.chains) {
    // Everything is created first (nothing orders creation), then each chain starts in order.
    await pool(spec.services, spec.concurrency, create);
    await pool(spec.chains, spec.concurrency, async (chain) => {
      for (const s of chain) await start(s);
    });
  } else {
    // Create and start each container in one go: a container starts as soon as it exists.
    await pool(spec.services, spec.concurrency, async (s) => {
      await create(s);
      await start(s);
    });
  }
  return { network, ids };
}

/**
 * Stops (no grace period) and removes one container. Not a single forced DELETE: on this
 * engine (Docker 20.10) forced removals of running containers side by side leave the network
 * with a stale endpoint now and then ("has active endpoints" with no container on it), so the
 * network can never be removed; stop-then-remove, as both tools do, does not.
 * @param {FloorClient} client
 * @param {string} id
 */
export async function stopAndRemove(client, id) {
  await client.call("POST", `/containers/${id}/stop?t=0`).catch((e) => {
    // 304: not running; 404: gone already.
    if (!/: (304|404) /.test(String(e.message))) throw e;
  });
  await client.call("DELETE", `/containers/${id}?v=true&force=true`);
}

/**
 * The floor of removing containers: stop (t=0) and remove each, then the network.
 * @param {FloorClient} client
 * @param {{ ids: string[], network?: string, concurrency: number }} o
 */
export async function floorDown(client, o) {
  await pool(o.ids, o.concurrency, (id) => stopAndRemove(client, id));
  if (o.network) await removeNetwork(client, o.network);
}

/**
 * Removes a network; gone already is fine. Docker 20.10 can answer 403 "has active endpoints"
 * for a moment after the last container on it was force-removed (the endpoint is released
 * asynchronously): retried for up to about 5 s.
 * @param {FloorClient} client
 * @param {string} id
 */
export async function removeNetwork(client, id) {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.call("DELETE", `/networks/${encodeURIComponent(id)}`);
      return;
    } catch (e) {
      const msg = String(/** @type {Error} */ (e).message);
      if (/: 404 /.test(msg)) return;
      if (!/active endpoints/.test(msg) || attempt >= 50) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Ids of the containers of a project (running or not), by label.
 * @param {FloorClient} client
 * @param {string} project
 * @returns {Promise<string[]>}
 */
export async function projectContainers(client, project) {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  const { json } = await client.call("GET", `/containers/json?all=true&filters=${filters}`);
  return /** @type {{ Id: string }[]} */ (json).map((c) => c.Id);
}

/**
 * Removes everything of a project, found by label: containers (forced), then networks. Untimed
 * cleanup; safe to call when nothing is there. Only ever touches this project's label.
 * @param {FloorClient} client
 * @param {string} project
 * @param {number} [concurrency]
 * @returns {Promise<number>} how many containers were removed
 */
export async function removeProject(client, project, concurrency = 16) {
  const ids = await projectContainers(client, project);
  await pool(ids, concurrency, (id) =>
    stopAndRemove(client, id).catch((e) => {
      // Already gone (removed by a tool in flight) is what we wanted.
      if (!/: 404 /.test(String(e.message))) throw e;
    }),
  );
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  const { json } = await client.call("GET", `/networks?filters=${filters}`);
  for (const n of /** @type {{ Id: string, Name: string }[]} */ (json)) {
    try {
      await removeNetwork(client, n.Id);
    } catch (e) {
      // An engine-side stale endpoint (inspect shows no container, DELETE says "active endpoints")
      // outlives every retry; it is empty and harmless, so say so and go on rather than abort a run.
      if (!/active endpoints/.test(String(/** @type {Error} */ (e).message))) throw e;
      process.stderr.write(`warning: network ${n.Name} kept: the engine reports a stale endpoint on it\n`);
    }
  }
  return ids.length;
}
