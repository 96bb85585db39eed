// End-to-end loader tests: interpolation, merge, extends, include, profiles, env_file,
// warnings, consistency, and every problem at once — positions and key paths, as compose v5 behaves.
import { describe, expect, test } from "vitest";
import { load, where } from "../fixtures/load/mem-reader.js";

describe("interpolation", () => {
  test("${VAR:?err} fails at the value's file:line:col with the message", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    environment:\n      - TOKEN=${TOKEN:?TOKEN is required}\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:5:9 services.web.environment[0]: interpolate.required"]);
    expect(r.diagnostics[0]!.message).toContain("TOKEN is required");
    expect(r.project).toBeUndefined();
  });

  test("an unset variable warns once per variable across files, at its first use", () => {
    const r = load(
      { "/p/a.yml": "services:\n  web:\n    image: x:${TAG}\n    labels: [\"l=${TAG}\"]\n", "/p/b.yml": "services:\n  web:\n    hostname: h${TAG}${OTHER}\n" },
      { files: ["a.yml", "b.yml"] },
    );
    expect(where(r.diagnostics, "warning")).toEqual(["/p/a.yml:3:12 services.web.image: interpolate.unset", "/p/b.yml:3:15 services.web.hostname: interpolate.unset"]);
    expect(r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toEqual([
      'The "TAG" variable is not set. Defaulting to a blank string.',
      'The "OTHER" variable is not set. Defaulting to a blank string.',
    ]);
    expect(r.project?.services.web?.image).toBe("x:");
  });

  test("$$ is a literal $; defaults and alternates resolve", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: ${IMG:-busybox}\n    command: echo $$HOME ${SET:+alt}\n" }, { env: { SET: "1" } });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project?.services.web?.image).toBe("busybox");
    expect(r.project?.services.web?.command).toEqual(["echo", "$HOME", "alt"]);
  });

  test("interpolated values are typed after substitution (a port from the environment)", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    ports: [\"${PORT}:80\"]\n    cpus: ${CPUS}\n" }, { env: { PORT: "8080", CPUS: "0.5" } });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project?.services.web?.ports?.[0]?.published).toBe("8080");
    expect(r.project?.services.web?.cpus).toBe(0.5);
  });
});

describe("merging files", () => {
  test("later files override scalars, merge maps, and honour !reset and !override", () => {
    const r = load(
      {
        "/p/compose.yaml": "services:\n  web:\n    image: a\n    environment: {A: '1', B: '2'}\n    ports: ['80:80']\n    dns: [1.1.1.1]\n",
        "/p/compose.override.yaml": "services:\n  web:\n    image: b\n    environment: {B: '3'}\n    ports: !override ['81:81']\n    dns: !reset []\n",
      },
    );
    expect(where(r.diagnostics)).toEqual([]);
    const web = r.project!.services.web!;
    expect(web.image).toBe("b");
    expect(web.environment).toEqual({ A: "1", B: "3" });
    expect(web.ports?.map((p) => p.published)).toEqual(["81"]);
    expect(web.dns).toBeUndefined();
  });
});

describe("extends", () => {
  test("from the same file and from another file (paths rebased to the extending file)", () => {
    const r = load({
      "/p/compose.yaml": "services:\n  base:\n    image: base\n    environment: {A: '1'}\n  web:\n    extends: base\n    environment: {B: '2'}\n  api:\n    extends: {file: common/c.yml, service: tpl}\n",
      "/p/common/c.yml": "services:\n  tpl:\n    image: tpl\n    build: ./ctx\n",
    });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.services.web!.environment).toEqual({ A: "1", B: "2" });
    expect(r.project!.services.web!.image).toBe("base");
    expect(r.project!.services.api!.build?.context).toBe("/p/common/ctx");
  });

  test("a cycle is named, located at the extends key", () => {
    const r = load({ "/p/compose.yaml": "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: x\n    extends: a\n" });
    const e = r.diagnostics.filter((d) => d.severity === "error");
    expect(e.map((d) => d.code)).toContain("extends.cycle");
    const cycle = e.find((d) => d.code === "extends.cycle")!;
    expect(cycle.message).toMatch(/\ba\b.*\bb\b.*\ba\b/);
    expect(cycle.location?.file).toBe("/p/compose.yaml");
  });

  test("an unknown service to extend is located", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    extends: nope\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:4:14 services.web.extends: extends.unknown-service"]);
  });
});

