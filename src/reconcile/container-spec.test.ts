import { describe, expect, it } from "vitest";
import type { Project, ServiceConfig } from "../compose/types.js";
import { LABELS } from "../engine/types.js";
import { serviceConfigHash } from "./config-hash.js";
import { containerName, containerSpec, fileInjections, goDurationToNanos, healthcheckError, imageBuildLabels, networksByPriority } from "./container-spec.js";
import type { ContainerCreateBody, ContainerSpecContext, HostConfigSpec } from "./container-spec.js";
import { MOOR_CONFIG_LABEL } from "./observed-state.js";

const ctx: ContainerSpecContext = { configFiles: ["/p/compose.yaml", "/p/compose.override.yaml"], workingDir: "/p", version: "0.1.0" };

function project(service: ServiceConfig, extra: Partial<Project> = {}): Project {
  return {
    name: "demo",
    services: { [service.name]: service, db: { name: "db", image: "postgres" } },
    networks: { default: { name: "demo_default" }, back: { name: "demo_back" } },
    volumes: { data: { name: "demo_data" } },
    ...extra,
  };
}

function spec(extra: Partial<ServiceConfig>, number = 1, c: Partial<ContainerSpecContext> = {}) {
  const service: ServiceConfig = { name: "web", image: "nginx", ...extra };
  return containerSpec(project(service), service, number, { ...ctx, ...c });
}

describe("containerSpec: the container body", () => {
  it.each<[string, Partial<ServiceConfig>, Partial<ContainerCreateBody>]>([
    ["image", {}, { Image: "nginx" }],
    ["image named after the project for a build", { image: undefined, build: { context: "/p" } }, { Image: "demo-web" }],
    ["command and entrypoint", { command: ["a", "b"], entrypoint: ["/init"] }, { Cmd: ["a", "b"], Entrypoint: ["/init"] }],
    ["environment sorted, null values as bare names", { environment: { B: "2", A: "1", UNSET: null } }, { Env: ["A=1", "B=2", "UNSET"] }],
    ["user, workdir, hostname, domain", { user: "1000:1000", working_dir: "/app", hostname: "h", domainname: "d.example" }, { User: "1000:1000", WorkingDir: "/app", Hostname: "h", Domainname: "d.example" }],
    ["tty and stdin", { tty: true, stdin_open: true }, { Tty: true, OpenStdin: true }],
    ["stop signal and grace period in seconds", { stop_signal: "SIGINT", stop_grace_period: "1m30s" }, { StopSignal: "SIGINT", StopTimeout: 90 }],
    ["ports and expose ranges", { ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }], expose: ["9000-9001/udp"] }, { ExposedPorts: { "80/tcp": {}, "9000/udp": {}, "9001/udp": {} } }],
    ["healthcheck in nanoseconds", { healthcheck: { test: ["CMD", "true"], interval: "5s", timeout: "1s", retries: 3, start_period: "500ms" } }, { Healthcheck: { Test: ["CMD", "true"], Interval: 5e9, Timeout: 1e9, Retries: 3, StartPeriod: 5e8 } }],
    ["healthcheck disabled", { healthcheck: { disable: true } }, { Healthcheck: { Test: ["NONE"] } }],
  ])("%s", (_what, service, expected) => {
    expect(spec(service).body).toMatchObject(expected);
  });

  it("leaves out what the service does not set", () => {
    const body = spec({}).body;
    for (const key of ["Cmd", "Entrypoint", "Env", "ExposedPorts", "User", "Healthcheck", "StopTimeout"]) expect(body).not.toHaveProperty(key);
    expect(Object.keys(body.HostConfig)).toEqual(["NetworkMode"]);
  });
});

