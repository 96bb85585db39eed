// The port between moor and a container engine. The reconcile executor, the CLI's log/exec/cp
// commands and the integration tests use only this; `DockerEngine` implements it over the Docker
// Engine API (Docker or Podman's compatible socket). Every method rejects with one of the typed
// errors of errors.ts, never with a raw HTTP or socket error.
import type { Readable } from "node:stream";
import type { OutputChunk } from "./log-stream.js";
import type {
  ContainerDetails,
  ContainerSummary,
  EngineEvent,
  EngineVersion,
  ImageDetails,
  ImageSummary,
  LogLine,
  NetworkSummary,
  VolumeSummary,
} from "./types.js";

/** Label filters as the API takes them: "key" (present) or "key=value". */
export type LabelFilter = string[];

export interface ListContainersOptions {
  /** Adds `com.docker.compose.project=<project>` to the label filter. */
  project?: string;
  /** Include stopped containers. */
  all: boolean;
  labels?: LabelFilter;
}

export interface ListResourcesOptions {
  /** Adds `com.docker.compose.project=<project>` to the label filter. */
  project?: string;
  labels?: LabelFilter;
}

export interface ListImagesOptions {
  labels?: LabelFilter;
  /** `reference` filter, e.g. "moor-examples/*". */
  reference?: string;
  /** Include intermediate images. */
  all?: boolean;
}

/**
 * The create call's JSON body. The fields moor's own callers set are named; the engine accepts
 * the rest of API 1.41's Config as well, and any object with these shapes passes through as-is.
 */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  WorkingDir?: string;
  User?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  /** Close the container's stdin when the attached client closes it (a one-off `run`). */
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  StopSignal?: string;
  StopTimeout?: number;
  Hostname?: string;
  Healthcheck?: object;
  ExposedPorts?: object;
  HostConfig?: object;
  NetworkingConfig?: object;
}

/** `POST /containers/create`: the container's name and the API's JSON body, field names as the API spells them. */
export interface ContainerCreateRequest {
  name: string;
  body: ContainerCreateBody;
  /** `platform` query parameter, e.g. "linux/amd64". */
  platform?: string;
}

/** `POST /networks/{id}/connect`'s EndpointConfig. */
export interface EndpointConfig {
  Aliases?: string[];
  Links?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  MacAddress?: string;
  DriverOpts?: Record<string, string>;
  /** Which network's gateway is the default route (API 1.48+; older engines ignore it). */
  GwPriority?: number;
}

/** `POST /networks/create`'s body. */
export interface NetworkCreateRequest {
  Name: string;
  Driver?: string;
  Options?: Record<string, string>;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: Record<string, unknown>[]; Options?: Record<string, string> };
  Labels: Record<string, string>;
  CheckDuplicate?: boolean;
}

/** `POST /volumes/create`'s body. */
export interface VolumeCreateRequest {
  Name: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels: Record<string, string>;
}

/** A classic-builder build: compose's `build:` section with paths resolved. */
export interface BuildRequest {
  /** Absolute context directory, or a git/HTTP URL the engine fetches itself. */
  contextDir: string;
  /** Relative to the context or absolute; "Dockerfile" when absent. */
  dockerfile?: string;
  dockerfileInline?: string;
  args?: Record<string, string>;
  target?: string;
  labels?: Record<string, string>;
  /** Network mode for RUN steps ("host", "none", a network name). */
  network?: string;
  /** "host:ip" entries for /etc/hosts during RUN. */
  extraHosts?: string[];
  cacheFrom?: string[];
  /** Bytes. */
  shmSize?: number;
  /** The first tag is the image's name; at least one is needed. */
  tags: string[];
  noCache?: boolean;
  /** Always try to pull a newer base image. */
  pull?: boolean;
  platform?: string;
}

export interface LogsOptions {
  follow?: boolean;
  /** Unix seconds, or an RFC 3339 date / Go duration as the API accepts them. */
  since?: number | string;
  until?: number | string;
  /** Lines from the end; "all" or absent for everything. */
  tail?: number | "all";
  timestamps?: boolean;
  /** Stops a followed stream. */
  signal?: AbortSignal;
}

export interface ExecOptions {
  cmd: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  privileged?: boolean;
  tty?: boolean;
  /** Each output line as it arrives. */
  onLine?: (line: LogLine) => void;
}

