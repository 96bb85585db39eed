// The engine adapter against a real engine: every method the reconcile core and the CLI rely on,
// the errors they branch on, and the build-context rules that keep excluded files off the engine.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import tarStream from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDockerEngine, MAX_API_VERSION } from "../../src/engine/docker-engine.js";
import { BuildContextError, BuildError, ConflictError, EngineUnreachableError, ImagePullError, NotFoundError } from "../../src/engine/errors.js";
import type { ContainerCreateRequest } from "../../src/engine/engine.js";
import type { LogLine } from "../../src/engine/types.js";
import type { ExecutorEngine } from "../../src/reconcile/execute.js";
import { cleanupProject, projectLabel, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const project = uniqueProject("engine");
// Made in beforeAll, so a run that skips (no engine) leaves no directory behind.
let scratch = "";
const builtTags: string[] = [];

function box(name: string, cmd: string[], extra: Partial<ContainerCreateRequest["body"]> = {}): ContainerCreateRequest {
  return {
    name: `${project}-${name}`,
    body: { Image: TEST_IMAGES.busybox, Cmd: cmd, Labels: { "com.docker.compose.project": project, "com.docker.compose.service": name }, ...extra },
  };
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** A build context directory made of `files` (path → content). */
function context(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** Runs `image` with `cmd` to completion and returns its stdout lines. */
async function runToCompletion(image: string, cmd: string[]): Promise<string[]> {
  const e = engine!;
  const id = await e.createContainer({ name: `${project}-run-${builtTags.length}-${Date.now()}`, body: { Image: image, Cmd: cmd, Labels: { "com.docker.compose.project": project } } });
  await e.startContainer(id);
  await e.waitContainer(id);
  const lines = await collect(e.logs(id));
  return lines.filter((l) => l.stream === "stdout").map((l) => l.text);
}

describe.skipIf(!engine)("DockerEngine against a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-engine-test-"));
    await requireImages(e);
  });

  afterAll(async () => {
    await cleanupProject(e, project);
    for (const tag of builtTags) await e.removeImage(tag, { force: true }).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("is usable where the executor expects its port", () => {
    // A compile-time check as much as a runtime one: DockerEngine must satisfy the executor's port.
    const port: ExecutorEngine = e;
    expect(typeof port.createContainer).toBe("function");
  });

  it("negotiates an API version no newer than moor's", async () => {
    const v = await e.version();
    expect(v.version).not.toBe("");
    expect(Number(v.negotiatedApiVersion.split(".")[1])).toBeLessThanOrEqual(Number(MAX_API_VERSION.split(".")[1]));
    await e.ping();
  });

  it("creates, lists by label with one call, stops, restarts and removes containers", async () => {
    const id = await e.createContainer(box("life", ["sleep", "300"]));
    await e.startContainer(id);
    await e.startContainer(id); // already running: 304, not an error

    const before = e.stats.calls["containers.list"] ?? 0;
    const listed = await e.listContainers({ project, all: false, labels: ["com.docker.compose.service=life"] });
    expect((e.stats.calls["containers.list"] ?? 0) - before).toBe(1);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, name: `${project}-life`, state: "running", image: TEST_IMAGES.busybox });
    expect(listed[0]?.labels["com.docker.compose.project"]).toBe(project);
    expect(listed[0]?.networks.bridge?.networkId).toBeTruthy();

    await e.stopContainer(id, 1);
    await e.stopContainer(id, 1); // already stopped: 304
    expect(await e.listContainers({ project, all: false, labels: ["com.docker.compose.service=life"] })).toHaveLength(0);
    const stopped = await e.listContainers({ project, all: true, labels: ["com.docker.compose.service=life"] });
    expect(stopped[0]?.state).toBe("exited");

    await e.renameContainer(id, `${project}-life-renamed`);
    expect((await e.inspectContainer(id)).name).toBe(`${project}-life-renamed`);

    await e.removeContainer(id, { force: true, volumes: true });
    expect(await e.listContainers({ project, all: true, labels: ["com.docker.compose.service=life"] })).toHaveLength(0);
  });

  it("reports exit codes through wait and inspect", async () => {
    const id = await e.createContainer(box("exit", ["sh", "-c", "exit 3"]));
    await e.startContainer(id);
    expect(await e.waitContainer(id)).toEqual({ exitCode: 3 });
    const info = await e.inspectContainer(id);
    expect(info.state).toMatchObject({ status: "exited", running: false, exitCode: 3 });
  });

  it("kills with a signal", async () => {
    const id = await e.createContainer(box("kill", ["sleep", "300"]));
    await e.startContainer(id);
    await e.killContainer(id, "SIGKILL");
    expect((await e.waitContainer(id)).exitCode).toBe(137);
    // Killing a container that is not running is the engine's 409.
    await expect(e.killContainer(id)).rejects.toBeInstanceOf(ConflictError);
  });

  it("creates, lists, connects and removes networks and volumes by label", async () => {
    const labels = { "com.docker.compose.project": project, "com.docker.compose.network": "back" };
    const networkId = await e.createNetwork({ Name: `${project}_back`, Labels: labels, Internal: true, CheckDuplicate: true });
    const volume = await e.createVolume({ Name: `${project}_data`, Labels: { "com.docker.compose.project": project, "com.docker.compose.volume": "data" } });
    expect(volume).toBe(`${project}_data`);

    const networks = await e.listNetworks({ project });
    expect(networks.map((n) => n.id)).toEqual([networkId]);
    expect(networks[0]).toMatchObject({ name: `${project}_back`, internal: true, driver: "bridge", labels });
    const volumes = await e.listVolumes({ project });
    expect(volumes.map((v) => v.name)).toEqual([`${project}_data`]);
    expect(volumes[0]?.labels["com.docker.compose.volume"]).toBe("data");

    const id = await e.createContainer(
      box("netuser", ["sleep", "300"], { HostConfig: { Mounts: [{ Type: "volume", Source: `${project}_data`, Target: "/data" }] } }),
    );
    await e.connectNetwork(`${project}_back`, id, { Aliases: ["db"] });
    await e.startContainer(id);
    const inspected = await e.inspectContainer(id);
    expect(inspected.networks[`${project}_back`]?.aliases).toContain("db");
    expect(inspected.mounts).toContainEqual(expect.objectContaining({ type: "volume", name: `${project}_data`, destination: "/data" }));

    // A network in use cannot be removed; the executor relies on this being a typed error.
    await expect(e.removeNetwork(`${project}_back`)).rejects.toBeInstanceOf(ConflictError);
    await e.disconnectNetwork(`${project}_back`, id, true);
    await e.removeContainer(id, { force: true, volumes: false });
    await e.removeNetwork(`${project}_back`);
    await e.removeVolume(`${project}_data`);
    expect(await e.listNetworks({ project })).toEqual([]);
    expect(await e.listVolumes({ project })).toEqual([]);
  });

  it("translates 404 and 409 into NotFoundError and ConflictError", async () => {
    await expect(e.inspectContainer(`${project}-no-such`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(e.removeVolume(`${project}-no-such`)).rejects.toBeInstanceOf(NotFoundError);
    expect(await e.inspectImage("moor-test/no-such-image:never")).toBeUndefined();

    await e.createContainer(box("dup", ["true"]));
    const second = e.createContainer(box("dup", ["true"]));
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toThrow(/already in use/);
  });

  it("reports an engine that does not answer as EngineUnreachableError with a hint", async () => {
    const missing = connectDockerEngine({ env: { DOCKER_HOST: `unix://${path.join(scratch, "no-engine.sock")}` } });
    const err = await missing.ping().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(EngineUnreachableError);
    expect((err as EngineUnreachableError).message).toMatch(/cannot reach the Docker engine at unix:\/\/.*no-engine\.sock: the socket does not exist/);
    expect((err as EngineUnreachableError).hint).toMatch(/^is the Docker daemon running\? .*DOCKER_HOST/);

    const refused = connectDockerEngine({ env: { DOCKER_HOST: "tcp://127.0.0.1:1" } });
    await expect(refused.listContainers({ all: true })).rejects.toThrow(/connection refused/);
  });

  it("fails a pull with a typed error naming the registry that does not answer", async () => {
    const err = await e.pullImage("localhost:1/moor/absent:1").then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(ImagePullError);
    expect(err).toMatchObject({ reason: "unreachable", registry: "localhost:1", image: "localhost:1/moor/absent:1" });
    expect((err as ImagePullError).message).toMatch(/^cannot pull localhost:1\/moor\/absent:1: localhost:1 is unreachable/);
    expect((err as ImagePullError).hint).toMatch(/^no registry answers: check the name, or make localhost:1\/moor\/absent:1 on this engine/);
  });

  it("names Docker Hub's registry when an unqualified image cannot be pulled", async () => {
    const err = await e.pullImage("moor-test-absent/never:1").then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as ImagePullError).registry).toBe("registry-1.docker.io");
    // Offline (CI, here) the reason is "unreachable"; with a registry it would be "denied" or "not-found".
    expect((err as ImagePullError).message).toMatch(/^cannot pull moor-test-absent\/never:1: registry-1\.docker\.io (is unreachable|denied access|has no such image)/);
  });

  it("keeps .dockerignore'd files off the engine, and always sends the Dockerfile and .dockerignore", async () => {
    const dir = context("ignored", {
      Dockerfile: `FROM ${TEST_IMAGES.busybox}\nCOPY . /ctx\nCMD ["sh", "-c", "cd /ctx && find . | sort"]\n`,
      ".dockerignore": "# secrets stay home\n.env\n*.key\n!keep.key\nsecrets\nDockerfile\n.dockerignore\nbuild/**\n!build/keep/**\n",
      ".env": "PASSWORD=hunter2\n",
      "id_rsa.key": "PRIVATE\n",
      "keep.key": "public on purpose\n",
      "secrets/token": "t0k3n\n",
      "app/main.txt": "hello\n",
      "build/out.bin": "x",
      "build/keep/kept.txt": "y",
    });
    // A symlink to a file outside the context is sent as a link, never as the file's content.
    fs.writeFileSync(path.join(scratch, "outside.txt"), "outside secret\n");
    fs.symlinkSync(path.join(scratch, "outside.txt"), path.join(dir, "link.txt"));
    const tag = `moor-test/ignored:${project}`;
    builtTags.push(tag);
    const progress: string[] = [];
    const id = await e.buildImage({ contextDir: dir, tags: [tag], labels: { "com.docker.compose.project": project } }, (t) => progress.push(t));
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(progress.some((p) => p.includes("COPY . /ctx"))).toBe(true);

    const listing = await runToCompletion(tag, ["sh", "-c", "cd /ctx && find . | sort && readlink link.txt"]);
    // The build ran although .dockerignore names the Dockerfile, so the Dockerfile was sent; the
    // engine itself then drops both files from what COPY sees, as docker does.
    expect(listing).not.toContain("./Dockerfile");
    expect(listing).not.toContain("./.dockerignore");
    expect(listing).toContain("./keep.key");
    expect(listing).toContain("./app/main.txt");
    expect(listing).toContain("./build/keep/kept.txt");
    expect(listing).not.toContain("./.env");
    expect(listing).not.toContain("./id_rsa.key");
    expect(listing).not.toContain("./secrets");
    expect(listing).not.toContain("./secrets/token");
    expect(listing).not.toContain("./build/out.bin");
    expect(listing).toContain(path.join(scratch, "outside.txt"));
  });

  it("prefers <Dockerfile>.dockerignore and builds dockerfile_inline, args, labels, target and extra hosts", async () => {
    const dir = context("per-dockerfile", {
      "docker/app.Dockerfile": `FROM ${TEST_IMAGES.busybox}\nCOPY . /ctx\n`,
      "docker/app.Dockerfile.dockerignore": "notes.txt\n",
      ".dockerignore": "other.txt\n",
      "notes.txt": "excluded by the Dockerfile's own ignore file\n",
      "other.txt": "only the root .dockerignore names this\n",
    });
    const tag = `moor-test/per-dockerfile:${project}`;
    builtTags.push(tag);
    await e.buildImage({ contextDir: dir, dockerfile: "docker/app.Dockerfile", tags: [tag] });
    const listing = await runToCompletion(tag, ["find", "/ctx", "-name", "*.txt"]);
    expect(listing).toEqual(["/ctx/other.txt"]);

    const inlineTag = `moor-test/inline:${project}`;
    builtTags.push(inlineTag, `${inlineTag}-alias`);
    const inlineId = await e.buildImage({
      contextDir: context("inline", { "hello.txt": "hi\n" }),
      dockerfileInline: [
        `FROM ${TEST_IMAGES.busybox} AS base`,
        "ARG GREETING=unset",
        "RUN echo \"$GREETING\" > /greeting && grep -q 'moorhost' /etc/hosts",
        "COPY hello.txt /hello.txt",
        "FROM base AS unused",
        "RUN exit 1",
      ].join("\n"),
      args: { GREETING: "from-args" },
      labels: { "com.docker.compose.project": project, "org.example.kind": "inline" },
      target: "base",
      extraHosts: ["moorhost:127.0.0.2"],
      tags: [inlineTag, `${inlineTag}-alias`],
    });
    const image = await e.inspectImage(inlineTag);
    expect(image?.id).toBe(inlineId);
    expect(image?.repoTags).toEqual(expect.arrayContaining([inlineTag, `${inlineTag}-alias`]));
    expect(image?.labels["org.example.kind"]).toBe("inline");
    expect(await runToCompletion(inlineTag, ["cat", "/greeting", "/hello.txt"])).toEqual(["from-args", "hi"]);
  });

  it("rejects a build whose step fails inside the 200 stream with the engine's message", async () => {
    const dir = context("failing", { Dockerfile: `FROM ${TEST_IMAGES.busybox}\nRUN echo about to fail && exit 3\n` });
    const err = await e.buildImage({ contextDir: dir, tags: [`moor-test/failing:${project}`] }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).engineMessage).toMatch(/returned a non-zero code: 3/);
    expect((err as BuildError).step).toMatch(/^Step 2\/2 : RUN echo about to fail/);

    await expect(e.buildImage({ contextDir: path.join(scratch, "no-such-dir"), tags: ["moor-test/x:1"] })).rejects.toBeInstanceOf(BuildContextError);
    await expect(e.buildImage({ contextDir: dir, dockerfile: "Nope.Dockerfile", tags: ["moor-test/x:1"] })).rejects.toBeInstanceOf(BuildContextError);
  });

  it("demultiplexes logs into stdout and stderr lines, with timestamps on request", async () => {
    const id = await e.createContainer(box("logs", ["sh", "-c", "echo out1; echo err1 >&2; printf 'no newline'; echo; echo out2"]));
    await e.startContainer(id);
    await e.waitContainer(id);
    const lines = await collect(e.logs(id));
    expect(lines.filter((l) => l.stream === "stdout").map((l) => l.text)).toEqual(["out1", "no newline", "out2"]);
    expect(lines.filter((l) => l.stream === "stderr").map((l) => l.text)).toEqual(["err1"]);

    // stdout and stderr are captured separately, so only the order within one stream is defined.
    const stamped = await collect(e.logs(id, { timestamps: true }));
    expect(stamped.every((l) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(l.timestamp ?? ""))).toBe(true);
    expect(stamped.filter((l) => l.stream === "stdout").map((l) => l.text)).toEqual(["out1", "no newline", "out2"]);

    const tailId = await e.createContainer(box("tail", ["sh", "-c", "echo a; echo b; echo c"]));
    await e.startContainer(tailId);
    await e.waitContainer(tailId);
    expect((await collect(e.logs(tailId, { tail: 2 }))).map((l) => l.text)).toEqual(["b", "c"]);
  });

  it("reads a TTY container's unframed output", async () => {
    const id = await e.createContainer(box("tty", ["sh", "-c", "echo one; echo two >&2"], { Tty: true }));
    await e.startContainer(id);
    await e.waitContainer(id);
    const lines = await collect(e.logs(id));
    expect(lines).toEqual([
      { stream: "stdout", text: "one" },
      { stream: "stdout", text: "two" },
    ]);
  });

  it("follows logs until aborted", async () => {
    const id = await e.createContainer(box("follow", ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"]));
    await e.startContainer(id);
    const abort = new AbortController();
    const seen: string[] = [];
    for await (const line of e.logs(id, { follow: true, signal: abort.signal })) {
      seen.push(line.text);
      if (seen.length === 3) abort.abort();
    }
    expect(seen.slice(0, 3)).toEqual(["tick 0", "tick 1", "tick 2"]);
  });

  it("runs exec with separate output and the command's exit code", async () => {
    const id = await e.createContainer(box("exec", ["sleep", "300"]));
    await e.startContainer(id);
    const streamed: LogLine[] = [];
    const result = await e.exec(id, { cmd: ["sh", "-c", "echo hi; echo bad >&2; echo \"$GREETING\"; exit 7"], env: ["GREETING=env ok"], onLine: (l) => streamed.push(l) });
    expect(result).toEqual({ exitCode: 7, stdout: "hi\nenv ok\n", stderr: "bad\n" });
    expect(streamed).toContainEqual({ stream: "stderr", text: "bad" });
    expect((await e.exec(id, { cmd: ["true"] })).exitCode).toBe(0);
    expect((await e.exec(id, { cmd: ["pwd"], workingDir: "/tmp", tty: true })).stdout.trim()).toBe("/tmp");
  });

  it("puts and gets archives", async () => {
    const id = await e.createContainer(box("archive", ["sleep", "300"]));
    await e.startContainer(id);
    const pack = tarStream.pack();
    pack.entry({ name: "hello.txt", mode: 0o644 }, "hello archive\n");
    pack.finalize();
    await e.putArchive(id, "/tmp", Readable.from(pack));
    expect((await e.exec(id, { cmd: ["cat", "/tmp/hello.txt"] })).stdout).toBe("hello archive\n");

    const { tar, stat } = await e.getArchive(id, "/tmp/hello.txt");
    expect(stat).toMatchObject({ name: "hello.txt", size: 14 });
    const extract = tarStream.extract();
    const files: Record<string, string> = {};
    const done = (async () => {
      for await (const entry of extract) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        files[entry.header.name] = Buffer.concat(chunks).toString("utf8");
      }
    })();
    tar.pipe(extract);
    await done;
    expect(files).toEqual({ "hello.txt": "hello archive\n" });

    await expect(e.getArchive(id, "/no/such/path")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("streams events filtered by label until aborted", async () => {
    const abort = new AbortController();
    const received: string[] = [];
    const listening = (async () => {
      for await (const ev of e.events({ filters: { type: ["container"], label: [projectLabel(project)] }, signal: abort.signal })) {
        received.push(`${ev.action} ${ev.attributes.name ?? ""}`);
        if (ev.action === "start") abort.abort();
      }
    })();
    // The subscription must be open before the container starts; the engine has no replay here.
    await new Promise((r) => setTimeout(r, 300));
    const id = await e.createContainer(box("events", ["true"]));
    await e.startContainer(id);
    await listening;
    expect(received).toContain(`create ${project}-events`);
    expect(received).toContain(`start ${project}-events`);

    // Stopping before the stream opens is not an error either.
    const early: unknown[] = [];
    for await (const ev of e.events({ signal: AbortSignal.abort() })) early.push(ev);
    for await (const line of e.logs(id, { follow: true, signal: AbortSignal.abort() })) early.push(line);
    expect(early).toEqual([]);
  });
});

describe.skipIf(!engine)("integration harness", () => {
  const e = engine!;

  it("cleans up one project's containers, networks and volumes and leaves another project's alone", async () => {
    await requireImages(e);
    const mine = uniqueProject("harness-mine");
    const theirs = uniqueProject("harness-theirs");
    expect(mine).not.toBe(theirs);
    expect(mine).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    try {
      for (const p of [mine, theirs]) {
        const labels = { "com.docker.compose.project": p };
        await e.createNetwork({ Name: `${p}_default`, Labels: labels });
        await e.createVolume({ Name: `${p}_data`, Labels: labels });
        const id = await e.createContainer({ name: `${p}-app-1`, body: { Image: TEST_IMAGES.busybox, Cmd: ["sleep", "300"], Labels: labels } });
        await e.startContainer(id);
      }
      await cleanupProject(e, mine);
      await cleanupProject(e, mine); // twice is fine
      expect(await e.listContainers({ project: mine, all: true })).toEqual([]);
      expect(await e.listNetworks({ project: mine })).toEqual([]);
      expect(await e.listVolumes({ project: mine })).toEqual([]);
      expect(await e.listContainers({ project: theirs, all: true })).toHaveLength(1);
      expect(await e.listNetworks({ project: theirs })).toHaveLength(1);
      expect(await e.listVolumes({ project: theirs })).toHaveLength(1);
    } finally {
      await cleanupProject(e, theirs);
    }
    expect(await e.listVolumes({ project: theirs })).toEqual([]);
  });

  it("runs the built CLI and captures its output and exit code", async () => {
    const ok = await runMoor(["version"]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/moor version v\d+\.\d+\.\d+/);
    const bad = await runMoor(["no-such-command"]);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).not.toBe("");
  });
});
