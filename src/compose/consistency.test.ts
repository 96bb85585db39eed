import { describe, expect, it } from "vitest";
import { checkConsistency, closestName, hasServiceCycle, type ConsistencyOptions } from "./consistency.js";
import { buildProjectGraph, serviceGraph } from "../graph/project-graph.js";
import { findCycles } from "../graph/topo-sort.js";
import { DiagnosticBag, formatDiagnostic, formatKeyPath, type KeyPath, type Location } from "./diagnostics.js";
import type { ConfigObjConfig, ModelConfig, NetworkConfig, Project, SecretConfig, ServiceConfig, ServicePortConfig, VolumeConfig } from "./types.js";

type ServiceSpec = Omit<ServiceConfig, "name">;
type Named<T> = Record<string, Omit<T, "name">>;

interface ProjectSpec {
  services: Record<string, ServiceSpec>;
  networks?: Named<NetworkConfig>;
  volumes?: Named<VolumeConfig>;
  secrets?: Named<SecretConfig>;
  configs?: Named<ConfigObjConfig>;
  models?: Record<string, ModelConfig>;
}

const withNames = <T>(map: Named<T> | undefined): Record<string, T> | undefined =>
  map && (Object.fromEntries(Object.entries(map).map(([name, v]) => [name, { name: `app_${name}`, ...v }])) as Record<string, T>);

/** A normalized project as the loader hands it over: names filled in, the default network declared. */
function project(spec: ProjectSpec): Project {
  return {
    name: "app",
    services: Object.fromEntries(Object.entries(spec.services).map(([name, s]) => [name, { name, ...s }])),
    networks: withNames<NetworkConfig>({ default: {}, ...spec.networks }),
    volumes: withNames<VolumeConfig>(spec.volumes),
    secrets: withNames<SecretConfig>(spec.secrets),
    configs: withNames<ConfigObjConfig>(spec.configs),
    models: spec.models,
  };
}

/** Like the loader's locator: every key path resolves (to itself or its nearest written ancestor). */
const fakeLocate = (path: KeyPath): Location => ({ file: "compose.yaml", line: formatKeyPath(path).length, col: path.length });

function run(spec: ProjectSpec, options: ConsistencyOptions = {}): DiagnosticBag {
  const bag = new DiagnosticBag();
  checkConsistency(project(spec), bag, fakeLocate, options);
  return bag;
}

const img = { image: "busybox" };
const port = (published: number, host_ip?: string): ServicePortConfig => ({
  mode: "ingress",
  target: 80,
  published: String(published),
  protocol: "tcp",
  ...(host_ip === undefined ? {} : { host_ip }),
});
const started = { condition: "service_started" as const, required: true };

interface Expected {
  /** "error" unless said otherwise. */
  severity?: "warning";
  code: string;
  path: string;
  message: string;
  hint?: string | RegExp;
}

interface Case {
  name: string;
  spec: ProjectSpec;
  options?: ConsistencyOptions;
  expected: Expected[];
}

