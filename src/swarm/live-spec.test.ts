// The comparison of a desired service spec with the live one: pairs of what moor sent and what a
// Docker 20.10 engine answered on `GET /services` (recorded on this project's test swarm), which
// must compare equal, and the changes `docker service update` makes, which must not.
import { describe, expect, test } from "vitest";
import type { SwarmServiceSpec } from "../engine/swarm-engine.js";
import { canonicalJson } from "../reconcile/config-hash.js";
import { comparableSpec, diffView, sameSpec, type SpecContext } from "./live-spec.js";
import { diffConfigs } from "../reconcile/plan-diff.js";

const ctx: SpecContext = { networkNames: new Map([["xyw7k3054thibzz29a0fa8j4p", "st_front"], ["nc67kcbvrwxfgzwb20w97rb7o", "st_default"]]) };

/** What moor sent for a service using most of what translate.ts emits. */
const SENT_FULL = {
  EndpointSpec: { Mode: "dnsrr", Ports: [{ Protocol: "tcp", PublishMode: "host", PublishedPort: 28081, TargetPort: 80 }] },
  Labels: { "com.docker.stack.image": "busybox:1", "com.docker.stack.namespace": "st", dl: "y" },
  Mode: { Replicated: { Replicas: 1 } },
  Name: "st_full",
  TaskTemplate: {
    ContainerSpec: {
      Args: ["sleep", "86400"],
      CapabilityAdd: ["CAP_NET_ADMIN"],
      CapabilityDrop: ["CAP_MKNOD"],
      Command: ["/bin/sh", "-c", 'exec "$@"', "--"],
      Configs: [{ ConfigName: "st_conf-bfecd37fef", File: { GID: "0", Mode: 292, Name: "/etc/conf", UID: "0" } }],
      DNSConfig: { Nameservers: ["8.8.8.8"] },
      Dir: "/tmp",
      Env: ["A=1", "B="],
      Healthcheck: { Interval: 10000000000, Retries: 2, Test: ["CMD", "true"], Timeout: 2000000000 },
      Hostname: "h1",
      Hosts: ["10.0.0.1 foo"],
      Image: "busybox:1",
      Init: true,
      Labels: { "com.docker.stack.namespace": "st", lab: "x" },
      Mounts: [
        { Source: "st_data", Target: "/data", Type: "volume", VolumeOptions: { Labels: { "com.docker.stack.namespace": "st" } } },
        { Target: "/t", TmpfsOptions: { SizeBytes: 1000000 }, Type: "tmpfs" },
        { BindOptions: {}, ReadOnly: true, Source: "/tmp", Target: "/host", Type: "bind" },
      ],
      Secrets: [{ File: { GID: "0", Mode: 292, Name: "tok", UID: "0" }, SecretName: "st_tok-d2caacf7bb" }],
      StopGracePeriod: 3000000000,
      StopSignal: "SIGTERM",
      Sysctls: { "net.core.somaxconn": "1024" },
      Ulimits: [{ Hard: 2000, Name: "nofile", Soft: 1000 }],
      User: "0",
    },
    LogDriver: { Name: "json-file", Options: { "max-size": "1m" } },
    Networks: [{ Aliases: ["fr", "full"], Target: "st_front" }],
    Placement: { Constraints: ["node.role==manager"], Preferences: [{ Spread: { SpreadDescriptor: "node.id" } }] },
    Resources: { Limits: { MemoryBytes: 67108864, NanoCPUs: 500000000 }, Reservations: { MemoryBytes: 8388608 } },
    RestartPolicy: { Condition: "on-failure", Delay: 1000000000, MaxAttempts: 3 },
  },
  UpdateConfig: { Delay: 1000000000, Order: "start-first", Parallelism: 2 },
} satisfies SwarmServiceSpec;

