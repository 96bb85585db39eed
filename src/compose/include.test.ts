import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { resolveInclude, type IncludeRequest } from "./include.js";
import type { FileReader } from "./load-options.js";

const reader = (files: string[]): FileReader => ({
  readFile: (p) => (files.includes(p) ? "" : undefined),
  exists: (p) => files.includes(p) || files.some((f) => f.startsWith(`${p}/`)),
  isDirectory: (p) => files.some((f) => f.startsWith(`${p}/`)),
});

/** A fake sub-project loader: the included project's document, keyed by its first file. */
function loader(projects: Record<string, unknown>, requests: IncludeRequest[]) {
  return (req: IncludeRequest): { data: unknown } | undefined => {
    requests.push(req);
    const data = projects[req.files[0]!];
    return data === undefined ? undefined : { data: structuredClone(data) };
  };
}

const ctx = { file: "/p/compose.yaml", projectDir: "/p" };

describe("resolveInclude: requests", () => {
  it.each([
    {
      name: "short form: the file's directory is the project directory, its .env is used",
      include: ["../commons/compose.yaml"],
      files: ["/commons/compose.yaml", "/commons/.env"],
      want: { files: ["/commons/compose.yaml"], projectDirectory: "/commons", envFiles: ["/commons/.env"], chain: ["/p/compose.yaml"] },
    },
    {
      name: "short form without a .env",
      include: ["sub/compose.yaml"],
      files: ["/p/sub/compose.yaml"],
      want: { files: ["/p/sub/compose.yaml"], projectDirectory: "/p/sub", envFiles: [], chain: ["/p/compose.yaml"] },
    },
    {
      name: "long form: path list, project_directory and env_file relative to the includer's project",
      include: [{ path: ["a/compose.yaml", "a/override.yaml"], project_directory: "a/..", env_file: ["a/one.env", "two.env"] }],
      files: ["/p/a/compose.yaml", "/p/a/one.env", "/p/two.env", "/p/.env"],
      want: { files: ["/p/a/compose.yaml", "/p/a/override.yaml"], projectDirectory: "/p", envFiles: ["/p/a/one.env", "/p/two.env"], chain: ["/p/compose.yaml"] },
    },
    {
      name: "env_file /dev/null: no env file, not even .env",
      include: [{ path: "a/compose.yaml", env_file: "/dev/null" }],
      files: ["/p/a/compose.yaml", "/p/a/.env"],
      want: { files: ["/p/a/compose.yaml"], projectDirectory: "/p/a", envFiles: [], chain: ["/p/compose.yaml"] },
    },
    {
      name: "an absolute project_directory",
      include: [{ path: "/x/compose.yaml", project_directory: "/y" }],
      files: ["/x/compose.yaml", "/y/.env"],
      want: { files: ["/x/compose.yaml"], projectDirectory: "/y", envFiles: ["/y/.env"], chain: ["/p/compose.yaml"] },
    },
  ])("$name", ({ include, files, want }) => {
    const requests: IncludeRequest[] = [];
    const data: Record<string, unknown> = { include, services: {} };
    const bag = new DiagnosticBag();
    resolveInclude(data, { ...ctx, reader: reader(files) }, loader({ [want.files[0]!]: { services: {} } }, requests), bag);
    expect(bag.items).toEqual([]);
    expect(requests).toEqual([want]);
    expect(data.include).toBeUndefined();
  });
});

