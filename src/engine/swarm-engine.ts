// The Swarm side of the Docker Engine API (/services, /tasks, /secrets, /configs, swarm-scoped
// /networks, /nodes, /info) behind the `SwarmEngine` port. `moor deploy` and `moor stack` use only
// the port; `DockerSwarmEngine` implements it. Spec types keep the API's own field names, so a
// translated spec is sent as it is and an observed one compares field by field.
import type Docker from "dockerode";
import { compareVersions, resolveEndpoint, type EndpointFiles, type EngineEndpoint, type Env } from "./connection.js";
import { countingStats, type EngineStats } from "./engine.js";
import { httpJson } from "./http-json.js";
import { EngineError, translateEngineError } from "./errors.js";

// ---- API shapes (the fields moor sets or reads) ------------------------------------------

export interface SwarmMount {
  Type: "volume" | "bind" | "tmpfs" | "npipe" | "image" | string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> } };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface SwarmFileTarget {
  Name: string;
  UID: string;
  GID: string;
  Mode: number;
}

export interface SwarmSecretReference {
  File: SwarmFileTarget;
  SecretName: string;
  SecretID?: string;
}

export interface SwarmConfigReference {
  File: SwarmFileTarget;
  ConfigName: string;
  ConfigID?: string;
}

export interface SwarmHealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

export interface SwarmContainerSpec {
  Image: string;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  Healthcheck?: SwarmHealthConfig;
  Env?: string[];
  Labels?: Record<string, string>;
  Dir?: string;
  User?: string;
  Mounts?: SwarmMount[];
  StopGracePeriod?: number;
  StopSignal?: string;
  TTY?: boolean;
  OpenStdin?: boolean;
  ReadOnly?: boolean;
  Secrets?: SwarmSecretReference[];
  Configs?: SwarmConfigReference[];
  Isolation?: string;
  Init?: boolean;
  Sysctls?: Record<string, string>;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
  OomScoreAdj?: number;
}

export interface SwarmUpdateConfig {
  Parallelism: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

export interface SwarmServiceMode {
  Replicated?: { Replicas?: number };
  Global?: Record<string, never>;
  ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number };
  GlobalJob?: Record<string, never>;
}

export interface SwarmPortConfig {
  Name?: string;
  Protocol?: string;
  TargetPort: number;
  PublishedPort?: number;
  PublishMode?: string;
}

export interface SwarmServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: SwarmContainerSpec;
    Resources?: {
      Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
      Reservations?: { NanoCPUs?: number; MemoryBytes?: number; GenericResources?: unknown[] };
    };
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
    Placement?: { Constraints?: string[]; Preferences?: { Spread: { SpreadDescriptor: string } }[]; MaxReplicas?: number };
    Networks?: { Target: string; Aliases?: string[]; DriverOpts?: Record<string, string> }[];
    LogDriver?: { Name?: string; Options?: Record<string, string> };
    ForceUpdate?: number;
  };
  Mode?: SwarmServiceMode;
  UpdateConfig?: SwarmUpdateConfig;
  RollbackConfig?: SwarmUpdateConfig;
  EndpointSpec?: { Mode?: string; Ports?: SwarmPortConfig[] };
}

export interface SwarmService {
  ID: string;
  Version: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: SwarmServiceSpec;
  Endpoint?: { Ports?: SwarmPortConfig[] };
  UpdateStatus?: { State?: string; Message?: string };
  /** With `status: true`: running and desired task counts. */
  ServiceStatus?: { RunningTasks?: number; DesiredTasks?: number; CompletedTasks?: number };
}

export interface SwarmTask {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  Status: { Timestamp?: string; State: string; Message?: string; Err?: string; PortStatus?: { Ports?: SwarmPortConfig[] }; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  Spec?: { ContainerSpec?: { Image?: string } };
  Labels?: Record<string, string>;
}

/** A secret or a config, as listed: the engine never returns a secret's data. */
export interface SwarmFileObject {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string };
}

export interface SwarmFileObjectSpec {
  Name: string;
  Labels: Record<string, string>;
  /** Base64 of the content, as the API takes it. */
  Data: string;
  Templating?: { Name: string };
}

export interface SwarmNetworkSpec {
  Name: string;
  Driver: string;
  Labels: Record<string, string>;
  Options?: Record<string, string>;
  Internal?: boolean;
  Attachable?: boolean;
  IPAM?: { Driver?: string; Config?: { Subnet?: string }[] };
}

