// Golden plans: each case is a project, what runs, and options; its plan's text is compared with
// test/golden/plan/<case>.txt. The files were written by running with MOOR_UPDATE_GOLDEN=1 and then
// reading every one of them against compose's behaviour (docs/planner.md); a changed plan fails
// here until someone reads the new text and agrees with it.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { NetworkConfig, Project, ServiceConfig, VolumeConfig } from "../../src/compose/types.js";
import type { ContainerState, ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from "../../src/engine/types.js";
import { LABELS } from "../../src/engine/types.js";
import { containerSpec, networkLabels, volumeLabels } from "../../src/reconcile/container-spec.js";
import { MOOR_CONFIG_LABEL, MOOR_HASH_LABEL, observedStateFrom } from "../../src/reconcile/observed-state.js";
import { plan, planDown, planToString } from "../../src/reconcile/plan.js";
import type { DownOptions, Plan, PlanOptions } from "../../src/reconcile/plan.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "..", "golden", "plan");
const P = "demo";

const hex = (seed: string): string => createHash("sha256").update(seed).digest("hex");

/** A service as the loader normalizes it: without network_mode it is on the default network. */
function svc(name: string, extra: Partial<ServiceConfig> = {}): ServiceConfig {
  return { name, image: "nginx:1.27", ...(extra.network_mode ? {} : { networks: { default: null } }), ...extra };
}

function proj(services: ServiceConfig[], extra: Partial<Project> = {}): Project {
  return { name: P, services: Object.fromEntries(services.map((s) => [s.name, s])), networks: { default: { name: `${P}_default` } }, ...extra };
}

interface ContainerOpts {
  state?: ContainerState;
  /** Who created it: moor (default) writes its config label; docker compose writes its own hash. */
  by?: "moor" | "compose";
  imageId?: string;
  oneoff?: boolean;
  created?: number;
}

/** A container as the list call reports it, built from the service config it was created with. */
function ctr(project: Project, service: ServiceConfig, number: number, opts: ContainerOpts = {}): ContainerSummary {
  const spec = containerSpec(project, service, number, { configFiles: ["/src/demo/compose.yaml"], workingDir: "/src/demo", version: "0.1.0", oneoff: opts.oneoff });
  const labels = { ...spec.body.Labels };
  let name = spec.name;
  if (opts.oneoff) {
    delete labels[LABELS.containerNumber];
    name = `${P}-${service.name}-run-${hex(`run${number}`).slice(0, 12)}`;
  }
  if (opts.by === "compose") {
    delete labels[MOOR_CONFIG_LABEL];
    labels[LABELS.configHash] = hex(`compose ${name}`);
    labels[LABELS.version] = "2.39.1";
  }
  const networks: ContainerSummary["networks"] = {};
  const primary = spec.body.HostConfig.NetworkMode;
  if (primary && spec.body.NetworkingConfig) networks[primary] = { networkId: hex(primary) };
  for (const extra of spec.extraNetworks) networks[extra.network] = { networkId: hex(extra.network) };
  return {
    id: hex(`${name}#${opts.created ?? 0}`),
    name,
    image: spec.body.Image,
    imageId: opts.imageId ?? `sha256:${hex(spec.body.Image)}`,
    command: "",
    created: opts.created ?? 1_700_000_000 + number,
    state: opts.state ?? "running",
    status: "",
    labels,
    networks,
    ports: (service.ports ?? []).map((p) => ({ privatePort: p.target, publicPort: p.published === undefined ? undefined : Number(p.published), type: p.protocol })),
    mounts: (service.volumes ?? [])
      .filter((v) => v.type === "volume")
      .map((v) => ({ type: "volume", name: v.source ? (project.volumes?.[v.source]?.name ?? v.source) : hex(`anon ${name} ${v.target}`), destination: v.target })),
  };
}

function net(project: Project, key: string, cfg: NetworkConfig = project.networks?.[key] ?? { name: `${P}_${key}` }, by: "moor" | "compose" | "nobody" = "moor"): NetworkSummary {
  let labels = networkLabels(project.name, key, cfg, "0.1.0");
  if (by === "compose") {
    delete labels[MOOR_CONFIG_LABEL];
    delete labels[MOOR_HASH_LABEL];
    labels[LABELS.configHash] = hex(`compose network ${key}`);
  }
  if (by === "nobody") labels = {};
  return { id: hex(cfg.name), name: cfg.name, driver: cfg.driver ?? "bridge", scope: "local", internal: cfg.internal ?? false, attachable: false, labels, options: cfg.driver_opts ?? {}, enableIPv6: false };
}

function vol(project: Project, key: string, cfg: VolumeConfig = project.volumes?.[key] ?? { name: `${P}_${key}` }, by: "moor" | "compose" | "nobody" = "moor"): VolumeSummary {
  let labels = volumeLabels(project.name, key, cfg, "0.1.0");
  if (by === "compose") {
    delete labels[MOOR_CONFIG_LABEL];
    delete labels[MOOR_HASH_LABEL];
    labels[LABELS.configHash] = hex(`compose volume ${key}`);
  }
  if (by === "nobody") labels = {};
  return { name: cfg.name, driver: cfg.driver ?? "local", mountpoint: `/var/lib/docker/volumes/${cfg.name}/_data`, labels, options: cfg.driver_opts ?? {} };
}

function image(ref: string, id = `sha256:${hex(ref)}`): ImageSummary {
  return { id, repoTags: [ref], labels: {}, created: 0, size: 0 };
}

interface Case {
  name: string;
  about: string;
  run: () => Plan;
}

const cases: Case[] = [];
function up(name: string, about: string, project: Project, lists: { containers?: ContainerSummary[]; networks?: NetworkSummary[]; volumes?: VolumeSummary[]; images?: ImageSummary[] }, options: PlanOptions = {}): void {
  cases.push({
    name,
    about,
    run: () => plan(project, observedStateFrom(P, { containers: lists.containers ?? [], networks: lists.networks ?? [], volumes: lists.volumes ?? [], images: lists.images }), options),
  });
}
function down(name: string, about: string, project: Project | undefined, lists: { containers?: ContainerSummary[]; networks?: NetworkSummary[]; volumes?: VolumeSummary[] }, options: DownOptions = {}): void {
  cases.push({ name, about, run: () => planDown(project, observedStateFrom(P, { containers: lists.containers ?? [], networks: lists.networks ?? [], volumes: lists.volumes ?? [] }), options) });
}

// ---- shared fixtures --------------------------------------------------------------------------
const db = svc("db", {
  image: "postgres:16",
  environment: { POSTGRES_PASSWORD: "s3cret", POSTGRES_DB: "app" },
  volumes: [{ type: "volume", source: "data", target: "/var/lib/postgresql/data" }],
  healthcheck: { test: ["CMD", "pg_isready"], interval: "5s" },
});
const web = svc("web", {
  environment: { DEBUG: "0" },
  ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }],
  depends_on: { db: { condition: "service_healthy", required: true } },
});
const app = proj([db, web], { volumes: { data: { name: `${P}_data` } } });
const appRunning = {
  containers: [ctr(app, db, 1), ctr(app, web, 1)],
  networks: [net(app, "default")],
  volumes: [vol(app, "data")],
};
const withService = (project: Project, s: ServiceConfig, extra: Partial<Project> = {}): Project => ({ ...project, ...extra, services: { ...project.services, [s.name]: s } });