describe("include", () => {
  test("short and long form; the included project has its own directory and .env; relative paths rebased", () => {
    const r = load({
      "/p/compose.yaml": "include:\n  - lib/db.yml\n  - path: cache/c.yml\n    project_directory: cache\nservices:\n  web:\n    image: web\n    depends_on: [db, cache]\n",
      "/p/lib/db.yml": "services:\n  db:\n    image: postgres:${PG}\n    env_file: db.env\n    build: ./ctx\n",
      "/p/lib/.env": "PG=16\n",
      "/p/lib/db.env": "X=1\n",
      "/p/cache/c.yml": "services:\n  cache:\n    image: redis:${R:-7}\n",
    });
    expect(where(r.diagnostics)).toEqual([]);
    const s = r.project!.services;
    expect(Object.keys(s).sort()).toEqual(["cache", "db", "web"]);
    expect(s.db!.image).toBe("postgres:16");
    expect(s.db!.build?.context).toBe("/p/lib/ctx");
    expect(s.db!.environment).toEqual({ X: "1" });
    expect(s.cache!.image).toBe("redis:7");
  });

  test("the including project's environment (shell and its .env) wins over the included .env", () => {
    const r = load(
      {
        "/p/compose.yaml": "include: [lib/db.yml]\nservices:\n  web: {image: web}\n",
        "/p/.env": "PG=from-parent\n",
        "/p/lib/db.yml": "services:\n  db:\n    image: postgres:${PG}-${ONLY}\n",
        "/p/lib/.env": "PG=from-lib\nONLY=lib\n",
      },
    );
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.services.db!.image).toBe("postgres:from-parent-lib");
  });

  test("an include cycle is an error", () => {
    const r = load({ "/p/compose.yaml": "include: [a.yml]\nservices:\n  web: {image: x}\n", "/p/a.yml": "include: [compose.yaml]\nservices:\n  a: {image: x}\n" });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toContain("include.cycle");
  });

  test("a missing included file is located at its include entry", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web: {image: x}\ninclude:\n  - nope.yml\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:4:5 include[0]: include.load"]);
    expect(r.diagnostics[0]!.message).toBe("cannot load included file /p/nope.yml");
  });
});

describe("profiles", () => {
  const files = {
    "/p/compose.yaml":
      "services:\n  web:\n    image: x\n  debug:\n    image: x\n    profiles: [dev]\n  tools:\n    image: x\n    profiles: [dev, ops]\n  mon:\n    image: x\n    profiles: [ops]\n",
  };
  test.each([
    ["no profile: only services without profiles", {}, ["web"]],
    ["--profile dev", { profiles: ["dev"] }, ["debug", "tools", "web"]],
    ["COMPOSE_PROFILES=ops,dev", { env: { COMPOSE_PROFILES: "ops,dev" } }, ["debug", "mon", "tools", "web"]],
    ["--profile wins over COMPOSE_PROFILES", { profiles: ["ops"], env: { COMPOSE_PROFILES: "dev" } }, ["mon", "tools", "web"]],
    ["* enables all", { profiles: ["*"] }, ["debug", "mon", "tools", "web"]],
    ["naming a service enables its profiles (and so the others in them)", { services: ["tools"] }, ["debug", "mon", "tools", "web"]],
  ])("%s", (_n, opts, expected) => {
    const r = load(files, opts);
    expect(where(r.diagnostics)).toEqual([]);
    expect(Object.keys(r.project!.services).sort()).toEqual(expected);
  });

  test("an enabled service that depends on a disabled one is an error at the dependency", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    depends_on: [db]\n  db:\n    image: x\n    profiles: [data]\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:4:18 services.web.depends_on[0]: profiles.disabled-dependency"]);
    expect(r.diagnostics[0]!.message).toBe('service "web" depends on service "db", which is not enabled: it belongs to profile "data"');
    expect(r.project).toBeUndefined();
  });

  test("a required: false dependency on a disabled service is dropped", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    depends_on:\n      db: {condition: service_started, required: false}\n  db:\n    image: x\n    profiles: [data]\n" });
    expect(where(r.diagnostics)).toEqual([]);
    expect(Object.keys(r.project!.services)).toEqual(["web"]);
  });
});

