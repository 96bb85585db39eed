// The Docker Engine API behind the `Engine` port, over dockerode's connection layer (unix socket,
// TCP with or without TLS, ssh). Every request goes through `request`, which negotiates the API
// version on first use, counts the call, and translates failures into errors.ts's classes: the
// one place where engine errors are interpreted.
import { IncomingMessage } from "node:http";
import type https from "node:https";
import type { Duplex, Readable } from "node:stream";
import type Docker from "dockerode";
import type {
  ApiContainer,
  ApiContainerInspect,
  ApiEvent,
  ApiExecInspect,
  ApiImage,
  ApiImageInspect,
  ApiNetwork,
  ApiProgressMessage,
  ApiVersion,
  ApiVolume,
} from "./api-types.js";
import { isRemoteContext, packBuildContext } from "./build-context.js";
import { compareVersions, resolveEndpoint, type EndpointFiles, type EngineEndpoint, type Env } from "./connection.js";
import { httpJson } from "./http-json.js";
import { tlsAgent } from "./tls-agent.js";
import type {
  ArchiveStat,
  AttachedStream,
  AttachOptions,
  BuildRequest,
  ContainerCreateRequest,
  EndpointConfig,
  Engine,
  EngineStats,
  EventsOptions,
  ExecCreateOptions,
  ExecOptions,
  ExecResult,
  ExecStatus,
  ExitWatch,
  ListContainersOptions,
  ListImagesOptions,
  ListResourcesOptions,
  LogsOptions,
  NetworkCreateRequest,
  ProgressListener,
  TerminalSize,
  VolumeCreateRequest,
  WaitCondition,
} from "./engine.js";
import { countingStats } from "./engine.js";
import { BuildError, EngineConfigError, EngineError, EngineUnreachableError, ImagePullError, NotFoundError, translateEngineError } from "./errors.js";
import { classifyPullFailure, parseImageRef } from "./image-ref.js";
import { jsonLines } from "./json-lines.js";
import { demultiplex, outputLines, rawOutput, type OutputChunk } from "./log-stream.js";
import { containerDetails, containerSummary, engineEvent, imageDetails, imageSummary, networkSummary, volumeSummary } from "./summaries.js";
import { LABELS, type ContainerDetails, type ContainerSummary, type EngineEvent, type EngineVersion, type ImageDetails, type ImageSummary, type LogLine, type NetworkSummary, type VolumeSummary } from "./types.js";

/** The newest Engine API version moor is written against. */
export const MAX_API_VERSION = "1.41";

type QueryValue = string | number | boolean | string[] | Record<string, unknown> | undefined;

interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  path: string;
  query?: Record<string, QueryValue>;
  body?: object;
  /** A request body sent as is (tar archives). */
  file?: Readable | Buffer;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Ask the engine to upgrade the connection (`Upgrade: tcp`) and hand over the raw socket. */
  hijack?: boolean;
}

type DialOptions = Parameters<Docker["modem"]["dial"]>[0];

// Codes the engine uses for success; 304 is "already started/stopped", which compose treats as done.
const STATUS_CODES: Record<number, string | boolean> = {
  200: true,
  201: true,
  204: true,
  304: true,
  400: "bad parameter",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  406: "not acceptable",
  409: "conflict",
  500: "server error",
  503: "unavailable",
};

/**
 * The engine the environment names (DOCKER_HOST, DOCKER_CONTEXT, the docker CLI's current
 * context, the default socket). No request is made until the first call.
 */
export function connectDockerEngine(opts: { env: Env; files?: EndpointFiles }): DockerEngine {
  return new DockerEngine(resolveEndpoint(opts.env, opts.files));
}

/** `Engine` over the Docker Engine API (Docker, or Podman's Docker-compatible service). */
export class DockerEngine implements Engine {
  readonly endpoint: string;
  readonly stats: EngineStats;
  private readonly target: EngineEndpoint;
  private readonly counts: Record<string, number> = {};
  private connection: Promise<{ apiPrefix: string; version: EngineVersion }> | undefined;
  /** The engine has answered this process once: failing to reach it now means it went away. */
  private answered = false;
  private readonly clients = new Map<string, Promise<Docker>>();

  constructor(endpoint: EngineEndpoint) {
    this.target = endpoint;
    this.endpoint = endpoint.url;
    this.stats = countingStats(this.counts);
  }

  // ---- connection -------------------------------------------------------------------------