export interface SwarmNetwork {
  Id: string;
  Name: string;
  Scope?: string;
  Driver?: string;
  Labels?: Record<string, string>;
}

export interface SwarmNode {
  ID: string;
  Description?: { Hostname?: string };
  Status?: { State?: string };
  Spec?: { Availability?: string; Role?: string };
}

export interface SwarmInfo {
  /** "inactive", "pending", "active", "error", "locked". */
  localNodeState: string;
  /** True on a manager: only managers take stack changes. */
  controlAvailable: boolean;
  nodeId: string;
}

export interface SwarmWriteOptions {
  /** Base64 X-Registry-Auth header (`--with-registry-auth`). */
  registryAuth?: string;
  /** Let the manager resolve the image digest and platforms from the registry. */
  queryRegistry?: boolean;
}

/** The port `moor deploy` and `moor stack` talk through. Rejects only with errors.ts's classes. */
export interface SwarmEngine {
  readonly stats: EngineStats;
  info(): Promise<SwarmInfo>;
  listServices(opts: { labels?: string[]; status?: boolean }): Promise<SwarmService[]>;
  createService(spec: SwarmServiceSpec, opts?: SwarmWriteOptions): Promise<{ id: string; warnings: string[] }>;
  updateService(id: string, version: number, spec: SwarmServiceSpec, opts?: SwarmWriteOptions): Promise<{ warnings: string[] }>;
  removeService(id: string): Promise<void>;
  /**
   * `upToDate`: only tasks of each service's current spec (the engine's `_up-to-date` filter).
   * `filters`: more of the engine's task filters (`id`, `name`, `node`, `desired-state`, …), as given.
   */
  listTasks(opts: { labels?: string[]; services?: string[]; upToDate?: boolean; filters?: Record<string, string[]> }): Promise<SwarmTask[]>;
  listSecrets(opts: { labels?: string[] }): Promise<SwarmFileObject[]>;
  createSecret(spec: SwarmFileObjectSpec): Promise<string>;
  removeSecret(id: string): Promise<void>;
  listConfigs(opts: { labels?: string[] }): Promise<SwarmFileObject[]>;
  createConfig(spec: SwarmFileObjectSpec): Promise<string>;
  removeConfig(id: string): Promise<void>;
  listNetworks(opts: { labels?: string[] }): Promise<SwarmNetwork[]>;
  inspectNetwork(name: string): Promise<SwarmNetwork | undefined>;
  createNetwork(spec: SwarmNetworkSpec): Promise<string>;
  removeNetwork(id: string): Promise<void>;
  listNodes(): Promise<SwarmNode[]>;
  /** The registry's digest and platforms for an image (`--resolve-image`); rejects when no registry answers. */
  inspectDistribution(image: string, registryAuth?: string): Promise<{ digest: string; platforms: { Architecture?: string; OS?: string }[] }>;
}

// ---- Docker implementation -----------------------------------------------------------------

const MAX_API_VERSION = "1.41";

interface Call {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: object;
  headers?: Record<string, string>;
}

/** The endpoint the environment names (as the docker CLI finds it). No request until the first call. */
export function connectDockerSwarmEngine(opts: { env: Env; files?: EndpointFiles }): DockerSwarmEngine {
  return new DockerSwarmEngine(resolveEndpoint(opts.env, opts.files));
}

export class DockerSwarmEngine implements SwarmEngine {
  readonly stats: EngineStats;
  private readonly counts: Record<string, number> = {};
  private prefix: Promise<string> | undefined;
  private modem: Promise<Docker> | undefined;

  constructor(private readonly target: EngineEndpoint) {
    this.stats = countingStats(this.counts);
  }

  /** A unix socket: a call is answered or refused at once (TCP may wait on a remote host; ssh runs a process). */
  get local(): boolean {
    return this.target.kind === "unix";
  }

  /** Starts the version negotiation now; a failure is reported by the next call, which tries again. */
  warmUp(): void {
    this.apiPrefix().catch(() => undefined);
  }

  // ---- transport --------------------------------------------------------------------------

