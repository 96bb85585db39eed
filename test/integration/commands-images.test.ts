// `moor build`, `pull`, `push`, `images` and `volumes` through the built CLI against the real
// engine, each checked against what the docker CLI sees: images built from a temp dir with
// --build-arg / --no-cache / --with-dependencies, pulls and pushes that fail clearly (no registry
// is reachable here) with compose's exit codes, and the lists as table, JSON and ids.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, projectLabel, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-images-test-"));
const projects: string[] = [];
const BOX = TEST_IMAGES.busybox;
const SERVE = JSON.stringify(["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]);

function projectDir(prefix: string, compose: string, files: Record<string, string> = {}): { name: string; dir: string } {
  const name = uniqueProject(prefix);
  projects.push(name);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), compose);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return { name, dir };
}

const moor = (p: { name: string; dir: string }, args: string[]): Promise<MoorResult> => runMoor(["-p", p.name, ...args], { cwd: p.dir });
const moorOk = async (p: { name: string; dir: string }, args: string[]): Promise<MoorResult> => expectOk(await moor(p, args), args);
const imageId = async (ref: string): Promise<string> => (await docker(["image", "inspect", "--format", "{{.Id}}", ref])).trim();
const imageLabel = async (ref: string, label: string): Promise<string> => (await docker(["image", "inspect", "--format", `{{index .Config.Labels "${label}"}}`, ref])).trim();
const imageExists = async (ref: string): Promise<boolean> => (await docker(["image", "ls", "-q", ref])).trim() !== "";

// The RUN step writes a fresh random value, so a cached build keeps the image id and an uncached one cannot.
const dockerfile = `FROM ${BOX}
ARG GREETING=none
LABEL greeting=$GREETING
RUN head -c 16 /dev/urandom | od -x > /stamp
CMD ["sh", "-c", "cat /stamp; sleep 3600"]
`;