/** `POST /containers/{id}/exec`: a process to start in a running container, attached or not. */
export interface ExecCreateOptions {
  cmd: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  privileged?: boolean;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  /** The engine-side detach sequence, e.g. "ctrl-p,ctrl-q". */
  detachKeys?: string;
}

/** `POST /containers/{id}/attach` over an upgraded connection. */
export interface AttachOptions {
  /** Forward input to the container's stdin (it must have been created with OpenStdin). */
  stdin: boolean;
  /** The container has a TTY: its output is raw bytes, not stdout/stderr frames. */
  tty: boolean;
  /** The engine-side detach sequence, e.g. "ctrl-p,ctrl-q". */
  detachKeys?: string;
}

/**
 * A hijacked attach or exec connection: the process's output, and its stdin when attached.
 * Iterating `output` rejects with a typed engine error; it ends when the process's output does.
 */
export interface AttachedStream {
  /** Demultiplexed output; with a TTY every chunk is "stdout". */
  readonly output: AsyncIterable<OutputChunk>;
  /** True when input written here reaches the process (the engine upgraded the connection). */
  readonly writable: boolean;
  /** Sends input to the process; resolves when the connection can take more. */
  write(data: Buffer): Promise<void>;
  /** Half-closes the connection: the process reads end-of-file, its output keeps coming. */
  endInput(): void;
  /** Drops the connection (detach); the process goes on running. */
  close(): void;
}

/** A terminal's size in character cells. */
export interface TerminalSize {
  rows: number;
  cols: number;
}

export interface ExecStatus {
  running: boolean;
  /** Undefined while running. */
  exitCode: number | undefined;
}

export type WaitCondition = "not-running" | "next-exit" | "removed";

/** A wait registered with the engine (see `watchContainerExit`). */
export interface ExitWatch {
  /** Resolves when the condition is met. */
  readonly exit: Promise<{ exitCode: number; error?: string }>;
  /** Stops waiting (a detached session) and closes the connection; `exit` then rejects, unobserved. */
  cancel(): void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ArchiveStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface EventsOptions {
  /** API event filters, e.g. { type: ["container"], label: ["com.docker.compose.project=x"] }. */
  filters?: Record<string, string[]>;
  since?: number | string;
  until?: number | string;
  /** Ends the stream (the iterator then returns normally). */
  signal?: AbortSignal;
}

/** How many API requests each operation made; benchmarks read it. */
export interface EngineStats {
  /** Operation (e.g. "containers.list") → requests made. */
  readonly calls: Readonly<Record<string, number>>;
  readonly total: number;
  reset(): void;
}

export type ProgressListener = (text: string) => void;

/** A container engine as moor uses it. */
export interface Engine {
  /** The endpoint in the form users write it, e.g. "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  readonly stats: EngineStats;

  /** Resolves when the engine answers; rejects with EngineUnreachableError otherwise. */
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;

  /** One label-filtered list call. */
  listContainers(opts: ListContainersOptions): Promise<ContainerSummary[]>;
  listNetworks(opts?: ListResourcesOptions): Promise<NetworkSummary[]>;
  listVolumes(opts?: ListResourcesOptions): Promise<VolumeSummary[]>;
  listImages(opts?: ListImagesOptions): Promise<ImageSummary[]>;

  /** Undefined when the image is not on the engine. */
  inspectImage(ref: string): Promise<ImageDetails | undefined>;
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>;
  /** Rejects with ImagePullError (reason "unreachable" when no registry answers). */
  pullImage(ref: string, onProgress?: ProgressListener): Promise<void>;
  /** Resolves with the new image's id; rejects with BuildError when a step fails. */
  buildImage(req: BuildRequest, onProgress?: ProgressListener): Promise<string>;

