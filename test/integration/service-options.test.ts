// Every service option reaches the engine as docker compose sends it: small busybox projects
// written to a temp dir, brought up with the built CLI, then read back with `docker inspect` and,
// where the engine's view is not enough, from inside the container with `docker exec`.
// Run `npm run build` first. Each describe owns one project and tears it down by its label.
import { randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
if (engine) await requireImages(engine);

const BUSYBOX = TEST_IMAGES.busybox;
const tmpDirs: string[] = [];

/* eslint-disable @typescript-eslint/no-explicit-any -- docker inspect's JSON is read as it comes */
type Inspect = any;

/** A fresh directory holding the compose file and the files it refers to. */
function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-opts-"));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function inspect(name: string): Promise<Inspect> {
  const { stdout } = await execa("docker", ["inspect", name]);
  return (JSON.parse(stdout) as Inspect[])[0];
}

/** Runs a shell script inside a running container; the output, trimmed. */
async function inside(name: string, script: string): Promise<{ exitCode: number; out: string }> {
  const r = await execa("docker", ["exec", name, "sh", "-c", script], { reject: false, all: true });
  return { exitCode: r.exitCode ?? -1, out: String(r.all ?? "").trim() };
}

/** Fails with moor's own output, so a broken `up` says why instead of failing every check after it. */
function expectOk(r: MoorResult): void {
  if (r.exitCode !== 0) throw new Error(`moor exited ${r.exitCode}:\n${r.all}`);
}