  /**
   * The API version, once: `GET /_ping` (the cheapest call: no body, the engine's newest version in
   * its `Api-Version` header), then speak min(engine's newest, 1.41). Over ssh, `GET /version`.
   */
  private apiPrefix(): Promise<string> {
    this.prefix ??= (async () => {
      let server: string | undefined;
      const t = this.target;
      if (t.kind === "ssh") server = ((await this.send("system.version", { method: "GET", path: "/version" }, "")) as { ApiVersion?: string }).ApiVersion;
      else {
        this.counts["system.ping"] = (this.counts["system.ping"] ?? 0) + 1;
        await httpJson(t, {
          method: "GET",
          path: "/_ping",
          onHeaders: (h) => {
            const v = h["api-version"];
            if (typeof v === "string" && /^\d+\.\d+$/.test(v)) server = v;
          },
        }).catch((err: unknown) => {
          throw translateEngineError(err, "system.ping", t.url);
        });
      }
      const version = server ?? MAX_API_VERSION;
      return `/v${compareVersions(version, MAX_API_VERSION) < 0 ? version : MAX_API_VERSION}`;
    })().catch((err: unknown) => {
      this.prefix = undefined;
      throw err;
    });
    return this.prefix;
  }

  private async call(operation: string, spec: Call): Promise<unknown> {
    return this.send(operation, spec, await this.apiPrefix());
  }

  private send(operation: string, spec: Call, prefix: string): Promise<unknown> {
    this.counts[operation] = (this.counts[operation] ?? 0) + 1;
    const t = this.target;
    if (t.kind === "ssh") return this.sendModem(operation, spec, prefix);
    return httpJson(t, { method: spec.method, path: `${prefix}${spec.path}`, query: spec.query, body: spec.body, headers: spec.headers }).catch((err: unknown) => {
      throw translateEngineError(err, operation, t.url);
    });
  }