describe("resolveInclude: resources", () => {
  it("adds every kind of resource from the included project", () => {
    const data: Record<string, unknown> = { include: ["b/compose.yaml"], services: { a: { image: "a", depends_on: ["b"] } } };
    const included = {
      services: { b: { image: "b" } },
      networks: { n: {} },
      volumes: { v: { driver: "local" } },
      secrets: { s: { file: "/b/s.txt" } },
      configs: { c: { file: "/b/c.txt" } },
      models: { m: { model: "ai/x" } },
    };
    const bag = new DiagnosticBag();
    resolveInclude(data, ctx, loader({ "/p/b/compose.yaml": included }, []), bag);
    expect(bag.items).toEqual([]);
    expect(data).toEqual({
      services: { a: { image: "a", depends_on: ["b"] }, b: { image: "b" } },
      networks: { n: {} },
      volumes: { v: { driver: "local" } },
      secrets: { s: { file: "/b/s.txt" } },
      configs: { c: { file: "/b/c.txt" } },
      models: { m: { model: "ai/x" } },
    });
  });

  it("a resource the includer also defines gets the includer's definition merged over it", () => {
    const data: Record<string, unknown> = {
      include: ["b/compose.yaml"],
      services: { b: { environment: ["ZOT=QIX"], ports: ["8080:80"] } },
    };
    const included = { services: { b: { image: "busybox", environment: { A: "1" }, ports: ["8080:80"] } } };
    resolveInclude(data, ctx, loader({ "/p/b/compose.yaml": included }, []), new DiagnosticBag());
    expect(data.services).toEqual({ b: { image: "busybox", environment: { A: "1", ZOT: "QIX" }, ports: ["8080:80"] } });
  });

  it("the includer's !override replaces the imported value", () => {
    const data: Record<string, unknown> = { include: ["b/compose.yaml"], services: { b: { environment: ["ZOT=QIX"] } } };
    const included = { services: { b: { image: "busybox", environment: { A: "1" } } } };
    resolveInclude(data, { ...ctx, overrides: [["services", "b", "environment"]] }, loader({ "/p/b/compose.yaml": included }, []), new DiagnosticBag());
    expect(data.services).toEqual({ b: { image: "busybox", environment: ["ZOT=QIX"] } });
  });

  it("rewrites the included project's relative paths to the includer's project directory", () => {
    const data: Record<string, unknown> = { include: ["../lib/compose.yaml"] };
    const included = {
      services: {
        cache: { image: "redis", volumes: ["./redis:/data", "named:/n"], env_file: "cache.env" },
        app: { build: { dockerfile: "Dockerfile.dev" } },
      },
      secrets: { s: { file: "./s.txt" } },
      configs: { c: { file: "/abs/c.txt" } },
      volumes: { bound: { driver: "local", driver_opts: { o: "bind", type: "none", device: "./store" } } },
    };
    resolveInclude(data, ctx, loader({ "/lib/compose.yaml": included }, []), new DiagnosticBag());
    expect(data).toEqual({
      services: {
        cache: { image: "redis", volumes: ["../lib/redis:/data", "named:/n"], env_file: "../lib/cache.env" },
        app: { build: { dockerfile: "Dockerfile.dev", context: "../lib" } },
      },
      secrets: { s: { file: "../lib/s.txt" } },
      configs: { c: { file: "/abs/c.txt" } },
      volumes: { bound: { driver: "local", driver_opts: { o: "bind", type: "none", device: "../lib/store" } } },
    });
  });

  it("several includes add up in order", () => {
    const data: Record<string, unknown> = { include: ["a.yaml", { path: "b.yaml" }] };
    const projects = { "/p/a.yaml": { services: { a: { image: "a" } } }, "/p/b.yaml": { services: { b: { image: "b" } }, volumes: { v: null } } };
    resolveInclude(data, ctx, loader(projects, []), new DiagnosticBag());
    expect(data).toEqual({ services: { a: { image: "a" }, b: { image: "b" } }, volumes: { v: null } });
  });

  it("no include: nothing happens", () => {
    const data = { services: { a: { image: "a" } } };
    resolveInclude(data, ctx, () => {
      throw new Error("must not load");
    }, new DiagnosticBag());
    expect(data).toEqual({ services: { a: { image: "a" } } });
  });
});

describe("resolveInclude: errors", () => {
  it("a cycle through nested loads is reported with the chain", () => {
    const bag = new DiagnosticBag();
    const files: Record<string, unknown> = {
      "/p/a.yaml": { include: ["b.yaml"] },
      "/p/b.yaml": { include: ["compose.yaml"] },
      "/p/compose.yaml": { include: ["a.yaml"] },
    };
    // Each load runs resolveInclude on the sub-project, as the loader does.
    const load = (req: IncludeRequest): { data: unknown } => {
      const data = structuredClone(files[req.files[0]!]);
      resolveInclude(data, { file: req.files[0]!, projectDir: req.projectDirectory }, load, bag);
      return { data };
    };
    resolveInclude(structuredClone(files["/p/compose.yaml"]), ctx, load, bag);
    expect(bag.errors.map((e) => e.message)).toEqual(["include cycle: compose.yaml → a.yaml → b.yaml → compose.yaml"]);
  });

  it("a file including itself", () => {
    const bag = new DiagnosticBag();
    resolveInclude({ include: ["./compose.yaml"] }, ctx, () => ({ data: {} }), bag);
    expect(bag.errors.map((e) => [e.code, e.message])).toEqual([["include.cycle", "include cycle: compose.yaml → compose.yaml"]]);
  });

  it.each([
    { name: "include is not a list", include: "x.yaml", code: "include.invalid", path: ["include"] },
    { name: "an entry without path", include: [{ env_file: "x" }], code: "include.invalid", path: ["include", 0] },
    { name: "a remote include", include: ["oci://docker.io/x/y"], code: "include.remote", path: ["include", 0] },
    { name: "a missing env file", include: [{ path: "a.yaml", env_file: ["nope.env"] }], code: "include.env-file", path: ["include", 0, "env_file", 0] },
    { name: "a file that cannot be loaded", include: ["missing.yaml"], code: "include.load", path: ["include", 0] },
  ])("$name is a located error", ({ include, code, path }) => {
    const bag = new DiagnosticBag();
    const located: unknown[] = [];
    const locate = (p: readonly (string | number)[]) => {
      located.push(p);
      return { file: "/p/compose.yaml", line: 2, col: 3 };
    };
    resolveInclude({ include }, { ...ctx, reader: reader(["/p/a.yaml"]), locate }, loader({ "/p/a.yaml": {} }, []), bag);
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]).toMatchObject({ code, path, location: { file: "/p/compose.yaml", line: 2, col: 3 } });
  });

  it("a loader that reports its own error is not doubled", () => {
    const bag = new DiagnosticBag();
    resolveInclude({ include: ["a.yaml"] }, ctx, () => {
      bag.error("yaml.syntax", "bad");
      return undefined;
    }, bag);
    expect(bag.errors.map((e) => e.code)).toEqual(["yaml.syntax"]);
  });
});
