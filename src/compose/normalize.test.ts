import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import type { FileReader } from "./load-options.js";
import { normalizeProject, type NormalizeContext } from "./normalize.js";
import { configImages, configServices, serializeConfig, serializeRaw } from "./serialize.js";

const files: Record<string, string> = {
  "/p/a.env": "A=1\nB=${SHELL_VAR}\n",
  "/p/raw.env": "R='quoted $X'\n",
  "/p/labels.txt": "l1=from-file\nl2=file\n",
};
const reader: FileReader = { readFile: (p) => files[p], exists: (p) => p in files, isDirectory: () => false };
const ctx = (over: Partial<NormalizeContext> = {}): NormalizeContext => ({
  projectName: "p", workingDir: "/p", homeDir: "/h", env: { SHELL_VAR: "sv", BARE: "bare" }, reader, resolvePaths: true, ...over,
});
const run = (doc: unknown, over: Partial<NormalizeContext> = {}) => {
  const bag = new DiagnosticBag();
  const project = normalizeProject(doc, ctx(over), bag, (path) => ({ file: "compose.yaml", line: path.length, col: 1 }));
  return { project, bag };
};

describe("normalizeProject", () => {
  it("names resources after the project unless named or external", () => {
    const { project } = run({
      services: { s: { image: "x" } },
      volumes: { a: null, b: { name: "bee" }, c: { external: true }, d: { external: { name: "legacy" } } },
      secrets: { s1: { file: "./s.txt" } },
    });
    expect(project.volumes).toEqual({ a: { name: "p_a" }, b: { name: "bee" }, c: { name: "c", external: true }, d: { name: "legacy", external: true } });
    expect(project.secrets).toEqual({ s1: { name: "p_s1", file: "/p/s.txt" } });
  });

  it("adds the default network only when a service uses it", () => {
    expect(run({ services: { s: { image: "x", network_mode: "none" } } }).project.networks).toBeUndefined();
    expect(run({ services: { s: { image: "x", networks: [] } } }).project.services.s!.networks).toEqual({ default: null });
  });

  it.each([
    ["links", { links: ["db:alias"] }, { db: { condition: "service_started", restart: true, required: true } }],
    ["network_mode", { network_mode: "service:db" }, { db: { condition: "service_started", restart: true, required: true } }],
    ["volumes_from", { volumes_from: ["db:ro"] }, { db: { condition: "service_started", required: true } }],
    ["volumes_from container", { volumes_from: ["container:c"] }, undefined],
    ["explicit wins", { links: ["db"], depends_on: { db: { condition: "service_healthy" } } }, { db: { condition: "service_healthy", required: true } }],
  ])("implicit dependency from %s", (_name, svc, want) => {
    const { project } = run({ services: { app: { image: "x", ...svc }, db: { image: "y" } } });
    expect(project.services.app!.depends_on).toEqual(want);
  });

  it("merges env files under the service environment and resolves bare keys", () => {
    const { project, bag } = run({
      services: { s: { image: "x", env_file: ["a.env", { path: "raw.env", format: "raw" }, { path: "missing.env", required: false }], environment: ["A=override", "BARE", "NONE"] } },
    });
    expect(bag.items).toEqual([]);
    expect(project.services.s!.environment).toEqual({ A: "override", B: "sv", R: "quoted $X", BARE: "bare", NONE: null });
    expect(project.services.s!.env_file).toEqual([
      { path: "/p/a.env", required: true },
      { path: "/p/raw.env", required: true, format: "raw" },
      { path: "/p/missing.env", required: false },
    ]);
  });

  it("with resolveEnvironment: false keeps env files as references and bare keys unset (config --no-env-resolution)", () => {
    const { project, bag } = run(
      { services: { s: { image: "x", env_file: ["a.env", "nope.env"], environment: ["A=override", "BARE"] } } },
      { resolveEnvironment: false },
    );
    expect(bag.items).toEqual([]);
    expect(project.services.s!.environment).toEqual({ A: "override", BARE: null });
    expect(project.services.s!.env_file).toEqual([{ path: "/p/a.env", required: true }, { path: "/p/nope.env", required: true }]);
    const printed = serializeConfig(project, "yaml", { envFiles: true });
    expect(printed).toContain("    env_file:\n      - path: /p/a.env\n      - path: /p/nope.env\n");
    expect(printed).toContain("      BARE: null\n");
    expect(serializeConfig(project, "yaml")).not.toContain("env_file");
  });

  it("reports a missing required env file at its key path", () => {
    const { bag } = run({ services: { s: { image: "x", env_file: "nope.env" } } });
    expect(bag.errors.map((d) => [d.code, d.path])).toEqual([["env-file.missing", ["services", "s", "env_file", 0]]]);
    expect(bag.errors[0]!.location).toBeDefined();
  });

  it("reads label files under the labels written in the file", () => {
    const { project } = run({ services: { s: { image: "x", label_file: "labels.txt", labels: { l2: "compose" } } } });
    expect(project.services.s!.labels).toEqual({ l1: "from-file", l2: "compose" });
  });

  it("reports every bad value, not just the first", () => {
    const { bag } = run({ services: { s: { image: "x", ports: ["80/xyz", "1-2:3-5"], mem_limit: "lots", stop_grace_period: "soon", command: "echo 'open" } } });
    expect(bag.errors.map((d) => d.code).sort()).toEqual(["normalize.bytes", "normalize.command", "normalize.duration", "normalize.port", "normalize.port"]);
  });

  it("rejects scale and deploy.replicas that disagree", () => {
    const { bag, project } = run({ services: { s: { image: "x", scale: 2, deploy: { replicas: 3 } } } });
    expect(bag.errors.map((d) => d.code)).toEqual(["normalize.scale-replicas"]);
    expect(project.services.s!.deploy!.replicas).toBe(2);
  });

  it("keeps relative paths with resolvePaths: false", () => {
    const { project } = run({ services: { s: { build: ".", volumes: ["./d:/d"], env_file: "a.env" } } }, { resolvePaths: false });
    const s = project.services.s!;
    expect([s.build!.context, s.volumes![0]!.source, s.env_file![0]!.path]).toEqual([".", "./d", "a.env"]);
  });

  it("drops unresolved build args and gives pre_start hooks the service image", () => {
    const { project } = run({ services: { s: { image: "img", build: { args: ["BARE", "UNSET", "K=v"] }, pre_start: [{ command: "migrate" }, { image: "other", command: ["x"] }] } } });
    expect(project.services.s!.build!.args).toEqual({ BARE: "bare", K: "v" });
    expect(project.services.s!.pre_start!.map((h) => h.image)).toEqual(["img", "other"]);
  });
});

