// Fidelity with docker compose v5: one project in the style of real ones (web + api + cache,
// healthchecks and depends_on conditions, named, bind, anonymous and tmpfs volumes, two networks,
// one internal, a fixed address, ports in several syntaxes, a build) is brought up with the built
// CLI and read back with `docker inspect`, field by field, against what compose v5 sends for the
// same file (pkg/compose/create.go: getCreateConfigs, buildContainerVolumes, createNetwork,
// createVolume, getImageBuildLabels). Run `npm run build` first.
import { randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
if (engine) await requireImages(engine, [TEST_IMAGES.busybox]);

const BUSYBOX = TEST_IMAGES.busybox;
const tmpDirs: string[] = [];

/* eslint-disable @typescript-eslint/no-explicit-any -- docker inspect's JSON is read as it comes */
type Inspect = any;

function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-fid-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function inspect(kind: "container" | "network" | "volume" | "image", name: string): Promise<Inspect> {
  return (JSON.parse(await docker([kind, "inspect", name])) as Inspect[])[0];
}

const portBase = 20000 + randomInt(0, 20000);
/** A private /24 outside docker's default pools. */
const octet = randomInt(1, 250);

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!engine)("fidelity: a web + api + cache project looks as compose v5 makes it", () => {
  const project = uniqueProject("fid-rich");
  let dir = "";
  let web: Inspect;
  let api: Inspect;
  let cache: Inspect;

  beforeAll(async () => {
    dir = writeProject({
      ".env": `WEB_PORT=${portBase}\nDEBUG=1\n`,
      "web.env": "FROM_FILE=yes\nQUOTED=\"two words\"\n",
      "html/index.html": "hi\n",
      "app/Dockerfile": `FROM ${BUSYBOX}\nARG GREETING=hello\nENV GREETING=$GREETING\nCMD ["sleep", "3600"]\n`,
      "compose.yaml": `
services:
  web:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    ports:
      - "\${WEB_PORT}:80"
      - "127.0.0.1:${portBase + 1}-${portBase + 2}:81-82/udp"
      - target: 83
        published: "${portBase + 3}"
        host_ip: 127.0.0.1
    expose: ["7000"]
    volumes:
      - ./html:/html:ro
      - ./data:/data
      - cache:/cache
      - type: volume
        source: logs
        target: /logs
        volume:
          nocopy: true
      - type: tmpfs
        target: /scratch
        tmpfs:
          size: 1048576
      - /anon
    tmpfs: ["/run:size=64m"]
    environment:
      DEBUG: \${DEBUG}
      PLAIN:
    env_file: web.env
    labels:
      com.example.tier: frontend
    logging:
      driver: json-file
      options:
        max-size: 10m
    depends_on:
      api:
        condition: service_healthy
      cache:
        condition: service_started
    networks:
      front:
        aliases: [www]
        ipv4_address: 10.${octet}.7.10
      back: {}
    restart: unless-stopped
    healthcheck:
      test: ["CMD", "true"]
      interval: 5s
      timeout: 3s
      retries: 3
      start_period: 10s
      start_interval: 1s
    stop_signal: SIGQUIT
    stop_grace_period: 1m30s
  api:
    build:
      context: ./app
      args:
        GREETING: bonjour
      labels:
        com.example.built: "yes"
    pull_policy: build
    entrypoint: ["/bin/sh", "-c", "exec \\"$$@\\"", "--"]
    command: ["sleep", "3600"]
    working_dir: /tmp
    user: "1000:1000"
    init: true
    shm_size: 128m
    mem_limit: 256m
    cpus: 0.5
    ulimits:
      nofile: { soft: 1024, hard: 2048 }
    sysctls:
      net.core.somaxconn: 1024
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    security_opt: ["no-new-privileges:true"]
    extra_hosts:
      - "somehost=162.242.195.82"
    dns: [8.8.8.8]
    healthcheck:
      test: ["CMD-SHELL", "true"]
      interval: 1s
      retries: 30
    networks: [back]
  cache:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    deploy:
      resources:
        limits: { memory: 64M, pids: 100 }
      restart_policy:
        max_attempts: 0
    volumes:
      - cachedata:/data
    networks:
      back:
        aliases: [redis]
networks:
  front:
    ipam:
      config:
        - subnet: 10.${octet}.7.0/24
    labels:
      com.example.net: front
  back:
    internal: true
volumes:
  cache: {}
  logs:
    labels:
      com.example.vol: logs
  cachedata:
    driver_opts:
      type: tmpfs
      device: tmpfs
      o: size=10m
`,
    });
    expectOk(await runMoor(["-p", project, "up", "-d"], { cwd: dir, timeoutMs: 300_000 }), ["up", "-d"]);
    [web, api, cache] = await Promise.all(["web", "api", "cache"].map((s) => inspect("container", `${project}-${s}-1`)));
  }, 320_000);

  afterAll(async () => {
    if (engine) await cleanupProject(engine, project, { images: true });
  });

  it("binds and named volumes go in HostConfig.Binds with their access mode; only volumes with Mounts-only options go in Mounts", () => {
    expect(web.HostConfig.Binds).toEqual([`${dir}/html:/html:ro`, `${dir}/data:/data:rw`, `${project}_cache:/cache:rw`]);
    const mounts = (web.HostConfig.Mounts as Inspect[]).map((m) => [m.Type, m.Source ?? "", m.Target]);
    expect(mounts).toEqual([
      ["volume", `${project}_logs`, "/logs"],
      ["tmpfs", "", "/scratch"],
      ["volume", "", "/anon"],
    ]);
    expect((web.Mounts as Inspect[]).find((m) => m.Destination === "/cache")).toMatchObject({ Type: "volume", Name: `${project}_cache`, RW: true, Mode: "rw" });
    expect(web.HostConfig.Tmpfs).toEqual({ "/run": "size=64m" });
    expect(cache.HostConfig.Binds).toEqual([`${project}_cachedata:/data:rw`]);
  });

  it("the process, environment and labels are the compose file's", () => {
    expect(web.Config.Cmd).toEqual(["sleep", "3600"]);
    expect([...web.Config.Env].sort()).toEqual(expect.arrayContaining(["DEBUG=1", "FROM_FILE=yes", "PLAIN", "QUOTED=two words"]));
    expect(web.Config.Labels).toMatchObject({
      "com.example.tier": "frontend",
      "com.docker.compose.project": project,
      "com.docker.compose.service": "web",
      "com.docker.compose.container-number": "1",
      "com.docker.compose.oneoff": "False",
      "com.docker.compose.project.working_dir": dir,
      "com.docker.compose.depends_on": "api:service_healthy:false,cache:service_started:false",
    });
    // The default .env gives no environment_file label: compose v5 writes only --env-file's.
    expect(web.Config.Labels["com.docker.compose.project.environment_file"]).toBeUndefined();
    expect(web.Config.StopSignal).toBe("SIGQUIT");
    expect(web.Config.StopTimeout).toBe(90);
    // StartInterval is sent too; engines before API 1.44 drop it.
    expect(web.Config.Healthcheck).toMatchObject({ Test: ["CMD", "true"], Interval: 5e9, Timeout: 3e9, StartPeriod: 10e9, Retries: 3 });
    expect(web.HostConfig.RestartPolicy).toEqual({ Name: "unless-stopped", MaximumRetryCount: 0 });
    expect(web.HostConfig.LogConfig).toEqual({ Type: "json-file", Config: { "max-size": "10m" } });
    expect(Object.keys(web.Config.ExposedPorts).sort()).toEqual(["7000/tcp", "80/tcp", "81/udp", "82/udp", "83/tcp"]);
    expect(web.HostConfig.PortBindings).toEqual({
      "80/tcp": [{ HostIp: "", HostPort: String(portBase) }],
      "81/udp": [{ HostIp: "127.0.0.1", HostPort: String(portBase + 1) }],
      "82/udp": [{ HostIp: "127.0.0.1", HostPort: String(portBase + 2) }],
      "83/tcp": [{ HostIp: "127.0.0.1", HostPort: String(portBase + 3) }],
    });

    expect(api.Config.Entrypoint).toEqual(["/bin/sh", "-c", 'exec "$@"', "--"]);
    expect(api.Config.WorkingDir).toBe("/tmp");
    expect(api.Config.User).toBe("1000:1000");
    expect(api.HostConfig).toMatchObject({
      Init: true,
      ShmSize: 128 * 1024 * 1024,
      Memory: 256 * 1024 * 1024,
      NanoCpus: 5e8,
      Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }],
      Sysctls: { "net.core.somaxconn": "1024" },
      CapAdd: ["NET_ADMIN"],
      CapDrop: ["MKNOD"],
      SecurityOpt: ["no-new-privileges:true"],
      ExtraHosts: ["somehost:162.242.195.82"],
      Dns: ["8.8.8.8"],
    });
    expect(cache.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, PidsLimit: 100 });
  });

  it("a deploy restart_policy without condition is the engine's empty policy, as compose v5 sends it", () => {
    expect(cache.HostConfig.RestartPolicy).toEqual({ Name: "", MaximumRetryCount: 0 });
  });

  it("endpoints carry the container name, the service name and the aliases, and the fixed address", () => {
    const front = web.NetworkSettings.Networks[`${project}_front`];
    expect(front.Aliases).toEqual(expect.arrayContaining([`${project}-web-1`, "web", "www"]));
    expect(front.IPAMConfig).toMatchObject({ IPv4Address: `10.${octet}.7.10` });
    expect(front.IPAddress).toBe(`10.${octet}.7.10`);
    expect(cache.NetworkSettings.Networks[`${project}_back`].Aliases).toEqual(expect.arrayContaining([`${project}-cache-1`, "cache", "redis"]));
  });

  it("networks and volumes carry compose's labels, driver options, internal and ipam", async () => {
    const front = await inspect("network", `${project}_front`);
    expect(front).toMatchObject({ Driver: "bridge", Internal: false, Attachable: false });
    expect(front.IPAM.Config).toEqual([expect.objectContaining({ Subnet: `10.${octet}.7.0/24` })]);
    expect(front.Labels).toMatchObject({ "com.example.net": "front", "com.docker.compose.project": project, "com.docker.compose.network": "front" });
    expect((await inspect("network", `${project}_back`)).Internal).toBe(true);
    const logs = await inspect("volume", `${project}_logs`);
    expect(logs.Labels).toMatchObject({ "com.example.vol": "logs", "com.docker.compose.project": project, "com.docker.compose.volume": "logs" });
    expect((await inspect("volume", `${project}_cachedata`)).Options).toEqual({ type: "tmpfs", device: "tmpfs", o: "size=10m" });
  });

  it("the built image carries the build's labels and compose's version, project and service labels", async () => {
    const image = await inspect("image", api.Image);
    expect(image.Config.Labels).toMatchObject({ "com.example.built": "yes", "com.docker.compose.project": project, "com.docker.compose.service": "api" });
    expect(image.Config.Labels["com.docker.compose.version"]).toBeTruthy();
    expect(image.Config.Env).toContain("GREETING=bonjour");
  });
});