  /** Resolves with the new container's id. */
  createContainer(req: ContainerCreateRequest): Promise<string>;
  /** Starting a running container is not an error. */
  startContainer(id: string): Promise<void>;
  /** Stopping a stopped container is not an error. */
  stopContainer(id: string, timeoutSec?: number): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(id: string, opts: { force: boolean; volumes: boolean }): Promise<void>;
  renameContainer(id: string, newName: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerDetails>;
  /** Waits for the container to stop and resolves with its exit code. */
  waitContainer(id: string, condition?: WaitCondition): Promise<{ exitCode: number; error?: string }>;
  /**
   * Registers a wait with the engine and resolves once the engine has it; `exit` resolves when the
   * condition is met. Starting a container after this resolves can never miss a quick exit (and,
   * with "removed", an auto-removed container's exit code is still reported).
   */
  watchContainerExit(id: string, condition: WaitCondition): Promise<ExitWatch>;
  /** Attaches to a container's stdio over an upgraded (hijacked) connection. */
  attachContainer(id: string, opts: AttachOptions): Promise<AttachedStream>;
  /** Sets the size of a container's TTY. */
  resizeContainer(id: string, size: TerminalSize): Promise<void>;

  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  /** Stops (waiting `timeoutSec`) and starts again. */
  restartContainer(id: string, timeoutSec?: number): Promise<void>;
  /** `ps` inside the container: column titles and rows, as `docker top` prints them. */
  topContainer(id: string, psArgs?: string): Promise<{ titles: string[]; processes: string[][] }>;
  /** One sample of the container's resource use (the API's stats JSON, `stream=false`). */
  containerStats(id: string): Promise<Record<string, unknown>>;

  /** `docker commit`: a new image from the container's filesystem and config; resolves with its id. */
  commitContainer(id: string, opts: { repo?: string; tag?: string; comment?: string; author?: string; pause?: boolean; changes?: string[] }): Promise<string>;
  /** `docker export`: the container's filesystem as a tar stream. */
  exportContainer(id: string): Promise<Readable>;

  /** Adds `repo:tag` to an existing image. */
  tagImage(ref: string, repo: string, tag: string): Promise<void>;
  /** Rejects with ImagePullError (verb "push"; reason "unreachable" when no registry answers). */
  pushImage(ref: string, onProgress?: ProgressListener): Promise<void>;

  /** Resolves with the network's id. */
  createNetwork(req: NetworkCreateRequest): Promise<string>;
  removeNetwork(idOrName: string): Promise<void>;
  connectNetwork(network: string, containerId: string, endpoint?: EndpointConfig): Promise<void>;
  disconnectNetwork(network: string, containerId: string, force?: boolean): Promise<void>;

  /** Resolves with the volume's name. */
  createVolume(req: VolumeCreateRequest): Promise<string>;
  removeVolume(name: string, opts?: { force?: boolean }): Promise<void>;

  /** Demultiplexed output lines (TTY containers included); ends when the container's log does, or at `signal`. */
  logs(id: string, opts?: LogsOptions): AsyncIterable<LogLine>;
  exec(id: string, opts: ExecOptions): Promise<ExecResult>;
  /** Creates an exec instance and resolves with its id; start it with `startExec`/`startExecDetached`. */
  createExec(containerId: string, opts: ExecCreateOptions): Promise<string>;
  /** Starts an exec attached, over an upgraded connection (input reaches it when created with attachStdin). */
  startExec(execId: string, opts: { tty: boolean }): Promise<AttachedStream>;
  /** Starts an exec in the background and returns at once. */
  startExecDetached(execId: string, opts: { tty: boolean }): Promise<void>;
  inspectExec(execId: string): Promise<ExecStatus>;
  /** Sets the size of an exec's TTY. */
  resizeExec(execId: string, size: TerminalSize): Promise<void>;
  /** Extracts a tar into the container at `dir` (which must exist). */
  /** `copyUIDGID`: keep the tar's owners instead of the container's root (compose sets it when uid/gid are given). */
  putArchive(id: string, dir: string, tar: Readable | Buffer, opts?: { copyUIDGID?: boolean }): Promise<void>;
  /** A tar of `path` in the container, and what `path` is. */
  getArchive(id: string, path: string): Promise<{ tar: Readable; stat: ArchiveStat | undefined }>;
  events(opts?: EventsOptions): AsyncIterable<EngineEvent>;
}

/** EngineStats over a map of operation → requests, which the adapter increments per request. */
export function countingStats(counts: Record<string, number>): EngineStats {
  return {
    get calls() {
      return { ...counts };
    },
    get total() {
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    reset() {
      for (const key of Object.keys(counts)) delete counts[key];
    },
  };
}