/** A free-looking host port base: high and random, so parallel runs and other suites do not collide. */
const portBase = 20000 + randomInt(0, 20000);
/** A private /24 outside docker's default pools (172.17-31/16, 192.168/16). */
const subnetOctet = randomInt(1, 250);

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!engine)("service options: process, environment, resources", () => {
  const project = uniqueProject("opts-basic");
  const name = `${project}-opts-1`;
  let dir = "";
  let c: Inspect;

  beforeAll(async () => {
    dir = writeProject({
      "a.env": "A_ONLY=a\nAB=a\nBOTH=a\n",
      "b.env": "AB=b\n",
      "compose.yaml": `
services:
  opts:
    image: ${BUSYBOX}
    pull_policy: never
    command: ["sleep", "3600"]
    entrypoint: ["/bin/sh", "-c", "exec \\"$$@\\"", "--"]
    env_file: [a.env, b.env]
    environment:
      BOTH: from-environment
      FROM_SHELL:
      NOT_IN_SHELL:
      LITERAL: "x=y"
    ports:
      - "127.0.0.1:${portBase}:80"
      - "${portBase + 1}-${portBase + 2}:90-91/udp"
      - "99"
    expose: ["7000", "7001-7002/udp"]
    hostname: hh
    domainname: example.org
    user: "1000:1000"
    working_dir: /tmp
    labels: {my.label: x, other: "y"}
    extra_hosts: ["foo.example:10.1.2.3", "bar.example=10.1.2.4"]
    dns: [9.9.9.9]
    dns_search: [search.example]
    dns_opt: ["ndots:2"]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    init: true
    tty: true
    stdin_open: true
    stop_signal: SIGUSR1
    stop_grace_period: 1m30s
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
    sysctls: {net.core.somaxconn: 1024}
    shm_size: 64m
    mem_limit: 64m
    mem_reservation: 32m
    cpus: 0.5
    restart: on-failure:3
    healthcheck: {test: ["CMD", "true"], interval: 1m30s, timeout: 10s, retries: 3, start_period: 5s, start_interval: 2s}
    logging: {driver: json-file, options: {max-size: 1m, max-file: "2"}}
    security_opt: ["no-new-privileges:true"]
    group_add: ["100"]
    tmpfs: ["/t1", "/t2:size=65536"]
    devices: ["/dev/null:/dev/mynull:rwm"]
    pids_limit: 200
    oom_score_adj: 100
`,
    });
    expectOk(await runMoor(["-p", project, "up", "-d"], { cwd: dir, env: { FROM_SHELL: "shell-value", NOT_IN_SHELL: undefined } }));
    c = await inspect(name);
  });
  afterAll(() => engine && cleanupProject(engine, project));

  it("image, command, entrypoint", () => {
    expect(c.Config.Image).toBe(BUSYBOX);
    expect(c.Config.Cmd).toEqual(["sleep", "3600"]);
    expect(c.Config.Entrypoint).toEqual(["/bin/sh", "-c", 'exec "$@"', "--"]);
    expect(c.State.Running).toBe(true);
  });

  it("environment wins over env_file, later env_file over earlier, bare names from the shell", async () => {
    const env: string[] = c.Config.Env;
    expect(env).toEqual(expect.arrayContaining(["A_ONLY=a", "AB=b", "BOTH=from-environment", "FROM_SHELL=shell-value", "LITERAL=x=y"]));
    // Not set anywhere: compose sends the bare name.
    expect(env).toContain("NOT_IN_SHELL");
    expect((await inside(name, 'echo "$BOTH/$AB/$FROM_SHELL/$LITERAL"')).out).toBe("from-environment/b/shell-value/x=y");
  });

  it("ports: host ip, ranges, udp, published-less", () => {
    expect(c.HostConfig.PortBindings).toEqual({
      "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(portBase) }],
      "90/udp": [{ HostIp: "", HostPort: String(portBase + 1) }],
      "91/udp": [{ HostIp: "", HostPort: String(portBase + 2) }],
      "99/tcp": [{ HostIp: "", HostPort: "" }],
    });
    const live = c.NetworkSettings.Ports;
    expect(live["80/tcp"]).toEqual([{ HostIp: "127.0.0.1", HostPort: String(portBase) }]);
    expect(live["91/udp"][0].HostPort).toBe(String(portBase + 2));
    // No published port: the engine picks one.
    expect(Number(live["99/tcp"][0].HostPort)).toBeGreaterThan(0);
  });

  it("expose and the ports' targets are exposed", () => {
    expect(Object.keys(c.Config.ExposedPorts).sort()).toEqual(["7000/tcp", "7001/udp", "7002/udp", "80/tcp", "90/udp", "91/udp", "99/tcp"]);
  });

  it("hostname, domainname, user, working_dir", async () => {
    expect([c.Config.Hostname, c.Config.Domainname, c.Config.User, c.Config.WorkingDir]).toEqual(["hh", "example.org", "1000:1000", "/tmp"]);
    expect((await inside(name, "hostname; id -u; id -g; pwd")).out.split("\n")).toEqual(["hh", "1000", "1000", "/tmp"]);
  });

  it("user labels beside compose's", () => {
    expect(c.Config.Labels).toMatchObject({ "my.label": "x", other: "y", "com.docker.compose.service": "opts" });
  });

  it("extra_hosts (both separators) end up in /etc/hosts; dns, search and options as given", async () => {
    expect(c.HostConfig.ExtraHosts).toEqual(["foo.example:10.1.2.3", "bar.example:10.1.2.4"]);
    const hosts = (await inside(name, "cat /etc/hosts")).out;
    expect(hosts).toMatch(/^10\.1\.2\.3\s+foo\.example$/m);
    expect(hosts).toMatch(/^10\.1\.2\.4\s+bar\.example$/m);
    expect([c.HostConfig.Dns, c.HostConfig.DnsSearch, c.HostConfig.DnsOptions]).toEqual([["9.9.9.9"], ["search.example"], ["ndots:2"]]);
    expect((await inside(name, "cat /etc/resolv.conf")).out).toMatch(/search\.example/);
  });

  it("cap_add and cap_drop change the bounding set", async () => {
    expect([c.HostConfig.CapAdd, c.HostConfig.CapDrop]).toEqual([["NET_ADMIN"], ["MKNOD"]]);
    const bnd = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec((await inside(name, "cat /proc/self/status")).out)?.[1] ?? "0"}`);
    const has = (bit: number) => (bnd >> BigInt(bit)) & 1n;
    expect(has(12)).toBe(1n); // CAP_NET_ADMIN
    expect(has(27)).toBe(0n); // CAP_MKNOD
  });

  it("init runs docker-init as pid 1; tty and stdin_open", async () => {
    expect(c.HostConfig.Init).toBe(true);
    expect((await inside(name, "cat /proc/1/cmdline | tr '\\0' ' '")).out).toMatch(/docker-init/);
    expect([c.Config.Tty, c.Config.OpenStdin]).toEqual([true, true]);
  });

  it("stop_signal and stop_grace_period (seconds)", () => {
    expect([c.Config.StopSignal, c.Config.StopTimeout]).toEqual(["SIGUSR1", 90]);
  });

  it("ulimits, sysctls, shm_size, pids_limit, oom_score_adj", async () => {
    expect(c.HostConfig.Ulimits).toEqual(
      expect.arrayContaining([
        { Name: "nofile", Soft: 1024, Hard: 2048 },
        { Name: "nproc", Soft: 512, Hard: 512 },
      ]),
    );
    expect(c.HostConfig.Sysctls).toEqual({ "net.core.somaxconn": "1024" });
    expect([c.HostConfig.ShmSize, c.HostConfig.PidsLimit, c.HostConfig.OomScoreAdj]).toEqual([64 * 1024 * 1024, 200, 100]);
    expect((await inside(name, "ulimit -n; ulimit -Hn; cat /proc/sys/net/core/somaxconn")).out.split("\n")).toEqual(["1024", "2048", "1024"]);
  });

  it("mem_limit, mem_reservation, cpus", () => {
    expect([c.HostConfig.Memory, c.HostConfig.MemoryReservation, c.HostConfig.NanoCpus]).toEqual([64 * 1024 * 1024, 32 * 1024 * 1024, 500_000_000]);
  });

  it("restart, healthcheck in nanoseconds, logging, security_opt, group_add", async () => {
    expect(c.HostConfig.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 3 });
    // start_interval is sent too, but engine API 1.41 has no StartInterval and drops it.
    expect(c.Config.Healthcheck).toMatchObject({ Test: ["CMD", "true"], Interval: 90e9, Timeout: 10e9, StartPeriod: 5e9, Retries: 3 });
    expect(c.HostConfig.LogConfig).toEqual({ Type: "json-file", Config: { "max-size": "1m", "max-file": "2" } });
    expect(c.HostConfig.SecurityOpt).toEqual(["no-new-privileges:true"]);
    expect(c.HostConfig.GroupAdd).toEqual(["100"]);
    expect((await inside(name, "id -G")).out.split(" ")).toContain("100");
  });

  it("tmpfs, and devices (a /dev/null alias)", async () => {
    expect(c.HostConfig.Tmpfs).toEqual({ "/t1": "", "/t2": "size=65536" });
    expect((await inside(name, "grep ' /t2 ' /proc/mounts")).out).toMatch(/^tmpfs \/t2 tmpfs .*size=64k/);
    expect(c.HostConfig.Devices).toEqual([{ PathOnHost: "/dev/null", PathInContainer: "/dev/mynull", CgroupPermissions: "rwm" }]);
    expect((await inside(name, "test -c /dev/mynull && echo char")).out).toBe("char");
  });
});

describe.skipIf(!engine)("service options: cpu, memory, namespaces and other HostConfig fields", () => {
  const project = uniqueProject("opts-more");
  const name = `${project}-more-1`;
  let c: Inspect;

  beforeAll(async () => {
    const dir = writeProject({
      "compose.yaml": `
services:
  more:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    uts: host
    userns_mode: host
    cgroup: private
    runtime: runc
    cpu_shares: 512
    cpu_period: 100000
    cpu_quota: 50000
    cpuset: "0"
    mem_limit: 64m
    memswap_limit: 128m
    mem_swappiness: 10
    oom_kill_disable: true
    device_cgroup_rules: ["c 1:3 mr"]
    mac_address: "02:42:ac:11:65:43"
`,
    });
    expectOk(await runMoor(["-p", project, "up", "-d"], { cwd: dir }));
    c = await inspect(name);
  });
  afterAll(() => engine && cleanupProject(engine, project));

  it("cpu shares, period, quota, cpuset", () => {
    const h = c.HostConfig;
    expect([h.CpuShares, h.CpuPeriod, h.CpuQuota, h.CpusetCpus]).toEqual([512, 100000, 50000, "0"]);
  });

  it("memswap_limit, mem_swappiness, oom_kill_disable", () => {
    const h = c.HostConfig;
    expect([h.Memory, h.MemorySwap, h.MemorySwappiness, h.OomKillDisable]).toEqual([64 * 1024 * 1024, 128 * 1024 * 1024, 10, true]);
  });

  it("uts host shares the host name; userns_mode, cgroup, runtime, device_cgroup_rules", async () => {
    const h = c.HostConfig;
    expect([h.UTSMode, h.UsernsMode, h.CgroupnsMode, h.Runtime, h.DeviceCgroupRules]).toEqual(["host", "host", "private", "runc", ["c 1:3 mr"]]);
    expect((await inside(name, "hostname")).out).toBe(os.hostname());
  });

  it("mac_address on the primary endpoint (API 1.41: the container-wide field)", () => {
    expect(c.Config.MacAddress).toBe("02:42:ac:11:65:43");
    expect(c.NetworkSettings.Networks[`${project}_default`].MacAddress).toBe("02:42:ac:11:65:43");
  });
});

describe.skipIf(!engine)("service options: volumes and mounts", () => {
  const project = uniqueProject("opts-vol");
  const name = `${project}-vol-1`;
  const external = `${project}-ext`;
  let dir = "";
  let c: Inspect;
  const mount = (target: string) => (c.Mounts as Inspect[]).find((m) => m.Destination === target);

  beforeAll(async () => {
    // The external volume carries the project label only so the teardown finds it.
    await execa("docker", ["volume", "create", "--label", `com.docker.compose.project=${project}`, external]);
    dir = writeProject({
      "data/hello.txt": "hello from the host\n",
      "compose.yaml": `
services:
  vol:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    volumes:
      - ./data:/data
      - ${"$"}{ABS_DIR}:/abs:ro
      - named:/named
      - /anon
      - type: tmpfs
        target: /tmpfsv
        tmpfs: {size: 1048576}
      - type: volume
        source: named
        target: /nocopy
        volume: {nocopy: true}
      - type: bind
        source: ./created
        target: /created
        bind: {create_host_path: true}
      - fixed:/fixed
      - ext:/ext
      - memvol:/mem
      - bindvol:/bindvol
volumes:
  named:
    labels: {vol.label: v}
  fixed:
    name: ${project}-fixed-name
  ext:
    external: true
    name: ${external}
  memvol:
    driver_opts: {type: tmpfs, device: tmpfs, o: "size=1m"}
  bindvol:
    driver_opts:
      type: none
      o: bind
      device: ${"$"}{ABS_DIR}
`,
    });
    expectOk(await runMoor(["-p", project, "up", "-d"], { cwd: dir, env: { ABS_DIR: path.join(dir, "data") } }));
    c = await inspect(name);
  });
  afterAll(() => engine && cleanupProject(engine, project));

  it("relative and absolute binds, read-only honoured", async () => {
    expect(mount("/data")).toMatchObject({ Type: "bind", Source: path.join(dir, "data"), RW: true });
    expect(mount("/abs")).toMatchObject({ Type: "bind", Source: path.join(dir, "data"), RW: false });
    expect((await inside(name, "cat /data/hello.txt")).out).toBe("hello from the host");
    expect((await inside(name, "touch /abs/x 2>&1")).out).toMatch(/Read-only file system/);
  });

  it("a missing bind source is created (create_host_path)", () => {
    expect(fs.statSync(path.join(dir, "created")).isDirectory()).toBe(true);
    expect(mount("/created")).toMatchObject({ Type: "bind", Source: path.join(dir, "created") });
  });

  it("named volume by its engine name, with compose's labels and the file's", async () => {
    expect(mount("/named")).toMatchObject({ Type: "volume", Name: `${project}_named` });
    const { stdout } = await execa("docker", ["volume", "inspect", `${project}_named`]);
    expect(JSON.parse(stdout)[0].Labels).toMatchObject({ "vol.label": "v", "com.docker.compose.project": project, "com.docker.compose.volume": "named" });
  });

  it("volume.nocopy reaches the mount", () => {
    const m = (c.HostConfig.Mounts as Inspect[]).find((x) => x.Target === "/nocopy");
    expect(m).toMatchObject({ Type: "volume", Source: `${project}_named`, VolumeOptions: { NoCopy: true } });
  });

  it("anonymous volume: a fresh unnamed volume", () => {
    const m = mount("/anon");
    expect(m.Type).toBe("volume");
    expect(m.Name).toMatch(/^[0-9a-f]{64}$/);
  });

  it("tmpfs mount with its size", async () => {
    expect((c.HostConfig.Mounts as Inspect[]).find((x) => x.Target === "/tmpfsv")).toMatchObject({ Type: "tmpfs", TmpfsOptions: { SizeBytes: 1048576 } });
    expect((await inside(name, "grep ' /tmpfsv ' /proc/mounts")).out).toMatch(/size=1024k/);
  });

  it("volumes with name: and external: true are used under their own names", () => {
    expect(mount("/fixed")).toMatchObject({ Type: "volume", Name: `${project}-fixed-name` });
    expect(mount("/ext")).toMatchObject({ Type: "volume", Name: external });
  });

  it("driver_opts make a bind-backed local volume: the host directory shows through", async () => {
    const { stdout } = await execa("docker", ["volume", "inspect", `${project}_bindvol`]);
    expect(JSON.parse(stdout)[0].Options).toEqual({ type: "none", o: "bind", device: path.join(dir, "data") });
    expect((await inside(name, "cat /bindvol/hello.txt")).out).toBe("hello from the host");
  });

  it("driver_opts make a tmpfs-backed local volume", async () => {
    const { stdout } = await execa("docker", ["volume", "inspect", `${project}_memvol`]);
    expect(JSON.parse(stdout)[0].Options).toEqual({ type: "tmpfs", device: "tmpfs", o: "size=1m" });
    expect((await inside(name, "grep ' /mem ' /proc/mounts")).out).toMatch(/^tmpfs \/mem tmpfs/);
  });
});

describe.skipIf(!engine)("service options: networks, namespaces, links", () => {
  const project = uniqueProject("opts-net");
  const subnet = `10.199.${subnetOctet}.0/24`;
  const fixedIp = `10.199.${subnetOctet}.10`;
  const external = `${project}-extnet`;
  let dir = "";
  const n = (service: string, i = 1) => `${project}-${service}-${i}`;

  beforeAll(async () => {
    await execa("docker", ["network", "create", "--label", `com.docker.compose.project=${project}`, external]);
    dir = writeProject({
      "compose.yaml": `
services:
  srv:
    image: ${BUSYBOX}
    command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
    networks:
      front: {aliases: [web-alias], ipv4_address: ${fixedIp}, priority: 10}
      back: {priority: 100}
      ext: {}
    volumes: [shared:/shared]
  cli:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    networks: [front]
    links: ["srv:linked"]
    volumes_from: ["srv:ro"]
    pid: "service:srv"
    ipc: shareable
  nonet:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    network_mode: none
  hostnet:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    network_mode: host
  sidecar:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    network_mode: "service:srv"
    ipc: "service:cli"
networks:
  front:
    driver: bridge
    driver_opts: {com.docker.network.bridge.enable_icc: "true"}
    attachable: true
    ipam: {config: [{subnet: ${subnet}}]}
    labels: {net.label: n}
  back:
    internal: true
    name: ${project}-backnet
  ext:
    external: true
    name: ${external}
volumes:
  shared:
`,
    });
    expectOk(await runMoor(["-p", project, "up", "-d"], { cwd: dir }));
  });
  afterAll(() => engine && cleanupProject(engine, project));

  it("networks by priority: the highest first at create, the others connected; aliases and a fixed address", async () => {
    const c = await inspect(n("srv"));
    expect(c.HostConfig.NetworkMode).toBe(`${project}-backnet`);
    const nets = c.NetworkSettings.Networks;
    expect(Object.keys(nets).sort()).toEqual([`${project}-backnet`, `${project}_front`, external].sort());
    expect(nets[`${project}_front`].IPAddress).toBe(fixedIp);
    expect(nets[`${project}_front`].IPAMConfig).toMatchObject({ IPv4Address: fixedIp });
    expect(nets[`${project}_front`].Aliases).toEqual(expect.arrayContaining([n("srv"), "srv", "web-alias"]));
    expect(nets[`${project}-backnet`].Aliases).toEqual(expect.arrayContaining([n("srv"), "srv"]));
  });

  it("aliases resolve from another container on the network", async () => {
    for (const host of ["web-alias", "srv", n("srv")]) {
      expect((await inside(n("cli"), `wget -qO- http://${host}:8080/hostname`)).out).toBe((await inspect(n("srv"))).Config.Hostname);
    }
  });

  it("links: the alias resolves, and compose's link names are sent", async () => {
    const c = await inspect(n("cli"));
    // On a user-defined network the engine keeps links on the endpoint, where compose also sends them.
    expect(c.NetworkSettings.Networks[`${project}_front`].Links).toEqual([`${n("srv")}:linked`, `${n("srv")}:srv-1`, `${n("srv")}:${project}-srv-1`]);
    expect((await inside(n("cli"), "wget -qO- http://linked:8080/hostname")).exitCode).toBe(0);
  });

  it("top-level network options: driver_opts, attachable, ipam, labels, internal, name", async () => {
    const front = JSON.parse((await execa("docker", ["network", "inspect", `${project}_front`])).stdout)[0];
    expect(front).toMatchObject({ Driver: "bridge", Attachable: true, Internal: false, Options: { "com.docker.network.bridge.enable_icc": "true" } });
    expect(front.IPAM.Config).toEqual([expect.objectContaining({ Subnet: subnet })]);
    expect(front.Labels).toMatchObject({ "net.label": "n", "com.docker.compose.project": project, "com.docker.compose.network": "front" });
    const back = JSON.parse((await execa("docker", ["network", "inspect", `${project}-backnet`])).stdout)[0];
    expect(back).toMatchObject({ Internal: true, Labels: expect.objectContaining({ "com.docker.compose.network": "back" }) });
  });

  it("network_mode none, host, service:x", async () => {
    expect((await inspect(n("nonet"))).HostConfig.NetworkMode).toBe("none");
    expect((await inside(n("nonet"), "ls /sys/class/net | sort | tr '\\n' ' '")).out).toBe("lo");
    expect((await inspect(n("hostnet"))).HostConfig.NetworkMode).toBe("host");
    const srvId = (await inspect(n("srv"))).Id;
    expect((await inspect(n("sidecar"))).HostConfig.NetworkMode).toBe(`container:${srvId}`);
    expect((await inside(n("sidecar"), "wget -qO- http://127.0.0.1:8080/hostname")).exitCode).toBe(0);
  });

  it("pid and ipc: service:x shares the namespace, shareable is sent", async () => {
    const srvId = (await inspect(n("srv"))).Id;
    const cli = await inspect(n("cli"));
    expect(cli.HostConfig.PidMode).toBe(`container:${srvId}`);
    expect(cli.HostConfig.IpcMode).toBe("shareable");
    expect((await inside(n("cli"), "ps -o comm | grep -c httpd")).out).toBe("1");
    expect((await inspect(n("sidecar"))).HostConfig.IpcMode).toBe(`container:${cli.Id}`);
  });

  it("volumes_from with :ro", async () => {
    const cli = await inspect(n("cli"));
    expect(cli.HostConfig.VolumesFrom).toEqual([`${n("srv")}:ro`]);
    expect((cli.Mounts as Inspect[]).find((m) => m.Destination === "/shared")).toMatchObject({ Name: `${project}_shared`, RW: false });
  });
});