describe("containerSpec: HostConfig", () => {
  it.each<[string, Partial<ServiceConfig>, Partial<HostConfigSpec>]>([
    ["port bindings", { ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp", host_ip: "127.0.0.1" }, { mode: "ingress", target: 80, protocol: "tcp" }] }, { PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }, { HostPort: "" }] } }],
    ["restart", { restart: "on-failure:3" }, { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 } }],
    ["deploy restart policy wins, 'any' is always", { restart: "no", deploy: { restart_policy: { condition: "any" } } }, { RestartPolicy: { Name: "always" } }],
    ["deploy restart policy without condition: the engine's empty policy, as compose v5", { restart: "always", deploy: { restart_policy: { delay: "5s" } } }, { RestartPolicy: { Name: "" } }],
    ["capabilities and privileges", { cap_add: ["NET_ADMIN"], cap_drop: ["ALL"], privileged: true, read_only: true, init: true }, { CapAdd: ["NET_ADMIN"], CapDrop: ["ALL"], Privileged: true, ReadonlyRootfs: true, Init: true }],
    ["memory and cpus", { mem_limit: 512, cpus: 1.5, shm_size: 64 }, { Memory: 512, NanoCpus: 1_500_000_000, ShmSize: 64 }],
    ["deploy limits win over the service fields", { mem_limit: 512, cpus: 1, deploy: { resources: { limits: { memory: 1024, cpus: 0.5 } } } }, { Memory: 1024, NanoCpus: 500_000_000 }],
    ["ulimits, single and soft/hard", { ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { single: 65535 } } }, { Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }, { Name: "nproc", Soft: 65535, Hard: 65535 }] }],
    ["sysctls, devices, logging", { sysctls: { "net.core.somaxconn": "1024" }, devices: [{ source: "/dev/fuse", target: "/dev/fuse", permissions: "rwm" }], logging: { driver: "json-file", options: { "max-size": "1m" } } }, { Sysctls: { "net.core.somaxconn": "1024" }, Devices: [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }], LogConfig: { Type: "json-file", Config: { "max-size": "1m" } } }],
    ["systempaths=unconfined empties the masked and read-only paths", { security_opt: ["systempaths=unconfined", "label=disable"] }, { SecurityOpt: ["label=disable"], MaskedPaths: [], ReadonlyPaths: [] }],
    ["security, pid, ipc", { security_opt: ["no-new-privileges"], pid: "host", ipc: "shareable" }, { SecurityOpt: ["no-new-privileges"], PidMode: "host", IpcMode: "shareable" }],
    ["service: namespaces become container names", { network_mode: "service:db", ipc: "service:db" }, { NetworkMode: "container:demo-db-1", IpcMode: "container:demo-db-1" }],
    ["volumes_from names the other service's first container", { volumes_from: ["db:ro", "container:legacy"] }, { VolumesFrom: ["demo-db-1:ro", "legacy"] }],
    ["extra hosts, dns, group_add", { extra_hosts: { "host.docker.internal": ["host-gateway"] }, dns: ["1.1.1.1"], dns_search: ["example"], dns_opt: ["ndots:1"], group_add: ["audio"] }, { ExtraHosts: ["host.docker.internal:host-gateway"], Dns: ["1.1.1.1"], DnsSearch: ["example"], DnsOptions: ["ndots:1"], GroupAdd: ["audio"] }],
    ["tmpfs", { tmpfs: ["/run", "/tmp:size=64m"] }, { Tmpfs: { "/run": "", "/tmp": "size=64m" } }],
    ["a positive deploy pids limit wins over pids_limit", { pids_limit: 50, deploy: { resources: { limits: { pids: 100 } } } }, { PidsLimit: 100 }],
    ["cpu count, percent (times 100, as compose), realtime", { cpu_count: 2, cpu_percent: 50, cpu_rt_period: 1400, cpu_rt_runtime: 400 }, { CpuCount: 2, CpuPercent: 5000, CpuRealtimePeriod: 1400, CpuRealtimeRuntime: 400 }],
    [
      "blkio_config",
      { blkio_config: { weight: 300, weight_device: [{ Path: "/dev/sda", Weight: 400 }], device_read_bps: [{ Path: "/dev/sda", Rate: "1048576" }], device_write_iops: [{ Path: "/dev/sda", Rate: "30" }] } },
      { BlkioWeight: 300, BlkioWeightDevice: [{ Path: "/dev/sda", Weight: 400 }], BlkioDeviceReadBps: [{ Path: "/dev/sda", Rate: 1048576 }], BlkioDeviceWriteIOps: [{ Path: "/dev/sda", Rate: 30 }] },
    ],
    [
      "CDI device names become a cdi device request, as compose v5 sends them",
      { devices: [{ source: "nvidia.com/gpu=all", target: "nvidia.com/gpu=all", permissions: "rwm" }, { source: "/dev/fuse", target: "/dev/fuse", permissions: "rwm" }] },
      { Devices: [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }], DeviceRequests: [{ Driver: "cdi", DeviceIDs: ["nvidia.com/gpu=all"] }] },
    ],
    ["gpus ask for the gpu capability", { gpus: [{ driver: "nvidia", count: -1 }] }, { DeviceRequests: [{ Driver: "nvidia", Count: -1, Capabilities: [["gpu"]] }] }],
  ])("%s", (_what, service, expected) => {
    expect(spec(service).body.HostConfig).toMatchObject(expected);
  });

  it("zero swappiness and pids limits are not sent, as compose v5 skips them", () => {
    const hc = spec({ mem_swappiness: 0, pids_limit: 0, deploy: { resources: { limits: { pids: 0 } } } }).body.HostConfig;
    expect(hc).not.toHaveProperty("MemorySwappiness");
    expect(hc).not.toHaveProperty("PidsLimit");
  });

  it("binds, named volumes by engine name, anonymous volumes, tmpfs mounts", () => {
    const hc = spec({
      volumes: [
        { type: "bind", source: "/p/src", target: "/src", read_only: true },
        { type: "bind", source: "/p/cfg", target: "/cfg", bind: { create_host_path: false } },
        { type: "volume", source: "data", target: "/data", volume: { nocopy: true } },
        { type: "volume", target: "/cache" },
        { type: "tmpfs", target: "/scratch", tmpfs: { size: 1024 } },
      ],
    }).body.HostConfig;
    expect(hc.Binds).toEqual(["/p/src:/src:ro"]);
    expect(hc.Mounts).toEqual([
      { Type: "bind", Source: "/p/cfg", Target: "/cfg", BindOptions: { CreateMountpoint: false } },
      { Type: "volume", Source: "demo_data", Target: "/data", VolumeOptions: { NoCopy: true } },
      { Type: "volume", Target: "/cache" },
      { Type: "tmpfs", Target: "/scratch", TmpfsOptions: { SizeBytes: 1024 } },
    ]);
  });

  it("sends plain binds and named volumes as compose v5 does: Binds with the access mode always written", () => {
    const service: ServiceConfig = {
      name: "web",
      image: "nginx",
      volumes: [
        { type: "bind", source: "/p/src", target: "/src" },
        { type: "bind", source: "/p/z", target: "/z", read_only: true, bind: { selinux: "z", create_host_path: true } },
        { type: "bind", source: "/p/shared", target: "/shared", bind: { propagation: "rshared", create_host_path: true } },
        { type: "volume", source: "data", target: "/data" },
        { type: "volume", source: "data", target: "/ro", read_only: true },
        { type: "volume", source: "data", target: "/sub", volume: { subpath: "x" } },
      ],
    };
    const hc = containerSpec(project(service, { volumes: { data: { name: "demo_data" } } }), service, 1, ctx).body.HostConfig;
    expect(hc.Binds).toEqual(["/p/src:/src:rw", "/p/z:/z:ro,z", "demo_data:/data:rw", "demo_data:/ro:ro"]);
    expect(hc.Mounts).toEqual([
      { Type: "bind", Source: "/p/shared", Target: "/shared", BindOptions: { Propagation: "rshared", CreateMountpoint: true } },
      { Type: "volume", Source: "demo_data", Target: "/sub", VolumeOptions: { Subpath: "x" } },
    ]);
  });

  it("file secrets are read-only binds under /run/secrets", () => {
    const service: ServiceConfig = { name: "web", image: "nginx", secrets: [{ source: "token" }, { source: "token", target: "/etc/t" }] };
    const p = project(service, { secrets: { token: { name: "demo_token", file: "/p/token.txt" } } });
    expect(containerSpec(p, service, 1, ctx).body.HostConfig.Mounts).toEqual([
      { Type: "bind", Source: "/p/token.txt", Target: "/run/secrets/token", ReadOnly: true },
      { Type: "bind", Source: "/p/token.txt", Target: "/etc/t", ReadOnly: true },
    ]);
  });
});

