// Every failure that comes out of the engine adapter is one of these classes. dockerode and Node
// report problems as loosely shaped Errors (an HTTP status here, an errno code there, a message
// inside a 200 stream elsewhere); they are translated once, in `translateEngineError`, so callers
// branch on `instanceof` and the CLI prints `message` + `hint` without a stack trace.

/** Any failure reported by, or while talking to, the engine. */
export class EngineError extends Error {
  /** The HTTP status the engine answered with, when it answered. */
  readonly status: number | undefined;
  /** The engine's own words (`{"message": …}`), without our prefix. */
  readonly engineMessage: string;
  /** The adapter operation that failed, e.g. "containers.create". */
  readonly operation: string;
  /** What the user could do about it, when we know. */
  readonly hint: string | undefined;
  /** True when the user can fix it (bad reference, conflict, engine down); false looks like a bug. */
  readonly expected: boolean;

  constructor(message: string, opts: { status?: number; engineMessage?: string; operation: string; hint?: string; expected?: boolean; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "EngineError";
    this.status = opts.status;
    this.engineMessage = opts.engineMessage ?? message;
    this.operation = opts.operation;
    this.hint = opts.hint;
    this.expected = opts.expected ?? false;
  }
}

/** What to do when nothing answers at the endpoint. */
export const NOT_RUNNING_HINT =
  "is the Docker daemon running? start it (`sudo systemctl start docker`, or open Docker Desktop), or point moor at one that is: check DOCKER_HOST and the docker context (`docker context ls`)";

/** Nothing answers at the endpoint (socket missing, connection refused, TLS failed, permission denied). */
export class EngineUnreachableError extends EngineError {
  /** The endpoint we tried, e.g. "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  constructor(endpoint: string, reason: string, opts: { operation: string; hint?: string; cause?: unknown }) {
    super(`cannot reach the Docker engine at ${endpoint}: ${reason}`, {
      operation: opts.operation,
      engineMessage: reason,
      hint: opts.hint ?? NOT_RUNNING_HINT,
      expected: true,
      cause: opts.cause,
    });
    this.name = "EngineUnreachableError";
    this.endpoint = endpoint;
  }
}

/** 404: the container, network, volume, image or exec does not exist. */
export class NotFoundError extends EngineError {
  constructor(message: string, opts: { operation: string; engineMessage?: string; hint?: string; cause?: unknown }) {
    super(message, { ...opts, status: 404, expected: true });
    this.name = "NotFoundError";
  }
}

/** 409: a name is taken, a resource is in use, a container is already in the requested state… */
export class ConflictError extends EngineError {
  constructor(message: string, opts: { operation: string; engineMessage?: string; hint?: string; cause?: unknown }) {
    super(message, { ...opts, status: 409, expected: true });
    this.name = "ConflictError";
  }
}

export type PullFailure = "unreachable" | "not-found" | "denied" | "other";

/** A pull failed; `reason` says whether the registry was unreachable, the image unknown, or access denied. */
export class ImagePullError extends EngineError {
  readonly image: string;
  readonly registry: string;
  readonly reason: PullFailure;
  constructor(image: string, registry: string, reason: PullFailure, engineMessage: string, opts: { status?: number; cause?: unknown; verb?: "pull" | "push" } = {}) {
    const verb = opts.verb ?? "pull";
    const what =
      reason === "unreachable"
        ? `${registry} is unreachable (${engineMessage})`
        : reason === "not-found"
          ? `${registry} has no such image (${engineMessage})`
          : reason === "denied"
            ? `${registry} denied access (${engineMessage})`
            : engineMessage;
    super(`cannot ${verb} ${image}: ${what}`, {
      operation: `images.${verb}`,
      engineMessage,
      status: opts.status,
      cause: opts.cause,
      expected: true,
      hint:
        reason === "unreachable"
          ? `no registry answers: check the name, or make ${image} on this engine (a \`build:\` section in the service, \`docker build -t ${image} …\` or \`docker load\`); \`pull_policy: never\` then uses it without asking a registry`
          : reason === "denied"
            ? "log in to the registry (`docker login`) or check the image name"
            : `check the image name and tag, or build ${image} here (a \`build:\` section in the service)`,
    });
    this.name = "ImagePullError";
    this.image = image;
    this.registry = registry;
    this.reason = reason;
  }
}

/** A build failed inside the engine: a step's command failed, a COPY source was missing, a bad Dockerfile… */
export class BuildError extends EngineError {
  /** The tags the build would have produced. */
  readonly tags: readonly string[];
  /** The last "Step n/m : …" line the engine printed before failing, when there was one. */
  readonly step: string | undefined;
  constructor(tags: readonly string[], engineMessage: string, step: string | undefined, opts: { status?: number; cause?: unknown } = {}) {
    const name = tags[0] ?? "image";
    super(`building ${name} failed${step ? ` at ${step}` : ""}: ${engineMessage}`, {
      operation: "images.build",
      engineMessage,
      status: opts.status,
      cause: opts.cause,
      expected: true,
      hint: "the build's own output above says which instruction failed",
    });
    this.name = "BuildError";
    this.tags = tags;
    this.step = step;
  }
}

/** The build context cannot be packed: the directory or the Dockerfile is missing, or a file cannot be read. */
export class BuildContextError extends EngineError {
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { operation: "images.build", expected: true, hint: opts.hint, cause: opts.cause });
    this.name = "BuildContextError";
  }
}

