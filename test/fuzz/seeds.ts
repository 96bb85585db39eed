// Valid compose projects the loader fuzzer starts from: the golden `config` fixtures, the schema
// suite's valid files and the examples, each read into memory as a small tree under /p.
import fs from "node:fs";
import path from "node:path";

/** One seed project: its files by path relative to the project directory, and the shell environment. */
export interface Seed {
  readonly name: string;
  /** Relative path → text; "compose.yaml" is the file the fuzzer mutates. */
  readonly files: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** Files beside a compose file that the loader may read (env files, includes, secrets); large or binary ones are left out. */
function readTree(dir: string, skip: (name: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (skip(entry.name) || entry.name === "node_modules" || entry.name.startsWith(".git")) continue;
      const a = path.join(abs, entry.name);
      const r = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(a, r);
      else if (entry.isFile() && fs.statSync(a).size <= 64 * 1024) out[r] = fs.readFileSync(a, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

/** Every seed in the repository, in a stable order (the fixed-seed run depends on it). */
export function repoSeeds(root = REPO_ROOT): Seed[] {
  const seeds: Seed[] = [];
  const configDir = path.join(root, "test/fixtures/config");
  for (const name of fs.readdirSync(configDir).sort()) {
    const dir = path.join(configDir, name);
    if (!fs.existsSync(path.join(dir, "compose.yaml"))) continue;
    const files = readTree(dir, (n) => n.startsWith("expected.") || n === "env.json");
    const envFile = path.join(dir, "env.json");
    const env = fs.existsSync(envFile) ? (JSON.parse(fs.readFileSync(envFile, "utf8")) as Record<string, string>) : {};
    seeds.push({ name: `config/${name}`, files, env });
  }
  const schemaDir = path.join(root, "test/fixtures/schema/valid");
  for (const name of fs.readdirSync(schemaDir).sort()) {
    if (!name.endsWith(".yaml")) continue;
    seeds.push({ name: `schema/${name}`, files: { "compose.yaml": fs.readFileSync(path.join(schemaDir, name), "utf8") }, env: {} });
  }
  const examplesDir = path.join(root, "examples");
  for (const name of fs.readdirSync(examplesDir).sort()) {
    const dir = path.join(examplesDir, name);
    if (!fs.existsSync(path.join(dir, "compose.yaml"))) continue;
    seeds.push({ name: `examples/${name}`, files: readTree(dir, () => false), env: {} });
  }
  return seeds;
}

/**
 * Compose files quoted in Markdown tutorials (```yaml blocks that have `services:`), for the longer
 * script run: real files people write, outside the repository.
 */
export function markdownSeeds(dir: string): Seed[] {
  if (!fs.existsSync(dir)) return [];
  const seeds: Seed[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    let i = 0;
    for (const m of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
      const block = m[1]!;
      if (!/^services:/m.test(block)) continue;
      seeds.push({ name: `${name}#${i++}`, files: { "compose.yaml": block }, env: {} });
    }
  }
  return seeds;
}
