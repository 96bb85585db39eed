// Properties of the planner over generated projects: a plan is a well-formed DAG, and running it
// (on a tiny in-memory engine below) reaches a state the next plan has nothing to do for. The
// golden files in test/golden/plan check the exact text of chosen situations.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Project, ServiceConfig } from "../compose/types.js";
import type { ContainerSummary, NetworkSummary, VolumeSummary } from "../engine/types.js";
import { containerSpec, networkLabels, volumeLabels } from "./container-spec.js";
import { observedStateFrom } from "./observed-state.js";
import { plan, planDown } from "./plan.js";
import type { ContainerRef, Plan, PlanOptions } from "./plan.js";

interface Engine {
  containers: ContainerSummary[];
  networks: NetworkSummary[];
  volumes: VolumeSummary[];
}

let serial = 0;
const newId = (): string => createHash("sha256").update(String(serial++)).digest("hex");

/** Applies a plan the way the executor will, one action at a time in id order. */
function execute(project: Project, p: Plan, engine: Engine): void {
  const created = new Map<number, string>();
  const idOf = (ref: ContainerRef): string => (ref.kind === "existing" ? ref.id : (created.get(ref.action) ?? "missing"));
  const find = (ref: ContainerRef): ContainerSummary => {
    const c = engine.containers.find((x) => x.id === idOf(ref));
    if (!c) throw new Error(`no container for ${JSON.stringify(ref)}`);
    return c;
  };
  for (const a of p.actions) {
    switch (a.kind) {
      case "create-network":
        engine.networks.push({ id: newId(), name: a.name, driver: "bridge", scope: "local", internal: false, attachable: false, labels: networkLabels(project.name, a.key, a.config, "t"), options: {}, enableIPv6: false });
        break;
      case "remove-network":
        engine.networks = engine.networks.filter((n) => n.name !== a.name);
        break;
      case "create-volume":
        engine.volumes.push({ name: a.name, driver: "local", mountpoint: "", labels: volumeLabels(project.name, a.key, a.config, "t"), options: {} });
        break;
      case "remove-volume":
        engine.volumes = engine.volumes.filter((v) => v.name !== a.name);
        break;
      case "create-container": {
        const svc = project.services[a.service] as ServiceConfig;
        const spec = containerSpec(project, svc, a.number, { configFiles: [], workingDir: "/", version: "t", name: a.name, ...(a.replaces ? { replaces: a.replaces } : {}) });
        const id = newId();
        created.set(a.id, id);
        const primary = spec.body.NetworkingConfig ? spec.body.HostConfig.NetworkMode : undefined;
        engine.containers.push({
          id,
          name: spec.name,
          image: spec.body.Image,
          imageId: "sha256:x",
          command: "",
          created: serial,
          state: "created",
          status: "",
          labels: spec.body.Labels,
          networks: primary ? { [primary]: { networkId: primary } } : {},
          ports: [],
          // The engine reports named volumes given as Binds (`name:/target:rw`) as volume mounts too.
          mounts: [
            ...(spec.body.HostConfig.Mounts ?? []).filter((m) => m.Type === "volume").map((m) => ({ type: "volume", name: m.Source ?? newId(), destination: m.Target })),
            ...(spec.body.HostConfig.Binds ?? [])
              .map((b) => b.split(":"))
              .filter(([source]) => source !== undefined && !source.startsWith("/"))
              .map(([name = "", destination = ""]) => ({ type: "volume", name, destination })),
          ],
        });
        break;
      }
      case "start-container":
        find(a.container).state = "running";
        break;
      case "stop-container":
        find(a.container).state = "exited";
        break;
      case "remove-container": {
        const id = idOf(a.container);
        engine.containers = engine.containers.filter((c) => c.id !== id);
        break;
      }
      case "rename-container":
        find(a.container).name = a.to;
        break;
      case "connect-network":
        find(a.container).networks[a.network] = { networkId: a.network };
        break;
      case "disconnect-network":
        delete find(a.container).networks[a.network];
        break;
      case "pull-image":
      case "build-image":
      case "remove-image":
      case "wait-service":
        break;
    }
  }
}

function wellFormed(p: Plan): void {
  const kinds = new Map(p.actions.map((a) => [a.id, a.kind]));
  p.actions.forEach((a, i) => {
    expect(a.id).toBe(i + 1);
    for (const d of a.deps) expect(d).toBeLessThan(a.id);
    if ("container" in a && a.container.kind === "planned") {
      expect(kinds.get(a.container.action)).toBe("create-container");
      // A planned container is only touched after it was created.
      expect(a.id).toBeGreaterThan(a.container.action);
    }
    if (a.destructive !== undefined) expect(a.kind).toBe("remove-volume");
  });
}

const names = ["api", "cache", "db", "web"] as const;