/** What the engine answered for it. */
const LIVE_FULL = {
  Name: "st_full",
  Labels: { "com.docker.stack.image": "busybox:1", "com.docker.stack.namespace": "st", dl: "y" },
  TaskTemplate: {
    ContainerSpec: {
      Image: "busybox:1",
      Labels: { "com.docker.stack.namespace": "st", lab: "x" },
      Command: ["/bin/sh", "-c", 'exec "$@"', "--"],
      Args: ["sleep", "86400"],
      Hostname: "h1",
      Env: ["A=1", "B="],
      Dir: "/tmp",
      User: "0",
      Init: true,
      StopSignal: "SIGTERM",
      Mounts: [
        { Type: "volume", Source: "st_data", Target: "/data", VolumeOptions: { Labels: { "com.docker.stack.namespace": "st" } } },
        { Type: "tmpfs", Target: "/t", TmpfsOptions: { SizeBytes: 1000000 } },
        { Type: "bind", Source: "/tmp", Target: "/host", ReadOnly: true },
      ],
      StopGracePeriod: 3000000000,
      Healthcheck: { Test: ["CMD", "true"], Interval: 10000000000, Timeout: 2000000000, Retries: 2 },
      Hosts: ["10.0.0.1 foo"],
      DNSConfig: { Nameservers: ["8.8.8.8"] },
      Secrets: [{ File: { Name: "tok", UID: "0", GID: "0", Mode: 292 }, SecretID: "p53vbyzp9xhya4qaw85jgstqi", SecretName: "st_tok-d2caacf7bb" }],
      Configs: [{ File: { Name: "/etc/conf", UID: "0", GID: "0", Mode: 292 }, ConfigID: "td3scwlalk07bz5be0xjq6bp7", ConfigName: "st_conf-bfecd37fef" }],
      Isolation: "default",
      Sysctls: { "net.core.somaxconn": "1024" },
      CapabilityAdd: ["CAP_NET_ADMIN"],
      CapabilityDrop: ["CAP_MKNOD"],
      Ulimits: [{ Name: "nofile", Hard: 2000, Soft: 1000 }],
    },
    Resources: { Limits: { NanoCPUs: 500000000, MemoryBytes: 67108864 }, Reservations: { MemoryBytes: 8388608 } },
    RestartPolicy: { Condition: "on-failure", Delay: 1000000000, MaxAttempts: 3 },
    Placement: { Constraints: ["node.role==manager"], Preferences: [{ Spread: { SpreadDescriptor: "node.id" } }] },
    Networks: [{ Target: "xyw7k3054thibzz29a0fa8j4p", Aliases: ["fr", "full"] }],
    LogDriver: { Name: "json-file", Options: { "max-size": "1m" } },
    ForceUpdate: 0,
    Runtime: "container",
  },
  Mode: { Replicated: { Replicas: 1 } },
  UpdateConfig: { Parallelism: 2, Delay: 1000000000, FailureAction: "pause", MaxFailureRatio: 0, Order: "start-first" },
  EndpointSpec: { Mode: "dnsrr", Ports: [{ Protocol: "tcp", TargetPort: 80, PublishedPort: 28081, PublishMode: "host" }] },
} as SwarmServiceSpec;

const minimal = (extra: Partial<SwarmServiceSpec> = {}): SwarmServiceSpec => ({
  Name: "st_plain",
  Labels: { "com.docker.stack.namespace": "st" },
  TaskTemplate: { ContainerSpec: { Image: "busybox:1", Args: ["sleep", "86400"] }, Networks: [{ Target: "st_default", Aliases: ["plain"] }], Placement: {}, Resources: {} },
  EndpointSpec: {},
  ...extra,
});

/** The engine's answer for `minimal`: defaults filled in, the network as an id. */
const liveMinimal = (extra: Partial<SwarmServiceSpec> = {}): SwarmServiceSpec => ({
  Name: "st_plain",
  Labels: { "com.docker.stack.namespace": "st" },
  TaskTemplate: {
    ContainerSpec: { Image: "busybox:1", Args: ["sleep", "86400"], Isolation: "default" },
    Resources: {},
    Placement: {},
    Networks: [{ Target: "nc67kcbvrwxfgzwb20w97rb7o", Aliases: ["plain"] }],
    ForceUpdate: 0,
    Runtime: "container",
  } as SwarmServiceSpec["TaskTemplate"],
  Mode: { Replicated: { Replicas: 1 } },
  EndpointSpec: { Mode: "vip" },
  ...extra,
});

const changes = (live: SwarmServiceSpec, desired: SwarmServiceSpec) => diffConfigs(diffView(comparableSpec(live, ctx)), diffView(comparableSpec(desired, ctx)));

