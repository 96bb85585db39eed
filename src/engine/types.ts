// Engine-neutral shapes of what a list call returns. The engine adapter fills them from the
// Docker API; the reconcile core reads them. No dockerode types leak past src/engine.

export type ContainerState = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

/** One container as the list call reports it (no per-container inspect needed). */
export interface ContainerSummary {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  imageId: string;
  command: string;
  created: number;
  state: ContainerState;
  /** Human status, e.g. "Up 3 minutes (healthy)". */
  status: string;
  /** "healthy" | "unhealthy" | "starting" when the container has a healthcheck. */
  health?: "healthy" | "unhealthy" | "starting";
  labels: Record<string, string>;
  /** Network name → endpoint. */
  networks: Record<string, { networkId: string; ipAddress?: string; aliases?: string[] }>;
  ports: { privatePort: number; publicPort?: number; type: string; ip?: string }[];
  mounts: { type: string; name?: string; source?: string; destination: string }[];
}

export interface NetworkSummary {
  id: string;
  name: string;
  /** When the engine made it (RFC 3339 with nanoseconds), when it says. */
  created?: string;
  driver: string;
  scope: string;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  ipam?: { driver?: string; config?: Record<string, string>[]; options?: Record<string, string> };
  enableIPv6: boolean;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  mountpoint: string;
  labels: Record<string, string>;
  options: Record<string, string>;
}

export interface ImageSummary {
  id: string;
  repoTags: string[];
  labels: Record<string, string>;
  created: number;
  size: number;
}

/** The compose label keys moor reads and writes; the compatibility contract with docker compose. */
export const LABELS = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  containerNumber: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
  configHash: "com.docker.compose.config-hash",
  configFiles: "com.docker.compose.project.config_files",
  workingDir: "com.docker.compose.project.working_dir",
  environmentFile: "com.docker.compose.project.environment_file",
  dependsOn: "com.docker.compose.depends_on",
  image: "com.docker.compose.image",
  version: "com.docker.compose.version",
  network: "com.docker.compose.network",
  volume: "com.docker.compose.volume",
  replace: "com.docker.compose.replace",
} as const;

/** What `inspectContainer` reports beyond the list call: exit code, health, TTY, start/finish times. */
export interface ContainerDetails {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  created: string;
  restartCount: number;
  state: {
    status: ContainerState;
    running: boolean;
    paused: boolean;
    restarting: boolean;
    oomKilled: boolean;
    dead: boolean;
    pid: number;
    exitCode: number;
    error: string;
    startedAt: string;
    finishedAt: string;
    health?: "healthy" | "unhealthy" | "starting";
    /** The last healthcheck outputs, oldest first, for "why is it unhealthy" messages. */
    healthLog: { exitCode: number; output: string }[];
  };
  config: {
    tty: boolean;
    /** Created with OpenStdin: an attach may send it input. */
    openStdin: boolean;
    image: string;
    labels: Record<string, string>;
    env: string[];
    cmd: string[];
    entrypoint: string[];
    workingDir: string;
    user: string;
  };
  /** HostConfig.AutoRemove: the engine removes the container when it exits (`run --rm`). */
  autoRemove: boolean;
  networks: ContainerSummary["networks"];
  /** "80/tcp" → host bindings. */
  ports: Record<string, { hostIp: string; hostPort: string }[]>;
  mounts: { type: string; name?: string; source?: string; destination: string; rw: boolean }[];
}

/** What `inspectImage` reports: enough to decide whether to pull/build and to fill compose labels. */
export interface ImageDetails {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  created: string;
  size: number;
  os: string;
  architecture: string;
  labels: Record<string, string>;
  env: string[];
  cmd: string[];
  entrypoint: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
  volumes: string[];
  hasHealthcheck: boolean;
}

/** The engine's identity and the API version moor speaks to it. */
export interface EngineVersion {
  /** e.g. "20.10.24". */
  version: string;
  /** The newest API version the engine offers. */
  apiVersion: string;
  minApiVersion: string;
  /** The version moor uses: the lower of the engine's and moor's newest. */
  negotiatedApiVersion: string;
  os: string;
  arch: string;
  kernelVersion: string;
  /** True when the engine is Podman's Docker-compatible service. */
  podman: boolean;
}

/** One line of a container's output, already demultiplexed. */
export interface LogLine {
  stream: "stdout" | "stderr";
  /** Without the line break. */
  text: string;
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  timestamp?: string;
}

/** One event from the engine's event stream. */
export interface EngineEvent {
  type: string;
  action: string;
  /** Container id, network id, volume name, image reference… */
  id: string;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch. */
  timeNano: number;
}