describe("imageBuildLabels", () => {
  it("adds compose's version, project and service labels to the build's own", () => {
    const service: ServiceConfig = { name: "app", build: { context: "/p", labels: { "com.example.built": "yes" } } };
    expect(imageBuildLabels("demo", service, "0.1.0")).toEqual({
      "com.example.built": "yes",
      [LABELS.version]: "0.1.0",
      [LABELS.project]: "demo",
      [LABELS.service]: "app",
    });
  });
});

describe("healthcheckError", () => {
  it("refuses start_interval without start_period, as compose v5 does at create", () => {
    const service = (healthcheck: ServiceConfig["healthcheck"]): ServiceConfig => ({ name: "web", image: "nginx", healthcheck });
    expect(healthcheckError(service({ test: ["CMD", "true"], start_interval: "1s" }))).toBe("service web: healthcheck.start_interval requires healthcheck.start_period to be set");
    expect(healthcheckError(service({ test: ["CMD", "true"], start_interval: "1s", start_period: "5s" }))).toBeUndefined();
    expect(healthcheckError(service({ test: ["CMD", "true"] }))).toBeUndefined();
  });
});

describe("containerSpec: networks", () => {
  it("joins the default network with the container and service names as aliases", () => {
    const s = spec({});
    expect(s.body.HostConfig.NetworkMode).toBe("demo_default");
    expect(s.body.NetworkingConfig).toEqual({ EndpointsConfig: { demo_default: { Aliases: ["demo-web-1", "web"] } } });
    expect(s.extraNetworks).toEqual([]);
  });

  it("interface_name becomes the endpoint's ifname driver option and gw_priority its GwPriority, as compose v5 sends them", () => {
    const s = spec({ networks: { back: { interface_name: "eth7", driver_opts: { "com.docker.network.endpoint.ifname": "x", other: "1" }, gw_priority: 5 } } });
    expect(s.body.NetworkingConfig?.EndpointsConfig["demo_back"]).toEqual({
      Aliases: ["demo-web-1", "web"],
      DriverOpts: { "com.docker.network.endpoint.ifname": "eth7", other: "1" },
      GwPriority: 5,
    });
  });

  it("connects the first network by priority at create and the others after", () => {
    const s = spec({ networks: { default: null, back: { aliases: ["api"], ipv4_address: "10.0.0.5", priority: 10 } } }, 2);
    expect(s.body.HostConfig.NetworkMode).toBe("demo_back");
    expect(s.body.NetworkingConfig?.EndpointsConfig["demo_back"]).toEqual({ Aliases: ["demo-web-2", "web", "api"], IPAMConfig: { IPv4Address: "10.0.0.5" } });
    expect(s.extraNetworks).toEqual([{ network: "demo_default", endpoint: { Aliases: ["demo-web-2", "web"] } }]);
  });

  it("a one-off container answers only to its own name", () => {
    const s = spec({}, 1, { oneoff: true, name: "demo-web-run-abc" });
    expect(s.name).toBe("demo-web-run-abc");
    expect(s.body.NetworkingConfig?.EndpointsConfig["demo_default"]?.Aliases).toEqual(["demo-web-run-abc"]);
  });

  it("network_mode: host has no endpoints", () => {
    const s = spec({ network_mode: "host" });
    expect(s.body.HostConfig.NetworkMode).toBe("host");
    expect(s.body.NetworkingConfig).toBeUndefined();
  });

  it("orders networks by priority, then name", () => {
    expect(networksByPriority({ name: "x", networks: { b: null, a: null, c: { priority: 5 } } })).toEqual(["c", "a", "b"]);
    expect(networksByPriority({ name: "x" })).toEqual(["default"]);
    expect(networksByPriority({ name: "x", network_mode: "none" })).toEqual([]);
  });
});