describe.skipIf(!engine)("moor build, pull, push, images, volumes on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
  });

  afterAll(async () => {
    // Built images carry the project label, so the cleanup removes them too.
    for (const p of projects) await cleanupProject(e, p, { images: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("build builds from a temp dir, honours --build-arg, reuses the cache and rebuilds with --no-cache", async () => {
    const p = projectDir("build", `services:\n  app:\n    build:\n      context: ./app\n      args:\n        GREETING: from-file\n`, { "app/Dockerfile": dockerfile });
    const image = `${p.name}-app`;
    const first = await moorOk(p, ["build"]);
    expect(first.stderr).toContain(`Image ${image}  Built`);
    // The build's own output goes to standard output, as compose's classic builder prints it.
    expect(first.stdout).toMatch(/^Step 1\/\d+ : FROM /m);
    expect(await imageLabel(image, "greeting")).toBe("from-file");
    expect(await imageLabel(image, "com.docker.compose.project")).toBe(p.name);

    await moorOk(p, ["build", "--build-arg", "GREETING=bonjour"]);
    expect(await imageLabel(image, "greeting")).toBe("bonjour");
    const cached = await imageId(image);
    await moorOk(p, ["build", "--build-arg", "GREETING=bonjour"]);
    expect(await imageId(image)).toBe(cached);
    await moorOk(p, ["build", "--no-cache", "--build-arg", "GREETING=bonjour"]);
    expect(await imageId(image)).not.toBe(cached);

    // KEY alone takes the value from the environment.
    const fromEnv = expectOk(await runMoor(["-p", p.name, "build", "--build-arg", "GREETING"], { cwd: p.dir, env: { GREETING: "from-env" } }), ["build"]);
    expect(fromEnv.exitCode).toBe(0);
    expect(await imageLabel(image, "greeting")).toBe("from-env");

    const quiet = await moorOk(p, ["build", "-q"]);
    expect(quiet.all.trim()).toBe("");

    // --pull makes the engine fetch the base image again: with no registry here the build fails at FROM.
    const pulled = await moor(p, ["build", "--pull"]);
    expect(pulled.exitCode).toBe(1);
    expect(pulled.stderr).toMatch(/failed at Step 1\/\d+ : FROM /);

    // --dry-run prints the build as a plan and builds nothing.
    const before = await imageId(image);
    const dry = await moorOk(p, ["--dry-run", "build", "--no-cache"]);
    expect(dry.stdout).toContain(`#1 build image ${image} for app`);
    expect(await imageId(image)).toBe(before);
    const ssh = await moor(p, ["build", "--ssh", "default"]);
    expect(ssh.exitCode).toBe(1);
    expect(ssh.stderr).toContain("--ssh is not supported");
  });

  it("build builds only the named services, their dependencies with --with-dependencies, and fails clearly on a broken step", async () => {
    const compose = `services:
  front:
    build: ./front
    depends_on: [back]
  back:
    build: ./back
  broken:
    build: ./broken
    profiles: [broken]
`;
    const p = projectDir("builddeps", compose, {
      "front/Dockerfile": `FROM ${BOX}\nRUN echo front > /which\n`,
      "back/Dockerfile": `FROM ${BOX}\nRUN echo back > /which\n`,
      "broken/Dockerfile": `FROM ${BOX}\nRUN echo about to fail && exit 3\n`,
    });
    await moorOk(p, ["build", "front"]);
    expect(await imageExists(`${p.name}-front`)).toBe(true);
    expect(await imageExists(`${p.name}-back`)).toBe(false);
    await moorOk(p, ["build", "--with-dependencies", "front"]);
    expect(await imageExists(`${p.name}-back`)).toBe(true);

    const broken = await moor(p, ["build", "broken"]);
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain(`building ${p.name}-broken failed`);
    expect(broken.stderr).not.toMatch(/at .*\.js:\d+/);

    const unknown = await moor(p, ["build", "nope"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("no such service: nope");
  });

  it("pull fails with exit 1 and a clear message for an image that is not local, and --ignore-pull-failures, --ignore-buildable, --policy avoid the failure", async () => {
    const missing = "moortest-absent/nothing:1";
    const compose = `services:
  gone:
    image: ${missing}
  local:
    image: ${BOX}
    pull_policy: missing
  made:
    build: ./made
    image: ${missing}
`;
    const p = projectDir("pull", compose, { "made/Dockerfile": `FROM ${BOX}\n` });
    const failed = await moor(p, ["pull", "gone"]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain(`Image ${missing}  Pulling`);
    expect(failed.stderr).toContain(`error: cannot pull ${missing}`);
    expect(failed.stderr).toMatch(/hint: /);

    const ignored = await moor(p, ["pull", "--ignore-pull-failures", "gone"]);
    expect(ignored.exitCode).toBe(0);
    expect(ignored.stderr).toContain(`Image ${missing}  Error`);

    // A present, non-latest image under pull_policy missing needs no registry at all. The busybox
    // tag is "latest", which compose refreshes even when present: pin it through --policy instead.
    const tagged = `${p.name}-local:1`;
    await docker(["tag", BOX, tagged]);
    try {
      const p2 = projectDir("pull2", `services:\n  local:\n    image: ${tagged}\n    pull_policy: missing\n`);
      const skipped = await moorOk(p2, ["pull"]);
      expect(skipped.stderr).toContain(`Image ${tagged}  Skipped - Image is already present locally`);
      // A pre_start hook's own image is pulled too, and cannot fall back to a build.
      const p3 = projectDir("pull3", `services:\n  local:\n    image: ${tagged}\n    pull_policy: missing\n    pre_start:\n      - command: ["true"]\n        image: moortest-absent/hook:1\n`);
      const hook = await moor(p3, ["pull"]);
      expect(hook.exitCode).toBe(1);
      expect(hook.stderr).toContain(`Image ${tagged}  Skipped - Image is already present locally`);
      expect(hook.stderr).toContain("cannot pull moortest-absent/hook:1");
      const forced = await moor(p2, ["pull", "--policy", "always"]);
      expect(forced.exitCode).toBe(1);
      expect(forced.stderr).toContain(`cannot pull ${tagged}`);
    } finally {
      await docker(["rmi", tagged]);
    }

    const buildable = await moorOk(p, ["pull", "--ignore-buildable", "made"]);
    expect(buildable.stderr).toContain(`Image ${missing}  Skipped - Image can be built`);
    const mustBuild = await moor(p, ["pull", "made"]);
    expect(mustBuild.exitCode).toBe(1);
    expect(mustBuild.stderr).toContain("must be built from source");
    expect(mustBuild.stderr).toContain("moor build made");

    const badPolicy = await moor(p, ["pull", "--policy", "sometimes"]);
    expect(badPolicy.exitCode).toBe(1);
    expect(badPolicy.stderr).toContain('invalid --policy "sometimes"');
  });

  it("push skips services without build and image, fails with exit 1 when no registry answers, and --ignore-push-failures succeeds", async () => {
    const compose = `services:
  app:
    build: ./app
    image: moortest-push/app:1
  plain:
    image: ${BOX}
`;
    const p = projectDir("push", compose, { "app/Dockerfile": `FROM ${BOX}\n` });
    await moorOk(p, ["build"]);
    const failed = await moor(p, ["push"]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("Service plain  Skipped");
    expect(failed.stderr).toContain("Image moortest-push/app:1  Pushing");
    expect(failed.stderr).toContain("error: cannot push moortest-push/app:1");
    const ignored = await moor(p, ["push", "--ignore-push-failures"]);
    expect(ignored.exitCode).toBe(0);
    expect(ignored.stderr).toContain("Image moortest-push/app:1  Warning");
    // build --push builds, then pushes what it built.
    const buildPush = await moor(p, ["build", "--push", "app"]);
    expect(buildPush.exitCode).toBe(1);
    expect(buildPush.stderr).toContain("Image moortest-push/app:1  Built");
    expect(buildPush.stderr).toContain("error: cannot push moortest-push/app:1");
    const quiet = await moor(p, ["push", "-q", "--ignore-push-failures"]);
    expect(quiet.all.trim()).toBe("");
  });

  it("images lists each container's image as docker sees it; volumes lists the project's volumes", async () => {
    const compose = `services:
  web:
    image: ${BOX}
    command: ${SERVE}
    volumes: [data:/data]
  app:
    build: ./app
    command: ${SERVE}
  cache:
    image: ${BOX}
    command: ${SERVE}
    volumes: [spare:/cache]
volumes:
  data:
  spare:
`;
    const p = projectDir("lists", compose, { "app/Dockerfile": `FROM ${BOX}\nLABEL role=app\n` });
    await moorOk(p, ["up", "-d"]);
    const idOf = async (container: string) => (await docker(["inspect", "--format", "{{.Image}}", container])).trim();
    const webImage = await idOf(`${p.name}-web-1`);
    const appImage = await idOf(`${p.name}-app-1`);

    const table = (await moorOk(p, ["images"])).stdout.split("\n").filter((l) => l !== "");
    expect(table[0]).toMatch(/^CONTAINER\s+REPOSITORY\s+TAG\s+PLATFORM\s+IMAGE ID\s+SIZE\s+CREATED$/);
    expect(table.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 5))).toEqual([
      [`${p.name}-app-1`, `${p.name}-app`, "latest", "linux/amd64", appImage.replace("sha256:", "").slice(0, 12)],
      [`${p.name}-cache-1`, "moor-test/busybox", "latest", "linux/amd64", webImage.replace("sha256:", "").slice(0, 12)],
      [`${p.name}-web-1`, "moor-test/busybox", "latest", "linux/amd64", webImage.replace("sha256:", "").slice(0, 12)],
    ]);

    const json = JSON.parse((await moorOk(p, ["images", "--format", "json"])).stdout) as { ContainerName: string; ID: string; Repository: string; Size: number }[];
    expect(json.map((i) => [i.ContainerName, i.ID])).toEqual([
      [`${p.name}-app-1`, appImage],
      [`${p.name}-cache-1`, webImage],
      [`${p.name}-web-1`, webImage],
    ]);
    const size = Number((await docker(["image", "inspect", "--format", "{{.Size}}", webImage])).trim());
    expect(json[2]!.Size).toBe(size);
    expect((await moorOk(p, ["images", "-q"])).stdout.trim().split("\n").sort()).toEqual([appImage, webImage].map((i) => i.replace("sha256:", "")).sort());
    expect((await moorOk(p, ["images", "web"])).stdout).not.toContain(`${p.name}-app-1`);

    const fromDocker = (await docker(["volume", "ls", "-q", "--filter", `label=${projectLabel(p.name)}`])).trim().split("\n").sort();
    expect(fromDocker).toEqual([`${p.name}_data`, `${p.name}_spare`].sort());
    expect((await moorOk(p, ["volumes", "-q"])).stdout.trim().split("\n")).toEqual(fromDocker);
    expect((await moorOk(p, ["volumes"])).stdout).toBe(`DRIVER    VOLUME NAME\nlocal     ${p.name}_data\nlocal     ${p.name}_spare\n`);
    const volumes = (await moorOk(p, ["volumes", "--format", "json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as { Name: string; Driver: string; Labels: string });
    expect(volumes.map((v) => v.Name)).toEqual(fromDocker);
    expect(volumes[0]!.Labels).toContain(projectLabel(p.name));
    // Only the volumes a service's containers mount.
    expect((await moorOk(p, ["volumes", "-q", "web"])).stdout).toBe(`${p.name}_data\n`);
    expect((await moorOk(p, ["volumes", "-q", "app"])).stdout).toBe("");
    expect((await moorOk(p, ["volumes", "--format", "{{.Name}}:{{.Driver}}", "web"])).stdout).toBe(`${p.name}_data:local\n`);
    const badService = await moor(p, ["volumes", "nope"]);
    expect(badService.exitCode).toBe(1);
    expect(badService.stderr).toContain("no such service: nope");
  });
});