// ---- up ---------------------------------------------------------------------------------------
up("fresh-project", "nothing runs yet: network, volume, containers in dependency order, a health wait between db and web", app, {});

up("fresh-project-images", "images listed: postgres is missing and pulled, web's build runs because its image is absent", proj([db, svc("web", { image: undefined, build: { context: "/src/demo/web" }, depends_on: { db: { condition: "service_started", required: true } } })], { volumes: { data: { name: `${P}_data` } } }), {
  images: [image("nginx:1.27")],
});

up("no-op", "everything runs as declared: nothing to do, and no inspect was needed to know it", app, appRunning);

up("exited-container-started", "web exited: up starts it again, after waiting for db to be healthy", app, { ...appRunning, containers: [ctr(app, db, 1), ctr(app, web, 1, { state: "exited" })] });

up("env-change", "environment.DEBUG changed: web is recreated, the cause says which field", withService(app, { ...web, environment: { DEBUG: "1" } }), appRunning);

up("image-change", "image tag changed: recreate with the old and new image in the cause", withService(app, { ...web, image: "nginx:1.28" }), appRunning);

up("ports-change", "published port changed, field by field", withService(app, { ...web, ports: [{ mode: "ingress", target: 80, published: "8081", protocol: "tcp" }] }), appRunning);

up("secret-env-change", "a password variable changed: the cause says so without printing either value", withService(app, { ...db, environment: { POSTGRES_PASSWORD: "n3w", POSTGRES_DB: "app" } }), appRunning);

up("scale-up", "web scaled from 1 to 3: containers 2 and 3 are created", withService(app, { ...web, scale: 3 }), appRunning);