describe("containerSpec: names and labels", () => {
  it("names containers project-service-number unless container_name is set", () => {
    expect(spec({}, 3).name).toBe("demo-web-3");
    expect(spec({ container_name: "edge" }, 1).name).toBe("edge");
    expect(containerName("p", { name: "s" }, 2)).toBe("p-s-2");
  });

  it("writes every compose label, and moor's config label", () => {
    const service: ServiceConfig = { name: "web", image: "nginx", labels: { team: "a" }, depends_on: { db: { condition: "service_healthy", required: true, restart: true } } };
    const labels = containerSpec(project(service), service, 2, { ...ctx, imageId: "sha256:abc", replaces: "old", environmentFiles: ["/p/.env"] }).body.Labels;
    expect(labels).toMatchObject({
      team: "a",
      [LABELS.project]: "demo",
      [LABELS.service]: "web",
      [LABELS.containerNumber]: "2",
      [LABELS.oneoff]: "False",
      [LABELS.configHash]: serviceConfigHash(service),
      [LABELS.configFiles]: "/p/compose.yaml,/p/compose.override.yaml",
      [LABELS.workingDir]: "/p",
      [LABELS.environmentFile]: "/p/.env",
      [LABELS.dependsOn]: "db:service_healthy:true",
      [LABELS.image]: "sha256:abc",
      [LABELS.version]: "0.1.0",
      // compose v5 names the replaced container by service and number, not by id
      [LABELS.replace]: "web-2",
    });
    expect(JSON.parse(labels[MOOR_CONFIG_LABEL] ?? "")).toMatchObject({ image: "nginx", labels: { team: "a" } });
  });

  it("one-off containers have no number and oneoff True", () => {
    const labels = spec({}, 1, { oneoff: true }).body.Labels;
    expect(labels[LABELS.oneoff]).toBe("True");
    expect(labels).not.toHaveProperty(LABELS.containerNumber);
  });
});

