import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { rebaseServicePaths, resolveExtends, type ExtendsDocument } from "./extends.js";
import { parseComposeYaml } from "./source.js";

function parse(file: string, text: string): ExtendsDocument {
  const bag = new DiagnosticBag();
  const [doc] = parseComposeYaml(file, text, bag);
  expect(bag.items).toEqual([]);
  return doc!;
}

/** Resolves `main` (in /p/compose.yaml) with `others` as the readable files. */
function run(main: string, others: Record<string, string> = {}, projectDir?: string): { data: unknown; bag: DiagnosticBag; loads: string[] } {
  const bag = new DiagnosticBag();
  const doc = parse("/p/compose.yaml", main);
  const loads: string[] = [];
  resolveExtends(
    doc,
    (abs) => {
      loads.push(abs);
      const text = others[abs];
      return text === undefined ? undefined : parse(abs, text);
    },
    bag,
    projectDir === undefined ? {} : { projectDir },
  );
  return { data: doc.data, bag, loads };
}

const services = (data: unknown): Record<string, unknown> => (data as { services: Record<string, unknown> }).services;

describe("resolveExtends: same file", () => {
  it.each([
    {
      name: "short form: base first, extending service wins",
      yaml: "services:\n  base:\n    image: busybox\n    user: root\n  web:\n    extends: base\n    image: nginx\n",
      want: { image: "nginx", user: "root" },
    },
    {
      name: "long form without file",
      yaml: "services:\n  base:\n    image: busybox\n  web:\n    extends:\n      service: base\n    command: [a]\n",
      want: { image: "busybox", command: ["a"] },
    },
    {
      name: "a chain is resolved to the end",
      yaml: "services:\n  a:\n    image: busybox\n    user: root\n  b:\n    extends: a\n    working_dir: /w\n  web:\n    extends: b\n",
      want: { image: "busybox", user: "root", working_dir: "/w" },
    },
    {
      name: "merge rules apply: environment list over map, ports by address, command replaced",
      yaml:
        "services:\n  base:\n    image: i\n    command: [a]\n    environment:\n      TZ: utc\n      PORT: '80'\n    ports: ['8080:80']\n  web:\n    extends: base\n    command: [b]\n    environment: [PORT=8080]\n    ports: ['8080:80', '9090:90']\n",
      want: { image: "i", command: ["b"], environment: { TZ: "utc", PORT: "8080" }, ports: ["8080:80", "9090:90"] },
    },
    {
      name: "volumes keyed by target (the spec's example)",
      yaml: "services:\n  common:\n    image: busybox\n    volumes:\n      - common-volume:/var/lib/backup/data:rw\n  web:\n    extends: common\n    volumes:\n      - cli-volume:/var/lib/backup/data:ro\n",
      want: { image: "busybox", volumes: ["cli-volume:/var/lib/backup/data:ro"] },
    },
    {
      name: "!reset in the extending service clears the base's value",
      yaml: "services:\n  base:\n    image: i\n    ports: ['80:80']\n  web:\n    extends: base\n    ports: !reset []\n",
      want: { image: "i" },
    },
    {
      name: "!override replaces the base's value",
      yaml: "services:\n  base:\n    image: i\n    ports: ['80:80']\n  web:\n    extends: base\n    ports: !override ['81:81']\n",
      want: { image: "i", ports: ["81:81"] },
    },
    {
      name: "depends_on and links are inherited (current compose allows them)",
      yaml: "services:\n  db:\n    image: db\n  base:\n    image: i\n    depends_on: [db]\n    links: [db]\n  web:\n    extends: base\n",
      want: { image: "i", depends_on: ["db"], links: ["db"] },
    },
  ])("$name", ({ yaml, want }) => {
    const { data, bag } = run(yaml);
    expect(bag.items).toEqual([]);
    expect(services(data).web).toEqual(want);
  });

  it("the base service itself is left as it was", () => {
    const { data } = run("services:\n  base:\n    image: i\n    dns: [a]\n  web:\n    extends: base\n    dns: [b]\n");
    expect(services(data).base).toEqual({ image: "i", dns: ["a"] });
    expect(services(data).web).toEqual({ image: "i", dns: ["a", "b"] });
  });

  it("an unknown service is a located error", () => {
    const { bag } = run("services:\n  web:\n    image: i\n    extends: nope\n");
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]).toMatchObject({
      code: "extends.unknown-service",
      message: 'cannot extend service "web": service "nope" not found',
      path: ["services", "web", "extends"],
      location: { file: "/p/compose.yaml", line: 4, col: 14 },
    });
  });

  it.each([
    { name: "self", yaml: "services:\n  web:\n    extends: web\n", cycle: "web → web" },
    { name: "two services", yaml: "services:\n  web:\n    extends: base\n  base:\n    extends: web\n", cycle: "web → base → web" },
    { name: "three services", yaml: "services:\n  a:\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n", cycle: "a → b → c → a" },
  ])("a cycle ($name) is reported once, naming it", ({ yaml, cycle }) => {
    const { bag } = run(yaml);
    expect(bag.errors.map((e) => e.message)).toEqual([`extends cycle: ${cycle}`]);
    expect(bag.errors[0]!.location).toBeDefined();
  });
});