const cases: Case[] = [
  {
    name: "a consistent project",
    spec: {
      services: {
        web: { image: "nginx", depends_on: { db: { condition: "service_healthy", required: true } }, networks: { default: null, front: null } },
        db: { build: { context: "/db" }, volumes: [{ type: "volume", source: "data", target: "/var/lib/db" }], secrets: [{ source: "pw" }] },
      },
      networks: { front: {} },
      volumes: { data: {} },
      secrets: { pw: { file: "/run/pw" } },
    },
    expected: [],
  },
  {
    name: "depends_on an undefined service, with a did-you-mean",
    spec: { services: { web: { ...img, depends_on: { dbb: started } }, db: img } },
    expected: [
      {
        code: "consistency.undefined-service",
        path: "services.web.depends_on.dbb",
        message: 'service "web" depends on undefined service "dbb"',
        hint: 'did you mean "db"?',
      },
    ],
  },
  {
    name: "depends_on with no near name lists the services",
    spec: { services: { web: { ...img, depends_on: { postgres: started } }, cache: img, queue: img } },
    expected: [
      {
        code: "consistency.undefined-service",
        path: "services.web.depends_on.postgres",
        message: 'service "web" depends on undefined service "postgres"',
        hint: "defined services: cache, queue",
      },
    ],
  },
  {
    name: "a non-required dependency on a missing service is still an error, as in compose",
    spec: { services: { web: { ...img, depends_on: { ghost: { condition: "service_started", required: false } } } } },
    expected: [{ code: "consistency.undefined-service", path: "services.web.depends_on.ghost", message: 'service "web" depends on undefined service "ghost"' }],
  },
  {
    name: "references to services switched off by profiles are left to applyProfiles",
    spec: { services: { web: { ...img, depends_on: { debug: started, trace: { condition: "service_started", required: false } }, links: ["debug"] } } },
    options: { disabledServices: ["debug", "trace"] },
    expected: [],
  },
  {
    name: "links to an undefined service",
    spec: { services: { web: { ...img, links: ["db:database"] }, dbs: img } },
    expected: [
      {
        code: "consistency.undefined-service",
        path: "services.web.links[0]",
        message: 'service "web" depends on undefined service "db" (in links)',
        hint: 'did you mean "dbs"?',
      },
    ],
  },
  {
    name: "an implied depends_on entry is reported once, at the link the user wrote",
    spec: { services: { web: { ...img, links: ["db"], depends_on: { db: { condition: "service_started", required: true, restart: true } } } } },
    expected: [{ code: "consistency.undefined-service", path: "services.web.links[0]", message: 'service "web" depends on undefined service "db" (in links)' }],
  },
  {
    name: "volumes_from an undefined service; container: is not checked",
    spec: { services: { app: { ...img, volumes_from: ["container:legacy", "data:ro"] } } },
    expected: [{ code: "consistency.undefined-service", path: "services.app.volumes_from[1]", message: 'service "app" depends on undefined service "data" (in volumes_from)' }],
  },
  {
    name: "network_mode service: an undefined service",
    spec: { services: { app: { ...img, network_mode: "service:vpn" }, vpm: img } },
    expected: [
      {
        code: "consistency.undefined-service",
        path: "services.app.network_mode",
        message: 'service "app" depends on undefined service "vpn" (in network_mode: service:…)',
        hint: 'did you mean "vpm"?',
      },
    ],
  },
  {
    name: "undefined network",
    spec: { services: { web: { ...img, networks: { frontend: null } } }, networks: { front: {} } },
    expected: [
      { code: "consistency.undefined-network", path: "services.web.networks.frontend", message: 'service "web" refers to undefined network "frontend"', hint: /top-level `networks:`/ },
    ],
  },
  {
    name: "undefined network with a near name",
    spec: { services: { web: { ...img, networks: { bakend: null } } }, networks: { backend: {} } },
    expected: [{ code: "consistency.undefined-network", path: "services.web.networks.bakend", message: 'service "web" refers to undefined network "bakend"', hint: 'did you mean "backend"?' }],
  },
  {
    name: "network_mode with networks",
    spec: { services: { web: { ...img, network_mode: "host", networks: { default: null } } } },
    expected: [
      {
        code: "consistency.network-mode-and-networks",
        path: "services.web.network_mode",
        message: 'service "web" declares mutually exclusive `network_mode` and `networks`',
      },
    ],
  },
  {
    name: "undefined named volume; bind mounts and anonymous volumes are fine",
    spec: {
      services: {
        db: {
          ...img,
          volumes: [
            { type: "bind", source: "/srv/conf", target: "/conf" },
            { type: "volume", target: "/anon" },
            { type: "volume", source: "dbdata", target: "/data" },
          ],
        },
      },
    },
    expected: [
      {
        code: "consistency.undefined-volume",
        path: "services.db.volumes[2]",
        message: 'service "db" refers to undefined volume "dbdata"',
        hint: "declare it under the top-level `volumes:` key, or write ./dbdata to mount a host directory",
      },
    ],
  },
  {
    name: "undefined secret, build secret, config and model",
    spec: {
      services: {
        web: {
          image: "w",
          build: { context: "/w", secrets: [{ source: "npmrc" }] },
          secrets: [{ source: "tokn" }],
          configs: [{ source: "nginx" }],
          models: { llm: null },
        },
      },
      secrets: { token: { file: "/t" } },
    },
    expected: [
      { code: "consistency.undefined-build-secret", path: "services.web.build.secrets[0]", message: 'service "web" refers to undefined build secret "npmrc"' },
      { code: "consistency.undefined-secret", path: "services.web.secrets[0]", message: 'service "web" refers to undefined secret "tokn"', hint: 'did you mean "token"?' },
      { code: "consistency.undefined-config", path: "services.web.configs[0]", message: 'service "web" refers to undefined config "nginx"', hint: /top-level `configs:`/ },
      { code: "consistency.undefined-model", path: "services.web.models.llm", message: 'service "web" refers to undefined model "llm"' },
    ],
  },
  {
    name: "neither image nor build",
    spec: { services: { web: { command: ["serve"] } } },
    expected: [{ code: "consistency.no-image", path: "services.web", message: 'service "web" has neither an image nor a build context specified', hint: /`image: <name>`/ }],
  },
  {
    name: "a provider service needs neither image nor build",
    spec: { services: { db: { provider: { type: "awesomecloud", options: { type: ["mysql"] } } } } },
    expected: [],
  },
  {
    name: "dockerfile and dockerfile_inline",
    spec: { services: { web: { build: { context: "/w", dockerfile: "Dockerfile", dockerfile_inline: "FROM scratch" } } } },
    expected: [{ code: "consistency.dockerfile-conflict", path: "services.web.build.dockerfile_inline", message: 'service "web" declares mutually exclusive dockerfile and dockerfile_inline' }],
  },
  {
    name: "additional_contexts naming an unknown or non-buildable service",
    spec: {
      services: {
        web: { build: { context: "/w", additional_contexts: { base: "service:bse", tools: "service:cache", src: "/src" } } },
        base: { build: { context: "/b" } },
        cache: img,
      },
    },
    expected: [
      {
        code: "consistency.unknown-service",
        path: "services.web.build.additional_contexts.base",
        message: 'service "web" declares unknown service "bse" as additional contexts base',
        hint: 'did you mean "base"?',
      },
      {
        code: "consistency.additional-context-not-buildable",
        path: "services.web.build.additional_contexts.tools",
        message: 'service "web" declares non-buildable service "cache" as additional contexts tools',
      },
    ],
  },
  {
    name: "build.platforms without the service platform",
    spec: { services: { web: { platform: "linux/arm64", build: { context: "/w", platforms: ["linux/amd64"] } } } },
    expected: [{ code: "consistency.platform-not-built", path: "services.web.build.platforms", message: 'build.platforms must include the service\'s platform "linux/arm64"' }],
  },
  {
    name: "healthcheck test that does not start with CMD, CMD-SHELL or NONE",
    spec: { services: { web: { ...img, healthcheck: { test: ["curl", "-f", "http://localhost"] } } } },
    expected: [{ code: "consistency.healthcheck-test", path: "services.web.healthcheck.test[0]", message: 'healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"' }],
  },
  {
    name: "container_name with scale",
    spec: { services: { web: { ...img, container_name: "web", scale: 3 } } },
    expected: [
      {
        code: "consistency.container-name-scale",
        path: "services.web.container_name",
        message: "can't set container_name and scale as container name must be unique",
        hint: '3 containers cannot all be named "web"; remove container_name to get app-web-1, app-web-2, …',
      },
    ],
  },
  {
    name: "container_name with deploy.replicas",
    spec: { services: { web: { ...img, container_name: "web", deploy: { replicas: 2 } } } },
    expected: [{ code: "consistency.container-name-scale", path: "services.web.container_name", message: "can't set container_name and deploy.replicas as container name must be unique" }],
  },
  {
    name: "container_name with a single replica is fine",
    spec: { services: { web: { ...img, container_name: "web", scale: 1, deploy: { replicas: 1 } } } },
    expected: [],
  },
  {
    name: "scale and deploy.replicas disagree; negative replicas",
    spec: { services: { web: { ...img, scale: 2, deploy: { replicas: 3 } }, job: { ...img, deploy: { replicas: -1 } } } },
    expected: [
      { code: "consistency.negative-scale", path: "services.job.deploy.replicas", message: "deploy.replicas must be greater than or equal to 0" },
      { code: "consistency.scale-conflict", path: "services.web.scale", message: "can't set distinct values on 'scale' (2) and 'deploy.replicas' (3)" },
    ],
  },
  {
    name: "short and long resource limits that disagree",
    spec: {
      services: {
        web: {
          ...img,
          cpus: 0.5,
          mem_limit: 1024,
          pids_limit: 100,
          deploy: { resources: { limits: { cpus: 1, memory: 1024, pids: 50 }, reservations: { memory: 10 } } },
        },
      },
    },
    expected: [
      { code: "consistency.limit-conflict", path: "services.web.cpus", message: "can't set distinct values on 'cpus' (0.5) and 'deploy.resources.limits.cpus' (1)" },
      { code: "consistency.limit-conflict", path: "services.web.pids_limit", message: "can't set distinct values on 'pids_limit' (100) and 'deploy.resources.limits.pids' (50)" },
    ],
  },
  {
    name: "two mounts on one target",
    spec: {
      services: {
        web: {
          ...img,
          tmpfs: ["/run:size=64m"],
          volumes: [
            { type: "bind", source: "/a", target: "/data" },
            { type: "bind", source: "/b", target: "/data" },
            { type: "volume", target: "/run" },
          ],
        },
      },
    },
    expected: [
      { code: "consistency.duplicate-mount", path: "services.web.volumes[1]", message: "target /data already mounted as services.web.volumes[0]" },
      { code: "consistency.duplicate-mount", path: "services.web.volumes[2]", message: "target /run already mounted as services.web.tmpfs[0]" },
    ],
  },
  {
    name: "develop.watch sync without a target; rebuild needs none",
    spec: {
      services: {
        web: {
          build: { context: "/w" },
          develop: {
            watch: [
              { path: "/w/src", action: "sync" },
              { path: "/w/package.json", action: "rebuild" },
              { path: "", action: "restart" },
            ],
          },
        },
      },
    },
    expected: [
      { code: "consistency.watch-target", path: "services.web.develop.watch[0]", message: "develop.watch: target is required for non-rebuild actions" },
      { code: "consistency.watch-path", path: "services.web.develop.watch[2].path", message: "develop.watch path can't be blank" },
    ],
  },
  {
    name: "an invalid host_ip",
    spec: {
      services: {
        a: { ...img, ports: [port(8080, "localhost")] },
        b: { ...img, ports: [port(8081, "::1")] },
      },
    },
    expected: [{ code: "consistency.invalid-host-ip", path: "services.a.ports[0].host_ip", message: "invalid ip address: localhost" }],
  },
  {
    name: "one host port published twice is a warning (compose leaves it to the engine)",
    spec: {
      services: {
        a: { ...img, ports: [port(8080)] },
        b: { ...img, ports: [port(8080, "127.0.0.1"), port(9000, "127.0.0.1"), { ...port(9000, "127.0.0.1"), protocol: "udp" }] },
        c: { ...img, ports: [port(9000, "127.0.0.2"), port(9000, "::1"), port(9001, "0.0.0.0"), port(9001, "::1")] },
      },
    },
    expected: [
      {
        severity: "warning",
        code: "consistency.port-conflict",
        path: "services.b.ports[0]",
        message: 'host port 8080/tcp is also published by service "a" (services.a.ports[0])',
        hint: /port is already allocated/,
      },
    ],
  },
  {
    name: "the same port twice in one service",
    spec: { services: { a: { ...img, ports: [port(80), { ...port(80), target: 8080 }] } } },
    expected: [{ severity: "warning", code: "consistency.port-conflict", path: "services.a.ports[1]", message: "host port 80/tcp is also published by this service (services.a.ports[0])" }],
  },
  {
    name: "a scaled service with a fixed host port; ranges and engine-chosen ports are fine",
    spec: {
      services: {
        web: { ...img, scale: 3, ports: [port(8080), { ...port(0), published: "9000-9002" }, { mode: "ingress", target: 80, protocol: "tcp" }] },
      },
    },
    expected: [
      {
        severity: "warning",
        code: "consistency.port-scale",
        path: "services.web.ports[0]",
        message: 'service "web" runs 3 containers but publishes the fixed host port 8080/tcp: only one of them can bind it',
        hint: 'publish a range instead (e.g. "8080-8082:80"), or leave out the host port to let the engine choose',
      },
    ],
  },
  {
    name: "swarm's routing mesh lets replicas share a published port",
    spec: { services: { web: { ...img, deploy: { replicas: 3 }, ports: [port(8080)] } } },
    options: { runtime: "swarm" },
    expected: [],
  },
  {
    name: "waiting for a service whose healthcheck is disabled",
    spec: {
      services: {
        web: { ...img, depends_on: { db: { condition: "service_healthy", required: true }, cache: { condition: "service_healthy", required: true } } },
        db: { ...img, healthcheck: { disable: true } },
        cache: { ...img, healthcheck: { test: ["CMD", "redis-cli", "ping"] } },
      },
    },
    expected: [
      {
        severity: "warning",
        code: "consistency.healthcheck-disabled",
        path: "services.web.depends_on.db.condition",
        message: 'service "web" waits for "db" to be healthy, but "db" disables its healthcheck',
      },
    ],
  },
  {
    name: "gpus with both count and device_ids",
    spec: {
      services: {
        ml: {
          ...img,
          gpus: [{ count: 1, device_ids: ["0"] }],
          deploy: { resources: { reservations: { devices: [{ capabilities: ["gpu"], count: 2 }] } } },
        },
      },
    },
    expected: [{ code: "consistency.device-count-and-ids", path: "services.ml.gpus[0]", message: '"count" and "device_ids" attributes are exclusive' }],
  },
  {
    name: "secrets and configs without a source",
    spec: {
      services: { web: img },
      secrets: { ok: { environment: "TOKEN" }, ext: { external: true }, bare: {}, both: { file: "/a", environment: "A" } },
      configs: { inline: { content: "x" }, driven: { driver: "vault" }, empty: {}, twice: { file: "/a", content: "b" } },
    },
    expected: [
      { code: "consistency.secret-no-source", path: "secrets.bare", message: 'secret "bare" must declare either `file` or `environment`', hint: /external: true/ },
      { code: "consistency.secret-source-conflict", path: "secrets.both.environment", message: "file|environment attributes are mutually exclusive" },
      { code: "consistency.config-no-source", path: "configs.empty", message: "one of file|environment|content must be set" },
      { code: "consistency.config-source-conflict", path: "configs.twice.content", message: "file|environment|content attributes are mutually exclusive" },
    ],
  },
  {
    name: "an external volume with a driver",
    spec: { services: { web: img }, volumes: { shared: { external: true, driver: "local" }, fine: { external: true } } },
    expected: [{ code: "consistency.external-conflict", path: "volumes.shared.driver", message: 'conflicting parameters "external" and "driver" specified' }],
  },
  {
    name: "depends_on cycle",
    spec: { services: { web: { ...img, depends_on: { api: started } }, api: { ...img, depends_on: { web: started } } } },
    expected: [{ code: "consistency.dependency-cycle", path: "services.api.depends_on.web", message: "dependency cycle: api → web → api", hint: /remove one of these dependencies/ }],
  },
  {
    name: "a service that depends on itself",
    spec: { services: { web: { ...img, depends_on: { web: started } } } },
    expected: [{ code: "consistency.dependency-cycle", path: "services.web.depends_on.web", message: "dependency cycle: web → web" }],
  },
  {
    name: "a cycle through links and network_mode, and a second independent cycle",
    spec: {
      services: {
        a: { ...img, links: ["b"] },
        b: { ...img, network_mode: "service:c" },
        c: { ...img, depends_on: { a: started } },
        x: { ...img, volumes_from: ["y"] },
        y: { ...img, depends_on: { x: started } },
      },
    },
    expected: [
      { code: "consistency.dependency-cycle", path: "services.a.links[0]", message: "dependency cycle: a → b → c → a" },
      { code: "consistency.dependency-cycle", path: "services.x.volumes_from[0]", message: "dependency cycle: x → y → x" },
    ],
  },
  {
    name: "a cycle closed by an implied depends_on points at the link",
    spec: { services: { a: { ...img, links: ["b"], depends_on: { b: { condition: "service_started", required: true, restart: true } } }, b: { ...img, depends_on: { a: started } } } },
    expected: [{ code: "consistency.dependency-cycle", path: "services.a.links[0]", message: "dependency cycle: a → b → a" }],
  },
  {
    name: "every problem in one run",
    spec: {
      services: {
        web: { depends_on: { db: started }, networks: { nope: null }, container_name: "w", scale: 2 },
      },
    },
    expected: [
      { code: "consistency.no-image", path: "services.web", message: 'service "web" has neither an image nor a build context specified' },
      { code: "consistency.undefined-service", path: "services.web.depends_on.db", message: 'service "web" depends on undefined service "db"', hint: "defined services: none" },
      { code: "consistency.undefined-network", path: "services.web.networks.nope", message: 'service "web" refers to undefined network "nope"' },
      { code: "consistency.container-name-scale", path: "services.web.container_name", message: "can't set container_name and scale as container name must be unique" },
    ],
  },
];