/** Projects of up to four services; each may depend on earlier ones, so there is never a cycle. */
const projectArb = fc
  .tuple(
    ...names.map((name, i) =>
      fc.record({
        present: fc.boolean(),
        image: fc.constantFrom("nginx:1", "nginx:2", "redis:7"),
        env: fc.constantFrom("0", "1"),
        scale: fc.integer({ min: 0, max: 3 }),
        back: fc.boolean(),
        data: fc.boolean(),
        dependsOn: fc.subarray(names.slice(0, i) as string[]),
        condition: fc.constantFrom("service_started" as const, "service_healthy" as const),
        restart: fc.boolean(),
      }),
    ),
  )
  .map((specs): Project => {
    const services: Record<string, ServiceConfig> = {};
    specs.forEach((s, i) => {
      const name = names[i] as string;
      if (!s.present && i > 0) return;
      services[name] = {
        name,
        image: s.image,
        environment: { MODE: s.env },
        scale: s.scale,
        networks: s.back ? { default: null, back: null } : { default: null },
        ...(s.data ? { volumes: [{ type: "volume", source: "data", target: "/data" }] } : {}),
        depends_on: Object.fromEntries(s.dependsOn.filter((d) => d !== name).map((d) => [d, { condition: s.condition, required: true, restart: s.restart }])),
      };
    });
    for (const svc of Object.values(services)) {
      svc.depends_on = Object.fromEntries(Object.entries(svc.depends_on ?? {}).filter(([d]) => services[d] !== undefined));
    }
    return { name: "prop", services, networks: { default: { name: "prop_default" }, back: { name: "prop_back" } }, volumes: { data: { name: "prop_data" } } };
  });

const optionsArb = fc.record({
  forceRecreate: fc.boolean(),
  renewAnonVolumes: fc.boolean(),
  removeOrphans: fc.constant(true),
});

function observe(engine: Engine) {
  return observedStateFrom("prop", { containers: structuredClone(engine.containers), networks: engine.networks, volumes: engine.volumes });
}