describe("env_file", () => {
  const compose = (envFile: string) => `services:\n  web:\n    image: x\n    env_file: ${envFile}\n`;
  test.each([
    ["string", compose("a.env"), { A: "1" }],
    ["list, later wins", compose("[a.env, b.env]"), { A: "2", B: "2" }],
    ["long form, required: false, missing file ok", compose("[{path: a.env}, {path: missing.env, required: false}]"), { A: "1" }],
  ])("%s", (_n, text, expected) => {
    const r = load({ "/p/compose.yaml": text, "/p/a.env": "A=1\n", "/p/b.env": "A=2\nB=2\n" });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.services.web!.environment).toEqual(expected);
  });

  test("a required missing env file is an error at its entry", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    env_file:\n      - a.env\n      - missing.env\n", "/p/a.env": "A=1\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:6:9 services.web.env_file[1]: env-file.missing"]);
  });

  test("with services named, only theirs and their dependencies' env files must exist (compose reads no others)", () => {
    const files = {
      "/p/compose.yaml": "services:\n  web:\n    image: x\n    depends_on: [db]\n  db:\n    image: x\n    env_file: db.env\n  tool:\n    image: x\n    env_file: gone.env\n",
      "/p/db.env": "D=1\n",
    };
    expect(where(load(files).diagnostics)).toEqual(["/p/compose.yaml:10:5 services.tool.env_file[0]: env-file.missing"]);
    const web = load(files, { services: ["web"] });
    expect(where(web.diagnostics)).toEqual([]);
    expect(web.project!.services.db!.environment).toEqual({ D: "1" });
    expect(where(load(files, { services: ["tool"] }).diagnostics)).toEqual(["/p/compose.yaml:10:5 services.tool.env_file[0]: env-file.missing"]);
    expect(where(load({ ...files, "/p/db.env": undefined as unknown as string }, { services: ["web"] }).diagnostics)).toEqual([
      "/p/compose.yaml:7:5 services.db.env_file[0]: env-file.missing",
    ]);
  });
});

describe("warnings and consistency", () => {
  test("the obsolete version attribute warns at its key", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web: {image: x}\nversion: '3.8'\n" });
    expect(where(r.diagnostics, "warning")).toEqual(["/p/compose.yaml:3:1 version: compose.version-obsolete"]);
    expect(r.project).toBeDefined();
  });

  test("a consistency error is located in the file that sets the key, among several", () => {
    const r = load(
      { "/p/a.yml": "services:\n  web:\n    image: x\n", "/p/b.yml": "services:\n  web:\n    networks: [front]\n" },
      { files: ["a.yml", "b.yml"] },
    );
    const e = r.diagnostics.filter((d) => d.severity === "error");
    expect(e).toHaveLength(1);
    expect(e[0]!.location?.file).toBe("/p/b.yml");
    expect(e[0]!.location?.line).toBe(3);
    expect(e[0]!.path?.slice(0, 3)).toEqual(["services", "web", "networks"]);
  });

  test("an undefined dependency is an error located at depends_on", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    depends_on: [dbb]\n  db:\n    image: x\n" });
    const e = r.diagnostics.filter((d) => d.severity === "error");
    expect(e).toHaveLength(1);
    expect(e[0]!.location).toMatchObject({ file: "/p/compose.yaml", line: 4 });
    expect(e[0]!.hint ?? "").toContain("db");
  });
});

describe("every problem at once", () => {
  test("a file with five different errors reports all five, each located", () => {
    const text = [
      "services:", //                          1
      "  web:", //                             2
      "    image: x", //                       3
      "    networks: front", //                4  wrong type
      "    depends_onn: [db]", //              5  unknown key
      "    ports: [\"${P:?P is required}\"]", // 6  required variable
      "    mem_limit: [1]", //                 7  wrong type
      "  db:", //                              8
      "    image: 5", //                       9  wrong type
      "",
    ].join("\n");
    const r = load({ "/p/compose.yaml": text });
    const e = where(r.diagnostics);
    expect(e).toHaveLength(5);
    expect(e.map((s) => s.split(" ")[0]).sort()).toEqual(["/p/compose.yaml:4:15", "/p/compose.yaml:5:5", "/p/compose.yaml:6:13", "/p/compose.yaml:7:16", "/p/compose.yaml:9:12"]);
    expect(r.project).toBeUndefined();
  });

  test("errors in two files are all reported", () => {
    const r = load({ "/p/a.yml": "services:\n  web:\n    imag: x\n", "/p/b.yml": "services:\n  web:\n    restart: 1\n" }, { files: ["a.yml", "b.yml"] });
    expect(where(r.diagnostics).map((s) => s.split(" ")[0])).toEqual(["/p/a.yml:3:5", "/p/b.yml:3:14"]);
  });
});

