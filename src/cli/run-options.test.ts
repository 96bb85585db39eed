import { describe, expect, it } from "vitest";
import type { ServiceConfig } from "../compose/types.js";
import { UserError } from "./errors.js";
import { oneOffName, oneOffService, resolveEnvFlags, runEnvironment, type RunFlags } from "./run-options.js";

const SLUG = "0123456789abcdef".repeat(4);
const flags = (over: Partial<RunFlags> = {}): RunFlags => ({
  command: [],
  env: [],
  envFiles: [],
  labels: [],
  publish: [],
  servicePorts: false,
  volumes: [],
  capAdd: [],
  capDrop: [],
  tty: false,
  interactive: true,
  ...over,
});
const web: ServiceConfig = {
  name: "web",
  image: "busybox",
  command: ["serve"],
  entrypoint: ["/init"],
  environment: { A: "1", B: null },
  labels: { team: "x" },
  ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }],
  volumes: [{ type: "volume", source: "data", target: "/data" }],
  cap_add: ["NET_ADMIN"],
  cap_drop: ["CHOWN"],
  restart: "always",
  container_name: "fixed",
  deploy: { restart_policy: { condition: "any" }, replicas: 3 },
  scale: 3,
} as ServiceConfig;
const env: Record<string, string> = { FROM_SHELL: "shell", HOME: "/home/u" };
const opts = { lookup: (k: string) => env[k], cwd: "/work/dir", slug: SLUG };
const run = (over: Partial<RunFlags> = {}) => oneOffService("proj", web, flags(over), opts);

describe("oneOffName", () => {
  it("is compose's <project>-<service>-run-<12 hex of the slug>", () => {
    expect(oneOffName("proj", "web", SLUG)).toBe("proj-web-run-0123456789ab");
  });
});

describe("oneOffService", () => {
  it("drops the service's ports, restart policy, scale and container_name; keeps its command", () => {
    const { service, name } = run();
    expect(service.ports).toBeUndefined();
    expect(service.restart).toBeUndefined();
    expect(service.deploy?.restart_policy).toBeUndefined();
    expect(service.deploy?.replicas).toBe(3);
    expect(service.scale).toBe(1);
    expect(service.container_name).toBeUndefined();
    expect(service.command).toEqual(["serve"]);
    expect(name).toBe("proj-web-run-0123456789ab");
    // The project's own config is not touched.
    expect(web.ports).toHaveLength(1);
    expect(web.restart).toBe("always");
  });

  it("keeps the service's ports with -P and publishes only -p's otherwise", () => {
    expect(run({ servicePorts: true }).service.ports).toEqual(web.ports);
    expect(run({ publish: ["127.0.0.1:9000:90/udp"] }).service.ports).toEqual([{ mode: "ingress", host_ip: "127.0.0.1", target: 90, published: "9000", protocol: "udp" }]);
    expect(() => run({ publish: ["x:y"] })).toThrow(/invalid --publish/);
    expect(() => run({ publish: ["80"], servicePorts: true })).toThrow("--service-ports and --publish are incompatible");
  });

  it("sets the TTY and stdin from the flags", () => {
    expect(run({ tty: true, interactive: false }).service).toMatchObject({ tty: true, stdin_open: false });
  });

  it("appends -v volumes, a relative bind made absolute against the working directory", () => {
    const { service } = run({ volumes: ["./src:/src:ro", "cache:/cache"] });
    expect(service.volumes).toEqual([
      web.volumes![0],
      { type: "bind", source: "/work/dir/src", target: "/src", read_only: true, bind: { create_host_path: true } },
      { type: "volume", source: "cache", target: "/cache", volume: {} },
    ]);
  });

  it("replaces the command, user and working directory", () => {
    const { service } = run({ command: ["sh", "-c", "exit 3"], user: "1000:1000", workdir: "/tmp" });
    expect(service).toMatchObject({ command: ["sh", "-c", "exit 3"], user: "1000:1000", working_dir: "/tmp" });
  });

  it("splits --entrypoint like a shell and, without a command, runs no command after it", () => {
    expect(run({ entrypoint: "/bin/sh -c 'echo hi'" }).service).toMatchObject({ entrypoint: ["/bin/sh", "-c", "echo hi"], command: [] });
    expect(run({ entrypoint: "env", command: ["FOO=1"] }).service).toMatchObject({ entrypoint: ["env"], command: ["FOO=1"] });
    expect(run({ entrypoint: "" }).service.entrypoint).toEqual([]);
    expect(() => run({ entrypoint: "sh -c 'unbalanced" })).toThrow(UserError);
  });

  it("adds and drops capabilities the way compose does: each flag removes the capability from the other list", () => {
    const { service } = run({ capAdd: ["CHOWN"], capDrop: ["NET_ADMIN", "KILL"] });
    expect(service.cap_add).toEqual(["CHOWN"]);
    expect(service.cap_drop).toEqual(["NET_ADMIN", "KILL"]);
  });

  it("overrides the environment with -e and --env-from-file", () => {
    const { service } = run({ env: ["A=2", "FROM_SHELL", "UNSET"], envFiles: [{ file: "x.env", text: "A=from-file\nC=${A}-c\n" }] });
    expect(service.environment).toEqual({ A: "2", B: null, FROM_SHELL: "shell", C: "2-c" });
  });

  it("adds -l labels and refuses one without a value", () => {
    expect(run({ labels: ["a=b", "team=y"] }).service.labels).toEqual({ team: "y", a: "b" });
    expect(() => run({ labels: ["novalue"] })).toThrow("label must be set as KEY=VALUE");
  });

  it("uses --name instead of the generated name", () => {
    expect(run({ name: "mine" }).name).toBe("mine");
  });
});

describe("resolveEnvFlags / runEnvironment", () => {
  it("takes KEY=VALUE as given, a bare KEY from the environment, and drops a bare KEY that is unset", () => {
    expect(resolveEnvFlags(["A=1", "HOME", "NOPE", "E="], (k) => env[k])).toEqual({ A: "1", HOME: "/home/u", E: "" });
  });

  it("lets -e win over the env files and a later file not override an earlier one", () => {
    const out = runEnvironment(
      { env: ["A=cli"], envFiles: [{ file: "1.env", text: "A=file\nB=one\n" }, { file: "2.env", text: "B=two\nD=d\n" }] },
      () => undefined,
    );
    expect(out).toEqual({ A: "cli", B: "one", D: "d" });
  });
});