  private dockerOptions(version: string | undefined): Docker.DockerOptions & { agent?: https.Agent } {
    const t = this.target;
    // docker-modem fills unset options from process.env (DOCKER_HOST, DOCKER_CERT_PATH…); every
    // field is set here, undefined included, so only the endpoint resolved from `env` counts.
    const base = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, version };
    switch (t.kind) {
      case "unix":
        return { ...base, socketPath: t.socketPath };
      case "tcp":
        if (!t.tls) return { ...base, host: t.host, port: t.port, protocol: "http" };
        return {
          ...base,
          host: t.host,
          port: t.port,
          protocol: "https",
          // An agent carries the TLS settings because docker-modem has no switch for "TLS without verification".
          agent: tlsAgent(t.tls, true),
        };
      case "ssh":
        return { ...base, host: t.host, port: t.port, protocol: "ssh", username: t.username };
    }
  }

  private connect(): Promise<{ apiPrefix: string; version: EngineVersion }> {
    if (!this.connection) {
      this.connection = this.negotiate().then(
        (connected) => {
          this.answered = true;
          return connected;
        },
        (err: unknown) => {
          // Forget the failure so the next call tries again (the engine may have come up since).
          this.connection = undefined;
          throw err;
        },
      );
    }
    return this.connection;
  }

  /** GET /version unversioned, then speak min(engine's newest, ours) from here on. */
  private async negotiate(): Promise<{ apiPrefix: string; version: EngineVersion }> {
    const raw = (await this.send("", "system.version", { method: "GET", path: "/version" }, false)) as ApiVersion;
    const server = raw.ApiVersion ?? MAX_API_VERSION;
    const min = raw.MinAPIVersion ?? "1.12";
    if (compareVersions(min, MAX_API_VERSION) > 0) {
      throw new EngineError(`the engine at ${this.endpoint} needs API ${min} or newer; moor speaks up to ${MAX_API_VERSION}`, {
        operation: "system.version",
        expected: true,
        hint: "use an engine that still supports API 1.41 (Docker 20.10 or newer does)",
      });
    }
    const negotiated = compareVersions(server, MAX_API_VERSION) < 0 ? server : MAX_API_VERSION;
    const version: EngineVersion = {
      version: raw.Version ?? "",
      apiVersion: server,
      minApiVersion: min,
      negotiatedApiVersion: negotiated,
      os: raw.Os ?? "",
      arch: raw.Arch ?? "",
      kernelVersion: raw.KernelVersion ?? "",
      podman: (raw.Components ?? []).some((c) => (c.Name ?? "").toLowerCase().includes("podman")),
    };
    return { apiPrefix: `v${negotiated}`, version };
  }

  /**
   * dockerode is loaded on first need only: importing it (with ssh2) costs about 100 ms, more than
   * a whole no-op `up` spends talking to the engine, and plain JSON requests do not need it.
   */
  private dockerClient(apiPrefix: string): Promise<Docker> {
    let client = this.clients.get(apiPrefix);
    if (!client) {
      client = import("dockerode").then(({ default: DockerClass }) => this.makeClient(DockerClass, apiPrefix === "" ? undefined : apiPrefix));
      this.clients.set(apiPrefix, client);
    }
    return client;
  }

  private makeClient(DockerClass: typeof Docker, version: string | undefined): Docker {
    try {
      return new DockerClass(this.dockerOptions(version));
    } catch (err) {
      // docker-modem parses process.env's DOCKER_HOST and reads DOCKER_CERT_PATH's files while
      // constructing, even when every option is given; a broken value there fails here.
      throw new EngineConfigError(`cannot set up the connection to ${this.endpoint}: ${(err as Error).message}`, "check DOCKER_HOST and DOCKER_CERT_PATH in the environment");
    }
  }

  private translate(err: unknown, operation: string): EngineError {
    const typed = translateEngineError(err, operation, this.endpoint);
    if (typed instanceof EngineUnreachableError) {
      if (this.answered) {
        // It answered earlier in this run, so the address is right: the engine stopped or restarted.
        return new EngineUnreachableError(this.endpoint, `the engine stopped answering in the middle of the run (${typed.engineMessage})`, {
          operation,
          hint: "did the engine stop or restart? Once `docker info` answers again, run the command again: moor carries on from what the engine has",
          cause: err,
        });
      }
      const others = this.target.alternatives.filter((a) => a !== this.endpoint);
      if (others.length > 0) {
        return new EngineUnreachableError(this.endpoint, typed.engineMessage, {
          operation,
          hint: `${typed.hint ?? ""}; an engine socket exists at ${others.join(", ")}: \`export DOCKER_HOST=${others[0]}\` to use it`,
          cause: err,
        });
      }
    }
    return typed;
  }

  /**
   * One HTTP request, counted; resolves with parsed JSON, or the response stream when `stream`.
   * JSON requests (create, start, stop, remove, lists, inspects…) on a unix socket or plain TCP go
   * straight through node:http; archives, streams, hijacked connections, TLS and ssh go through
   * docker-modem.
   */
  private async send(apiPrefix: string, operation: string, spec: RequestSpec, stream: boolean): Promise<unknown> {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
    const t = this.target;
    if (!stream && !spec.hijack && spec.file === undefined && (t.kind === "unix" || (t.kind === "tcp" && !t.tls))) {
      return this.plainJson(apiPrefix, operation, spec);
    }
    return this.dial(await this.dockerClient(apiPrefix), operation, spec, stream);
  }

  /** A JSON request and its JSON answer over node:http, without loading dockerode. */
  private plainJson(apiPrefix: string, operation: string, spec: RequestSpec): Promise<unknown> {
    const t = this.target;
    if (t.kind === "ssh") throw new Error("bug: plain JSON requests are for unix and tcp endpoints");
    const path = `${apiPrefix ? `/${apiPrefix}` : ""}${spec.path}`;
    return httpJson(t, { method: spec.method, path, query: spec.query, body: spec.body, headers: spec.headers, signal: spec.signal }).catch((err: unknown) => {
      throw this.translate(err, operation);
    });
  }

  private dial(docker: Docker, operation: string, spec: RequestSpec, stream: boolean): Promise<unknown> {
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) query[k] = v;
    const options: DialOptions = {
      // docker-modem appends the query string only to paths that contain "?".
      path: `${spec.path}?`,
      method: spec.method,
      // Without `_body` docker-modem would send the whole options object as the POST body.
      options: { _query: query, _body: spec.body ?? {} },
      isStream: stream,
      statusCodes: STATUS_CODES,
      ...(spec.file !== undefined ? { file: spec.file } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.signal ? { abortSignal: spec.signal } : {}),
      ...(spec.hijack ? { hijack: true } : {}),
    };
    return new Promise((resolve, reject) => {
      try {
        docker.modem.dial(options, (err, result) => (err ? reject(this.translate(err, operation)) : resolve(result)));
      } catch (err) {
        reject(this.translate(err, operation));
      }
    });
  }

  private async request(operation: string, spec: RequestSpec): Promise<unknown> {
    const { apiPrefix } = await this.connect();
    const result = await this.send(apiPrefix, operation, spec, false);
    // Empty bodies come back as an empty Buffer; callers of JSON endpoints want "nothing".
    return Buffer.isBuffer(result) ? undefined : result;
  }

  private async requestStream(operation: string, spec: RequestSpec): Promise<IncomingMessage> {
    const { apiPrefix } = await this.connect();
    return (await this.send(apiPrefix, operation, spec, true)) as IncomingMessage;
  }

  /**
   * An upgraded connection: docker-modem hands over the raw socket once the engine answers 101.
   * An engine that answers 200 without upgrading still streams the output, in the response.
   */
  private async hijack(operation: string, spec: RequestSpec): Promise<Duplex | IncomingMessage> {
    const { apiPrefix } = await this.connect();
    return (await this.send(apiPrefix, operation, { ...spec, hijack: true }, true)) as Duplex | IncomingMessage;
  }

  /** The port's view of a hijacked connection: output demultiplexed, input written to the socket. */
  private attachedStream(conn: Duplex | IncomingMessage, tty: boolean, operation: string): AttachedStream {
    const socket = conn instanceof IncomingMessage ? undefined : conn;
    let closed = false;
    // Writing to a process that has just exited fails on the socket; the output side reports how
    // the connection ended, so a late write error must not become an unhandled 'error' event.
    conn.on("error", () => undefined);
    const translate = (err: unknown) => this.translate(err, operation);
    async function* output(): AsyncGenerator<OutputChunk> {
      try {
        yield* tty ? rawOutput(conn) : demultiplex(conn);
      } catch (err) {
        // A connection we dropped ourselves (detach) ends early; that is not a failure.
        if (closed) return;
        throw translate(err);
      } finally {
        conn.destroy();
      }
    }
    return {
      output: output(),
      writable: socket !== undefined,
      write: (data) =>
        new Promise<void>((resolve) => {
          if (!socket || socket.writableEnded || socket.destroyed) return resolve();
          // Input to a process that is gone is dropped, as the docker CLI drops it.
          socket.write(data, () => resolve());
        }),
      endInput: () => {
        if (socket && !socket.writableEnded && !socket.destroyed) socket.end();
      },
      close: () => {
        closed = true;
        conn.destroy();
      },
    };
  }

  // ---- system -----------------------------------------------------------------------------

  async ping(): Promise<void> {
    await this.request("system.ping", { method: "GET", path: "/_ping" });
  }

  async version(): Promise<EngineVersion> {
    return (await this.connect()).version;
  }

  // ---- lists ------------------------------------------------------------------------------

  async listContainers(opts: ListContainersOptions): Promise<ContainerSummary[]> {
    const raw = (await this.request("containers.list", {
      method: "GET",
      path: "/containers/json",
      query: { all: opts.all, filters: labelFilters(opts.project, opts.labels) },
    })) as ApiContainer[] | undefined;
    return (raw ?? []).map(containerSummary);
  }

  async listNetworks(opts: ListResourcesOptions = {}): Promise<NetworkSummary[]> {
    const raw = (await this.request("networks.list", { method: "GET", path: "/networks", query: { filters: labelFilters(opts.project, opts.labels) } })) as ApiNetwork[] | undefined;
    return (raw ?? []).map(networkSummary);
  }

  async listVolumes(opts: ListResourcesOptions = {}): Promise<VolumeSummary[]> {
    const raw = (await this.request("volumes.list", { method: "GET", path: "/volumes", query: { filters: labelFilters(opts.project, opts.labels) } })) as
      | { Volumes?: ApiVolume[] | null }
      | undefined;
    return (raw?.Volumes ?? []).map(volumeSummary);
  }

  async listImages(opts: ListImagesOptions = {}): Promise<ImageSummary[]> {
    const filters: Record<string, string[]> = {};
    if (opts.labels && opts.labels.length > 0) filters.label = opts.labels;
    if (opts.reference) filters.reference = [opts.reference];
    const raw = (await this.request("images.list", {
      method: "GET",
      path: "/images/json",
      query: { all: opts.all, filters: Object.keys(filters).length > 0 ? filters : undefined },
    })) as ApiImage[] | undefined;
    return (raw ?? []).map(imageSummary);
  }

  // ---- images -----------------------------------------------------------------------------

  async inspectImage(ref: string): Promise<ImageDetails | undefined> {
    try {
      const raw = (await this.request("images.inspect", { method: "GET", path: `/images/${imagePath(ref)}/json` })) as ApiImageInspect;
      return imageDetails(raw);
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  async removeImage(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.request("images.remove", { method: "DELETE", path: `/images/${imagePath(ref)}`, query: { force: opts.force } });
  }

  async pullImage(ref: string, onProgress?: ProgressListener): Promise<void> {
    const parsed = parseImageRef(ref);
    const fail = (message: string, status?: number, cause?: unknown): ImagePullError =>
      new ImagePullError(ref, parsed.registry, classifyPullFailure(message), message, { status, cause });
    let res: IncomingMessage;
    try {
      res = await this.requestStream("images.pull", { method: "POST", path: "/images/create", query: { fromImage: parsed.name, tag: parsed.tag } });
    } catch (err) {
      if (err instanceof EngineError && err.status !== undefined) throw fail(err.engineMessage, err.status, err);
      throw err;
    }
    // The engine answers 200 first and reports a failed pull inside the stream.
    for await (const message of this.progress(res, "images.pull")) {
      if (message.error !== undefined || message.errorDetail !== undefined) throw fail(message.errorDetail?.message ?? message.error ?? "pull failed");
      const text = [message.id, message.status, message.progress].filter((s) => s).join(" ");
      if (text && onProgress) onProgress(text);
    }
  }

  async buildImage(req: BuildRequest, onProgress?: ProgressListener): Promise<string> {
    if (req.tags.length === 0) throw new EngineError("a build needs at least one tag", { operation: "images.build" });
    const remote = isRemoteContext(req.contextDir);
    const packed = remote ? undefined : await packBuildContext(req);
    const query: Record<string, QueryValue> = {
      t: req.tags,
      dockerfile: packed ? packed.dockerfile : req.dockerfile,
      remote: remote ? req.contextDir : undefined,
      buildargs: req.args && Object.keys(req.args).length > 0 ? req.args : undefined,
      labels: req.labels && Object.keys(req.labels).length > 0 ? req.labels : undefined,
      target: req.target,
      networkmode: req.network,
      extrahosts: req.extraHosts && req.extraHosts.length > 0 ? req.extraHosts : undefined,
      // An array would become repeated parameters; the API wants one JSON list.
      cachefrom: req.cacheFrom && req.cacheFrom.length > 0 ? JSON.stringify(req.cacheFrom) : undefined,
      shmsize: req.shmSize,
      nocache: req.noCache || undefined,
      pull: req.pull || undefined,
      platform: req.platform,
      rm: true,
      // Without it a failed step leaves its intermediate container behind, unlabelled and unowned.
      forcerm: true,
      // The classic builder: the engines moor targets offer no BuildKit session here.
      version: "1",
    };
    let res: IncomingMessage;
    try {
      res = await this.requestStream("images.build", { method: "POST", path: "/build", query, ...(packed ? { file: packed.tar } : {}) });
    } catch (err) {
      packed?.tar.destroy();
      if (err instanceof EngineError && err.status !== undefined) throw new BuildError(req.tags, err.engineMessage, undefined, { status: err.status, cause: err });
      throw err;
    }
    let imageId: string | undefined;
    let step: string | undefined;
    for await (const message of this.progress(res, "images.build")) {
      if (message.error !== undefined || message.errorDetail !== undefined) {
        throw new BuildError(req.tags, (message.errorDetail?.message ?? message.error ?? "build failed").trim(), step);
      }
      if (message.aux?.ID) imageId = message.aux.ID;
      if (message.stream !== undefined) {
        for (const line of message.stream.split("\n")) {
          if (line.startsWith("Step ")) step = line.trim();
          const built = /^Successfully built ([0-9a-f]+)/.exec(line);
          if (built && !imageId) imageId = built[1];
          if (line.trim() !== "" && onProgress) onProgress(line);
        }
      } else if (message.status !== undefined && onProgress) {
        onProgress([message.id, message.status, message.progress].filter((s) => s).join(" "));
      }
    }
    if (imageId) return imageId;
    // Engines that send neither aux.ID nor "Successfully built": ask for the first tag.
    const image = await this.inspectImage(req.tags[0] ?? "");
    if (!image) throw new BuildError(req.tags, "the engine ended the build without an image", step);
    return image.id;
  }

  /** Progress messages of a pull/build stream, with transport failures translated. */
  private async *progress(res: IncomingMessage, operation: string): AsyncGenerator<ApiProgressMessage> {
    try {
      for await (const value of jsonLines(res)) {
        if (value && typeof value === "object") yield value as ApiProgressMessage;
      }
    } catch (err) {
      throw this.translate(err, operation);
    } finally {
      res.destroy();
    }
  }

  // ---- containers -------------------------------------------------------------------------

  async createContainer(req: ContainerCreateRequest): Promise<string> {
    const raw = (await this.request("containers.create", {
      method: "POST",
      path: "/containers/create",
      query: { name: req.name, platform: req.platform },
      body: req.body,
    })) as { Id?: string };
    if (!raw?.Id) throw new EngineError(`creating ${req.name}: the engine returned no id`, { operation: "containers.create" });
    return raw.Id;
  }

  async startContainer(id: string): Promise<void> {
    await this.request("containers.start", { method: "POST", path: `/containers/${enc(id)}/start` });
  }

  async stopContainer(id: string, timeoutSec?: number): Promise<void> {
    await this.request("containers.stop", { method: "POST", path: `/containers/${enc(id)}/stop`, query: { t: timeoutSec } });
  }

  async killContainer(id: string, signal?: string): Promise<void> {
    await this.request("containers.kill", { method: "POST", path: `/containers/${enc(id)}/kill`, query: { signal } });
  }

  async removeContainer(id: string, opts: { force: boolean; volumes: boolean }): Promise<void> {
    await this.request("containers.remove", { method: "DELETE", path: `/containers/${enc(id)}`, query: { force: opts.force, v: opts.volumes } });
  }

  async renameContainer(id: string, newName: string): Promise<void> {
    await this.request("containers.rename", { method: "POST", path: `/containers/${enc(id)}/rename`, query: { name: newName } });
  }

  async inspectContainer(id: string): Promise<ContainerDetails> {
    const raw = (await this.request("containers.inspect", { method: "GET", path: `/containers/${enc(id)}/json` })) as ApiContainerInspect;
    return containerDetails(raw);
  }

  async watchContainerExit(id: string, condition: WaitCondition): Promise<ExitWatch> {
    // Podman 4 answers "removed" with status 0 whatever the exit code was: wait for the exit
    // there, then for the removal (already done, or a moment later).
    if (condition === "removed" && (await this.version()).podman) {
      const exited = await this.watchContainerExit(id, "next-exit");
      const exit = exited.exit.then(async (result) => {
        await this.waitContainer(id, "removed").catch((err: unknown) => {
          if (!(err instanceof NotFoundError)) throw err;
        });
        return result;
      });
      exit.catch(() => undefined);
      return { exit, cancel: exited.cancel };
    }
    // The engine sends the response headers once the waiter is registered, and the body at exit.
    const res = await this.requestStream("containers.wait", { method: "POST", path: `/containers/${enc(id)}/wait`, query: { condition } });
    const exit = (async () => {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of res) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      } catch (err) {
        throw this.translate(err, "containers.wait");
      } finally {
        res.destroy();
      }
      let raw: { StatusCode?: number; Error?: { Message?: string } | null } = {};
      try {
        raw = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof raw;
      } catch (err) {
        throw new EngineError(`waiting for ${id}: the engine's answer is not JSON`, { operation: "containers.wait", cause: err });
      }
      const error = raw.Error?.Message;
      return { exitCode: raw.StatusCode ?? 0, ...(error ? { error } : {}) };
    })();
    // A caller that detaches never awaits the exit; its failure must not crash the process then.
    exit.catch(() => undefined);
    return { exit, cancel: () => res.destroy() };
  }

  async attachContainer(id: string, opts: AttachOptions): Promise<AttachedStream> {
    const conn = await this.hijack("containers.attach", {
      method: "POST",
      path: `/containers/${enc(id)}/attach`,
      query: { stream: true, stdin: opts.stdin, stdout: true, stderr: true, detachKeys: opts.detachKeys },
      // An empty body with Content-Length 0: without a body docker-modem sends a chunked one, and
      // Podman passes its closing "0\r\n\r\n" to the container's stdin.
      file: Buffer.alloc(0),
      headers: { "Content-Type": "text/plain" },
    });
    return this.attachedStream(conn, opts.tty, "containers.attach");
  }

  async resizeContainer(id: string, size: TerminalSize): Promise<void> {
    await this.request("containers.resize", { method: "POST", path: `/containers/${enc(id)}/resize`, query: { h: size.rows, w: size.cols } });
  }

  async waitContainer(id: string, condition: WaitCondition = "not-running"): Promise<{ exitCode: number; error?: string }> {
    const raw = (await this.request("containers.wait", { method: "POST", path: `/containers/${enc(id)}/wait`, query: { condition } })) as {
      StatusCode?: number;
      Error?: { Message?: string } | null;
    };
    const error = raw?.Error?.Message;
    return { exitCode: raw?.StatusCode ?? 0, ...(error ? { error } : {}) };
  }

  async pauseContainer(id: string): Promise<void> {
    await this.request("containers.pause", { method: "POST", path: `/containers/${enc(id)}/pause` });
  }

  async unpauseContainer(id: string): Promise<void> {
    await this.request("containers.unpause", { method: "POST", path: `/containers/${enc(id)}/unpause` });
  }

  async restartContainer(id: string, timeoutSec?: number): Promise<void> {
    await this.request("containers.restart", { method: "POST", path: `/containers/${enc(id)}/restart`, query: { t: timeoutSec } });
  }

  async topContainer(id: string, psArgs?: string): Promise<{ titles: string[]; processes: string[][] }> {
    const raw = (await this.request("containers.top", { method: "GET", path: `/containers/${enc(id)}/top`, query: { ps_args: psArgs } })) as {
      Titles?: string[];
      Processes?: string[][];
    };
    return { titles: raw?.Titles ?? [], processes: raw?.Processes ?? [] };
  }

  async containerStats(id: string): Promise<Record<string, unknown>> {
    return ((await this.request("containers.stats", { method: "GET", path: `/containers/${enc(id)}/stats`, query: { stream: false } })) ?? {}) as Record<string, unknown>;
  }

  async commitContainer(id: string, opts: { repo?: string; tag?: string; comment?: string; author?: string; pause?: boolean; changes?: string[] }): Promise<string> {
    const raw = (await this.request("containers.commit", {
      method: "POST",
      path: "/commit",
      // The engine joins repeated `changes` with newlines and parses them as one Dockerfile: the same.
      query: { container: id, repo: opts.repo, tag: opts.tag, comment: opts.comment, author: opts.author, pause: opts.pause ?? true, changes: opts.changes?.length ? opts.changes.join("\n") : undefined },
      body: {},
    })) as { Id?: string } | undefined;
    if (!raw?.Id) throw new EngineError(`committing ${id}: the engine returned no image id`, { operation: "containers.commit" });
    return raw.Id;
  }

  async exportContainer(id: string): Promise<Readable> {
    return this.requestStream("containers.export", { method: "GET", path: `/containers/${enc(id)}/export` });
  }

  async tagImage(ref: string, repo: string, tag: string): Promise<void> {
    await this.request("images.tag", { method: "POST", path: `/images/${imagePath(ref)}/tag`, query: { repo, tag } });
  }

  async pushImage(ref: string, onProgress?: ProgressListener): Promise<void> {
    const parsed = parseImageRef(ref);
    const fail = (message: string, status?: number, cause?: unknown): ImagePullError =>
      new ImagePullError(ref, parsed.registry, classifyPullFailure(message), message, { status, cause, verb: "push" });
    let res: IncomingMessage;
    try {
      // The engine wants an X-Registry-Auth header even when empty: "{}" base64.
      res = await this.requestStream("images.push", { method: "POST", path: `/images/${enc(parsed.name)}/push`, query: { tag: parsed.tag }, headers: { "X-Registry-Auth": "e30=" } });
    } catch (err) {
      if (err instanceof EngineError && err.status !== undefined) throw fail(err.engineMessage, err.status, err);
      throw err;
    }
    for await (const message of this.progress(res, "images.push")) {
      if (message.error !== undefined || message.errorDetail !== undefined) throw fail(message.errorDetail?.message ?? message.error ?? "push failed");
      const text = [message.id, message.status, message.progress].filter((x) => x).join(" ");
      if (text && onProgress) onProgress(text);
    }
  }

  // ---- networks and volumes ---------------------------------------------------------------

  async createNetwork(req: NetworkCreateRequest): Promise<string> {
    const raw = (await this.request("networks.create", { method: "POST", path: "/networks/create", body: req })) as { Id?: string };
    if (!raw?.Id) throw new EngineError(`creating network ${req.Name}: the engine returned no id`, { operation: "networks.create" });
    return raw.Id;
  }

  async removeNetwork(idOrName: string): Promise<void> {
    await this.request("networks.remove", { method: "DELETE", path: `/networks/${enc(idOrName)}` });
  }

  async connectNetwork(network: string, containerId: string, endpoint?: EndpointConfig): Promise<void> {
    await this.request("networks.connect", {
      method: "POST",
      path: `/networks/${enc(network)}/connect`,
      body: { Container: containerId, ...(endpoint ? { EndpointConfig: endpoint } : {}) },
    });
  }

  async disconnectNetwork(network: string, containerId: string, force = false): Promise<void> {
    await this.request("networks.disconnect", { method: "POST", path: `/networks/${enc(network)}/disconnect`, body: { Container: containerId, Force: force } });
  }

  async createVolume(req: VolumeCreateRequest): Promise<string> {
    const raw = (await this.request("volumes.create", { method: "POST", path: "/volumes/create", body: req })) as { Name?: string };
    return raw?.Name ?? req.Name;
  }

  async removeVolume(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.request("volumes.remove", { method: "DELETE", path: `/volumes/${enc(name)}`, query: { force: opts.force } });
  }

  // ---- output, exec, archives, events -----------------------------------------------------

  async *logs(id: string, opts: LogsOptions = {}): AsyncGenerator<LogLine> {
    // The stream has frames only without a TTY; the list call does not say which, inspect does.
    const { config } = await this.inspectContainer(id);
    const res = await this.openStream(opts.signal, "containers.logs", {
      method: "GET",
      path: `/containers/${enc(id)}/logs`,
      query: {
        stdout: true,
        stderr: true,
        follow: opts.follow,
        since: opts.since,
        until: opts.until,
        tail: opts.tail === undefined ? undefined : String(opts.tail),
        timestamps: opts.timestamps,
      },
      signal: opts.signal,
    });
    if (!res) return;
    yield* this.lines(res, config.tty, opts.timestamps ?? false, "containers.logs", opts.signal);
  }

  /** A long-lived stream, or undefined when `signal` aborted before (or while) it opened: stopping is not a failure. */
  private async openStream(signal: AbortSignal | undefined, operation: string, spec: RequestSpec): Promise<IncomingMessage | undefined> {
    if (signal?.aborted) return undefined;
    try {
      return await this.requestStream(operation, spec);
    } catch (err) {
      if (signal?.aborted) return undefined;
      throw err;
    }
  }

  /** Lines of an output stream; ends quietly when `signal` aborts it. */
  private async *lines(res: IncomingMessage, tty: boolean, timestamps: boolean, operation: string, signal?: AbortSignal): AsyncGenerator<LogLine> {
    const stop = () => res.destroy();
    signal?.addEventListener("abort", stop, { once: true });
    try {
      yield* outputLines(tty ? rawOutput(res) : demultiplex(res), { timestamps });
    } catch (err) {
      if (signal?.aborted) return;
      throw this.translate(err, operation);
    } finally {
      signal?.removeEventListener("abort", stop);
      res.destroy();
    }
  }

  async exec(id: string, opts: ExecOptions): Promise<ExecResult> {
    const tty = opts.tty ?? false;
    const created = (await this.request("exec.create", {
      method: "POST",
      path: `/containers/${enc(id)}/exec`,
      body: {
        AttachStdout: true,
        AttachStderr: true,
        Tty: tty,
        Cmd: opts.cmd,
        ...(opts.env ? { Env: opts.env } : {}),
        ...(opts.workingDir ? { WorkingDir: opts.workingDir } : {}),
        ...(opts.user ? { User: opts.user } : {}),
        ...(opts.privileged ? { Privileged: true } : {}),
      },
    })) as { Id?: string };
    const execId = created?.Id;
    if (!execId) throw new EngineError("the engine returned no exec id", { operation: "exec.create" });
    const res = await this.requestStream("exec.start", { method: "POST", path: `/exec/${enc(execId)}/start`, body: { Detach: false, Tty: tty } });
    const collected: Record<OutputChunk["stream"], Buffer[]> = { stdout: [], stderr: [] };
    async function* collect(chunks: AsyncIterable<OutputChunk>): AsyncGenerator<OutputChunk> {
      for await (const chunk of chunks) {
        collected[chunk.stream].push(chunk.data);
        yield chunk;
      }
    }
    try {
      for await (const line of outputLines(collect(tty ? rawOutput(res) : demultiplex(res)))) opts.onLine?.(line);
    } catch (err) {
      throw this.translate(err, "exec.start");
    } finally {
      res.destroy();
    }
    const inspected = (await this.request("exec.inspect", { method: "GET", path: `/exec/${enc(execId)}/json` })) as ApiExecInspect;
    return {
      exitCode: inspected?.ExitCode ?? -1,
      stdout: Buffer.concat(collected.stdout).toString("utf8"),
      stderr: Buffer.concat(collected.stderr).toString("utf8"),
    };
  }

  async createExec(containerId: string, opts: ExecCreateOptions): Promise<string> {
    const created = (await this.request("exec.create", {
      method: "POST",
      path: `/containers/${enc(containerId)}/exec`,
      body: {
        AttachStdin: opts.attachStdin,
        AttachStdout: opts.attachStdout,
        AttachStderr: opts.attachStderr,
        Tty: opts.tty,
        Cmd: opts.cmd,
        ...(opts.env && opts.env.length > 0 ? { Env: opts.env } : {}),
        ...(opts.workingDir ? { WorkingDir: opts.workingDir } : {}),
        ...(opts.user ? { User: opts.user } : {}),
        ...(opts.privileged ? { Privileged: true } : {}),
        ...(opts.detachKeys ? { DetachKeys: opts.detachKeys } : {}),
      },
    })) as { Id?: string };
    if (!created?.Id) throw new EngineError("the engine returned no exec id", { operation: "exec.create" });
    return created.Id;
  }

  async startExec(execId: string, opts: { tty: boolean }): Promise<AttachedStream> {
    const conn = await this.hijack("exec.start", { method: "POST", path: `/exec/${enc(execId)}/start`, body: { Detach: false, Tty: opts.tty } });
    return this.attachedStream(conn, opts.tty, "exec.start");
  }

  async startExecDetached(execId: string, opts: { tty: boolean }): Promise<void> {
    await this.request("exec.start", { method: "POST", path: `/exec/${enc(execId)}/start`, body: { Detach: true, Tty: opts.tty } });
  }

  async inspectExec(execId: string): Promise<ExecStatus> {
    const raw = (await this.request("exec.inspect", { method: "GET", path: `/exec/${enc(execId)}/json` })) as ApiExecInspect;
    const running = raw?.Running ?? false;
    return { running, exitCode: running ? undefined : (raw?.ExitCode ?? undefined) };
  }

  async resizeExec(execId: string, size: TerminalSize): Promise<void> {
    await this.request("exec.resize", { method: "POST", path: `/exec/${enc(execId)}/resize`, query: { h: size.rows, w: size.cols } });
  }

  async putArchive(id: string, dir: string, tar: Readable | Buffer, opts: { copyUIDGID?: boolean } = {}): Promise<void> {
    const query: Record<string, string | boolean> = { path: dir };
    if (opts.copyUIDGID) query.copyUIDGID = true;
    await this.request("containers.putArchive", { method: "PUT", path: `/containers/${enc(id)}/archive`, query, file: tar });
  }

  async getArchive(id: string, path: string): Promise<{ tar: Readable; stat: ArchiveStat | undefined }> {
    const res = await this.requestStream("containers.getArchive", { method: "GET", path: `/containers/${enc(id)}/archive`, query: { path } });
    const header = res.headers["x-docker-container-path-stat"];
    let stat: ArchiveStat | undefined;
    if (typeof header === "string" && header !== "") {
      try {
        stat = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as ArchiveStat;
      } catch {
        // The stat header is a convenience; an engine that garbles it still sent a usable tar.
        stat = undefined;
      }
    }
    return { tar: res, stat };
  }

  async *events(opts: EventsOptions = {}): AsyncGenerator<EngineEvent> {
    const res = await this.openStream(opts.signal, "system.events", {
      method: "GET",
      path: "/events",
      query: {
        filters: opts.filters && Object.keys(opts.filters).length > 0 ? opts.filters : undefined,
        since: opts.since === undefined ? undefined : String(opts.since),
        until: opts.until === undefined ? undefined : String(opts.until),
      },
      signal: opts.signal,
    });
    if (!res) return;
    const stop = () => res.destroy();
    opts.signal?.addEventListener("abort", stop, { once: true });
    try {
      for await (const value of jsonLines(res)) {
        if (value && typeof value === "object") yield engineEvent(value as ApiEvent);
      }
    } catch (err) {
      if (opts.signal?.aborted) return;
      throw this.translate(err, "system.events");
    } finally {
      opts.signal?.removeEventListener("abort", stop);
      res.destroy();
    }
  }
}

/** The API's label filter: the project label first, then the caller's. */
function labelFilters(project: string | undefined, labels: string[] | undefined): Record<string, string[]> | undefined {
  const all = [...(project !== undefined ? [`${LABELS.project}=${project}`] : []), ...(labels ?? [])];
  return all.length > 0 ? { label: all } : undefined;
}

/** Container, network and volume ids and names are one path segment. */
function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** Image references keep their slashes: the engine's route takes the rest of the path as the name. */
function imagePath(ref: string): string {
  return ref.split("/").map(encodeURIComponent).join("/");
}


