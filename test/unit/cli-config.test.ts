// `moor config` through the built CLI (bin/moor.js → dist/), against fixture projects in
// test/fixtures/load/cli: what it prints, where, and its exit codes, as docker compose v5 does.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/moor.js");
const fixtures = path.join(root, "test/fixtures/load/cli");
const app = path.join(fixtures, "app");
const invalid = path.join(fixtures, "invalid");

/** Runs moor in `cwd` with a clean environment (no COMPOSE_* from the caller's shell). */
async function moor(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: os.homedir(), NO_COLOR: "1", ...opts.env };
  const r = await execa("node", ["--", bin, ...args], { cwd: opts.cwd ?? app, env, extendEnv: false, reject: false, stripFinalNewline: false, input: opts.input ?? "" });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, "dist/cli/main.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it before the tests)");
  }
});

describe("moor config output", () => {
  test("yaml: the normalized project, .env read, $$ kept escaped, nothing on stderr", async () => {
    const r = await moor(["config"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^name: demo\nservices:\n {2}db:\n {4}image: postgres:16\n/);
    expect(r.stdout).toContain("      A: from-dotenv\n");
    expect(r.stdout).toContain("      LITERAL: $${NOT_A_VARIABLE}\n");
    expect(r.stdout).toContain(`        source: ${path.join(app, "src")}\n`);
    expect(r.stdout).not.toContain("tools");
  });

  test("resources no service uses are left out, as compose does without --all-resources", async () => {
    const r = await moor(["config"]);
    expect(r.stdout).not.toContain("back");
    expect(r.stdout).toContain("networks:\n  default:\n    name: demo_default\n");
  });

  test("naming a service keeps it and its dependencies, and only what they use", async () => {
    const r = await moor(["config", "db"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  db:\n");
    expect(r.stdout).not.toContain("  web:\n");
    expect(r.stdout).not.toMatch(/^volumes:/m);
    // compose's --services ignores the services named beside it.
    const all = await moor(["config", "--services", "db"]);
    expect(all.stdout).toBe("db\nweb\n");
  });

  test("an unknown service named on the command line: exit 1, no such service", async () => {
    const r = await moor(["config", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no such service: nope");
  });

  test("--format json parses and holds the same project", async () => {
    const r = await moor(["config", "--format", "json"]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as { name: string; services: Record<string, { image: string }>; networks: Record<string, { name: string }> };
    expect(p.name).toBe("demo");
    expect(Object.keys(p.services).sort()).toEqual(["db", "web"]);
    expect(p.services.web!.image).toBe("nginx:1.27");
    expect(p.networks.default!.name).toBe("demo_default");
  });

  test.each([
    ["--services (dependencies first)", ["--services"], "db\nweb\n"],
    ["--volumes", ["--volumes"], "data\n"],
    // `back` is declared but no service uses it: compose drops it (no --all-resources).
    ["--networks (used ones only)", ["--networks"], "default\n"],
    ["--images", ["--images"], "postgres:16\nnginx:1.27\n"],
    ["--profiles (of every service, enabled or not)", ["--profiles"], "dev\n"],
    ["--services with a profile", ["--profile", "dev", "--services"], "db\ntools\nweb\n"],
  ])("%s", async (_n, args, expected) => {
    const [flags, cmd] = args[0] === "--profile" ? [args.slice(0, 2), args.slice(2)] : [[], args];
    const r = await moor([...flags, "config", ...cmd]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(expected);
    expect(r.code).toBe(0);
  });

  test("--models: the models services use, by name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-models-"));
    fs.writeFileSync(path.join(dir, "compose.yaml"), "services:\n  a:\n    image: x\n    models: [llm, emb]\nmodels:\n  llm:\n    model: ai/smollm2\n  emb:\n    model: ai/embed\n  unused:\n    model: ai/other\n");
    const r = await moor(["config", "--models"], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "emb\nllm\n", ""]);
    const all = await moor(["--all-resources", "config", "--models"], { cwd: dir });
    expect([all.code, all.stdout]).toEqual([0, "emb\nllm\nunused\n"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("--variables: compose's table (tabwriter: 20 wide, 3 of padding), not interpolated, $$ not a variable", async () => {
    const r = await moor(["config", "--variables"], { env: { PG: "" } });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "NAME                REQUIRED            DEFAULT VALUE       ALTERNATE VALUE",
      "A                   false                                   ",
      "PG                  true                                    ",
      "TAG                 false               1.27                ",
      "",
    ]);
  });

  test("--variables --format json", async () => {
    const r = await moor(["config", "--variables", "--format", "json"]);
    expect(JSON.parse(r.stdout)).toEqual({
      A: { Name: "A", DefaultValue: "", PresenceValue: "", Required: false },
      PG: { Name: "PG", DefaultValue: "", PresenceValue: "", Required: true },
      TAG: { Name: "TAG", DefaultValue: "1.27", PresenceValue: "", Required: false },
    });
  });

  test("--environment: KEY=value lines sorted byte by byte, .env and shell merged, COMPOSE_PROJECT_NAME set", async () => {
    const r = await moor(["config", "--environment"], { env: { A: "shell", a_lower: "x", Z: "z" } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toContain("A=shell");
    expect(lines).toContain("PG=16");
    expect(lines).toContain("COMPOSE_PROJECT_NAME=demo");
    expect(lines.indexOf("Z=z")).toBeLessThan(lines.indexOf("a_lower=x"));
    expect([...lines].sort()).toEqual(lines);
  });

  test("--hash '*': one `service hash` line per service, sorted, stable", async () => {
    const a = await moor(["config", "--hash", "*"]);
    const b = await moor(["config", "--hash", "web,db"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^db [0-9a-f]{64}\nweb [0-9a-f]{64}\n$/);
    expect(b.stdout).toBe(a.stdout);
  });

  test("-q prints nothing and exits 0; -o FILE writes the output there", async () => {
    const q = await moor(["config", "-q"]);
    expect([q.code, q.stdout, q.stderr]).toEqual([0, "", ""]);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "moor-config-")), "out.yaml");
    const o = await moor(["config", "-o", out]);
    expect([o.code, o.stdout]).toEqual([0, ""]);
    expect(fs.readFileSync(out, "utf8")).toBe((await moor(["config"])).stdout);
    // the listings ignore -o, as in compose
    const listed = await moor(["config", "--services", "-o", out + ".services"]);
    expect(listed.stdout).toBe("db\nweb\n");
    expect(fs.existsSync(out + ".services")).toBe(false);
  });

  test("--no-interpolate keeps ${...} and does not fail on a required variable", async () => {
    const r = await moor(["config", "--no-interpolate"], { env: { COMPOSE_DISABLE_ENV_FILE: "1" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("image: postgres:${PG:?PG is required}");
    expect(r.stdout).toContain("image: nginx:${TAG:-1.27}");
    expect(r.stdout).toMatch(/^name: demo\n/);
  });

  test("--no-interpolate adds the project name even when no file sets one", async () => {
    const r = await moor(["-f", "-", "config", "--no-interpolate"], { cwd: app, input: "services:\n  only:\n    image: x:${T}\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("name: app\nservices:\n  only:\n    image: x:${T}\n");
  });

  test("--no-normalize prints the merged model as written", async () => {
    const r = await moor(["config", "--no-normalize"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    depends_on:\n      - db\n");
    expect(r.stdout).not.toContain("demo_default");
  });

  test("--no-path-resolution leaves relative paths relative", async () => {
    const r = await moor(["config", "--no-path-resolution"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("        source: ./src\n");
  });

  test("--no-env-resolution prints env_file as references and does not read them", async () => {
    const dir = path.join(root, "test/fixtures/config/09-env-file");
    const resolved = await moor(["config"], { cwd: dir });
    expect(resolved.stdout).toContain("      SHARED: override\n");
    expect(resolved.stdout).not.toContain("env_file");
    const r = await moor(["config", "--no-env-resolution"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `    environment:\n      OVERRIDDEN: from-compose\n    env_file:\n      - path: ${dir}/common.env\n      - path: ${dir}/optional.env\n        required: false\n      - path: ${dir}/override.env\n`,
    );
    // A missing env file is no error when it is not read.
    const missing = await moor(["-f", "-", "config", "--no-env-resolution"], { cwd: dir, input: "services:\n  a:\n    image: x\n    env_file: nope.env\n" });
    expect([missing.code, missing.stdout]).toEqual([0, expect.stringContaining(`      - path: ${dir}/nope.env\n`)]);
    expect((await moor(["-f", "-", "config"], { cwd: dir, input: "services:\n  a:\n    image: x\n    env_file: nope.env\n" })).code).toBe(1);
  });

  test("--hash reads only the env files of the services it hashes, as compose does", async () => {
    const input = "services:\n  serviceA:\n    image: x\n  serviceB:\n    image: x\n    env_file: /doesnotexist/.env\n";
    const hash = async (...args: string[]) => moor(["-f", "-", "config", ...args], { input });
    expect((await hash("--hash", "serviceA")).stdout).toMatch(/^serviceA [0-9a-f]{64}\n$/);
    const b = await hash("--hash", "serviceB");
    expect([b.code, b.stderr]).toEqual([1, expect.stringContaining("env file /doesnotexist/.env not found")]);
    expect((await hash("--hash", "*")).code).toBe(1);
    expect((await hash("--no-env-resolution", "--hash", "serviceB")).code).toBe(0);
  });

  test("-f - reads the file from standard input; the project directory is the working directory", async () => {
    const r = await moor(["-f", "-", "config", "--services"], { cwd: app, input: "services:\n  only:\n    image: x\n" });
    expect([r.code, r.stdout]).toEqual([0, "only\n"]);
  });
});

describe("moor config on an invalid project", () => {
  test("exit 1, every error on stderr as file:line:col: error: key.path: message with its hint, no stack, nothing on stdout", async () => {
    const r = await moor(["config"], { cwd: invalid });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const file = path.join(invalid, "compose.yaml");
    const errors = r.stderr.split("\n").filter((l) => /: error: /.test(l));
    expect(errors.map((l) => l.slice(0, l.indexOf(": error: ")))).toEqual([`${file}:5:13`, `${file}:4:5`, `${file}:6:15`, `${file}:8:12`]);
    expect(errors.map((l) => l.split(": error: ")[1]!.split(":")[0])).toEqual(["services.web.ports[0]", "services.web.depends_onn", "services.web.networks", "services.db.image"]);
    expect(r.stderr).toContain("P is required");
    expect(r.stderr).toContain("  hint: did you mean `depends_on`?");
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(r.stderr).not.toContain("moor hit a bug");
  });

  test("-q still fails on errors", async () => {
    const r = await moor(["config", "-q"], { cwd: invalid });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error:");
  });

  test("no compose file: exit 1 and compose's message", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "moor-empty-"));
    const r = await moor(["config"], { cwd: empty });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no configuration file provided: not found");
  });

  test("an invalid -p is rejected with compose's words", async () => {
    const r = await moor(["-p", "Bad Name", "config"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid project name "Bad Name"');
  });
});

describe("the command line itself", () => {
  test("moor --version and moor version print the same line and exit 0 (as compose's do)", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    for (const args of [["--version"], ["version"], ["-v"]]) {
      const r = await moor(args);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `moor version v${pkg.version}\n`, ""]);
    }
    const short = await moor(["version", "--short"]);
    expect(short.stdout).toBe(`${pkg.version}\n`);
  });

  test("an unknown flag exits 1 with a message naming it (compose: `unknown flag: --frob`, exit 1)", async () => {
    const r = await moor(["config", "--frob"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--frob");
  });

  test("an unknown command exits non-zero with a message naming it", async () => {
    const r = await moor(["frob"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("frob");
  });
});
