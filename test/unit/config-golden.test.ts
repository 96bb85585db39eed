// Golden tests for `moor config`: each test/fixtures/config/<case>/compose.yaml is parsed,
// normalized and printed, and must equal expected.yaml (and expected.json when present), which
// hold what `docker compose config` v5 prints for the same file. The project directory is
// /project, the home directory /home/me; files beside compose.yaml are readable under /project;
// env.json (optional) is the interpolation environment.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../src/compose/diagnostics.js";
import type { FileReader } from "../../src/compose/load-options.js";
import { normalizeProject } from "../../src/compose/normalize.js";
import { serializeConfig } from "../../src/compose/serialize.js";
import { parseComposeYaml } from "../../src/compose/source.js";

const root = path.join(import.meta.dirname, "../fixtures/config");
const cases = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort();

function readerFor(dir: string): FileReader {
  const local = (p: string): string | undefined => (p.startsWith("/project/") ? path.join(dir, p.slice("/project/".length)) : undefined);
  return {
    readFile: (p) => {
      const file = local(p);
      return file && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    },
    exists: (p) => {
      const file = local(p);
      return file !== undefined && fs.existsSync(file);
    },
    isDirectory: (p) => {
      const file = local(p);
      return file !== undefined && fs.existsSync(file) && fs.statSync(file).isDirectory();
    },
  };
}

function render(dir: string, format: "yaml" | "json"): { text: string; errors: string[] } {
  const bag = new DiagnosticBag();
  const docs = parseComposeYaml("/project/compose.yaml", fs.readFileSync(path.join(dir, "compose.yaml"), "utf8"), bag);
  const data = (docs[0]?.data ?? {}) as Record<string, unknown>;
  const envFile = path.join(dir, "env.json");
  const env = fs.existsSync(envFile) ? (JSON.parse(fs.readFileSync(envFile, "utf8")) as Record<string, string>) : {};
  const projectName = typeof data.name === "string" ? data.name : "golden";
  const project = normalizeProject(
    data,
    { projectName, workingDir: "/project", homeDir: "/home/me", env, reader: readerFor(dir), resolvePaths: !fs.existsSync(path.join(dir, "no-path-resolution")) },
    bag,
    () => undefined,
  );
  return { text: serializeConfig(project, format), errors: bag.errors.map((d) => d.message) };
}

describe("docker compose config golden outputs", () => {
  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const name of cases) {
    const dir = path.join(root, name);
    it(`${name} (yaml)`, () => {
      const { text, errors } = render(dir, "yaml");
      expect(errors).toEqual([]);
      expect(text).toBe(fs.readFileSync(path.join(dir, "expected.yaml"), "utf8"));
    });
    const json = path.join(dir, "expected.json");
    if (fs.existsSync(json)) {
      it(`${name} (json)`, () => {
        expect(render(dir, "json").text).toBe(fs.readFileSync(json, "utf8").replace(/\n$/, ""));
      });
    }
  }
});