describe("checkConsistency", () => {
  it.each(cases)("$name", ({ spec, options, expected }) => {
    const bag = run(spec, options);
    const got = bag.items.map((d) => ({ severity: d.severity, code: d.code, path: formatKeyPath(d.path ?? []), message: d.message, hint: d.hint }));
    expect(got).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      const actual = got[i];
      expect(actual).toMatchObject({ severity: want.severity ?? "error", code: want.code, path: want.path, message: want.message });
      if (typeof want.hint === "string") expect(actual?.hint).toBe(want.hint);
      else if (want.hint) expect(actual?.hint).toMatch(want.hint);
    });
  });

  it("attaches the location of the key path", () => {
    const bag = new DiagnosticBag();
    const at: Location = { file: "/p/compose.yaml", line: 7, col: 9 };
    checkConsistency(project({ services: { web: { ...img, depends_on: { db: started } } } }), bag, (path) =>
      formatKeyPath(path) === "services.web.depends_on.db" ? at : undefined,
    );
    expect(bag.items[0]?.location).toEqual(at);
    expect(formatDiagnostic(bag.items[0]!)).toBe(
      '/p/compose.yaml:7:9: error: services.web.depends_on.db: service "web" depends on undefined service "db"\n  hint: defined services: none',
    );
  });

  it("falls back to the nearest written ancestor for implied values", () => {
    const bag = new DiagnosticBag();
    const at: Location = { file: "compose.yaml", line: 3, col: 3 };
    // `networks: {default}` was added by normalizing: only the service itself is in the file.
    const p = project({ services: { web: { ...img, networks: { default: null } } } });
    delete p.networks;
    checkConsistency(p, bag, (path) => (formatKeyPath(path) === "services.web" ? at : undefined));
    expect(bag.items.map((d) => [d.code, d.location])).toEqual([["consistency.undefined-network", at]]);
  });

  it("leaves the location out when nothing is known", () => {
    const bag = new DiagnosticBag();
    checkConsistency(project({ services: { web: {} } }), bag, () => undefined);
    expect(bag.items).toHaveLength(1);
    expect(bag.items[0]).not.toHaveProperty("location");
  });

  it("checks a 10,000-service chain that closes into a cycle", () => {
    const services: Record<string, ServiceSpec> = {};
    const n = 10_000;
    const id = (i: number): string => `s${String(i).padStart(5, "0")}`;
    for (let i = 0; i < n; i++) services[id(i)] = { ...img, depends_on: { [id((i + 1) % n)]: started } };
    const bag = run({ services });
    expect(bag.items).toHaveLength(1);
    expect(bag.items[0]?.code).toBe("consistency.dependency-cycle");
    expect(bag.items[0]?.message.startsWith("dependency cycle: s00000 → s00001 → s00002")).toBe(true);
    expect(bag.items[0]?.message.endsWith("s09999 → s00000")).toBe(true);
  });
});