describe.skipIf(!engine)("service options: secrets, configs, hooks", () => {
  const project = uniqueProject("opts-sec");
  const name = `${project}-app-1`;
  let dir = "";
  let up: MoorResult;

  beforeAll(async () => {
    dir = writeProject({
      "secret.txt": "file-secret",
      "cfg.txt": "file-config",
      "compose.yaml": `
services:
  app:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    secrets:
      - s_file
      - {source: s_file, target: custom}
      - {source: s_file, target: /etc/abs-secret}
      - s_env
      - {source: s_env, target: owned, uid: "1000", gid: "1001", mode: 0400}
    configs:
      - c_file
      - {source: c_file, target: /etc/c.txt}
      - c_content
      - {source: c_env, target: /etc/from-env.conf}
    post_start:
      - command: ["sh", "-c", "echo \\"started as $$(id -u) in $$PWD with $$HOOK_VAR\\" > /tmp/post_start"]
        user: "1000"
        working_dir: /etc
        environment: {HOOK_VAR: hv}
secrets:
  s_file: {file: ./secret.txt}
  s_env: {environment: SECRET_FROM_ENV}
configs:
  c_file: {file: ./cfg.txt}
  c_content: {content: "inline config"}
  c_env: {environment: CONFIG_FROM_ENV}
`,
    });
    up = await runMoor(["-p", project, "up", "-d"], { cwd: dir, env: { SECRET_FROM_ENV: "env-secret", CONFIG_FROM_ENV: "env-config" } });
  });
  afterAll(() => engine && cleanupProject(engine, project));

  it("file secrets and configs are bind-mounted read-only at /run/secrets/NAME, /NAME or their target", async () => {
    expectOk(up);
    const c = await inspect(name);
    const binds = Object.fromEntries((c.Mounts as Inspect[]).filter((m) => m.Type === "bind").map((m) => [m.Destination, [m.Source, m.RW]]));
    expect(binds).toEqual({
      "/run/secrets/s_file": [path.join(dir, "secret.txt"), false],
      "/run/secrets/custom": [path.join(dir, "secret.txt"), false],
      "/etc/abs-secret": [path.join(dir, "secret.txt"), false],
      "/c_file": [path.join(dir, "cfg.txt"), false],
      "/etc/c.txt": [path.join(dir, "cfg.txt"), false],
    });
    expect((await inside(name, "cat /run/secrets/s_file /run/secrets/custom /etc/abs-secret /c_file /etc/c.txt")).out).toBe("file-secretfile-secretfile-secretfile-configfile-config");
  });

  it("environment: and content: sources are copied in: 0444 by default, uid/gid/mode when given", async () => {
    expectOk(up);
    expect((await inside(name, "cat /run/secrets/s_env; echo; cat /c_content; echo; cat /etc/from-env.conf")).out).toBe("env-secret\ninline config\nenv-config");
    expect((await inside(name, "stat -c '%a %u %g' /run/secrets/s_env /run/secrets/owned /c_content")).out.split("\n")).toEqual(["444 0 0", "400 1000 1001", "444 0 0"]);
  });

  it("post_start hooks run in the container after it starts, with their user, working_dir and environment", async () => {
    expectOk(up);
    expect((await inside(name, "cat /tmp/post_start")).out).toBe("started as 1000 in /etc with hv");
  });

  it("pre_stop hooks run before the container stops on down", async () => {
    expectOk(up);
    const hooked = writeProject({
      "compose.yaml": `
services:
  app:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    volumes: ["./out:/out"]
    stop_grace_period: 1s
    pre_stop:
      - command: ["sh", "-c", "echo bye > /out/pre_stop"]
`,
    });
    const p2 = uniqueProject("opts-prestop");
    try {
      expectOk(await runMoor(["-p", p2, "up", "-d"], { cwd: hooked }));
      expectOk(await runMoor(["-p", p2, "down"], { cwd: hooked }));
      expect(fs.readFileSync(path.join(hooked, "out", "pre_stop"), "utf8")).toBe("bye\n");
    } finally {
      if (engine) await cleanupProject(engine, p2);
    }
  });

  it("a secret whose variable is unset fails before anything is created", async () => {
    const bad = writeProject({
      "compose.yaml": `
services:
  app:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    secrets: [s]
secrets:
  s: {environment: MOOR_TEST_SURELY_UNSET}
`,
    });
    const p2 = uniqueProject("opts-unset");
    try {
      const r = await runMoor(["-p", p2, "up", "-d"], { cwd: bad, env: { MOOR_TEST_SURELY_UNSET: undefined } });
      expect(r.exitCode).not.toBe(0);
      expect(r.all).toMatch(/MOOR_TEST_SURELY_UNSET/);
      expect(r.all).not.toMatch(/moor hit a bug/);
      const { stdout } = await execa("docker", ["ps", "-aq", "--filter", `label=com.docker.compose.project=${p2}`]);
      expect(stdout.trim()).toBe("");
    } finally {
      if (engine) await cleanupProject(engine, p2);
    }
  });
});

