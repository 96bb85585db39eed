// End-to-end loader tests: discovery, project directory, project name, env files.
// Each case states what docker compose v5 (compose-go) does; see test/fixtures/load/mem-reader.ts.
import { describe, expect, test } from "vitest";
import { load, where } from "../fixtures/load/mem-reader.js";

const svc = (image = "busybox") => `services:\n  web:\n    image: ${image}\n`;

describe("discovery", () => {
  test.each([
    ["compose.yaml wins over docker-compose.yml (with a warning)", { "/p/compose.yaml": svc("a"), "/p/docker-compose.yml": svc("b") }, {}, ["/p/compose.yaml"], "a"],
    ["docker-compose.yml before docker-compose.yaml", { "/p/docker-compose.yaml": svc("a"), "/p/docker-compose.yml": svc("b") }, {}, ["/p/docker-compose.yml"], "b"],
    ["the override file beside the chosen one", { "/p/compose.yaml": svc("a"), "/p/compose.override.yml": svc("o") }, {}, ["/p/compose.yaml", "/p/compose.override.yml"], "o"],
    ["walking up from a subdirectory", { "/p/compose.yaml": svc("a"), "/p/sub/x/": "" }, { workingDir: "/p/sub/x" }, ["/p/compose.yaml"], "a"],
    ["-f relative to the working directory, repeatable, later wins", { "/p/a/one.yml": svc("i1"), "/p/two.yml": svc("i2") }, { files: ["a/one.yml", "two.yml"] }, ["/p/a/one.yml", "/p/two.yml"], "i2"],
    ["-f - reads standard input", {}, { files: ["-"], stdin: svc("stdin") }, ["-"], "stdin"],
    ["COMPOSE_FILE with the default separator", { "/p/a.yml": svc("a"), "/p/b.yml": svc("b") }, { env: { COMPOSE_FILE: "a.yml:b.yml" } }, ["/p/a.yml", "/p/b.yml"], "b"],
    ["COMPOSE_FILE with COMPOSE_PATH_SEPARATOR", { "/p/a.yml": svc("a"), "/p/b.yml": svc("b") }, { env: { COMPOSE_FILE: "a.yml;b.yml", COMPOSE_PATH_SEPARATOR: ";" } }, ["/p/a.yml", "/p/b.yml"], "b"],
    ["COMPOSE_FILE set in .env", { "/p/.env": "COMPOSE_FILE=other.yml\n", "/p/other.yml": svc("o"), "/p/compose.yaml": svc("a") }, {}, ["/p/other.yml"], "o"],
    ["-f wins over COMPOSE_FILE", { "/p/a.yml": svc("a"), "/p/b.yml": svc("b") }, { files: ["a.yml"], env: { COMPOSE_FILE: "b.yml" } }, ["/p/a.yml"], "a"],
    ["--project-directory: discovery starts there", { "/q/compose.yaml": svc("q"), "/p/compose.yaml": svc("p") }, { projectDirectory: "/q" }, ["/q/compose.yaml"], "q"],
  ])("%s", (_name, files: Record<string, string>, opts, configFiles, image) => {
    const r = load(files, opts);
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.configFiles).toEqual(configFiles);
    expect(r.project?.services.web?.image).toBe(image);
  });

  test("two default names: compose's warning names both", () => {
    const r = load({ "/p/compose.yaml": svc("a"), "/p/compose.yml": svc("b") });
    expect(r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toEqual([
      "Found multiple config files with supported names: /p/compose.yaml, /p/compose.yml",
    ]);
  });

  test("project directory: --project-directory, else the first -f file's directory, else where the file was found", () => {
    expect(load({ "/p/sub/c.yml": svc() }, { files: ["sub/c.yml"] }).workingDir).toBe("/p/sub");
    expect(load({ "/p/sub/c.yml": svc() }, { files: ["sub/c.yml"], projectDirectory: "elsewhere" }).workingDir).toBe("/p/elsewhere");
    expect(load({ "/p/compose.yaml": svc(), "/p/a/b/": "" }, { workingDir: "/p/a/b" }).workingDir).toBe("/p");
    expect(load({}, { files: ["-"], stdin: svc() }).workingDir).toBe("/p");
  });

  test("nothing found: one error, no project", () => {
    const r = load({ "/p/x/": "" }, { workingDir: "/p/x" });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["discover.not-found", "no configuration file provided: not found"]]);
    expect(r.project).toBeUndefined();
  });

  test("a missing -f file is an error that names it", () => {
    const r = load({ "/p/compose.yaml": svc() }, { files: ["nope.yml"] });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["open /p/nope.yml: no such file or directory"]);
  });
});