describe("hasServiceCycle (the quick check before the full cycle search)", () => {
  const cases: { name: string; services: Record<string, ServiceSpec> }[] = [
    { name: "no dependencies", services: { a: img, b: img } },
    { name: "a diamond", services: { a: { ...img, depends_on: { b: started, c: started } }, b: { ...img, depends_on: { d: started } }, c: { ...img, depends_on: { d: started } }, d: img } },
    { name: "a self-dependency", services: { a: { ...img, depends_on: { a: started } } } },
    { name: "a two-service loop", services: { a: { ...img, depends_on: { b: started } }, b: { ...img, depends_on: { a: started } } } },
    { name: "a loop through links and network_mode", services: { a: { ...img, links: ["b"] }, b: { ...img, network_mode: "service:c" }, c: { ...img, volumes_from: ["a:ro"] } } },
    { name: "a reference to a missing service", services: { a: { ...img, depends_on: { nope: started } } } },
    { name: "a loop behind an acyclic part", services: { z: { ...img, depends_on: { y: started } }, y: { ...img, depends_on: { x: started } }, x: { ...img, depends_on: { w: started } }, w: { ...img, depends_on: { x: started } } } },
  ];
  it.each(cases)("agrees with the full search: $name", ({ services }) => {
    const p = project({ services });
    expect(hasServiceCycle(p.services)).toBe(findCycles(serviceGraph(buildProjectGraph(p))).length > 0);
  });

  it("walks a 10,000-service chain without a cycle, and finds the one that closes it", () => {
    const id = (i: number): string => `s${String(i).padStart(5, "0")}`;
    const services: Record<string, ServiceSpec> = {};
    for (let i = 0; i < 10_000; i++) services[id(i)] = i === 9_999 ? img : { ...img, depends_on: { [id(i + 1)]: started } };
    expect(hasServiceCycle(project({ services }).services)).toBe(false);
    services[id(9_999)] = { ...img, depends_on: { [id(0)]: started } };
    expect(hasServiceCycle(project({ services }).services)).toBe(true);
  });
});

describe("closestName", () => {
  it.each([
    { name: "db", candidates: ["dbb", "web"], want: "dbb" },
    { name: "Web", candidates: ["web", "wbe"], want: "web" },
    { name: "postgres", candidates: ["postgress", "redis"], want: "postgress" },
    { name: "api", candidates: ["frontend", "worker"], want: undefined },
    { name: "x", candidates: ["x"], want: undefined },
  ])("$name among $candidates", ({ name, candidates, want }) => {
    expect(closestName(name, candidates)).toBe(want);
  });
});