describe("containerSpec: platform", () => {
  it("the service's platform, else DOCKER_DEFAULT_PLATFORM, else none", () => {
    expect(spec({ platform: "linux/arm64" }, 1, { defaultPlatform: "linux/amd64" }).platform).toBe("linux/arm64");
    expect(spec({}, 1, { defaultPlatform: "linux/amd64" }).platform).toBe("linux/amd64");
    expect(spec({})).not.toHaveProperty("platform");
  });
});

describe("containerSpec: links", () => {
  it("link every container of the linked service under compose's three names, in HostConfig and in every endpoint", () => {
    const web: ServiceConfig = { name: "web", image: "nginx", links: ["db:database"], external_links: ["legacy", "other:alias"], networks: { default: null, back: null } };
    const db: ServiceConfig = { name: "db", image: "postgres", deploy: { replicas: 2 } };
    const s = containerSpec({ ...project(web), services: { web, db } }, web, 3, ctx);
    const expected = [
      "demo-db-1:database", "demo-db-1:db-3", "demo-db-1:demo-db-3",
      "demo-db-2:database", "demo-db-2:db-3", "demo-db-2:demo-db-3",
      "legacy:legacy", "other:alias",
    ];
    expect(s.body.HostConfig.Links).toEqual(expected);
    expect(s.body.NetworkingConfig?.EndpointsConfig.demo_back?.Links).toEqual(expected);
    expect(s.extraNetworks[0]?.endpoint.Links).toEqual(expected);
  });

  it("sends no Links without links", () => {
    const s = spec({});
    expect(s.body.HostConfig).not.toHaveProperty("Links");
    expect(s.body.NetworkingConfig?.EndpointsConfig.demo_default).not.toHaveProperty("Links");
  });
});

