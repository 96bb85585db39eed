// `moor commit` and `moor export` through the built CLI: the committed image carries the
// container's file and the given message, author and Dockerfile changes (checked with
// `docker image inspect` and by running it); the exported tar holds the container's filesystem,
// written to a file with -o or to a pipe, and never to a terminal.
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, expectOk, repoRoot, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-commit-test-"));
const name = uniqueProject("commit");
const dir = path.join(scratch, name);
const image = `${name}-committed:v1`;

const moor = (args: string[]): Promise<MoorResult> => runMoor(["-p", name, ...args], { cwd: dir });
const moorOk = async (args: string[]): Promise<MoorResult> => expectOk(await moor(args), args);

describe.skipIf(!engine)("moor commit and export on a real engine", () => {
  const e = engine!;

  beforeAll(async () => {
    await requireImages(e);
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "compose.yaml"),
      `services:\n  app:\n    image: ${TEST_IMAGES.busybox}\n    command: ["sh", "-c", "echo made-inside > /marker; trap 'exit 0' TERM; while true; do sleep 1; done"]\n    deploy:\n      replicas: 2\n`,
    );
    await moorOk(["up", "-d", "--wait"]);
  });

  afterAll(async () => {
    await cleanupProject(e, name);
    // The image this test committed (it carries no project label).
    await docker(["image", "rm", "-f", image]).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("commit makes an image of the container's changes, with message, author and changes", async () => {
    await docker(["exec", `${name}-app-2`, "sh", "-c", "echo replica-two > /second"]);
    const r = await moorOk(["commit", "--index", "2", "-m", "a checkpoint", "-a", "Moor Test <moor@example.invalid>", "-c", "ENV FROM_COMMIT=yes", "-c", 'LABEL note="committed"', "app", image]);
    expect(r.stderr).toContain(`Container ${name}-app-2  Committed`);
    expect(r.stdout).toBe("");
    const info = JSON.parse(await docker(["image", "inspect", image]))[0] as { Comment: string; Author: string; Config: { Env: string[]; Labels: Record<string, string> } };
    expect(info.Comment).toBe("a checkpoint");
    expect(info.Author).toBe("Moor Test <moor@example.invalid>");
    expect(info.Config.Env).toContain("FROM_COMMIT=yes");
    expect(info.Config.Labels.note).toBe("committed");
    // The file written into replica 2 is in the image: --index chose that container.
    expect((await docker(["run", "--rm", "--entrypoint", "cat", image, "/second", "/marker"])).trim()).toBe("replica-two\nmade-inside");
  });

  it("export writes the filesystem as a tar to -o or a pipe; an unknown service is an error", async () => {
    const file = path.join(scratch, "app.tar");
    await moorOk(["export", "-o", file, "app"]);
    const listing = execSync(`tar -tf ${JSON.stringify(file)}`, { encoding: "utf8" }).split("\n");
    expect(listing).toContain("marker");
    expect(listing).not.toContain("second");
    expect(fs.existsSync(`${file}.moor-partial`)).toBe(false);
    const piped = execSync(`node ${JSON.stringify(path.join(repoRoot, "bin", "moor.js"))} -p ${name} export --index 2 app | tar -tf -`, { cwd: dir, encoding: "utf8" }).split("\n");
    expect(piped).toContain("second");
    const bad = await moor(["export", "-o", file, "nope"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("no such service: nope");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