  /** ssh endpoints go through docker-modem, which knows how to tunnel. */
  private async sendModem(operation: string, spec: Call, prefix: string): Promise<unknown> {
    const t = this.target;
    if (t.kind !== "ssh") throw new Error("unreachable");
    this.modem ??= import("dockerode").then(({ default: DockerClass }) => new DockerClass({ host: t.host, port: t.port, protocol: "ssh", username: t.username }));
    const docker = await this.modem;
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) query[k] = v;
    return new Promise((resolve, reject) => {
      docker.modem.dial(
        {
          path: `${prefix}${spec.path}?`,
          method: spec.method,
          options: { _query: query, _body: spec.body ?? {} },
          statusCodes: { 200: true, 201: true, 204: true, 304: true, 400: "bad parameter", 404: "not found", 409: "conflict", 500: "server error", 503: "unavailable" },
          ...(spec.headers ? { headers: spec.headers } : {}),
        },
        (err, result) => (err ? reject(translateEngineError(err, operation, t.url)) : resolve(Buffer.isBuffer(result) ? undefined : result)),
      );
    });
  }

  // ---- swarm ------------------------------------------------------------------------------

  async info(): Promise<SwarmInfo> {
    const raw = (await this.call("system.info", { method: "GET", path: "/info" })) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string } };
    return { localNodeState: raw.Swarm?.LocalNodeState ?? "inactive", controlAvailable: raw.Swarm?.ControlAvailable === true, nodeId: raw.Swarm?.NodeID ?? "" };
  }

  async listServices(opts: { labels?: string[]; status?: boolean }): Promise<SwarmService[]> {
    const raw = await this.call("services.list", { method: "GET", path: "/services", query: { filters: filters({ label: opts.labels }), status: opts.status ? true : undefined } });
    return (raw as SwarmService[] | undefined) ?? [];
  }

  async createService(spec: SwarmServiceSpec, opts: SwarmWriteOptions = {}): Promise<{ id: string; warnings: string[] }> {
    const raw = (await this.call("services.create", { method: "POST", path: "/services/create", body: spec, headers: authHeader(opts) })) as { ID: string; Warnings?: string[] | null };
    return { id: raw.ID, warnings: raw.Warnings ?? [] };
  }

  async updateService(id: string, version: number, spec: SwarmServiceSpec, opts: SwarmWriteOptions = {}): Promise<{ warnings: string[] }> {
    const raw = (await this.call("services.update", {
      method: "POST",
      path: `/services/${encodeURIComponent(id)}/update`,
      query: { version },
      body: spec,
      headers: authHeader(opts),
    })) as { Warnings?: string[] | null } | undefined;
    return { warnings: raw?.Warnings ?? [] };
  }

  async removeService(id: string): Promise<void> {
    await this.call("services.remove", { method: "DELETE", path: `/services/${encodeURIComponent(id)}` });
  }

  async listTasks(opts: { labels?: string[]; services?: string[]; upToDate?: boolean; filters?: Record<string, string[]> }): Promise<SwarmTask[]> {
    const f: Record<string, string[]> = { ...opts.filters, label: [...(opts.labels ?? []), ...(opts.filters?.label ?? [])], service: [...(opts.services ?? []), ...(opts.filters?.service ?? [])] };
    if (opts.upToDate) f["_up-to-date"] = ["true"];
    const raw = await this.call("tasks.list", { method: "GET", path: "/tasks", query: { filters: filters(f) } });
    return (raw as SwarmTask[] | undefined) ?? [];
  }

  async listSecrets(opts: { labels?: string[] }): Promise<SwarmFileObject[]> {
    return ((await this.call("secrets.list", { method: "GET", path: "/secrets", query: { filters: filters({ label: opts.labels }) } })) as SwarmFileObject[] | undefined) ?? [];
  }

  async createSecret(spec: SwarmFileObjectSpec): Promise<string> {
    return ((await this.call("secrets.create", { method: "POST", path: "/secrets/create", body: spec })) as { ID: string }).ID;
  }

  async removeSecret(id: string): Promise<void> {
    await this.call("secrets.remove", { method: "DELETE", path: `/secrets/${encodeURIComponent(id)}` });
  }

  async listConfigs(opts: { labels?: string[] }): Promise<SwarmFileObject[]> {
    return ((await this.call("configs.list", { method: "GET", path: "/configs", query: { filters: filters({ label: opts.labels }) } })) as SwarmFileObject[] | undefined) ?? [];
  }

  async createConfig(spec: SwarmFileObjectSpec): Promise<string> {
    return ((await this.call("configs.create", { method: "POST", path: "/configs/create", body: spec })) as { ID: string }).ID;
  }

  async removeConfig(id: string): Promise<void> {
    await this.call("configs.remove", { method: "DELETE", path: `/configs/${encodeURIComponent(id)}` });
  }

  async listNetworks(opts: { labels?: string[] }): Promise<SwarmNetwork[]> {
    return ((await this.call("networks.list", { method: "GET", path: "/networks", query: { filters: filters({ label: opts.labels }) } })) as SwarmNetwork[] | undefined) ?? [];
  }

  async inspectNetwork(name: string): Promise<SwarmNetwork | undefined> {
    try {
      return (await this.call("networks.inspect", { method: "GET", path: `/networks/${encodeURIComponent(name)}` })) as SwarmNetwork;
    } catch (err) {
      if (err instanceof EngineError && err.status === 404) return undefined;
      throw err;
    }
  }

  async createNetwork(spec: SwarmNetworkSpec): Promise<string> {
    return ((await this.call("networks.create", { method: "POST", path: "/networks/create", body: { ...spec, CheckDuplicate: true } })) as { Id: string }).Id;
  }

  async removeNetwork(id: string): Promise<void> {
    await this.call("networks.remove", { method: "DELETE", path: `/networks/${encodeURIComponent(id)}` });
  }

  async listNodes(): Promise<SwarmNode[]> {
    return ((await this.call("nodes.list", { method: "GET", path: "/nodes" })) as SwarmNode[] | undefined) ?? [];
  }

  async inspectDistribution(image: string, registryAuth?: string): Promise<{ digest: string; platforms: { Architecture?: string; OS?: string }[] }> {
    const raw = (await this.call("distribution.inspect", { method: "GET", path: `/distribution/${image}/json`, headers: registryAuth ? { "X-Registry-Auth": registryAuth } : undefined })) as {
      Descriptor?: { digest?: string };
      Platforms?: { architecture?: string; os?: string }[];
    };
    return { digest: raw.Descriptor?.digest ?? "", platforms: (raw.Platforms ?? []).map((p) => ({ Architecture: p.architecture, OS: p.os })) };
  }
}

function filters(f: Record<string, string[] | undefined>): string | undefined {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(f)) if (v && v.length > 0) out[k] = v;
  return Object.keys(out).length > 0 ? JSON.stringify(out) : undefined;
}

function authHeader(opts: SwarmWriteOptions): Record<string, string> | undefined {
  return opts.registryAuth ? { "X-Registry-Auth": opts.registryAuth } : undefined;
}