{
  const web3 = { ...web, scale: 3 };
  const three = withService(app, web3);
  up("scale-down", "web scaled from 3 to 1: the highest numbers go, number 1 stays", app, {
    ...appRunning,
    containers: [ctr(three, db, 1), ctr(three, web3, 1), ctr(three, web3, 2), ctr(three, web3, 3)],
  });
  up("scale-down-prefers-stale", "scale 3 → 2 while container 1 is stale: the stale one is removed instead of recreated, as compose does", withService(app, { ...web, scale: 2, environment: { DEBUG: "1" } }), {
    ...appRunning,
    containers: [ctr(three, db, 1), ctr(three, { ...web3, environment: { DEBUG: "1" } }, 2), ctr(three, { ...web3, environment: { DEBUG: "1" } }, 3), ctr(three, web3, 1)],
  });
  const slow = { ...web3, stop_grace_period: "1m30s" };
  up("scale-down-grace-period", "stop_grace_period 1m30s: the stop gives the container 90 seconds", withService(app, { ...slow, scale: 2 }), {
    ...appRunning,
    containers: [ctr(three, db, 1), ctr(three, slow, 1), ctr(three, slow, 2), ctr(three, slow, 3)],
  });
  up("scale-up-after-gap", "containers 1 and 3 exist, scale 3: the free number 2 is taken (compose takes the highest plus one, 4; see docs/compatibility.md)", withService(app, web3), {
    ...appRunning,
    containers: [ctr(three, db, 1), ctr(three, web3, 1), ctr(three, web3, 3)],
  });
}

{
  const old = svc("worker", { image: "busybox", command: ["sleep", "1d"] });
  const withOld = withService(app, old);
  const lists = { ...appRunning, containers: [...appRunning.containers, ctr(withOld, old, 1)] };
  up("orphans-warned", "a worker container whose service left the file: warned, not removed", app, lists);
  up("orphans-removed", "the same with --remove-orphans: stopped and removed", app, lists, { removeOrphans: true });
  up("orphan-oneoff-removed", "a `run` container of a service that left the file is an orphan too", app, { ...lists, containers: [...appRunning.containers, ctr(withOld, old, 1, { oneoff: true, state: "exited" })] }, { removeOrphans: true });
  up("profile-disabled-not-orphan", "worker is only disabled by a profile: not an orphan, no warning", app, lists, { disabledServices: ["worker"] });
}

up("force-recreate", "--force-recreate: both containers replaced though nothing changed", app, appRunning, { forceRecreate: true });

up("no-recreate", "--no-recreate: the env change is not applied", withService(app, { ...web, environment: { DEBUG: "1" } }), appRunning, { noRecreate: true });

up("renew-anon-volumes", "-V with a change: the replacement does not inherit the old anonymous volumes", withService(app, { ...db, environment: { POSTGRES_PASSWORD: "s3cret", POSTGRES_DB: "app2" } }), appRunning, { renewAnonVolumes: true });

up("no-deps", "up --no-deps web: db is stale but not touched, no wait on it", proj([{ ...db, image: "postgres:17" }, { ...web, environment: { DEBUG: "1" } }], { volumes: { data: { name: `${P}_data` } } }), appRunning, { services: ["web"], noDeps: true });

up("targeted-with-deps", "up web with nothing running: db is created first because web needs it", app, {}, { services: ["web"] });

up("targeted-force-keeps-deps", "up --force-recreate web: only web is forced, db stays", app, appRunning, { services: ["web"], forceRecreate: true });

up("always-recreate-deps", "up --force-recreate --always-recreate-deps web: db is replaced too", app, appRunning, { services: ["web"], forceRecreate: true, alwaysRecreateDeps: true });

{
  const webRestart = { ...web, depends_on: { db: { condition: "service_healthy" as const, required: true, restart: true } } };
  const a = withService(app, webRestart);
  up("depends-on-restart", "db is recreated and web has depends_on.db.restart: web is stopped first and started after db is healthy", withService(a, { ...db, image: "postgres:17" }), {
    ...appRunning,
    containers: [ctr(a, db, 1), ctr(a, webRestart, 1)],
  });
}