describe("file shapes", () => {
  test("an empty compose file is an error (compose: empty compose file); an empty override is not", () => {
    const r = load({ "/p/compose.yaml": "# nothing yet\n" });
    expect(r.diagnostics.map((d) => [d.code, d.message, d.location?.file])).toEqual([["file.empty", "empty compose file", "/p/compose.yaml"]]);
    const ok = load({ "/p/compose.yaml": "services:\n  web: {image: x}\n", "/p/compose.override.yaml": "" });
    expect(where(ok.diagnostics)).toEqual([]);
  });

  test("a top level that is not a mapping, and a duplicate key, are located", () => {
    expect(where(load({ "/p/compose.yaml": "- a\n" }).diagnostics)).toEqual(["/p/compose.yaml:1:1 file.top-level"]);
    expect(where(load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    image: y\n" }).diagnostics)).toEqual(["/p/compose.yaml:4:5 yaml.duplicate-key"]);
  });

  test("relative paths in a second -f file resolve from the project directory (the first file's), as compose does", () => {
    const r = load(
      { "/p/a/compose.yml": "services:\n  web:\n    image: x\n", "/p/b/over.yml": "services:\n  web:\n    build: ./ctx\n    env_file: e.env\n", "/p/a/e.env": "E=1\n" },
      { files: ["a/compose.yml", "b/over.yml"] },
    );
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.services.web!.build?.context).toBe("/p/a/ctx");
    expect(r.project!.services.web!.environment).toEqual({ E: "1" });
  });

  test("-f - then a file: standard input first, the file overrides it", () => {
    const r = load({ "/p/over.yml": "services:\n  web:\n    image: file\n" }, { files: ["-", "over.yml"], stdin: "services:\n  web:\n    image: stdin\n    build: ./ctx\n" });
    expect(r.project!.services.web!.image).toBe("file");
    expect(r.project!.services.web!.build?.context).toBe("/p/ctx");
  });

  test("YAML anchors and merge keys, later keys win", () => {
    const r = load({ "/p/compose.yaml": "x-d: &d\n  image: x\n  restart: always\nservices:\n  web:\n    <<: *d\n    restart: \"no\"\n" });
    expect(where(r.diagnostics)).toEqual([]);
    expect([r.project!.services.web!.image, r.project!.services.web!.restart]).toEqual(["x", "no"]);
  });

  test("an included project may be overridden by the includer (compose-go #835, compose v5)", () => {
    const r = load({ "/p/compose.yaml": "include: [lib/c.yml]\nservices:\n  db:\n    environment: {B: '2'}\n", "/p/lib/c.yml": "name: other\nservices:\n  db:\n    image: y\n    environment: {A: '1'}\n" });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.name).toBe("p");
    expect(r.project!.services.db!.environment).toEqual({ A: "1", B: "2" });
  });

  test("an extends cycle across files names each step", () => {
    const r = load({ "/p/compose.yaml": "services:\n  a:\n    image: x\n    extends: {file: b.yml, service: b}\n", "/p/b.yml": "services:\n  b:\n    image: x\n    extends: {file: compose.yaml, service: a}\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:4:14 services.a.extends: extends.cycle"]);
    expect(r.diagnostics[0]!.message).toBe("extends cycle: a (compose.yaml) → b (b.yml) → a (compose.yaml)");
  });

  test("a required variable in an override is located in that file", () => {
    const r = load({ "/p/a.yml": "services:\n  web:\n    image: x\n", "/p/b.yml": "services:\n  web:\n    command: ${NEED:?set NEED}\n" }, { files: ["a.yml", "b.yml"] });
    expect(where(r.diagnostics)).toEqual(["/p/b.yml:3:14 services.web.command: interpolate.required"]);
  });

  test("an unset variable inside .env warns at its place in .env", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web: {image: x}\n", "/p/.env": "A=${UNSET_IN_DOTENV}\n" });
    expect(where(r.diagnostics, "warning")).toEqual(["/p/.env:1:3 dotenv.unset"]);
  });

  test("interpolate: false leaves ${...} in the raw model and reports nothing", () => {
    const r = load({ "/p/compose.yaml": "services:\n  web:\n    image: x\n    environment: [\"A=${A:?needed}\"]\n" }, { interpolate: false, normalize: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.raw).toEqual({ services: { web: { image: "x", environment: ["A=${A:?needed}"] } } });
  });
});

