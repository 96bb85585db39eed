// `moor deploy` and `moor stack` on a real single-node swarm. The setup initializes swarm mode
// when the engine is not in it yet and leaves it on (other suites may run later). This kernel
// has no IPVS, so the ingress mesh and VIPs fail here: services publish in `mode: host` and use
// `endpoint_mode: dnsrr`. Every stack is removed by its namespace label, whatever happened.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadProject } from "../../src/compose/load.js";
import { nodeFileReader } from "../../src/cli/node-file-reader.js";
import { connectDockerSwarmEngine } from "../../src/engine/swarm-engine.js";
import { executeDeploy } from "../../src/swarm/execute.js";
import { observeStack } from "../../src/swarm/observe.js";
import { planDeploy } from "../../src/swarm/plan.js";
import { translateProject } from "../../src/swarm/translate.js";
import { docker, expectOk, requireEngine, requireImages, runMoor, TEST_IMAGES, uniqueProject } from "./harness.js";

const engine = await requireEngine();
const NS = "com.docker.stack.namespace";

async function ensureSwarm(): Promise<void> {
  const state = (await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim();
  if (state !== "active") await docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
}

async function ids(kind: "service" | "secret" | "config" | "network", stack: string): Promise<string[]> {
  const out = await docker([kind, "ls", "-q", "--filter", `label=${NS}=${stack}`]);
  return out.split("\n").filter(Boolean);
}

/** Removes everything carrying the stack's namespace label: services first, networks last. */
async function cleanupStack(stack: string): Promise<void> {
  if (stack.trim() === "") throw new Error("cleanupStack needs a stack name");
  for (const kind of ["service", "secret", "config"] as const) {
    const found = await ids(kind, stack);
    if (found.length > 0) await execa("docker", [kind, "rm", ...found], { reject: false });
  }
  // A network stays busy until the removed services' tasks are gone: retry a bounded number of times.
  for (let attempt = 0; attempt < 60; attempt++) {
    const nets = await ids("network", stack);
    if (nets.length === 0) return;
    await execa("docker", ["network", "rm", ...nets], { reject: false });
    await new Promise((r) => setTimeout(r, 500));
  }
}

function writeProject(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/** A web service (busybox httpd on a host-mode port) showing a variable and a secret, and a worker. */
function stackFile(opts: { port: number; greeting: string; worker?: boolean }): string {
  return `services:
  web:
    image: ${TEST_IMAGES.busybox}
    command: ["sh", "-c", "mkdir -p /www && echo \\"greeting=$$GREETING\\" > /www/index.html && cat /run/secrets/token >> /www/index.html && exec httpd -f -p 8080 -h /www"]
    environment:
      GREETING: ${opts.greeting}
    ports:
      - {target: 8080, published: ${opts.port}, mode: host}
    secrets: [token]
    networks: [front]
    deploy:
      endpoint_mode: dnsrr
${
  opts.worker === false
    ? ""
    : `  worker:
    image: ${TEST_IMAGES.busybox}
    command: ["sleep", "86400"]
    deploy:
      endpoint_mode: dnsrr
      replicas: 2
`
}networks:
  front: {}
secrets:
  token:
    file: ./token.txt
`;
}

async function inspectService(name: string): Promise<{ Version: { Index: number }; Spec: { Labels: Record<string, string>; TaskTemplate: { ContainerSpec: { Labels: Record<string, string>; Env?: string[]; Secrets?: { SecretName: string }[] }; Networks: { Target: string; Aliases?: string[] }[] } } }> {
  return (JSON.parse(await docker(["service", "inspect", name])) as never[])[0]!;
}

async function httpGet(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  return res.text();
}

const deployArgs = ["deploy", "--resolve-image", "never", "--progress", "plain"];

describe.skipIf(!engine)("moor deploy on a single-node swarm", () => {
  const stack = uniqueProject("swarm");
  const other = uniqueProject("swarm-other");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-"));
  const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-other-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const moor = (args: string[], cwd = dir) => runMoor(["-p", cwd === dir ? stack : other, ...args], { cwd, timeoutMs: 300_000 });

  beforeAll(async () => {
    await requireImages(engine!);
    await ensureSwarm();
    writeProject(dir, { "compose.yaml": stackFile({ port, greeting: "one" }), "token.txt": "first-secret\n" });
    writeProject(otherDir, { "compose.yaml": `services:\n  idle:\n    image: ${TEST_IMAGES.busybox}\n    command: ["sleep", "86400"]\n    deploy: {endpoint_mode: dnsrr}\n` });
  }, 120_000);

  afterAll(async () => {
    await cleanupStack(stack);
    await cleanupStack(other);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(otherDir, { recursive: true, force: true });
  }, 120_000);

  test("the plan comes first and changes nothing", async () => {
    const r = expectOk(await moor([...deployArgs, "--dry-run"]), deployArgs);
    expect(r.stdout).toContain(`create network ${stack}_front: no existing network`);
    expect(r.stdout).toContain(`create network ${stack}_default: no existing network`);
    expect(r.stdout).toMatch(new RegExp(`create secret ${stack}_token-[0-9a-f]{10}: no existing secret`));
    expect(r.stdout).toContain(`create service ${stack}_web`);
    expect(await ids("service", stack)).toEqual([]);
    expect(await ids("network", stack)).toEqual([]);
  });

  test("deploys, waits for convergence, and answers on the host-mode port", async () => {
    expectOk(await moor(deployArgs), deployArgs);
    // Converged when moor returns: every replica runs.
    const services = await docker(["stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}"]);
    expect(services.split("\n").sort()).toEqual([`${stack}_web 1/1`, `${stack}_worker 2/2`]);
    const ps = await docker(["stack", "ps", stack, "--filter", "desired-state=running", "--format", "{{.Name}} {{.CurrentState}}"]);
    expect(ps.split("\n").map((l) => l.split(" ").slice(0, 2).join(" ")).sort()).toEqual([`${stack}_web.1 Running`, `${stack}_worker.1 Running`, `${stack}_worker.2 Running`]);
    expect(await httpGet(port)).toBe("greeting=one\nfirst-secret\n");
  }, 300_000);

  test("names and labels are the ones docker stack deploy sets", async () => {
    const web = await inspectService(`${stack}_web`);
    expect(web.Spec.Labels[NS]).toBe(stack);
    expect(web.Spec.Labels["com.docker.stack.image"]).toBe(TEST_IMAGES.busybox);
    expect(web.Spec.TaskTemplate.ContainerSpec.Labels[NS]).toBe(stack);
    expect(web.Spec.TaskTemplate.Networks.map((n) => n.Aliases)).toEqual([["web"]]);
    const net = (JSON.parse(await docker(["network", "inspect", `${stack}_front`])) as { Driver: string; Scope: string; Labels: Record<string, string>; Id: string }[])[0]!;
    expect(web.Spec.TaskTemplate.Networks[0]!.Target).toBe(net.Id);
    expect([net.Driver, net.Scope, net.Labels[NS]]).toEqual(["overlay", "swarm", stack]);
    const secrets = await docker(["secret", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]);
    expect(secrets).toMatch(new RegExp(`^${stack}_token-[0-9a-f]{10}$`));
    expect(await docker(["stack", "ls", "--format", "{{.Name}} {{.Services}}"])).toContain(`${stack} 2`);
  });

  test("moor stack ls / services / ps list the stack", async () => {
    const ls = expectOk(await moor(["stack", "ls"]), ["stack", "ls"]);
    expect(ls.stdout).toMatch(/^NAME\s+SERVICES\n/);
    expect(ls.stdout).toMatch(new RegExp(`\\n${stack}\\s+2\\n`));
    const services = expectOk(await moor(["stack", "services", "--format", "{{.Name}} {{.Mode}} {{.Replicas}}"]), ["stack", "services"]);
    expect(services.stdout.trim().split("\n")).toEqual([`${stack}_web replicated 1/1`, `${stack}_worker replicated 2/2`]);
    const ps = expectOk(await moor(["stack", "ps", stack, "--filter", "desired-state=running", "--format", "{{.Name}} {{.DesiredState}}"]), ["stack", "ps"]);
    expect(ps.stdout.trim().split("\n").sort()).toEqual([`${stack}_web.1 Running`, `${stack}_worker.1 Running`, `${stack}_worker.2 Running`]);
  });

  test("an unchanged project redeploys with no update (versions stay)", async () => {
    const before = await Promise.all([inspectService(`${stack}_web`), inspectService(`${stack}_worker`)]);
    const dry = expectOk(await moor([...deployArgs, "--dry-run"]), deployArgs);
    expect(dry.stdout).toBe(`stack ${stack}: nothing to do\n`);
    expectOk(await moor(deployArgs), deployArgs);
    const after = await Promise.all([inspectService(`${stack}_web`), inspectService(`${stack}_worker`)]);
    expect(after.map((s) => s.Version.Index)).toEqual(before.map((s) => s.Version.Index));
  }, 120_000);

  test("a no-op redeploy is one list call per kind and no write", async () => {
    const swarm = connectDockerSwarmEngine({ env: process.env });
    const loaded = loadProject({ workingDir: dir, projectName: stack, env: process.env as Record<string, string>, homeDir: os.homedir(), reader: nodeFileReader });
    const desired = translateProject({ project: loaded.project!, env: {}, readFile: (p) => fs.readFileSync(p) });
    const observed = await observeStack(swarm, stack, desired);
    const plan = planDeploy(desired, observed);
    expect(plan.actions).toEqual([]);
    const { touched } = await executeDeploy(plan, observed, swarm, { onEvent: () => {} });
    expect(touched).toEqual([]);
    expect(swarm.stats.calls).toEqual({ "system.ping": 1, "services.list": 1, "networks.list": 1, "secrets.list": 1, "configs.list": 1 });
  });

  test("a changed variable updates only that service", async () => {
    const worker = await inspectService(`${stack}_worker`);
    fs.writeFileSync(path.join(dir, "compose.yaml"), stackFile({ port, greeting: "two" }));
    const dry = expectOk(await moor([...deployArgs, "--dry-run"]), deployArgs);
    expect(dry.stdout).toContain(`update service ${stack}_web`);
    expect(dry.stdout).toContain('TaskTemplate.ContainerSpec.environment.GREETING: "one" → "two"');
    expect(dry.stdout).not.toContain(`${stack}_worker`);
    expectOk(await moor(deployArgs), deployArgs);
    expect((await inspectService(`${stack}_worker`)).Version.Index).toBe(worker.Version.Index);
    expect((await inspectService(`${stack}_web`)).Spec.TaskTemplate.ContainerSpec.Env).toEqual(["GREETING=two"]);
    expect(await httpGet(port)).toBe("greeting=two\nfirst-secret\n");
  }, 300_000);

  test("a change made outside moor (docker service update) is noticed and put back, field by field", async () => {
    const web = await inspectService(`${stack}_web`);
    await docker(["service", "update", "--detach", "--env-add", "DRIFT=1", "--replicas", "3", `${stack}_worker`]);
    const dry = expectOk(await moor([...deployArgs, "--dry-run"]), deployArgs);
    expect(dry.stdout).toContain(`update service ${stack}_worker`);
    expect(dry.stdout).toContain("changed outside moor: putting back the project's spec");
    expect(dry.stdout).toContain("Mode.Replicated.Replicas: 3 → 2");
    expect(dry.stdout).toContain('TaskTemplate.ContainerSpec.environment: {"DRIFT":"1"} → (absent)');
    expect(dry.stdout).not.toContain(`${stack}_web`);
    expectOk(await moor(deployArgs), deployArgs);
    const worker = await inspectService(`${stack}_worker`);
    expect(worker.Spec.TaskTemplate.ContainerSpec.Env).toBeUndefined();
    expect((worker.Spec as { Mode?: { Replicated?: { Replicas?: number } } }).Mode?.Replicated?.Replicas).toBe(2);
    expect((await inspectService(`${stack}_web`)).Version.Index).toBe(web.Version.Index);
    // Put back, the stack is a no-op again.
    expect(expectOk(await moor([...deployArgs, "--dry-run"]), deployArgs).stdout).toBe(`stack ${stack}: nothing to do\n`);
  }, 300_000);

  test("moor stack ps filters, -q, --no-trunc and --no-resolve print what docker stack ps prints", async () => {
    const node = (await docker(["info", "--format", "{{.Name}}"])).trim();
    const firstId = (await docker(["stack", "ps", stack, "-q"])).split("\n")[0]!;
    const cases: string[][] = [
      ["-q"],
      ["-q", "--no-trunc"],
      ["-f", `name=${stack}_worker`, "--format", "{{.Name}} {{.DesiredState}}"],
      ["-f", `name=${stack}_web`, "-f", `name=${stack}_worker.1`, "--format", "{{.ID}} {{.Name}}"],
      ["-f", `service=${stack}_web`, "--format", "{{.ID}} {{.Name}} {{.Image}}"],
      ["-f", `node=${node}`, "-f", "desired-state=running", "--format", "{{.Name}} {{.Node}}"],
      ["-f", `id=${firstId.slice(0, 6)}`, "-q"],
      ["--no-resolve", "--no-trunc", "--format", "{{.ID}} {{.Name}} {{.Node}} {{.Error}}"],
      ["--format", "{{.Name}}"],
    ];
    for (const args of cases) {
      const theirs = await docker(["stack", "ps", ...args, stack]);
      const ours = expectOk(await moor(["stack", "ps", ...args, stack]), ["stack", "ps", ...args]);
      expect(ours.stdout.trimEnd(), args.join(" ")).toBe(theirs.trimEnd());
    }
    // The table indents a slot's older tasks, as docker's does.
    const table = expectOk(await moor(["stack", "ps", stack]), ["stack", "ps"]).stdout;
    expect(table).toContain(` \\_ ${stack}_web.1`);
    const bad = await moor(["stack", "ps", "-f", "bogus=1", stack]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("Invalid filter 'bogus'");
    const none = await moor(["stack", "ps", "-f", "desired-state=accepted", stack]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`nothing found in stack: ${stack}`);
  }, 120_000);

  test("a changed secret rolls a new version into the service and removes the old one", async () => {
    const old = (await docker(["secret", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"])).trim();
    fs.writeFileSync(path.join(dir, "token.txt"), "second-secret\n");
    const r = expectOk(await moor(deployArgs), deployArgs);
    expect(r.stderr).toContain(`Secret ${old}  Removed`);
    const now = (await docker(["secret", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"])).trim();
    expect(now).toMatch(new RegExp(`^${stack}_token-[0-9a-f]{10}$`));
    expect(now).not.toBe(old);
    expect((await inspectService(`${stack}_web`)).Spec.TaskTemplate.ContainerSpec.Secrets?.map((s) => s.SecretName)).toEqual([now]);
    expect(await httpGet(port)).toBe("greeting=two\nsecond-secret\n");
  }, 300_000);

  test("a dropped service stays without --prune and goes with it", async () => {
    fs.writeFileSync(path.join(dir, "compose.yaml"), stackFile({ port, greeting: "two", worker: false }));
    expectOk(await moor(deployArgs), deployArgs);
    expect((await docker(["stack", "services", stack, "--format", "{{.Name}}"])).split("\n").sort()).toEqual([`${stack}_web`, `${stack}_worker`]);
    const r = expectOk(await moor([...deployArgs, "--prune"]), deployArgs);
    expect(r.stderr).toContain(`Service ${stack}_worker  Removed`);
    expect(await docker(["stack", "services", stack, "--format", "{{.Name}}"])).toBe(`${stack}_web`);
  }, 300_000);

  test("moor stack rm removes one stack and leaves another", async () => {
    expectOk(await moor([...deployArgs, "-d"], otherDir), deployArgs);
    const r = expectOk(await moor(["stack", "rm", stack]), ["stack", "rm"]);
    expect(r.stdout).toContain(`Removing service ${stack}_web`);
    expect(r.stdout).toMatch(new RegExp(`Removing secret ${stack}_token-[0-9a-f]{10}`));
    expect(await ids("service", stack)).toEqual([]);
    expect(await ids("secret", stack)).toEqual([]);
    expect(await ids("service", other)).toHaveLength(1);
    const again = await moor(["stack", "rm", stack]);
    expect(again.exitCode).toBe(0);
    if ((await ids("network", stack)).length === 0) expect(again.stderr).toContain(`Nothing found in stack: ${stack}`);
  }, 120_000);

  test("docker stack rm understands a moor deploy", async () => {
    // docker's own stack rm removes the networks right after the services, and fails while a
    // task still holds one ("is in use by task"); run again, as a user would, until it does not.
    for (let attempt = 1; ; attempt++) {
      const r = await execa("docker", ["stack", "rm", other], { reject: false });
      if (r.exitCode === 0) break;
      if (attempt >= 20 || !/is in use by task/.test(String(r.stderr))) throw new Error(`docker stack rm ${other}: ${String(r.stderr)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await ids("service", other)).toEqual([]);
  }, 120_000);
});

describe.skipIf(!engine)("moor deploy refuses what Swarm cannot run, creating nothing", () => {
  const stack = uniqueProject("swarm-bad");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-bad-"));

  beforeAll(async () => {
    await ensureSwarm();
  }, 120_000);
  afterAll(async () => {
    await cleanupStack(stack);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test("a build-only service", async () => {
    writeProject(dir, { "compose.yaml": `services:\n  ok:\n    image: ${TEST_IMAGES.busybox}\n  app:\n    build: .\n` });
    const r = await runMoor(["-p", stack, ...deployArgs], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('service "app" has build: but no image');
    expect(r.stderr).not.toContain("    at ");
    expect(await ids("service", stack)).toEqual([]);
    expect(await ids("network", stack)).toEqual([]);
  });

  test("an invalid file", async () => {
    writeProject(dir, { "compose.yaml": `services:\n  ok:\n    image: ${TEST_IMAGES.busybox}\n    deploy: {replicas: many}\n` });
    const r = await runMoor(["-p", stack, ...deployArgs], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("compose.yaml:4");
    expect(await ids("service", stack)).toEqual([]);
  });

  test("--push with no registry", async () => {
    writeProject(dir, { "compose.yaml": `services:\n  app:\n    image: localhost:5999/${stack}/app:1\n    build: .\n`, Dockerfile: `FROM ${TEST_IMAGES.busybox}\n` });
    const r = await runMoor(["-p", stack, ...deployArgs, "--build", "--push"], { cwd: dir });
    await execa("docker", ["rmi", `localhost:5999/${stack}/app:1`], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`cannot push localhost:5999/${stack}/app:1: localhost:5999 is unreachable`);
    expect(await ids("service", stack)).toEqual([]);
  }, 120_000);

  test("--with-registry-auth runs the credential helper before any write; a failing one stops the deploy with nothing created", async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-helpers-"));
    const config = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-dockercfg-"));
    try {
      const marker = path.join(bin, "asked");
      fs.writeFileSync(path.join(bin, "docker-credential-moorfail"), "#!/bin/sh\necho 'the keychain is locked' >&2\nexit 1\n", { mode: 0o755 });
      fs.writeFileSync(path.join(bin, "docker-credential-moorok"), `#!/bin/sh\ncat > ${marker}\necho '{"ServerURL":"x","Username":"u","Secret":"s"}'\n`, { mode: 0o755 });
      writeProject(dir, { "compose.yaml": `services:\n  app:\n    image: ${TEST_IMAGES.busybox}\n    command: ["sleep", "86400"]\n    deploy: {endpoint_mode: dnsrr}\n` });
      const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, DOCKER_CONFIG: config };
      fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ credsStore: "moorfail" }));
      const failed = await runMoor(["-p", stack, ...deployArgs, "-d", "--with-registry-auth"], { cwd: dir, env });
      expect(failed.exitCode).toBe(1);
      expect(failed.stderr).toContain("error getting credentials from docker-credential-moorfail: the keychain is locked");
      expect(await ids("service", stack)).toEqual([]);
      expect(await ids("network", stack)).toEqual([]);
      fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ credsStore: "moorfail", credHelpers: { "https://index.docker.io/v1/": "moorok" } }));
      expectOk(await runMoor(["-p", stack, ...deployArgs, "-d", "--with-registry-auth"], { cwd: dir, env }), deployArgs);
      // Asked once, for Docker Hub (the image names no registry), with the address on stdin.
      expect(fs.readFileSync(marker, "utf8")).toBe("https://index.docker.io/v1/");
      expect(await ids("service", stack)).toHaveLength(1);
    } finally {
      await cleanupStack(stack);
      fs.rmSync(bin, { recursive: true, force: true });
      fs.rmSync(config, { recursive: true, force: true });
    }
  }, 300_000);

  test("a task the swarm rejects ends the wait with exit 1 and the task's error", async () => {
    writeProject(dir, { "compose.yaml": `services:\n  gone:\n    image: moor-test/does-not-exist:1\n    deploy: {endpoint_mode: dnsrr}\n` });
    const r = await runMoor(["-p", stack, ...deployArgs], { cwd: dir, timeoutMs: 300_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${stack}_gone: task rejected: No such image: moor-test/does-not-exist:1`);
    await cleanupStack(stack);
  }, 300_000);

  test("an update that fails is rolled back by Swarm (failure_action: rollback) and moor exits 1", async () => {
    const file = (command: string) => `services:
  app:
    image: ${TEST_IMAGES.busybox}
    command: ["sh", "-c", "${command}"]
    init: true
    deploy:
      endpoint_mode: dnsrr
      restart_policy: {condition: on-failure, delay: 1s}
      update_config: {failure_action: rollback, monitor: 5s}
`;
    writeProject(dir, { "compose.yaml": file("exec sleep 86400") });
    expectOk(await runMoor(["-p", stack, ...deployArgs], { cwd: dir, timeoutMs: 300_000 }), deployArgs);
    writeProject(dir, { "compose.yaml": file("sleep 1; exit 3") });
    const r = await runMoor(["-p", stack, ...deployArgs], { cwd: dir, timeoutMs: 300_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${stack}_app: update rolled back`);
    const spec = (JSON.parse(await docker(["service", "inspect", `${stack}_app`])) as { Spec: { TaskTemplate: { ContainerSpec: { Args: string[] } } } }[])[0]!.Spec;
    expect(spec.TaskTemplate.ContainerSpec.Args).toEqual(["sh", "-c", "exec sleep 86400"]);
    await cleanupStack(stack);
  }, 300_000);

  test("--resolve-image with a bad value", async () => {
    writeProject(dir, { "compose.yaml": `services:\n  ok:\n    image: ${TEST_IMAGES.busybox}\n` });
    const r = await runMoor(["-p", stack, "deploy", "--resolve-image", "sometimes"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("invalid option sometimes for flag --resolve-image");
  });
});

describe.skipIf(!engine)("docker stack deploy and moor both ways", () => {
  const stack = uniqueProject("swarm-interop");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-swarm-interop-"));

  beforeAll(async () => {
    await ensureSwarm();
    writeProject(dir, {
      "compose.yaml": `services:\n  app:\n    image: ${TEST_IMAGES.busybox}\n    command: ["sleep", "86400"]\n    secrets: [token]\n    deploy: {endpoint_mode: dnsrr}\nsecrets:\n  token:\n    file: ./token.txt\n`,
      "token.txt": "x\n",
    });
  }, 120_000);
  afterAll(async () => {
    await cleanupStack(stack);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test("moor stack lists what docker stack deploy made, and moor deploy takes it over", async () => {
    await execa("docker", ["stack", "deploy", "--resolve-image", "never", "--detach=true", "-c", "compose.yaml", stack], { cwd: dir });
    const services = expectOk(await runMoor(["stack", "services", stack, "--format", "{{.Name}}"], { cwd: dir }), ["stack", "services"]);
    expect(services.stdout).toBe(`${stack}_app\n`);
    const dry = expectOk(await runMoor(["-p", stack, ...deployArgs, "--dry-run"], { cwd: dir }), deployArgs);
    expect(dry.stdout).toContain(`update service ${stack}_app`);
    expect(dry.stdout).toContain(`remove secret ${stack}_token [after`);
    expectOk(await runMoor(["-p", stack, ...deployArgs], { cwd: dir, timeoutMs: 300_000 }), deployArgs);
    const secrets = await docker(["secret", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]);
    expect(secrets).toMatch(new RegExp(`^${stack}_token-[0-9a-f]{10}$`));
    const again = expectOk(await runMoor(["-p", stack, ...deployArgs, "--dry-run"], { cwd: dir }), deployArgs);
    expect(again.stdout).toBe(`stack ${stack}: nothing to do\n`);
    const rm = expectOk(await runMoor(["stack", "rm", stack], { cwd: dir }), ["stack", "rm"]);
    expect(rm.stdout).toContain(`Removing service ${stack}_app`);
    expect(await ids("service", stack)).toEqual([]);
  }, 300_000);
});
