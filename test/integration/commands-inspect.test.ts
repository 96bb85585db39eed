// `moor port`, `top`, `cp`, `events`, `stats` and `ls` through the built CLI on one small busybox
// project (a service with two replicas publishing a port), each checked against the docker CLI:
// the same published address as `docker port`, the same processes as `docker top`, files and
// directories copied both ways with content and modes checked by exec, events, stats and ls.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import tarStream from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-inspect-test-"));
const name = uniqueProject("inspect");
const dir = path.join(scratch, name);
const BOX = TEST_IMAGES.busybox;

const compose = `
services:
  web:
    image: ${BOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    ports: ["80", "53/udp"]
    deploy:
      replicas: 2
  worker:
    image: ${BOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; exec sleep 86400"]
    init: false
`;

const moor = (args: string[], opts: { cwd?: string } = {}): Promise<MoorResult> => runMoor(["-p", name, ...args], { cwd: opts.cwd ?? dir });
const moorOk = async (args: string[]): Promise<MoorResult> => expectOk(await moor(args), args);
const c = (s: string) => `${name}-${s}`;
/** A one-file tar as text (headers and this content are ASCII, so it survives as a string). */
async function tarOf(file: string, content: string): Promise<string> {
  const pack = tarStream.pack();
  pack.entry({ name: file, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const exec = async (container: string, script: string): Promise<string> => (await docker(["exec", container, "sh", "-c", script])).trim();

describe.skipIf(!engine)("moor port, top, cp, events, stats, ls on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
    await moorOk(["up", "-d"]);
  });

  afterAll(async () => {
    await cleanupProject(e, name);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("port prints the address docker port shows, per replica and protocol, and fails clearly for an unpublished port", async () => {
    const first = (await docker(["port", c("web-1"), "80/tcp"])).split("\n")[0];
    expect(first).toMatch(/^0\.0\.0\.0:\d+$/);
    expect((await moorOk(["port", "web", "80"])).stdout).toBe(`${first}\n`);
    const second = (await docker(["port", c("web-2"), "80/tcp"])).split("\n")[0];
    expect(second).not.toBe(first);
    expect((await moorOk(["port", "--index", "2", "web", "80"])).stdout).toBe(`${second}\n`);
    const udp = (await docker(["port", c("web-1"), "53/udp"])).split("\n")[0];
    expect((await moorOk(["port", "--protocol", "UDP", "web", "53"])).stdout).toBe(`${udp}\n`);

    const missing = await moor(["port", "web", "81"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain(`no port 81/tcp for container ${c("web-1")}`);
    const noReplica = await moor(["port", "--index", "3", "web", "80"]);
    expect(noReplica.exitCode).toBe(1);
    expect(noReplica.stderr).toContain('service "web" is not running container #3');
    // A service with only a one-off (run) container: compose answers from that one.
    const runOnly = uniqueProject("inspect-run");
    try {
      await docker(["run", "-d", "--name", `${runOnly}-solo-run-1`, "-p", "80", "--label", `com.docker.compose.project=${runOnly}`, "--label", "com.docker.compose.service=solo", "--label", "com.docker.compose.oneoff=True", BOX, "sleep", "600"]);
      const published = (await docker(["port", `${runOnly}-solo-run-1`, "80/tcp"])).split("\n")[0];
      const fromRun = await runMoor(["-p", runOnly, "port", "solo", "80"], { cwd: os.tmpdir() });
      expect(fromRun.stdout).toBe(`${published}\n`);
    } finally {
      await cleanupProject(e, runOnly);
    }
    const badPort = await moor(["port", "web", "http"]);
    expect(badPort.exitCode).toBe(1);
    expect(badPort.stderr).toContain('invalid port "http"');
  });

  it("top shows every container's processes with the PIDs docker top reports", async () => {
    const out = (await moorOk(["top"])).stdout.split("\n").filter((l) => l !== "");
    expect(out[0]).toMatch(/^SERVICE\s+#\s+UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    const workerPid = (await docker(["top", c("worker-1"), "-o", "pid"])).split("\n")[1]!.trim();
    const workerRow = out.find((l) => l.includes("sleep 86400"))!;
    expect(workerRow.split(/\s+/).slice(0, 4)).toEqual(["worker", "1", "root", workerPid]);
    expect(out.filter((l) => l.startsWith("web ")).length).toBeGreaterThanOrEqual(2);
    const onlyWorker = (await moorOk(["top", "worker"])).stdout;
    expect(onlyWorker).toContain("sleep 86400");
    expect(onlyWorker).not.toMatch(/^web /m);
  });

  it("cp copies a file and a directory into the container and back, keeping content and modes", async () => {
    const local = path.join(scratch, "cp-src");
    fs.mkdirSync(path.join(local, "tree", "sub"), { recursive: true });
    fs.writeFileSync(path.join(local, "note.txt"), "hello from the host\n");
    fs.chmodSync(path.join(local, "note.txt"), 0o640);
    fs.writeFileSync(path.join(local, "tree", "sub", "deep.sh"), "#!/bin/sh\necho deep\n");
    fs.chmodSync(path.join(local, "tree", "sub", "deep.sh"), 0o755);
    fs.chmodSync(path.join(local, "tree", "sub"), 0o700);
    fs.symlinkSync("sub/deep.sh", path.join(local, "tree", "link"));

    // Into every web container; a file to a new name, a directory into an existing directory.
    await moorOk(["cp", path.join(local, "note.txt"), "web:/tmp/renamed.txt"]);
    await moorOk(["cp", path.join(local, "tree"), "web:/tmp/"]);
    for (const container of [c("web-1"), c("web-2")]) {
      expect(await exec(container, "cat /tmp/renamed.txt")).toBe("hello from the host");
      expect(await exec(container, "stat -c '%a %U' /tmp/renamed.txt /tmp/tree/sub /tmp/tree/sub/deep.sh")).toBe("640 root\n700 root\n755 root");
      expect(await exec(container, "/tmp/tree/sub/deep.sh")).toBe("deep");
      expect(await exec(container, "readlink /tmp/tree/link")).toBe("sub/deep.sh");
    }
    // Owners come out as `docker cp` makes them, with and without -a (archive mode).
    const owned = path.join(local, "owned.txt");
    fs.writeFileSync(owned, "owned\n");
    fs.chownSync(owned, 1234, 2345);
    await moorOk(["cp", "--index", "1", owned, "web:/tmp/moor-plain.txt"]);
    await moorOk(["cp", "--index", "1", "-a", owned, "web:/tmp/moor-archive.txt"]);
    await docker(["cp", owned, `${c("web-1")}:/tmp/docker-plain.txt`]);
    await docker(["cp", "-a", owned, `${c("web-1")}:/tmp/docker-archive.txt`]);
    const owners = (await exec(c("web-1"), "stat -c '%u:%g' /tmp/moor-plain.txt /tmp/docker-plain.txt /tmp/moor-archive.txt /tmp/docker-archive.txt")).split("\n");
    expect(owners[0]).toBe(owners[1]);
    expect(owners[2]).toBe(owners[3]);

    // Contents only (SRC/.) into a directory that does not exist yet.
    await moorOk(["cp", `${path.join(local, "tree")}/.`, "web:/tmp/contents"]);
    expect(await exec(c("web-1"), "ls -A /tmp/contents | sort | tr '\\n' ' '")).toBe("link sub");

    // And back: a file to a new name, a directory under a new name, a followed link.
    const back = path.join(scratch, "cp-back");
    fs.mkdirSync(back);
    await exec(c("web-2"), "echo only on two > /tmp/two.txt && chmod 604 /tmp/two.txt");
    await moorOk(["cp", "--index", "2", "web:/tmp/two.txt", path.join(back, "two")]);
    expect(fs.readFileSync(path.join(back, "two"), "utf8")).toBe("only on two\n");
    expect(fs.statSync(path.join(back, "two")).mode & 0o777).toBe(0o604);
    await exec(c("web-1"), "ln -s /etc/hostname /tmp/tree/absolute");
    await moorOk(["cp", "web:/tmp/tree", path.join(back, "copy")]);
    // Absolute links are copied as links, as docker cp does.
    expect(fs.readlinkSync(path.join(back, "copy", "absolute"))).toBe("/etc/hostname");
    expect(fs.readFileSync(path.join(back, "copy", "sub", "deep.sh"), "utf8")).toBe("#!/bin/sh\necho deep\n");
    expect(fs.statSync(path.join(back, "copy", "sub")).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(back, "copy", "sub", "deep.sh")).mode & 0o777).toBe(0o755);
    expect(fs.readlinkSync(path.join(back, "copy", "link"))).toBe("sub/deep.sh");
    await moorOk(["cp", "-L", "web:/tmp/tree/link", path.join(back, "followed")]);
    expect(fs.lstatSync(path.join(back, "followed")).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(back, "followed"), "utf8")).toBe("#!/bin/sh\necho deep\n");

    // "-" writes a tar to standard output.
    const tar = await moor(["cp", "web:/tmp/renamed.txt", "-"]);
    expect(tar.exitCode).toBe(0);
    expect(tar.stdout).toContain("hello from the host");

    // "-" reads a tar from standard input into a directory.
    const piped = await runMoor(["-p", name, "cp", "-", "web:/tmp"], { cwd: dir, input: await tarOf("piped.txt", "through stdin\n") });
    expect(piped.exitCode).toBe(0);
    for (const container of [c("web-1"), c("web-2")]) expect(await exec(container, "cat /tmp/piped.txt")).toBe("through stdin");

    const missing = await moor(["cp", "web:/no/such/file", back]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("could not find the file /no/such/file");
    const both = await moor(["cp", "web:/tmp/a", "worker:/tmp/b"]);
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toContain("copying between services is not supported");
    const dirOnFile = await moor(["cp", path.join(local, "tree"), "web:/tmp/renamed.txt"]);
    expect(dirOnFile.exitCode).toBe(1);
    expect(dirOnFile.stderr).toContain("cannot copy a directory to a file");
  });

  it("events --json prints the start of a container started in the test, and the text form names it", async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    await docker(["stop", "-t", "1", c("worker-1")]);
    await docker(["start", c("worker-1")]);
    const workerId = (await docker(["inspect", "--format", "{{.Id}}", c("worker-1")])).trim();
    const until = Math.ceil(Date.now() / 1000) + 1;
    const json = await moorOk(["events", "--json", "--since", String(since), "--until", String(until)]);
    const events = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { action: string; id: string; service: string; type: string; time: string; attributes: Record<string, string> });
    const start = events.find((ev) => ev.action === "start" && ev.id === workerId);
    expect(start).toMatchObject({ service: "worker", type: "container", attributes: { name: c("worker-1") } });
    expect(Number.isNaN(Date.parse(start!.time))).toBe(false);
    expect(events.some((ev) => ev.action === "stop" && ev.id === workerId)).toBe(true);
    expect(Object.keys(start!.attributes).some((k) => k.startsWith("com.docker.compose."))).toBe(false);

    const text = await moorOk(["events", "worker", "--since", String(since), "--until", String(until)]);
    expect(text.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} container start ${workerId} \\(.*name=${c("worker-1")}`, "m"));
    // Durations work as in the docker CLI: "1m" ago until "0s" ago (now).
    const relative = await moorOk(["events", "--json", "--since", "1m", "--until", "0s"]);
    expect(relative.stdout).toContain(`"action":"start","attributes"`);
    expect(relative.stdout).toContain(workerId);
    const onlyWeb = await moorOk(["events", "--json", "web", "--since", String(since), "--until", String(until)]);
    expect(onlyWeb.stdout).not.toContain(workerId);
  });

  it("events follows until interrupted and exits 130, as compose does", async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const child = execa(process.execPath, ["--", path.join(repoRoot, "bin", "moor.js"), "-p", name, "events", "--json", "--since", String(since)], { cwd: dir, reject: false, env: { NO_COLOR: "1" } });
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    await docker(["restart", "-t", "1", c("worker-1")]);
    const workerId = (await docker(["inspect", "--format", "{{.Id}}", c("worker-1")])).trim();
    // Bounded wait for the replayed start event (--since makes it independent of when the stream opened).
    for (let i = 0; i < 200 && !(seen.includes('"action":"start"') && seen.includes(workerId)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(seen).toContain(workerId);
    child.kill("SIGINT");
    const done = await child;
    expect(done.exitCode).toBe(130);
  });

  it("stats --no-stream prints every running container in docker's table and JSON", async () => {
    const json = (await moorOk(["stats", "--no-stream", "--format", "json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    expect(json.map((s) => s.Name).sort()).toEqual([c("web-1"), c("web-2"), c("worker-1")]);
    const webId = (await docker(["inspect", "--format", "{{.Id}}", c("web-1")])).trim();
    const web = json.find((s) => s.Name === c("web-1"))!;
    expect(web.ID).toBe(webId.slice(0, 12));
    expect(Object.keys(web).sort()).toEqual(["BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO", "PIDs"]);
    expect(web.CPUPerc).toMatch(/^\d+\.\d\d%$/);
    expect(web.MemUsage).toMatch(/^[\d.]+\w*B \/ [\d.]+\w*B$/);
    expect(Number(web.PIDs)).toBeGreaterThanOrEqual(1);

    const table = (await moorOk(["stats", "--no-stream", "worker"])).stdout.split("\n");
    expect(table[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    expect(table[1]).toMatch(new RegExp(`^[0-9a-f]{12}\\s+${c("worker-1")}\\s`));
    expect(table.filter((l) => l !== "")).toHaveLength(2);
    expect((await moorOk(["stats", "--no-stream", "--no-trunc", "--format", "{{.ID}}", "web"])).stdout.split("\n")).toContain(webId);
  });

  it("ls finds the project by label with its status and config file, and -a shows it with a stopped container", async () => {
    const filter = ["--filter", `name=^${name}$`];
    const rows = JSON.parse((await moorOk(["ls", "--format", "json", ...filter])).stdout) as { Name: string; Status: string; ConfigFiles: string }[];
    expect(rows).toEqual([{ Name: name, Status: "running(3)", ConfigFiles: path.join(dir, "compose.yaml") }]);
    const table = (await moorOk(["ls", ...filter])).stdout.split("\n");
    expect(table[0]).toMatch(/^NAME\s+STATUS\s+CONFIG FILES$/);
    expect(table[1]!.split(/\s{3,}/)).toEqual([name, "running(3)", path.join(dir, "compose.yaml")]);
    // ls works from anywhere: no compose file needed.
    const elsewhere = await runMoor(["ls", "-q", ...filter], { cwd: os.tmpdir() });
    expect(elsewhere.stdout).toBe(`${name}\n`);

    await docker(["stop", "-t", "1", c("web-2")]);
    try {
      expect(JSON.parse((await moorOk(["ls", "--format", "json", ...filter])).stdout)[0].Status).toBe("running(2)");
      expect(JSON.parse((await moorOk(["ls", "-a", "--format", "json", ...filter])).stdout)[0].Status).toBe("exited(1), running(2)");
    } finally {
      await docker(["start", c("web-2")]);
    }
    const bad = await moor(["ls", "--filter", "status=running"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("invalid filter 'status'");
  });
});