{
  const two = proj([db, { ...web, networks: { default: null, back: null } }], { volumes: { data: { name: `${P}_data` } }, networks: { default: { name: `${P}_default` }, back: { name: `${P}_back` } } });
  up("network-added", "web joins a new network: the network is created, web recreated and connected to it after create", two, appRunning);
  const webTwo = two.services["web"] as ServiceConfig;
  up("network-removed-from-service", "web leaves the back network: recreated without it", app, {
    containers: [ctr(app, db, 1), ctr(two, webTwo, 1)],
    networks: [net(app, "default"), net(two, "back")],
    volumes: [vol(app, "data")],
  });
  const changed = { ...two, networks: { default: { name: `${P}_default` }, back: { name: `${P}_back`, driver_opts: { "com.docker.network.driver.mtu": "1400" } } } };
  const dbTwo = { ...db, networks: { default: null, back: null } };
  const both = withService(changed, dbTwo);
  up("network-config-changed-unselected", "up db while the back network changed: web is not planned but sits on the network, so it is stopped, reconnected and started again", both, {
    containers: [ctr(withService(two, dbTwo), dbTwo, 1), ctr(two, webTwo, 1)],
    networks: [net(two, "default"), net(two, "back")],
    volumes: [vol(app, "data")],
  }, { services: ["db"] });
  up("network-config-changed", "the back network's options changed: containers on it are stopped, disconnected, the network replaced, reconnected and started (not recreated)", changed, {
    containers: [ctr(two, db, 1), ctr(two, webTwo, 1)],
    networks: [net(two, "default"), net(two, "back")],
    volumes: [vol(app, "data")],
  });
}

{
  const changed = { ...app, volumes: { data: { name: `${P}_data`, driver_opts: { type: "tmpfs", device: "tmpfs" } } } };
  up("volume-config-changed-destructive", "the data volume's driver options changed: recreating it loses data, flagged destructive; db is removed first and created afresh", changed, appRunning);
  const backup = svc("backup", { image: "busybox", volumes_from: ["db:ro"] });
  const withBackup = withService(app, backup);
  up("volume-recreate-takes-volumes-from", "up --no-deps db with the data volume changed: backup mounts it through volumes_from, so it is removed first and created again too", withService(changed, backup), {
    ...appRunning,
    containers: [...appRunning.containers, ctr(withBackup, backup, 1)],
  }, { services: ["db"], noDeps: true });
  const renamed = { ...app, volumes: { data: { name: "pgdata" } } };
  up("volume-renamed", "the data volume got a new name: a new volume is created, the old one kept, db recreated onto it", renamed, appRunning);
}

{
  const ext = proj([{ ...web, depends_on: undefined, networks: { shared: null } }], { networks: { shared: { name: "proxy", external: true } } });
  up("external-network-missing", "an external network that does not exist is an error, never created", ext, {});
  up("external-network-present", "the external network exists: used, not created", ext, { networks: [{ ...net(ext, "shared", { name: "proxy" }, "nobody") }] });
  const extVol = proj([{ ...db }], { volumes: { data: { name: "pgdata-prod", external: true } } });
  up("external-volume-present", "an external volume that exists (unlabelled) is used as is", extVol, { volumes: [vol(extVol, "data", { name: "pgdata-prod" }, "nobody")] });
}

{
  const named = proj([svc("proxy", { container_name: "edge-proxy" })]);
  up("container-name", "container_name replaces the project-service-number name", named, {});
  up("container-name-scaled", "container_name with scale 2 is an error; one container is planned", proj([svc("proxy", { container_name: "edge-proxy", scale: 2 })]), {});
}

up("oneoff-ignored", "a `run` container of web exists: up neither counts nor removes it", app, { ...appRunning, containers: [...appRunning.containers, ctr(app, web, 1, { oneoff: true })] });

up("compose-created-kept", "containers created by docker compose: their hashes cannot be compared, but what the list shows matches, so they are kept with a warning", app, {
  ...appRunning,
  containers: [ctr(app, db, 1, { by: "compose" }), ctr(app, web, 1, { by: "compose" })],
});

up("compose-created-diverged", "a compose-created web whose image differs from the file: recreated, the cause lists what the engine shows", withService(app, { ...web, image: "nginx:1.28" }), {
  ...appRunning,
  containers: [ctr(app, db, 1, { by: "compose" }), ctr(app, web, 1, { by: "compose" })],
});

{
  const vpn = svc("vpn", { image: "wireguard:1" });
  const client = svc("client", { image: "curl:8", network_mode: "service:vpn" });
  const p = proj([vpn, client]);
  up("network-mode-cascade", "vpn changes; client shares its network namespace, so it is recreated too", proj([{ ...vpn, image: "wireguard:2" }, client]), {
    containers: [ctr(p, vpn, 1), ctr(p, client, 1)],
    networks: [net(p, "default")],
  });
}