/** The endpoint settings themselves are wrong (unknown scheme, missing TLS files, unknown context). */
export class EngineConfigError extends EngineError {
  constructor(message: string, hint?: string) {
    super(message, { operation: "connect", expected: true, hint });
    this.name = "EngineConfigError";
  }
}

/** Error codes Node gives when nothing usable answers at the other end. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "EPERM",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTSOCK",
  "EPROTO",
  "ECONNRESET",
  "EPIPE",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

interface ErrorShape {
  code?: unknown;
  statusCode?: unknown;
  json?: unknown;
  message?: unknown;
}

/** The engine's `{"message": …}` from an HTTP error, else the text docker-modem made of it. */
function engineMessageOf(err: ErrorShape): string {
  const json = err.json;
  if (json && typeof json === "object" && "message" in json && typeof json.message === "string") return json.message.trim();
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString("utf8").trim();
  if (typeof json === "string" && json.length > 0) return json.trim();
  const message = typeof err.message === "string" ? err.message : String(err);
  // docker-modem formats "(HTTP code 404) no such container - <engine text> "; keep the engine text.
  const m = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(message);
  return (m?.[1] ?? message).trim();
}

/**
 * What to do next about an engine's refusal, read from its own words: a host port already taken, a
 * container name held by another container, an image that is not on the engine.
 */
export function engineHint(engineMessage: string): string | undefined {
  const port = /Bind for (\S+):(\d+) failed: port is already allocated/.exec(engineMessage) ?? /listen (?:tcp|udp)[46]? (\S*):(\d+): bind: address already in use/.exec(engineMessage);
  if (port) {
    const n = port[2]!;
    return `host port ${n} is already taken: \`docker ps --filter publish=${n}\` shows a container publishing it; otherwise another program listens there (\`ss -ltnp 'sport = :${n}'\` names it). Stop it, or publish another host port`;
  }
  const name = /container name "\/?([^"]+)" is already in use by container "([0-9a-f]+)"/.exec(engineMessage);
  if (name) {
    const [, n, id] = name;
    return `container ${id!.slice(0, 12)} already has the name ${n} and is not one this project can take over (its labels differ): remove it (\`docker rm -f ${n}\`), rename it (\`docker rename ${n} <new name>\`), or run this project under another name (-p)`;
  }
  const image = /No such image: (\S+)/.exec(engineMessage);
  if (image) return `${image[1]} is not on this engine: pull it (\`moor pull\`), build it (\`moor build\`, for a service with a \`build:\` section), or check the name`;
  return undefined;
}