describe("project name", () => {
  const named = `name: From-File\n${svc()}`;
  test.each([
    ["-p wins over everything", { "/p/compose.yaml": named, "/p/.env": "COMPOSE_PROJECT_NAME=dotenv\n" }, { projectName: "cli", env: { COMPOSE_PROJECT_NAME: "shell" } }, "cli"],
    ["COMPOSE_PROJECT_NAME from the shell over .env and name:", { "/p/compose.yaml": named, "/p/.env": "COMPOSE_PROJECT_NAME=dotenv\n" }, { env: { COMPOSE_PROJECT_NAME: "shell" } }, "shell"],
    ["COMPOSE_PROJECT_NAME from .env over name:", { "/p/compose.yaml": named, "/p/.env": "COMPOSE_PROJECT_NAME=dotenv\n" }, {}, "dotenv"],
    ["name: is normalized", { "/p/compose.yaml": named }, {}, "from-file"],
    ["name: is interpolated", { "/p/compose.yaml": `name: app-\${STAGE}\n${svc()}`, "/p/.env": "STAGE=dev\n" }, {}, "app-dev"],
    ["the last file's name: wins", { "/p/a.yml": `name: first\n${svc()}`, "/p/b.yml": "name: second\n" }, { files: ["a.yml", "b.yml"] }, "second"],
    ["the directory name, normalized", { "/work/My.App_1/compose.yaml": svc() }, { workingDir: "/work/My.App_1" }, "myapp_1"],
    ["a name: that normalizes to nothing falls back to the directory", { "/p/compose.yaml": `name: "..."\n${svc()}` }, {}, "p"],
    ["an empty COMPOSE_PROJECT_NAME is ignored", { "/p/compose.yaml": named }, { env: { COMPOSE_PROJECT_NAME: "" } }, "from-file"],
  ])("%s", (_name, files: Record<string, string>, opts, expected) => {
    const r = load(files, opts);
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.project?.name).toBe(expected);
  });

  test.each([
    ["-p", { projectName: "My App" }],
    ["COMPOSE_PROJECT_NAME", { env: { COMPOSE_PROJECT_NAME: "My App" } }],
  ])("an invalid explicit name from %s is rejected with compose's words and a suggestion", (_from, opts) => {
    const r = load({ "/p/compose.yaml": svc() }, opts);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        "project.name",
        'invalid project name "My App": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number',
        'did you mean "myapp"?',
      ],
    ]);
    expect(r.project).toBeUndefined();
  });

  test("a directory name with nothing valid in it: project name must not be empty", () => {
    const r = load({ "/__/compose.yaml": svc() }, { workingDir: "/__" });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["project name must not be empty"]);
  });

  test("${COMPOSE_PROJECT_NAME} in a file reads the resolved project name", () => {
    const r = load({ "/p/compose.yaml": `name: demo\nservices:\n  web:\n    image: x\n    container_name: \${COMPOSE_PROJECT_NAME}-web\n` });
    expect(r.project?.services.web?.container_name).toBe("demo-web");
    expect(r.environment.COMPOSE_PROJECT_NAME).toBe("demo");
    const p = load({ "/p/compose.yaml": `name: demo\nservices:\n  web:\n    image: x\n    container_name: \${COMPOSE_PROJECT_NAME}-web\n` }, { projectName: "cli" });
    expect(p.project?.services.web?.container_name).toBe("cli-web");
  });
});

