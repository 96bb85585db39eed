// The JSON the Docker Engine API (v1.41) sends back, limited to the fields moor reads. Responses
// are parsed JSON, so every field is optional here: the summaries below decide what a missing
// field means instead of trusting the engine (or Podman's compatible API) to send everything.

export interface ApiVersion {
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  Os?: string;
  Arch?: string;
  KernelVersion?: string;
  Components?: { Name?: string; Version?: string }[];
}

export interface ApiContainer {
  Id?: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  State?: string;
  Status?: string;
  Labels?: Record<string, string> | null;
  Ports?: { PrivatePort?: number; PublicPort?: number; Type?: string; IP?: string }[] | null;
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string }[] | null;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string; IPAddress?: string; Aliases?: string[] | null }> | null } | null;
}

export interface ApiNetwork {
  Id?: string;
  Name?: string;
  /** RFC 3339 with nanoseconds. */
  Created?: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  IPAM?: { Driver?: string; Config?: Record<string, string>[] | null; Options?: Record<string, string> | null } | null;
}

export interface ApiVolume {
  Name?: string;
  Driver?: string;
  Mountpoint?: string;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
}

export interface ApiImage {
  Id?: string;
  RepoTags?: string[] | null;
  Labels?: Record<string, string> | null;
  Created?: number;
  Size?: number;
}

export interface ApiImageInspect {
  Id?: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: string;
  Size?: number;
  Architecture?: string;
  Os?: string;
  Config?: {
    Labels?: Record<string, string> | null;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null;
    Healthcheck?: { Test?: string[] } | null;
  } | null;
}

export interface ApiContainerInspect {
  Id?: string;
  Name?: string;
  Image?: string;
  Created?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    Paused?: boolean;
    Restarting?: boolean;
    OOMKilled?: boolean;
    Dead?: boolean;
    Pid?: number;
    ExitCode?: number;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number; Log?: { ExitCode?: number; Output?: string }[] | null } | null;
  } | null;
  Config?: {
    Tty?: boolean;
    OpenStdin?: boolean;
    Image?: string;
    Labels?: Record<string, string> | null;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    User?: string;
  } | null;
  HostConfig?: { NetworkMode?: string; RestartPolicy?: { Name?: string }; AutoRemove?: boolean } | null;
  NetworkSettings?: {
    Networks?: Record<string, { NetworkID?: string; IPAddress?: string; Aliases?: string[] | null }> | null;
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  } | null;
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string; RW?: boolean }[] | null;
}

export interface ApiExecInspect {
  ExitCode?: number | null;
  Running?: boolean;
}

/** One object of a JSON progress stream (pull, build, push). */
export interface ApiProgressMessage {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string };
}

export interface ApiEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> | null };
  scope?: string;
  time?: number;
  timeNano?: number;
}