function unreachableReason(code: string, endpoint: string): { reason: string; hint?: string } {
  switch (code) {
    case "ENOENT":
      return { reason: "the socket does not exist" };
    case "EACCES":
    case "EPERM":
      return {
        reason: "permission denied",
        hint: `your user may not use ${endpoint}: add it to the \`docker\` group (\`sudo usermod -aG docker $USER\`, then log in again), run as root, or point DOCKER_HOST at a rootless engine`,
      };
    case "ECONNREFUSED":
      return { reason: "connection refused" };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { reason: "the host name does not resolve", hint: "check the host in DOCKER_HOST or the docker context" };
    case "ETIMEDOUT":
      return { reason: "the connection timed out" };
    case "ECONNRESET":
    case "EPIPE":
      // Over TCP a reset at once usually means TLS spoken to a plain port or the reverse; on a
      // local socket it means the engine went away (stopped, restarted, crashed) mid-request.
      if (/^(tcp|https?):/.test(endpoint)) return { reason: "the connection was reset (is it a TLS port spoken to without TLS, or the reverse?)", hint: "check DOCKER_TLS_VERIFY and DOCKER_CERT_PATH" };
      return { reason: "the engine closed the connection" };
    case "EPROTO":
      return { reason: "TLS handshake failed", hint: "check DOCKER_TLS_VERIFY and DOCKER_CERT_PATH" };
    default:
      // Node's verification codes: CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …
      if (/CERT|SIGNATURE|ISSUER/.test(code)) {
        return {
          reason: `the engine's TLS certificate was rejected (${code})`,
          hint: "the CA that signed it belongs in DOCKER_CERT_PATH/ca.pem (or the docker context's TLS files, or a file named by NODE_EXTRA_CA_CERTS); DOCKER_TLS without DOCKER_TLS_VERIFY encrypts without checking",
        };
      }
      return { reason: code };
  }
}

/**
 * Turns whatever dockerode, docker-modem or Node threw into one of the classes above. Called once,
 * at the adapter's boundary; errors that are already typed pass through untouched.
 */
export function translateEngineError(err: unknown, operation: string, endpoint: string, subject?: string): EngineError {
  if (err instanceof EngineError) return err;
  const shape: ErrorShape = typeof err === "object" && err !== null ? (err as ErrorShape) : { message: String(err) };
  const status = typeof shape.statusCode === "number" ? shape.statusCode : undefined;
  if (status === undefined) {
    const code = typeof shape.code === "string" ? shape.code : undefined;
    if (code !== undefined && UNREACHABLE_CODES.has(code)) {
      const { reason, hint } = unreachableReason(code, endpoint);
      return new EngineUnreachableError(endpoint, reason, { operation, hint, cause: err });
    }
    const message = typeof shape.message === "string" ? shape.message : String(err);
    return new EngineError(`${operation} failed: ${message}`, { operation, engineMessage: message, cause: err });
  }
  const engineMessage = engineMessageOf(shape);
  const about = subject ? `${subject}: ` : "";
  const hint = engineHint(engineMessage);
  switch (status) {
    case 404:
      return new NotFoundError(`${about}${engineMessage}`, { operation, engineMessage, hint, cause: err });
    case 403:
      // Engines before 23 answer 403 for "network has active endpoints", a conflict in all but code.
      if (/active endpoints|in use/i.test(engineMessage)) return new ConflictError(`${about}${engineMessage}`, { operation, engineMessage, cause: err });
      return new EngineError(`${operation} failed (HTTP 403): ${about}${engineMessage}`, { operation, status, engineMessage, cause: err, expected: true });
    case 409:
      return new ConflictError(`${about}${engineMessage}`, { operation, engineMessage, hint, cause: err });
    default:
      return new EngineError(`${operation} failed (HTTP ${status}): ${about}${engineMessage}`, {
        operation,
        status,
        engineMessage,
        hint,
        cause: err,
        // The engine refusing (a 500 with its reason: a privileged container in a sandbox, a port
        // already taken) is something the user can act on, not a moor bug: print it plainly.
        expected: status >= 400,
      });
  }
}
