// The direct YAML writer against the document tree it replaces for `moor config`: the same bytes
// for every golden project, every example, generated bench projects, and random data poured
// into the service shape (ill-typed values included: both writers must fall back alike).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeFileReader } from "../cli/node-file-reader.js";
import { loadProject } from "./load.js";
import { emitYaml } from "./serialize-emit.js";
import { serviceShape } from "./serialize-shapes.js";
import { configTree, serializeConfig } from "./serialize.js";
import type { Project } from "./types.js";
import { goldenReader } from "../../test/fixtures/load/golden-reader.js";

const repo = path.join(import.meta.dirname, "../..");

/** What serializeConfig printed before the direct writer: the tree, emitted, `$` doubled. */
function viaTree(project: Project, escapeDollars = true): string {
  const text = emitYaml(configTree(project, "yaml"));
  return escapeDollars ? text.replaceAll("$", "$$$$") : text;
}

// (env_file is printed here: the writers must agree on it for `config --no-env-resolution`.)
function expectSame(project: Project): void {
  expect(serializeConfig(project, "yaml", { envFiles: true })).toBe(viaTree(project));
  expect(serializeConfig(project, "yaml", { escapeDollars: false, envFiles: true })).toBe(viaTree(project, false));
}

describe("direct YAML writer = document tree", () => {
  const goldenRoot = path.join(repo, "test/fixtures/config");
  const golden = fs.readdirSync(goldenRoot).filter((d) => fs.statSync(path.join(goldenRoot, d)).isDirectory()).sort();
  it.each(golden)("golden project %s", (name) => {
    const dir = path.join(goldenRoot, name);
    const envFile = path.join(dir, "env.json");
    const env = fs.existsSync(envFile) ? (JSON.parse(fs.readFileSync(envFile, "utf8")) as Record<string, string>) : {};
    const result = loadProject({ workingDir: "/project", files: ["/project/compose.yaml"], env, homeDir: "/home/me", reader: goldenReader(dir) });
    expect(result.project).toBeDefined();
    expectSame(result.project!);
  });

  const examples = fs.readdirSync(path.join(repo, "examples")).filter((d) => fs.existsSync(path.join(repo, "examples", d, "compose.yaml")));
  it.each(examples)("example %s", (name) => {
    const dir = path.join(repo, "examples", name);
    const result = loadProject({ workingDir: dir, env: {}, homeDir: os.homedir(), reader: nodeFileReader });
    expect(result.project).toBeDefined();
    expectSame(result.project!);
  });

  it.each([1, 2, 3])("generated bench project, seed %d", async (seed) => {
    const genModule: string = "../../bench/lib/gen-compose.mjs";
    const gen = (await import(genModule)) as { writeComposeProject(o: { services: number; seed: number; dir: string }): { dir: string } };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moor-serialize-"));
    try {
      gen.writeComposeProject({ services: 40, seed, dir });
      const result = loadProject({ workingDir: dir, env: {}, homeDir: os.homedir(), reader: nodeFileReader });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expectSame(result.project!);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Strings that exercise every style: quoting, escapes, literal blocks, folding at 80 columns
  // (long ones with spaces at any nesting depth), `$` for the dollar escaping, non-BMP text.
  const piece = fc.constantFrom(" ", "  ", "\n", "\t", ":", ": ", " #", "'", '"', "\\", "- ", "*", "&", "|", "{", "[", "yes", "null", "0755", "1.5", "12:30", "$", "$$", "${X}", "é", "😀", "\u2028", "\u0007", "word", "w".repeat(30), "x y z ".repeat(8));
  const str = fc.oneof(fc.constantFrom("", "a", "8080", "true", "-", "x-y"), fc.array(piece, { maxLength: 10 }).map((p) => p.join("")));
  const key = fc.oneof(fc.constantFrom("a", "b10", "b2", "x-ext", "x-b", "Z", "é", "_", "1"), str);
  const leaf = fc.oneof(str, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constant(0), fc.constant(false));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(key, tie("value"), { maxKeys: 3, noNullPrototype: true })),
  }));
  const fieldKeys = serviceShape.fields.map((f) => f.key);
  const service = fc.dictionary(fc.oneof(fc.constantFrom(...fieldKeys), fc.constantFrom("x-a", "x-$b")), value, { maxKeys: 12, noNullPrototype: true });

  it("random values in every service field", () => {
    fc.assert(
      fc.property(fc.dictionary(key, service, { minKeys: 1, maxKeys: 3, noNullPrototype: true }), fc.dictionary(fc.constantFrom("x-top", "x-b"), value, { noNullPrototype: true }), fc.option(str, { nil: undefined }), (services, ext, name) => {
        const project = { name: name ?? "p", services, ...ext } as unknown as Project;
        expectSame(project);
      }),
      { numRuns: 500, seed: 20261124 },
    );
  });

  it("random values in well-typed places (volumes, networks, ulimits, hosts, deploy)", () => {
    const vol = fc.record({ type: fc.constantFrom("bind", "volume", "tmpfs"), source: str, target: str, read_only: fc.boolean(), bind: fc.record({ create_host_path: fc.boolean(), propagation: str }, { requiredKeys: [] }), tmpfs: fc.record({ size: fc.nat(), mode: fc.nat() }, { requiredKeys: [] }) }, { requiredKeys: ["type"] });
    const svc = fc.record(
      {
        image: str,
        environment: fc.dictionary(key, fc.option(str, { nil: null }), { noNullPrototype: true }),
        labels: fc.dictionary(key, str, { noNullPrototype: true }),
        command: fc.array(str, { maxLength: 4 }),
        volumes: fc.array(vol, { maxLength: 3 }),
        extra_hosts: fc.dictionary(str, fc.array(str, { maxLength: 2 }), { noNullPrototype: true }),
        ulimits: fc.dictionary(key, fc.oneof(fc.record({ single: fc.integer() }), fc.record({ soft: fc.integer(), hard: fc.integer() }, { requiredKeys: [] })), { noNullPrototype: true }),
        deploy: fc.record({ replicas: fc.nat(3), resources: fc.record({ limits: fc.record({ cpus: fc.double({ min: 0, max: 8, noNaN: true }), memory: fc.nat() }, { requiredKeys: [] }) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
        healthcheck: fc.record({ test: fc.array(str, { maxLength: 3 }), retries: fc.nat(5), disable: fc.boolean() }, { requiredKeys: [] }),
        networks: fc.dictionary(key, fc.option(fc.record({ aliases: fc.array(str, { maxLength: 2 }) }, { requiredKeys: [] }), { nil: null }), { noNullPrototype: true }),
        develop: fc.record({ watch: fc.array(fc.record({ path: str, action: str }), { maxLength: 2 }) }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.dictionary(key, svc, { minKeys: 1, maxKeys: 3, noNullPrototype: true }), fc.dictionary(key, fc.record({ name: str, external: fc.boolean() }, { requiredKeys: [] }), { noNullPrototype: true }), (services, networks) => {
        expectSame({ name: "p", services, networks, volumes: networks } as unknown as Project);
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });
});
