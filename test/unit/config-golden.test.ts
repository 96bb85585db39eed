// Golden tests for `moor config`: each test/fixtures/config/<case>/compose.yaml goes through
// the whole loader (interpolation, validation, profiles, normalization, consistency) and is
// printed; the text must equal expected.yaml (and expected.json when present), which hold what
// `docker compose config` v5 prints for the same file. The project directory is /project, the
// home directory /home/me; files beside compose.yaml are readable under /project; env.json
// (optional) is the shell environment; a file named no-path-resolution turns path resolution off.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../src/compose/load.js";
import { serializeConfig } from "../../src/compose/serialize.js";
import { goldenReader } from "../fixtures/load/golden-reader.js";

const root = path.join(import.meta.dirname, "../fixtures/config");
const cases = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort();

function render(dir: string, format: "yaml" | "json"): { text: string; errors: string[] } {
  const envFile = path.join(dir, "env.json");
  const env = fs.existsSync(envFile) ? (JSON.parse(fs.readFileSync(envFile, "utf8")) as Record<string, string>) : {};
  const result = loadProject({
    workingDir: "/project",
    files: ["/project/compose.yaml"],
    env,
    homeDir: "/home/me",
    reader: goldenReader(dir),
    resolvePaths: !fs.existsSync(path.join(dir, "no-path-resolution")),
  });
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  return { text: result.project ? serializeConfig(result.project, format) : "", errors };
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