describe("resolveExtends: another file", () => {
  const common = [
    "services:",
    "  app:",
    "    build: ./app",
    "    env_file: [common.env, { path: ./opt.env, required: false }]",
    "    volumes:",
    "      - ./data:/data",
    "      - named:/named",
    "      - /abs:/abs",
    "      - { type: bind, source: ./conf, target: /conf }",
    "    develop:",
    "      watch:",
    "        - { path: ./src, action: sync, target: /src }",
    "  remote:",
    "    build:",
    "      context: https://github.com/x/y.git",
    "      additional_contexts: { lib: ../lib, img: 'docker-image://alpine' }",
  ].join("\n");

  it("rebases the other file's relative paths to the project directory", () => {
    const { data, bag, loads } = run("services:\n  web:\n    extends:\n      file: ../shared/common.yaml\n      service: app\n    image: web\n", {
      "/shared/common.yaml": common,
    });
    expect(bag.items).toEqual([]);
    expect(loads).toEqual(["/shared/common.yaml"]);
    expect(services(data).web).toEqual({
      image: "web",
      build: "../shared/app",
      env_file: ["../shared/common.env", { path: "../shared/opt.env", required: false }],
      volumes: ["../shared/data:/data", "named:/named", "/abs:/abs", { type: "bind", source: "../shared/conf", target: "/conf" }],
      develop: { watch: [{ path: "../shared/src", action: "sync", target: "/src" }] },
    });
  });

  it("keeps remote contexts and makes a subdirectory bind stay a bind", () => {
    const { data } = run("services:\n  web:\n    extends: { file: sub/common.yaml, service: remote }\n  api:\n    extends: { file: sub/common.yaml, service: app }\n", {
      "/p/sub/common.yaml": common,
    });
    expect(services(data).web).toEqual({ build: { context: "https://github.com/x/y.git", additional_contexts: { lib: "lib", img: "docker-image://alpine" } } });
    expect((services(data).api as { volumes: unknown[] }).volumes[0]).toBe("./sub/data:/data");
  });

  it("follows a chain across files, each extends.file relative to where it was written", () => {
    const { data, bag } = run("services:\n  web:\n    extends: { file: a/one.yaml, service: one }\n", {
      "/p/a/one.yaml": "services:\n  one:\n    extends: { file: ../b/two.yaml, service: two }\n    user: one\n",
      "/p/b/two.yaml": "services:\n  two:\n    extends: three\n    env_file: two.env\n  three:\n    image: three\n    build: .\n",
    });
    expect(bag.items).toEqual([]);
    expect(services(data).web).toEqual({ image: "three", build: "b", env_file: "b/two.env", user: "one" });
  });

  it("loads each file once", () => {
    const { loads } = run("services:\n  a:\n    extends: { file: c.yaml, service: x }\n  b:\n    extends: { file: c.yaml, service: x }\n", { "/p/c.yaml": "services:\n  x:\n    image: x\n" });
    expect(loads).toEqual(["/p/c.yaml"]);
  });

  it("uses the project directory for relative extends.file when given", () => {
    const { loads } = run("services:\n  a:\n    extends: { file: c.yaml, service: x }\n", { "/proj/c.yaml": "services:\n  x:\n    image: x\n" }, "/proj");
    expect(loads).toEqual(["/proj/c.yaml"]);
  });

  it("an unreadable file is a located error", () => {
    const { bag } = run("services:\n  web:\n    extends:\n      file: missing.yaml\n      service: app\n");
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]).toMatchObject({ code: "extends.file-not-found", path: ["services", "web", "extends", "file"], location: { line: 4, col: 13 } });
    expect(bag.errors[0]!.message).toContain("/p/missing.yaml");
  });

  it("an unknown service in the other file names that file", () => {
    const { bag } = run("services:\n  web:\n    extends: { file: c.yaml, service: nope }\n", { "/p/c.yaml": "services:\n  x:\n    image: x\n" });
    expect(bag.errors.map((e) => e.message)).toEqual(['cannot extend service "web": service "nope" not found in /p/c.yaml']);
    expect(bag.errors[0]!.hint).toContain("x");
  });

  it("a cycle across files names the files", () => {
    const { bag } = run("services:\n  web:\n    extends: { file: c.yaml, service: x }\n", {
      "/p/c.yaml": "services:\n  x:\n    extends: { file: compose.yaml, service: web }\n",
      "/p/compose.yaml": "services:\n  web:\n    extends: { file: c.yaml, service: x }\n",
    });
    expect(bag.errors.map((e) => e.message)).toEqual(["extends cycle: web (compose.yaml) → x (c.yaml) → web (compose.yaml)"]);
  });
});

describe("rebaseServicePaths", () => {
  it("leaves absolute, home and named paths alone", () => {
    const s = { build: { context: "/abs", ssh: ["default", "key=./id_rsa"] }, volumes: ["~/x:/x", "vol:/v", "/anon"], label_file: "~/l" };
    rebaseServicePaths(s, "/a/b", "/a");
    expect(s).toEqual({ build: { context: "/abs", ssh: ["default", "key=b/id_rsa"] }, volumes: ["~/x:/x", "vol:/v", "/anon"], label_file: "~/l" });
  });
});
