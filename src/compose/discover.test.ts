import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { discoverComposeFiles } from "./discover.js";
import type { FileReader } from "./load-options.js";

/** An in-memory tree: the listed files exist, and every parent directory of them. */
function tree(files: string[], dirs: string[] = []): FileReader {
  const fileSet = new Set(files);
  const dirSet = new Set(dirs);
  for (const f of files) {
    let d = f;
    while (d !== "/") {
      d = d.slice(0, d.lastIndexOf("/")) || "/";
      dirSet.add(d);
    }
  }
  return {
    readFile: (p) => (fileSet.has(p) ? "" : undefined),
    exists: (p) => fileSet.has(p) || dirSet.has(p),
    isDirectory: (p) => dirSet.has(p),
  };
}

interface Case {
  name: string;
  files: string[];
  dirs?: string[];
  workingDir?: string;
  f?: string[];
  projectDirectory?: string;
  env?: Record<string, string>;
  want: { files: string[]; projectDir: string };
  warnings?: string[];
}

const cases: Case[] = [
  { name: "compose.yaml in the working directory", files: ["/p/compose.yaml"], want: { files: ["/p/compose.yaml"], projectDir: "/p" } },
  { name: "docker-compose.yml", files: ["/p/docker-compose.yml"], want: { files: ["/p/docker-compose.yml"], projectDir: "/p" } },
  { name: "compose.yml", files: ["/p/compose.yml"], want: { files: ["/p/compose.yml"], projectDir: "/p" } },
  {
    name: "compose.yaml wins over docker-compose.yml, with compose's warning",
    files: ["/p/compose.yaml", "/p/docker-compose.yml"],
    want: { files: ["/p/compose.yaml"], projectDir: "/p" },
    warnings: ["Found multiple config files with supported names: /p/compose.yaml, /p/docker-compose.yml"],
  },
  {
    name: "docker-compose.yml wins over docker-compose.yaml",
    files: ["/p/docker-compose.yaml", "/p/docker-compose.yml"],
    want: { files: ["/p/docker-compose.yml"], projectDir: "/p" },
    warnings: ["Found multiple config files with supported names: /p/docker-compose.yml, /p/docker-compose.yaml"],
  },
  { name: "the override beside it", files: ["/p/compose.yaml", "/p/compose.override.yaml"], want: { files: ["/p/compose.yaml", "/p/compose.override.yaml"], projectDir: "/p" } },
  {
    name: "any override name goes with any main name",
    files: ["/p/docker-compose.yml", "/p/compose.override.yml"],
    want: { files: ["/p/docker-compose.yml", "/p/compose.override.yml"], projectDir: "/p" },
  },
  {
    name: "several overrides: the first by preference, with a warning",
    files: ["/p/compose.yaml", "/p/compose.override.yaml", "/p/compose.override.yml"],
    want: { files: ["/p/compose.yaml", "/p/compose.override.yml"], projectDir: "/p" },
    warnings: ["Found multiple override files with supported names: /p/compose.override.yml, /p/compose.override.yaml"],
  },
  {
    name: "walks up to the nearest parent with a file",
    files: ["/p/compose.yaml", "/compose.yaml"],
    dirs: ["/p/a/b"],
    workingDir: "/p/a/b",
    want: { files: ["/p/compose.yaml"], projectDir: "/p" },
  },
  { name: "an override in a parent is not used without its main file", files: ["/p/compose.override.yaml", "/compose.yaml"], dirs: ["/p"], want: { files: ["/compose.yaml"], projectDir: "/" } },
  { name: "a directory named compose.yaml is not a file", files: ["/compose.yaml"], dirs: ["/p/compose.yaml"], want: { files: ["/compose.yaml"], projectDir: "/" } },
  {
    name: "--project-directory is where the search starts",
    files: ["/p/compose.yaml", "/q/compose.yaml"],
    projectDirectory: "../q",
    want: { files: ["/q/compose.yaml"], projectDir: "/q" },
  },
  {
    name: "-f files relative to the working directory, project dir from the first",
    files: [],
    f: ["sub/a.yaml", "/abs/b.yaml"],
    want: { files: ["/p/sub/a.yaml", "/abs/b.yaml"], projectDir: "/p/sub" },
  },
  { name: "-f - stays stdin, project dir is the working dir", files: [], f: ["-"], want: { files: ["-"], projectDir: "/p" } },
  { name: "stdin first: the first real file gives the project dir", files: [], f: ["-", "x/o.yaml"], want: { files: ["-", "/p/x/o.yaml"], projectDir: "/p/x" } },
  { name: "-f with --project-directory", files: [], f: ["a.yaml"], projectDirectory: "/elsewhere", want: { files: ["/p/a.yaml"], projectDir: "/elsewhere" } },
  { name: "-f wins over COMPOSE_FILE", files: [], f: ["a.yaml"], env: { COMPOSE_FILE: "b.yaml" }, want: { files: ["/p/a.yaml"], projectDir: "/p" } },
  {
    name: "COMPOSE_FILE split on ':'",
    files: ["/p/compose.yaml"],
    env: { COMPOSE_FILE: "x/a.yaml:b.yaml" },
    want: { files: ["/p/x/a.yaml", "/p/b.yaml"], projectDir: "/p/x" },
  },
  {
    name: "COMPOSE_FILE with COMPOSE_PATH_SEPARATOR",
    files: [],
    env: { COMPOSE_FILE: "a.yaml;b.yaml;", COMPOSE_PATH_SEPARATOR: ";" },
    want: { files: ["/p/a.yaml", "/p/b.yaml"], projectDir: "/p" },
  },
  { name: "an empty COMPOSE_FILE is unset", files: ["/p/compose.yaml"], env: { COMPOSE_FILE: "" }, want: { files: ["/p/compose.yaml"], projectDir: "/p" } },
];

describe("discoverComposeFiles", () => {
  it.each(cases)("$name", (c) => {
    const bag = new DiagnosticBag();
    const got = discoverComposeFiles(
      { workingDir: c.workingDir ?? "/p", files: c.f, projectDirectory: c.projectDirectory, env: c.env ?? {}, reader: tree(c.files, c.dirs ?? ["/p"]) },
      bag,
    );
    expect(got).toEqual(c.want);
    expect(bag.errors).toEqual([]);
    expect(bag.warnings.map((w) => w.message)).toEqual(c.warnings ?? []);
  });

  it("no file anywhere: compose's error and a hint", () => {
    const bag = new DiagnosticBag();
    const got = discoverComposeFiles({ workingDir: "/p/q", env: {}, reader: tree([], ["/p/q"]) }, bag);
    expect(got).toEqual({ files: [], projectDir: "/p/q" });
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]!.message).toBe("no configuration file provided: not found");
    expect(bag.errors[0]!.code).toBe("discover.not-found");
    expect(bag.errors[0]!.hint).toContain("-f");
  });
});