describe("consistency through the loader", () => {
  test("two services with one container_name: the second is an error at its container_name", () => {
    const r = load({ "/p/compose.yaml": "services:\n  a:\n    image: x\n    container_name: cc\n  b:\n    image: x\n    container_name: cc\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:7:5 services.b.container_name: consistency.container-name-in-use"]);
    expect(r.diagnostics[0]!.message).toBe('container name "cc" is already in use by service "a"');
  });

  test.each([
    ["a service with neither image nor build", "services:\n  a:\n    command: x\n", "/p/compose.yaml:2:3 services.a: consistency.no-image"],
    ["an undefined volume", "services:\n  a:\n    image: x\n    volumes: [data:/d]\n", "/p/compose.yaml:4:15 services.a.volumes[0]: consistency.undefined-volume"],
    ["an undefined secret", "services:\n  a:\n    image: x\n    secrets: [s]\n", "/p/compose.yaml:4:15 services.a.secrets[0]: consistency.undefined-secret"],
    ["network_mode: service: of an undefined service", "services:\n  a:\n    image: x\n    network_mode: service:b\n", "/p/compose.yaml:4:5 services.a.network_mode: consistency.undefined-service"],
    ["a dependency cycle", "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n", "/p/compose.yaml:4:5 services.a.depends_on.b: consistency.dependency-cycle"],
  ])("%s", (_n, text, expected) => {
    const r = load({ "/p/compose.yaml": text });
    expect(where(r.diagnostics)).toEqual([expected]);
  });

  test("consistency: false skips those checks", () => {
    const r = load({ "/p/compose.yaml": "services:\n  a:\n    image: x\n    volumes: [data:/d]\n" }, { consistency: false });
    expect(where(r.diagnostics)).toEqual([]);
  });
});

describe("include, long form details", () => {
  test("env_file and project_directory are relative to the including project; a path list merges in order", () => {
    const r = load({
      "/p/compose.yaml": "include:\n  - path: [lib/base.yml, lib/over.yml]\n    project_directory: lib\n    env_file: conf/lib.env\nservices:\n  web: {image: x}\n",
      "/p/lib/base.yml": "services:\n  db:\n    image: pg:${V}\n    build: ./ctx\n",
      "/p/lib/over.yml": "services:\n  db:\n    image: pg:${V}-over\n",
      "/p/conf/lib.env": "V=9\n",
    });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.services.db!.image).toBe("pg:9-over");
    expect(r.project!.services.db!.build?.context).toBe("/p/lib/ctx");
  });

  test("a missing include env_file is an error at that entry", () => {
    const r = load({ "/p/compose.yaml": "include:\n  - path: lib/c.yml\n    env_file: nope.env\nservices:\n  web: {image: x}\n", "/p/lib/c.yml": "services:\n  db: {image: x}\n" });
    expect(where(r.diagnostics)).toEqual(["/p/compose.yaml:3:15 include[0].env_file: include.env-file"]);
  });
});

describe("the second .env (the project directory's)", () => {
  test("its COMPOSE_PROFILES and COMPOSE_PROJECT_NAME are honoured, its COMPOSE_FILE is not", () => {
    const r = load(
      {
        "/p/compose.yaml": "services:\n  a: {image: x}\n  b: {image: x, profiles: [extra]}\n",
        "/p/other.yml": "services:\n  o: {image: x}\n",
        "/p/.env": "COMPOSE_PROFILES=extra\nCOMPOSE_PROJECT_NAME=from-parent-env\nCOMPOSE_FILE=other.yml\n",
        "/p/sub/": "",
      },
      { workingDir: "/p/sub" },
    );
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.configFiles).toEqual(["/p/compose.yaml"]);
    expect(Object.keys(r.project!.services).sort()).toEqual(["a", "b"]);
    expect(r.project!.name).toBe("from-parent-env");
  });
});

describe("include and the including project's env-file settings", () => {
  test("COMPOSE_ENV_FILES applies to the including project only; the included one still sees the values", () => {
    const r = load(
      { "/p/compose.yaml": "include: [lib/c.yml]\nservices:\n  web: {image: \"x:${A}\"}\n", "/p/one.env": "A=1\n", "/p/lib/c.yml": "services:\n  db: {image: \"y:${A}\"}\n" },
      { env: { COMPOSE_ENV_FILES: "one.env" } },
    );
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project!.services.db!.image).toBe("y:1");
  });
});

describe("the obsolete version attribute", () => {
  test("one warning per file that sets it, at its key", () => {
    const r = load({ "/p/a.yml": "version: '3'\nservices:\n  web: {image: x}\n", "/p/b.yml": "services:\n  web: {image: y}\nversion: '3.8'\n" }, { files: ["a.yml", "b.yml"] });
    expect(where(r.diagnostics, "warning")).toEqual(["/p/a.yml:1:1 version: compose.version-obsolete", "/p/b.yml:3:1 version: compose.version-obsolete"]);
  });
});

describe("unset variables across include", () => {
  test("a variable unset in both the includer and the included file is warned about once", () => {
    const r = load({ "/p/compose.yaml": "include: [lib/c.yml]\nservices:\n  web: {image: \"x:${NOPE}\"}\n", "/p/lib/c.yml": "services:\n  db: {image: \"y:${NOPE}\"}\n" });
    expect(r.diagnostics.filter((d) => d.code === "interpolate.unset")).toHaveLength(1);
  });
});