describe("environment files", () => {
  const uses = `services:\n  web:\n    image: x\n    environment:\n      A: \${A:-}\n      B: \${B:-}\n      C: \${C:-}\n`;
  const envOf = (r: ReturnType<typeof load>) => r.project?.services.web?.environment;

  test.each([
    ["shell > .env", { "/p/compose.yaml": uses, "/p/.env": "A=dotenv\nB=dotenv\n" }, { env: { A: "shell" } }, { A: "shell", B: "dotenv", C: "" }],
    ["--env-file replaces .env; later --env-file wins; shell wins over both", { "/p/compose.yaml": uses, "/p/.env": "C=dotenv\n", "/p/one.env": "A=one\nB=one\n", "/p/two.env": "B=two\n" }, { envFiles: ["one.env", "two.env"], env: { A: "shell" } }, { A: "shell", B: "two", C: "" }],
    ["a later env file can use an earlier one's variable", { "/p/compose.yaml": uses, "/p/one.env": "A=one\n", "/p/two.env": "B=${A}-two\n" }, { envFiles: ["one.env", "two.env"] }, { A: "one", B: "one-two", C: "" }],
    ["COMPOSE_ENV_FILES (comma separated) when no --env-file", { "/p/compose.yaml": uses, "/p/.env": "C=dotenv\n", "/p/one.env": "A=one\n", "/p/two.env": "B=two\n" }, { env: { COMPOSE_ENV_FILES: "one.env,two.env" } }, { A: "one", B: "two", C: "" }],
    ["COMPOSE_DISABLE_ENV_FILE=true skips .env", { "/p/compose.yaml": uses, "/p/.env": "A=dotenv\n" }, { env: { COMPOSE_DISABLE_ENV_FILE: "true" } }, { A: "", B: "", C: "" }],
    ["COMPOSE_DISABLE_ENV_FILE=0 keeps .env", { "/p/compose.yaml": uses, "/p/.env": "A=dotenv\n" }, { env: { COMPOSE_DISABLE_ENV_FILE: "0" } }, { A: "dotenv", B: "", C: "" }],
    [".env comes from the -f file's directory", { "/p/sub/c.yml": uses, "/p/sub/.env": "A=sub\n", "/p/.env": "A=cwd\n" }, { files: ["sub/c.yml"] }, { A: "sub", B: "", C: "" }],
    [".env comes from --project-directory", { "/p/compose.yaml": uses, "/q/.env": "A=q\n", "/p/.env": "A=cwd\n" }, { files: ["compose.yaml"], projectDirectory: "/q" }, { A: "q", B: "", C: "" }],
    // compose reads the default .env before discovery (working directory) and again after it
    // (the directory of the file it found); the first one wins, the second fills in.
    ["walking up: the working directory's .env, then the project directory's", { "/p/compose.yaml": uses, "/p/.env": "A=parent\nB=parent\n", "/p/sub/.env": "A=sub\n" }, { workingDir: "/p/sub" }, { A: "sub", B: "parent", C: "" }],
    ["COMPOSE_FILE in another directory: that directory's .env fills in", { "/p/x/c.yml": uses, "/p/x/.env": "A=x\nB=x\n", "/p/.env": "COMPOSE_FILE=x/c.yml\nA=cwd\n" }, {}, { A: "cwd", B: "x", C: "" }],
    ["--env-file ~/...: the home directory", { "/p/compose.yaml": uses, "/home/u/my.env": "A=home\n" }, { envFiles: ["~/my.env"] }, { A: "home", B: "", C: "" }],
  ])("%s", (_name, files: Record<string, string>, opts, expected) => {
    const r = load(files, opts);
    expect(where(r.diagnostics)).toEqual([]);
    expect(envOf(r)).toEqual(expected);
  });

  test("only --env-file and COMPOSE_ENV_FILES files are explicit (compose v5 labels containers with them, never with a default .env)", () => {
    const files = { "/p/compose.yaml": uses, "/p/.env": "A=dotenv\n", "/p/one.env": "A=one\n" };
    expect(load(files).explicitEnvFiles).toEqual([]);
    expect(load(files).envFiles).toEqual(["/p/.env"]);
    expect(load(files, { envFiles: ["one.env"] }).explicitEnvFiles).toEqual(["/p/one.env"]);
    expect(load(files, { env: { COMPOSE_ENV_FILES: "one.env,.env" } }).explicitEnvFiles).toEqual(["/p/one.env", "/p/.env"]);
  });

  test("a missing --env-file is an error; a missing .env is not", () => {
    expect(where(load({ "/p/compose.yaml": uses }).diagnostics)).toEqual([]);
    const r = load({ "/p/compose.yaml": uses }, { envFiles: ["nope.env"] });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["env.file-missing", "env file /p/nope.env not found"]]);
  });

  test("COMPOSE_PROFILES set in .env is honoured; --profile wins", () => {
    const files = { "/p/compose.yaml": "services:\n  a: {image: x, profiles: [pa]}\n  b: {image: x, profiles: [pb]}\n", "/p/.env": "COMPOSE_PROFILES=pa\n" };
    expect(Object.keys(load(files).project!.services)).toEqual(["a"]);
    expect(Object.keys(load(files, { profiles: ["pb"] }).project!.services)).toEqual(["b"]);
  });

  test("a .env syntax error is located in the .env file", () => {
    const r = load({ "/p/compose.yaml": uses, "/p/.env": "OK=1\nBAD KEY=2\n" });
    expect(where(r.diagnostics)).toEqual(["/p/.env:2:1 dotenv.key-space"]);
  });
});