describe("secrets and configs", () => {
  const svc = (extra: Partial<ServiceConfig> = {}): ServiceConfig => ({
    name: "web",
    image: "nginx",
    secrets: [{ source: "fromfile" }, { source: "fromenv" }, { source: "fromenv", target: "renamed", uid: "1000", mode: 0o400 }],
    configs: [{ source: "cfgfile" }, { source: "inline", target: "/etc/app.conf" }, { source: "inline", target: "rel.conf" }],
    ...extra,
  });
  const files: Partial<Project> = {
    secrets: { fromfile: { name: "fromfile", file: "/p/secret.txt" }, fromenv: { name: "fromenv", environment: "TOKEN" } },
    configs: { cfgfile: { name: "cfgfile", file: "/p/app.conf" }, inline: { name: "inline", content: "hello" } },
  };

  it("bind-mounts only file-backed ones, read-only, where compose puts them", () => {
    const service = svc();
    const mounts = containerSpec(project(service, files), service, 1, ctx).body.HostConfig.Mounts;
    expect(mounts).toEqual([
      { Type: "bind", Source: "/p/secret.txt", Target: "/run/secrets/fromfile", ReadOnly: true },
      { Type: "bind", Source: "/p/app.conf", Target: "/cfgfile", ReadOnly: true },
    ]);
  });

  it("copies environment and content ones in: targets, mode 0444 by default, owner only when asked", () => {
    const service = svc();
    const { files: out, errors } = fileInjections(project(service, files), service, { TOKEN: "t0k" });
    expect(errors).toEqual([]);
    expect(out).toEqual([
      { kind: "secrets", source: "fromenv", target: "/run/secrets/fromenv", content: "t0k", mode: 0o444, copyUidGid: false },
      { kind: "secrets", source: "fromenv", target: "/run/secrets/renamed", content: "t0k", mode: 0o400, uid: 1000, copyUidGid: true },
      { kind: "configs", source: "inline", target: "/etc/app.conf", content: "hello", mode: 0o444, copyUidGid: false },
      { kind: "configs", source: "inline", target: "/rel.conf", content: "hello", mode: 0o444, copyUidGid: false },
    ]);
  });

  it("an unset variable, or a read-only service, is an error", () => {
    const service = svc();
    expect(fileInjections(project(service, files), service, {}).errors).toEqual([
      "environment variable TOKEN required by secret fromenv (service web) is not set",
      "environment variable TOKEN required by secret fromenv (service web) is not set",
    ]);
    const ro = svc({ read_only: true, secrets: [], configs: [{ source: "inline" }] });
    expect(fileInjections(project(ro, files), ro, {}).errors[0]).toMatch(/cannot create config inline in read-only service web/);
  });
});

describe("goDurationToNanos", () => {
  it.each<[string, number | undefined]>([
    ["0", 0],
    ["1s", 1e9],
    ["1m30s", 90e9],
    ["1h2m3s", 3723e9],
    ["1.5s", 1.5e9],
    ["250ms", 250e6],
    ["10us", 10e3],
    ["", undefined],
    ["5", undefined],
    ["1x", undefined],
  ])("%s", (text, ns) => {
    expect(goDurationToNanos(text)).toBe(ns);
  });
});