describe.skipIf(!engine)("service options: compose's labels, scale, restart policy, privileged, read_only", () => {
  const project = uniqueProject("opts-labels");
  let dir = "";

  beforeAll(async () => {
    dir = writeProject({
      "custom.env": "FROM_ENV_FILE=1\n",
      "compose.yaml": `
services:
  db:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    deploy:
      replicas: 2
      resources: {limits: {cpus: "0.25", memory: 32M, pids: 100}, reservations: {memory: 16M}}
      restart_policy: {condition: on-failure, max_attempts: 2}
  web:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    scale: 3
    read_only: true
    depends_on:
      db: {condition: service_started, restart: true}
  custom:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    container_name: ${project}-my-name
    restart: unless-stopped
  unmasked:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    security_opt: ["systempaths=unconfined"]
  priv:
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
    privileged: true
    profiles: [priv]
`,
    });
    expectOk(await runMoor(["-p", project, "--env-file", "custom.env", "up", "-d"], { cwd: dir }));
  });
  afterAll(() => engine && cleanupProject(engine, project));

  it("every compose label, exactly", async () => {
    const c = await inspect(`${project}-web-2`);
    const image = await inspect(BUSYBOX);
    const compose = Object.fromEntries(Object.entries(c.Config.Labels as Record<string, string>).filter(([k]) => k.startsWith("com.docker.compose.")));
    expect(compose).toEqual({
      "com.docker.compose.project": project,
      "com.docker.compose.service": "web",
      "com.docker.compose.container-number": "2",
      "com.docker.compose.oneoff": "False",
      "com.docker.compose.config-hash": expect.stringMatching(/^[0-9a-f]{64}$/),
      "com.docker.compose.project.config_files": path.join(dir, "compose.yaml"),
      "com.docker.compose.project.working_dir": dir,
      "com.docker.compose.project.environment_file": path.join(dir, "custom.env"),
      "com.docker.compose.depends_on": "db:service_started:true",
      "com.docker.compose.image": image.Id,
      "com.docker.compose.version": expect.any(String),
    });
  });

  it("deploy.replicas and scale make that many containers, numbered from 1", async () => {
    const { stdout } = await execa("docker", ["ps", "--format", "{{.Names}}", "--filter", `label=com.docker.compose.project=${project}`]);
    expect(stdout.split("\n").sort()).toEqual([`${project}-db-1`, `${project}-db-2`, `${project}-my-name`, `${project}-unmasked-1`, `${project}-web-1`, `${project}-web-2`, `${project}-web-3`]);
  });

  it("deploy.resources limits and reservations, deploy.restart_policy", async () => {
    const h = (await inspect(`${project}-db-1`)).HostConfig;
    expect([h.NanoCpus, h.Memory, h.PidsLimit, h.MemoryReservation]).toEqual([250_000_000, 32 * 1024 * 1024, 100, 16 * 1024 * 1024]);
    expect(h.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 2 });
  });

  it("container_name and restart", async () => {
    const c = await inspect(`${project}-my-name`);
    expect(c.Name).toBe(`/${project}-my-name`);
    expect(c.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
    expect(c.Config.Labels["com.docker.compose.container-number"]).toBe("1");
  });

  it("security_opt systempaths=unconfined: no masked or read-only /proc paths", async () => {
    const c = await inspect(`${project}-unmasked-1`);
    expect(c.HostConfig.SecurityOpt ?? []).not.toContain("systempaths=unconfined");
    expect([c.HostConfig.MaskedPaths, c.HostConfig.ReadonlyPaths]).toEqual([[], []]);
    // A masked /proc/kcore would be bind-mounted over with /dev/null.
    expect((await inside(`${project}-unmasked-1`, "grep -c ' /proc/kcore ' /proc/mounts || true")).out).toBe("0");
  });

  it("read_only", async () => {
    expect((await inspect(`${project}-web-1`)).HostConfig.ReadonlyRootfs).toBe(true);
    expect((await inside(`${project}-web-1`, "touch /x 2>&1")).out).toMatch(/Read-only file system/);
  });

  it("privileged reaches the engine (created, not started: this sandbox cannot run privileged containers)", async () => {
    expectOk(await runMoor(["-p", project, "--env-file", "custom.env", "--profile", "priv", "up", "--no-start", "priv"], { cwd: dir }));
    expect((await inspect(`${project}-priv-1`)).HostConfig.Privileged).toBe(true);
  });
});