describe.skipIf(!engine)("fidelity: errors compose v5 reports when it creates containers", () => {
  const projects: string[] = [];
  afterAll(async () => {
    if (engine) for (const p of projects) await cleanupProject(engine, p);
  });

  it("healthcheck.start_interval without start_period fails before anything is created", async () => {
    const project = uniqueProject("fid-startint");
    projects.push(project);
    const dir = writeProject({
      "compose.yaml": `services:\n  a:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    healthcheck:\n      test: ["CMD", "true"]\n      start_interval: 1s\n`,
    });
    const r = await runMoor(["-p", project, "up", "-d"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("healthcheck.start_interval requires healthcheck.start_period to be set");
    expect(await docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`])).toBe("");
  });

  it("down keeps a one-off container and says its network is still in use instead of claiming it was removed", async () => {
    const project = uniqueProject("fid-downrun");
    projects.push(project);
    const dir = writeProject({ "compose.yaml": `services:\n  a:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n` });
    expectOk(await runMoor(["-p", project, "up", "-d"], { cwd: dir }), ["up", "-d"]);
    expectOk(await runMoor(["-p", project, "run", "-d", "a"], { cwd: dir }), ["run", "-d", "a"]);
    const r = await runMoor(["-p", project, "down"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.all).toContain(`Network ${project}_default  Warning Resource is still in use`);
    expect(r.all).not.toContain(`Network ${project}_default  Removed`);
    // compose's down leaves one-off containers to --remove-orphans.
    expect((await docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`, "--filter", "label=com.docker.compose.oneoff=True"])).trim()).not.toBe("");
    expect(await docker(["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`, "--filter", "label=com.docker.compose.oneoff=False"])).toBe("");
  });

  it("a crash-looping service_healthy dependency with a healthcheck is reported as unhealthy or exited, never as having no healthcheck", async () => {
    const project = uniqueProject("fid-crashdep");
    projects.push(project);
    const dir = writeProject({
      "compose.yaml": `services:
  dep:
    image: ${BUSYBOX}
    command: ["sh", "-c", "exit 3"]
    restart: on-failure:3
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
  app:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    depends_on:
      dep:
        condition: service_healthy
`,
    });
    const r = await runMoor(["-p", project, "up", "-d"], { cwd: dir, timeoutMs: 300_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`dependency failed to start: container ${project}-dep-1 (is unhealthy|exited \\(3\\))`));
    expect(r.stderr).not.toContain("has no healthcheck configured");
  }, 320_000);
});