describe("plan properties", () => {
  it("from any earlier state, running the plan converges: the next plan is empty", () => {
    fc.assert(
      fc.property(projectArb, projectArb, optionsArb, (before, after, options: PlanOptions) => {
        const engine: Engine = { containers: [], networks: [], volumes: [] };
        const first = plan(before, observe(engine));
        wellFormed(first);
        execute(before, first, engine);
        expect(plan(before, observe(engine)).actions).toEqual([]);

        const second = plan(after, observe(engine), options);
        wellFormed(second);
        execute(after, second, engine);
        const third = plan(after, observe(engine));
        expect(third.actions).toEqual([]);
        expect(third.errors).toEqual([]);

        // Every container runs under its final name, numbers unique per service.
        for (const c of engine.containers) expect(c.state).toBe("running");
        const keys = engine.containers.map((c) => c.name);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 150 },
    );
  });

  it("down removes every container and network of the project and, with volumes, its volumes", () => {
    fc.assert(
      fc.property(projectArb, fc.boolean(), (project, volumes) => {
        const engine: Engine = { containers: [], networks: [], volumes: [] };
        execute(project, plan(project, observe(engine)), engine);
        const p = planDown(project, observe(engine), { volumes });
        wellFormed(p);
        execute(project, p, engine);
        expect(engine.containers).toEqual([]);
        expect(engine.networks).toEqual([]);
        if (volumes) expect(engine.volumes).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("a recreate's cause names the changed field, and an unchanged project plans nothing", () => {
    const svc: ServiceConfig = { name: "web", image: "nginx:1", environment: { MODE: "a" } };
    const project: Project = { name: "prop", services: { web: svc } };
    const engine: Engine = { containers: [], networks: [], volumes: [] };
    execute(project, plan(project, observe(engine)), engine);
    expect(plan(project, observe(engine)).actions).toEqual([]);
    const changed: Project = { ...project, services: { web: { ...svc, environment: { MODE: "b" } } } };
    const create = plan(changed, observe(engine)).actions.find((a) => a.kind === "create-container");
    expect(create?.changes).toEqual(['environment.MODE: "a" → "b"']);
  });
});

describe("a concurrent run's container in the making", () => {
  it("a created container listed on no network yet is started, not replaced; one short of a network is replaced", () => {
    const project: Project = { name: "prop", services: { web: { name: "web", image: "nginx:1" } } };
    const engine: Engine = { containers: [], networks: [], volumes: [] };
    const first = plan(project, observe(engine));
    // What another run has done so far: the network, and the container created but not started.
    execute(project, { ...first, actions: first.actions.filter((a) => a.kind !== "start-container") }, engine);
    const c = engine.containers[0]!;
    expect(c.state).toBe("created");
    const primary = Object.keys(c.networks);
    c.networks = {};
    expect(plan(project, observe(engine)).actions.map((a) => a.kind)).toEqual(["start-container"]);
    // Created on another network only (a run killed before its connects): not on ours, so replaced.
    c.networks = { other_net: { networkId: "other_net" } };
    expect(plan(project, observe(engine)).actions.map((a) => a.kind)).toContain("create-container");
    expect(primary).toHaveLength(1);
  });
});

describe("hooks and injected files", () => {
  const hooked: ServiceConfig = { name: "web", image: "nginx:1", scale: 2, pre_stop: [{ command: ["sh", "-c", "echo bye"] }], environment: { MODE: "a" } };
  const project: Project = { name: "prop", services: { web: hooked } };
  const started = (): Engine => {
    const engine: Engine = { containers: [], networks: [], volumes: [] };
    execute(project, plan(project, observe(engine)), engine);
    return engine;
  };
  const stops = (p: Plan) => p.actions.filter((a) => a.kind === "stop-container");

  it("scale-down and down stop with pre_stop hooks, as compose's stop does", () => {
    const engine = started();
    const down = plan({ ...project, services: { web: { ...hooked, scale: 1 } } }, observe(engine));
    expect(stops(down).map((a) => a.kind === "stop-container" && a.preStop)).toEqual([true]);
    expect(stops(planDown(project, observe(engine))).every((a) => a.kind === "stop-container" && a.preStop === true)).toBe(true);
  });

  it("a recreate stops without them (compose stops the replaced container directly)", () => {
    const engine = started();
    const recreate = plan({ ...project, services: { web: { ...hooked, environment: { MODE: "b" } } } }, observe(engine));
    expect(stops(recreate)).toHaveLength(2);
    for (const a of stops(recreate)) expect(a).not.toHaveProperty("preStop");
  });

  it("a secret from an unset variable is a plan error when the environment is known", () => {
    const svc: ServiceConfig = { name: "web", image: "nginx:1", secrets: [{ source: "token" }] };
    const p: Project = { name: "prop", services: { web: svc }, secrets: { token: { name: "token", environment: "TOKEN" } } };
    const empty = observe({ containers: [], networks: [], volumes: [] });
    expect(plan(p, empty, { environment: {} }).errors).toEqual(["environment variable TOKEN required by secret token (service web) is not set"]);
    expect(plan(p, empty, { environment: { TOKEN: "x" } }).errors).toEqual([]);
  });
});

describe("network endpoints on connect", () => {
  it("extra networks and reconnects after a network recreate carry the container's aliases", () => {
    const web: ServiceConfig = { name: "web", image: "nginx:1", networks: { front: { aliases: ["www"] }, back: null } };
    const net = (gen: string): Project => ({
      name: "prop",
      services: { web },
      networks: { front: { name: "prop_front", labels: { gen } }, back: { name: "prop_back" } },
    });
    const engine: Engine = { containers: [], networks: [], volumes: [] };
    const first = plan(net("1"), observe(engine));
    const extra = first.actions.find((a) => a.kind === "connect-network");
    expect(extra?.kind === "connect-network" && extra.endpoint?.Aliases).toEqual(["prop-web-1", "web", "www"]);
    execute(net("1"), first, engine);

    const again = plan(net("2"), observe(engine));
    const reconnect = again.actions.find((a) => a.kind === "connect-network");
    expect(reconnect).toMatchObject({ network: "prop_front", endpoint: { Aliases: ["prop-web-1", "web", "www"] } });
  });
});

describe("interrupted runs converge", () => {
  it("from any prefix of a plan (a run killed part-way), the next plan converges to final names and running containers", () => {
    fc.assert(
      fc.property(projectArb, projectArb, optionsArb, fc.nat(), fc.boolean(), (before, after, options: PlanOptions, cut, dropNetworks) => {
        const engine: Engine = { containers: [], networks: [], volumes: [] };
        execute(before, plan(before, observe(engine)), engine);
        const second = plan(after, observe(engine), options);
        // The executor runs a plan in dependency order and deps point backwards: any id prefix is a state a kill can leave.
        execute(after, { ...second, actions: second.actions.slice(0, cut % (second.actions.length + 1)) }, engine);
        // A concurrent `down` may remove the networks under containers that stay.
        if (dropNetworks) engine.networks = [];
        // The user runs the same command again.
        const third = plan(after, observe(engine), options);
        wellFormed(third);
        execute(after, third, engine);
        expect(plan(after, observe(engine)).actions).toEqual([]);
        for (const c of engine.containers) {
          expect(c.state).toBe("running");
          expect(c.name).toMatch(/^prop-[a-z]+-\d+$/);
          // Every network a container names exists.
          for (const n of Object.keys(c.networks)) expect(engine.networks.map((x) => x.name)).toContain(n);
        }
        const keys = engine.containers.map((c) => c.name);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 300 },
    );
  });
});