describe.skipIf(!engine)("service options: pull_policy and platform with a local image", () => {
  const project = uniqueProject("opts-pull");

  afterAll(() => engine && cleanupProject(engine, project));

  const tryUp = async (service: string) => {
    const dir = writeProject({ "compose.yaml": `services:\n  ${service}\n` });
    return runMoor(["-p", project, "up", "-d"], { cwd: dir });
  };

  it("never and missing use the local image", async () => {
    expectOk(await tryUp(`a:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    pull_policy: never`));
    expectOk(await tryUp(`b:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    pull_policy: missing`));
  });

  it("always tries to pull and fails with the registry's error, not a stack", async () => {
    const r = await tryUp(`c:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    pull_policy: always`);
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/pull/i);
    expect(r.all).not.toMatch(/moor hit a bug/);
  });

  it("never with an absent image fails clearly and creates nothing", async () => {
    const r = await tryUp(`d:\n    image: moor-test/absent-${project}:latest\n    pull_policy: never`);
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/absent/);
    const { stdout } = await execa("docker", ["ps", "-aq", "--filter", `label=com.docker.compose.service=d`, "--filter", `label=com.docker.compose.project=${project}`]);
    expect(stdout.trim()).toBe("");
  });

  it("platform: the engine matches it against the local image (a foreign platform is refused)", async () => {
    const arch = (await inspect(BUSYBOX)).Architecture as string;
    expectOk(await tryUp(`e:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    platform: linux/${arch}`));
    const foreign = arch === "s390x" ? "ppc64le" : "s390x";
    const r = await tryUp(`f:\n    image: ${BUSYBOX}\n    command: ["sleep", "3600"]\n    platform: linux/${foreign}\n    pull_policy: never`);
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toMatch(/platform/);
  });
});
