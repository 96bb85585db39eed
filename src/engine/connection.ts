// Where the engine is, decided the way the docker CLI decides it, so `moor` talks to the same
// engine as `docker` in the same shell: DOCKER_HOST, else DOCKER_CONTEXT, else the current
// context of ~/.docker/config.json, else the default socket. The environment and a small file
// reader come in as parameters, so this is testable without a machine set up for it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EngineConfigError } from "./errors.js";
import { sha256 } from "../compose/sha256.js";

/** The environment as the CLI hands it in; nothing here reads process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface TlsMaterial {
  /** Verify the server's certificate (DOCKER_TLS_VERIFY); false means TLS without verification (DOCKER_TLS). */
  verify: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** A resolved engine endpoint. */
export type EngineEndpoint =
  | { kind: "unix"; url: string; socketPath: string; source: string; alternatives: string[] }
  | { kind: "tcp"; url: string; host: string; port: number; tls: TlsMaterial | undefined; source: string; alternatives: string[] }
  | { kind: "ssh"; url: string; host: string; port: number; username: string | undefined; source: string; alternatives: string[] };

/** The only file access endpoint resolution needs. */
export interface EndpointFiles {
  /** The file's bytes, or undefined when it does not exist. */
  read(file: string): Buffer | undefined;
  exists(file: string): boolean;
}

/** Reads through node:fs; a missing file is undefined, any other failure (permissions) is thrown. */
export const nodeEndpointFiles: EndpointFiles = {
  read(file) {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  },
  exists: (file) => fs.existsSync(file),
};

export const DEFAULT_SOCKET = "/var/run/docker.sock";

/** The docker CLI's config directory: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: Env): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), ".docker");
}

/** Resolves the endpoint from the environment and the docker CLI's context files. */
export function resolveEndpoint(env: Env, files: EndpointFiles = nodeEndpointFiles): EngineEndpoint {
  const alternatives = alternativeSockets(env, files);
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) return parseHost(dockerHost, "DOCKER_HOST", tlsFromEnv(env, files), alternatives);

  const configDir = dockerConfigDir(env);
  const contextName = env.DOCKER_CONTEXT || currentContext(configDir, files);
  if (contextName && contextName !== "default") {
    const digest = sha256().update(contextName).digest("hex");
    const metaFile = path.join(configDir, "contexts", "meta", digest, "meta.json");
    const meta = files.read(metaFile);
    if (!meta) {
      throw new EngineConfigError(`docker context "${contextName}" does not exist (no ${metaFile})`, "run `docker context ls`, or unset DOCKER_CONTEXT");
    }
    const endpoint = parseContextMeta(meta, metaFile);
    const tlsDir = path.join(configDir, "contexts", "tls", digest, "docker");
    const tls = readTls(tlsDir, !endpoint.skipTlsVerify, files, false);
    return parseHost(endpoint.host, `docker context "${contextName}"`, tls, alternatives);
  }
  return { kind: "unix", url: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET, source: "default socket", alternatives };
}