up("no-start", "create (or up --no-start): containers are created, nothing is started or waited for", app, {}, { noStart: true });

up("image-rebuilt", "same tag, new image id (pulled or rebuilt): web is recreated", app, { ...appRunning, images: [image("postgres:16"), image("nginx:1.27", `sha256:${hex("newer nginx")}`)] });

up("pull-policy-always", "pull_policy: always pulls even when present; the hash ignores pull_policy, so nothing is recreated", withService(app, { ...web, pull_policy: "always" }), { ...appRunning, images: [image("postgres:16"), image("nginx:1.27")] });

up("pull-never-missing", "pull_policy: never with the image absent is an error", withService(app, { ...web, pull_policy: "never" }), { ...appRunning, containers: [ctr(app, db, 1)], images: [image("postgres:16")] });

up("pull-flag-overrides-policy", "--pull missing overrides pull_policy: never: the absent image is pulled", withService(app, { ...web, pull_policy: "never" }), { ...appRunning, containers: [ctr(app, db, 1)], images: [image("postgres:16")] }, { pull: "missing" });

up("podman-localhost-image", "Podman lists a loaded image as localhost/<name>: it counts as present, nothing is pulled", app, { ...appRunning, containers: [], images: [image("localhost/postgres:16"), image("localhost/nginx:1.27")] });

up("build-flag", "--build rebuilds the image though it is present; recreation waits for the next plan, once the new image id is known", proj([svc("web", { image: undefined, build: { context: "/src/demo/web" } })]), {
  containers: [ctr(proj([svc("web", { image: undefined, build: { context: "/src/demo/web" } })]), svc("web", { image: undefined, build: { context: "/src/demo/web" } }), 1)],
  networks: [net(app, "default")],
  images: [image("demo-web")],
}, { build: true });

up("provider-skipped", "a provider service is not planned, with a warning", proj([svc("ai", { image: undefined, provider: { type: "model" } })]), { networks: [net(app, "default")] });

up("unlabelled-network-reused", "a network named demo_default exists without labels: reused with a warning, not created", app, { networks: [net(app, "default", undefined, "nobody")], volumes: [vol(app, "data")] });

up("paused-container", "a paused web: left paused, with a warning", app, { ...appRunning, containers: [ctr(app, db, 1), ctr(app, web, 1, { state: "paused" })] });

// ---- down -------------------------------------------------------------------------------------
down("down", "down: web stops before db, both removed, then the network; the volume stays", app, appRunning);

down("down-volumes", "down -v: anonymous volumes go with the containers, and the named volume", app, appRunning, { volumes: true });

{
  const ext = proj([{ ...db, volumes: [{ type: "volume", source: "data", target: "/data" }] }], { volumes: { data: { name: "pgdata-prod", external: true } }, networks: { default: { name: "proxy", external: true } } });
  down("down-external", "down -v with external network and volume: neither is removed", ext, { containers: [ctr(ext, ext.services["db"] as ServiceConfig, 1)] }, { volumes: true });
}

{
  const old = svc("worker", { image: "busybox" });
  const withOld = withService(app, old);
  const lists = { ...appRunning, containers: [...appRunning.containers, ctr(withOld, old, 1), ctr(app, web, 1, { oneoff: true })] };
  down("down-orphans-kept", "down without --remove-orphans: the orphan is warned about, the one-off left", app, lists);
  down("down-remove-orphans", "down --remove-orphans: orphans and one-off containers are removed too", app, lists, { removeOrphans: true });
  down("down-without-file", "down -p demo with no compose file: everything labelled with the project goes", undefined, lists, { volumes: true });
}

down("down-rmi-local", "down --rmi local: only the image compose named for a build", proj([db, svc("web", { image: undefined, build: { context: "/src/demo/web" } })], { volumes: { data: { name: `${P}_data` } } }), appRunning, { rmi: "local" });

down("down-nothing", "down when nothing runs", app, {});

describe("golden plans", () => {
  it("has at least 30 cases with unique names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(c.name, () => {
      const text = `# ${c.about}\n${planToString(c.run())}`;
      const file = join(GOLDEN, `${c.name}.txt`);
      if (process.env["MOOR_UPDATE_GOLDEN"] === "1") {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, text);
      }
      expect(existsSync(file), `${file} is missing: run with MOOR_UPDATE_GOLDEN=1 and read it`).toBe(true);
      expect(text).toBe(readFileSync(file, "utf8"));
      // The fixtures' password values must never reach plan text, whatever the case.
      expect(text).not.toMatch(/s3cret|n3w/);
    });
  }
});
