// Secret values never show (docs/reliability.md): a project with a file secret, an environment
// secret and a build that asks for a secret goes through up (plain and --progress json), plan, ps,
// logs, a recreate after the secret changed, a failing start and down; no output of moor holds a
// secret's value. `config` prints the model as compose does: a file secret's path and an
// environment secret's variable name, never what they hold. The container does get the values.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject, type MoorResult } from "./harness.js";

const engine = await requireEngine();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "moor-secrets-test-"));
const BOX = TEST_IMAGES.busybox;
// Values no compose key, label or hash could contain by chance.
const FILE_SECRET = "file-s3cret-7f1c9a2e";
const ENV_SECRET = "env-s3cret-b84d0e61";
const ROTATED = "file-s3cret-rotated-55aa";
// An environment value whose name looks secret: the plan and moor's labels show a hash of it only.
// `config` prints it, as compose prints every resolved environment value.
const ENV_VALUE = "pw-value-1-3e9d77";
const ENV_VALUE_2 = "pw-value-2-c4a210";

describe.skipIf(!engine)("secret values never appear in moor's output", () => {
  const e = engine!;
  const project = uniqueProject("secrets");
  const dir = path.join(scratch, project);
  const outputs: { what: string; r: MoorResult }[] = [];
  const moor = async (what: string, args: string[], env: Record<string, string> = {}): Promise<MoorResult> => {
    const r = await runMoor(["-p", project, ...args], { cwd: dir, env: { API_TOKEN: ENV_SECRET, ...env }, timeoutMs: 180_000 });
    outputs.push({ what, r });
    return r;
  };
  const compose = (password = ENV_VALUE) => `services:
  app:
    build:
      context: ./app
      secrets: [api_token]
    image: moor-test/secrets-app:${project}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo app up; while true; do sleep 1; done"]
    stop_grace_period: 1s
    secrets: [db_password, api_token]
    environment:
      DB_PASSWORD: "${password}"
secrets:
  db_password:
    file: ./db_password.txt
  api_token:
    environment: API_TOKEN
`;

  beforeAll(async () => {
    await requireImages(e);
    fs.mkdirSync(path.join(dir, "app"), { recursive: true });
    fs.writeFileSync(path.join(dir, "app", "Dockerfile"), `FROM ${BOX}\nLABEL purpose=secrets-test\n`);
    fs.writeFileSync(path.join(dir, "db_password.txt"), `${FILE_SECRET}\n`);
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose());
  });

  afterAll(async () => {
    await cleanupProject(e, project, { images: true });
    await docker(["image", "rm", "-f", `moor-test/secrets-app:${project}`]).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("through up, plan, config, ps, logs, a recreate, a failing start and down", async () => {
    const up = await moor("up -d", ["up", "-d"]);
    expect(up.exitCode, up.all).toBe(0);
    // The container has them: the test would prove nothing if the values never left the file.
    expect((await docker(["exec", `${project}-app-1`, "cat", "/run/secrets/db_password", "/run/secrets/api_token"])).trim()).toBe(`${FILE_SECRET}\n${ENV_SECRET}`);

    await moor("plan (no change)", ["plan"]);
    const config = await moor("config", ["config"]);
    expect(config.exitCode).toBe(0);
    // As compose prints it: where the secret comes from, not what it holds.
    expect(config.stdout).toContain("environment: API_TOKEN");
    expect(config.stdout).toMatch(/file: .*db_password\.txt/);
    // A plain environment value is part of the model, and compose prints it too.
    expect(config.stdout).toContain(`DB_PASSWORD: ${ENV_VALUE}`);
    await moor("config --format json", ["config", "--format", "json"]);
    await moor("ps", ["ps", "-a"]);
    await moor("ps --format json", ["ps", "--format", "json"]);
    await moor("logs", ["logs"]);

    // moor's own record of the config (for field-level plans) holds a hash, not the value.
    const labels = await docker(["inspect", "--format", "{{json .Config.Labels}}", `${project}-app-1`]);
    expect(labels).toContain("DB_PASSWORD");
    expect(labels).not.toContain(ENV_VALUE);

    // The values change: the plan names the changed variable, without either value.
    fs.writeFileSync(path.join(dir, "db_password.txt"), `${ROTATED}\n`);
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose(ENV_VALUE_2));
    const plan = await moor("plan (values changed)", ["plan"], { API_TOKEN: `${ENV_SECRET}-2` });
    expect(plan.all).toContain("DB_PASSWORD");
    await moor("up --dry-run", ["up", "-d", "--dry-run"], { API_TOKEN: `${ENV_SECRET}-2` });
    const recreate = await moor("up --progress json", ["--progress", "json", "up", "-d", "--force-recreate"], { API_TOKEN: `${ENV_SECRET}-2` });
    expect(recreate.exitCode, recreate.all).toBe(0);
    await moor("up --progress plain", ["--progress", "plain", "up", "-d", "--force-recreate"], { API_TOKEN: `${ENV_SECRET}-2` });

    // A start that fails (a missing command): the engine's error is shown, the secrets are not.
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose(ENV_VALUE_2).replace('command: ["sh", "-c"', 'command: ["/no/such/binary", "-c"'));
    const failing = await moor("failing up", ["up", "-d"]);
    expect(failing.exitCode).not.toBe(0);
    // A secret file that cannot be read: the error names the file only.
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose(ENV_VALUE_2).replace("./db_password.txt", "./missing.txt"));
    await moor("missing secret file", ["up", "-d"]);
    fs.writeFileSync(path.join(dir, "compose.yaml"), compose());
    await moor("down", ["down", "-v"]);

    for (const { what, r } of outputs) {
      const values = what.startsWith("config") ? [FILE_SECRET, ENV_SECRET, ROTATED] : [FILE_SECRET, ENV_SECRET, ROTATED, ENV_VALUE, ENV_VALUE_2];
      for (const secret of values) {
        expect(r.all.includes(secret), `${what} printed a secret value:\n${r.all}`).toBe(false);
      }
      expect(r.all, what).not.toMatch(/moor hit a bug/);
    }
  });
});