function currentContext(configDir: string, files: EndpointFiles): string | undefined {
  const configFile = path.join(configDir, "config.json");
  const raw = files.read(configFile);
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new EngineConfigError(`${configFile} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed && typeof parsed === "object" && "currentContext" in parsed && typeof parsed.currentContext === "string") return parsed.currentContext;
  return undefined;
}

function parseContextMeta(raw: Buffer, file: string): { host: string; skipTlsVerify: boolean } {
  let meta: unknown;
  try {
    meta = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new EngineConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const docker = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } } | null)?.Endpoints?.docker;
  if (!docker || typeof docker.Host !== "string" || docker.Host === "") {
    throw new EngineConfigError(`${file} has no Endpoints.docker.Host`);
  }
  return { host: docker.Host, skipTlsVerify: docker.SkipTLSVerify === true };
}

/**
 * TLS settings from the environment, as the docker CLI reads them: DOCKER_TLS_VERIFY (any
 * non-empty value) verifies the server, DOCKER_TLS alone encrypts without verifying, and the
 * certificates come from DOCKER_CERT_PATH or ~/.docker.
 */
function tlsFromEnv(env: Env, files: EndpointFiles): TlsMaterial | undefined {
  const verify = (env.DOCKER_TLS_VERIFY ?? "") !== "";
  const tls = verify || (env.DOCKER_TLS ?? "") !== "" || (env.DOCKER_CERT_PATH ?? "") !== "";
  if (!tls) return undefined;
  const certDir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  return readTls(certDir, verify, files, (env.DOCKER_CERT_PATH ?? "") !== "") ?? { verify };
}

function readTls(dir: string, verify: boolean, files: EndpointFiles, required: boolean): TlsMaterial | undefined {
  const ca = files.read(path.join(dir, "ca.pem"));
  const cert = files.read(path.join(dir, "cert.pem"));
  const key = files.read(path.join(dir, "key.pem"));
  if (!ca && !cert && !key) {
    if (required) throw new EngineConfigError(`DOCKER_CERT_PATH=${dir} holds none of ca.pem, cert.pem, key.pem`);
    return undefined;
  }
  if ((cert && !key) || (key && !cert)) {
    throw new EngineConfigError(`${dir} has ${cert ? "cert.pem without key.pem" : "key.pem without cert.pem"}; a client certificate needs both`);
  }
  return { verify, ca, cert, key };
}

/** Turns a host URL (unix://, tcp://, ssh://, or a bare host:port) into an endpoint. */
export function parseHost(host: string, source: string, tls: TlsMaterial | undefined, alternatives: string[] = []): EngineEndpoint {
  if (host.startsWith("unix://")) {
    const socketPath = host.slice("unix://".length) || DEFAULT_SOCKET;
    return { kind: "unix", url: `unix://${socketPath}`, socketPath, source, alternatives };
  }
  if (host.startsWith("npipe://")) {
    throw new EngineConfigError(`${source}=${host}: named pipes exist only on Windows`);
  }
  // A bare "host:port" means TCP, as for the docker CLI.
  const withScheme = host.includes("://") ? host : `tcp://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new EngineConfigError(`${source}=${host} is not a valid engine address`, "use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host");
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  switch (url.protocol) {
    case "tcp:":
    case "http:":
    case "https:": {
      if (!hostname) throw new EngineConfigError(`${source}=${host} names no host`);
      const port = url.port ? Number(url.port) : 2375;
      // 2376 is the engine's TLS port by convention; speaking plain HTTP to it only yields a reset.
      const effectiveTls = tls ?? (port === 2376 || url.protocol === "https:" ? { verify: false } : undefined);
      const scheme = url.protocol === "https:" ? "https" : "tcp";
      return { kind: "tcp", url: `${scheme}://${url.host}`, host: hostname, port, tls: effectiveTls, source, alternatives };
    }
    case "ssh:": {
      if (!hostname) throw new EngineConfigError(`${source}=${host} names no host`);
      return {
        kind: "ssh",
        url: withScheme,
        host: hostname,
        port: url.port ? Number(url.port) : 22,
        username: url.username ? decodeURIComponent(url.username) : undefined,
        source,
        alternatives,
      };
    }
    default:
      throw new EngineConfigError(`${source}=${host}: unsupported scheme ${url.protocol}`, "use unix://, tcp:// or ssh://");
  }
}

/**
 * Sockets of other engines that exist on this machine (rootless Docker, Docker Desktop, Podman),
 * named in the "unreachable" hint so a user whose engine is not at the default place learns
 * which DOCKER_HOST to set.
 */
function alternativeSockets(env: Env, files: EndpointFiles): string[] {
  const candidates: string[] = [];
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime) candidates.push(path.join(runtime, "docker.sock"), path.join(runtime, "podman", "podman.sock"));
  candidates.push(path.join(env.HOME || os.homedir(), ".docker", "run", "docker.sock"), "/run/podman/podman.sock", DEFAULT_SOCKET);
  return candidates.filter((c) => files.exists(c)).map((c) => `unix://${c}`);
}

/** Compares dotted versions numerically: "1.9" < "1.41". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