describe("serialize helpers", () => {
  const { project } = run({
    services: { web: { build: ".", depends_on: ["db"] }, db: { image: "postgres", pre_start: [{ image: "migrator", command: "m" }] }, a: { image: "alpine", depends_on: ["web"] } },
  });
  it("lists services after their dependencies", () => {
    expect(configServices(project)).toEqual(["db", "web", "a"]);
  });
  it("lists images, built ones as <project>-<service>, then hook images", () => {
    expect(configImages(project)).toEqual(["alpine", "postgres", "migrator", "p-web"]);
  });
  it("doubles dollars unless told not to", () => {
    const p = run({ services: { s: { image: "x", environment: { A: "$x" } } } }).project;
    expect(serializeConfig(p, "yaml")).toContain("A: $$x");
    expect(serializeConfig(p, "yaml", { escapeDollars: false })).toContain("A: $x");
  });
  it("prints raw models with sorted keys", () => {
    expect(serializeRaw({ services: { b: {}, a: { ports: ["80:80"] } } }, "yaml")).toBe("services:\n  a:\n    ports:\n      - 80:80\n  b: {}\n");
    expect(serializeRaw({ b: 1, a: null }, "json")).toBe('{\n  "a": null,\n  "b": 1\n}');
  });
});

describe("duplicates", () => {
  it("keeps one entry per key, the later one in the earlier place", () => {
    const { project } = run({
      services: {
        s: {
          image: "x",
          ports: ["8080:80", "8000-8001:8000-8001", "8080:80", "127.0.0.1:8080:80"],
          volumes: ["va:/data", "./b:/other", "vc:/data/"],
          cap_add: ["NET_ADMIN", "SYS_TIME", "NET_ADMIN"],
        },
      },
    });
    const s = project.services.s!;
    expect(s.ports!.map((p) => `${p.host_ip ?? ""}:${p.published}:${p.target}`)).toEqual([":8080:80", ":8000:8000", ":8001:8001", "127.0.0.1:8080:80"]);
    expect(s.volumes!.map((v) => `${v.source}:${v.target}`)).toEqual(["vc:/data", "/p/b:/other"]);
    expect(s.cap_add).toEqual(["NET_ADMIN", "SYS_TIME"]);
  });
});