describe("comparableSpec: what moor sent equals what the engine answers", () => {
  test("a service using most fields", () => {
    expect(changes(LIVE_FULL, SENT_FULL)).toEqual([]);
    expect(sameSpec(LIVE_FULL, SENT_FULL, ctx)).toBe(true);
  });

  test("defaults: one replica, vip, the update config's failure action and order, a port's protocol and mode", () => {
    expect(sameSpec(liveMinimal(), minimal(), ctx)).toBe(true);
    const sent = minimal({ UpdateConfig: { Parallelism: 1 }, RollbackConfig: { Parallelism: 1 }, EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 28099 }] } });
    const live = liveMinimal({
      UpdateConfig: { Parallelism: 1, FailureAction: "pause", MaxFailureRatio: 0, Order: "stop-first" },
      RollbackConfig: { Parallelism: 1, FailureAction: "pause", MaxFailureRatio: 0, Order: "stop-first" },
      EndpointSpec: { Mode: "vip", Ports: [{ Protocol: "tcp", TargetPort: 80, PublishedPort: 28099, PublishMode: "ingress" }] },
    });
    expect(changes(live, sent)).toEqual([]);
  });

  test("jobs and global services", () => {
    expect(sameSpec(liveMinimal({ Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } } }), minimal({ Mode: { ReplicatedJob: {} } }), ctx)).toBe(true);
    expect(sameSpec(liveMinimal({ Mode: { Global: {} } }), minimal({ Mode: { Global: {} } }), ctx)).toBe(true);
    expect(sameSpec(liveMinimal({ Mode: { GlobalJob: {} } }), minimal({ Mode: { Global: {} } }), ctx)).toBe(false);
    expect(sameSpec(liveMinimal({ Mode: { Replicated: { Replicas: 0 } } }), minimal({ Mode: { Replicated: { Replicas: 0 } } }), ctx)).toBe(true);
  });

  test("moor's record label and a forced update (ForceUpdate) are not differences", () => {
    const live = liveMinimal({ Labels: { "com.docker.stack.namespace": "st", "dev.moor.swarm.spec": "{}" } });
    (live.TaskTemplate as { ForceUpdate?: number }).ForceUpdate = 3;
    expect(sameSpec(live, minimal(), ctx)).toBe(true);
  });

  test("the order of variables is not a difference", () => {
    expect(sameSpec(liveMinimal({}), minimal(), ctx)).toBe(true);
    const a = minimal();
    a.TaskTemplate.ContainerSpec.Env = ["B=2", "A=1"];
    const b = liveMinimal();
    b.TaskTemplate.ContainerSpec.Env = ["A=1", "B=2"];
    expect(sameSpec(a, b, ctx)).toBe(true);
  });

  test("the result is canonical: key order does not matter", () => {
    expect(canonicalJson(comparableSpec(LIVE_FULL, ctx))).toBe(canonicalJson(comparableSpec(SENT_FULL, ctx)));
  });
});

describe("changes made outside moor are differences, named field by field", () => {
  test("docker service update --env-add X=1 --replicas 2", () => {
    const live = liveMinimal({ Mode: { Replicated: { Replicas: 2 } } });
    live.TaskTemplate.ContainerSpec.Env = ["X=1"];
    expect(changes(live, minimal())).toEqual(["Mode.Replicated.Replicas: 2 → 1", 'TaskTemplate.ContainerSpec.environment: {"X":"1"} → (absent)']);
  });

  test("docker service update --update-parallelism 3 on a service with no update config", () => {
    const live = liveMinimal({ UpdateConfig: { Parallelism: 3, FailureAction: "pause", Monitor: 5000000000, MaxFailureRatio: 0, Order: "stop-first" } });
    expect(changes(live, minimal())).toEqual(['UpdateConfig: {"Parallelism":3,"FailureAction":"pause","Monitor":50000000… → (absent)']);
  });

  test("a changed variable, image, constraint and a network the service left", () => {
    const live = structuredClone(LIVE_FULL);
    live.TaskTemplate.ContainerSpec.Env = ["A=2", "B="];
    live.TaskTemplate.ContainerSpec.Image = "busybox:2";
    live.TaskTemplate.Placement = { Constraints: ["node.role==worker"], Preferences: [{ Spread: { SpreadDescriptor: "node.id" } }] };
    live.TaskTemplate.Networks = [];
    expect(changes(live, SENT_FULL)).toEqual([
      'TaskTemplate.ContainerSpec.Image: "busybox:2" → "busybox:1"',
      'TaskTemplate.ContainerSpec.environment.A: "2" → "1"',
      'TaskTemplate.Networks: (absent) → [{"Aliases":["fr","full"],"Target":"st_front"}]',
      'TaskTemplate.Placement.Constraints[0]: "node.role==worker" → "node.role==manager"',
    ]);
  });

  test("an unknown network id stays an id, so the service is updated", () => {
    const live = liveMinimal();
    live.TaskTemplate.Networks = [{ Target: "someotherid", Aliases: ["plain"] }];
    expect(sameSpec(live, minimal(), ctx)).toBe(false);
  });
});
