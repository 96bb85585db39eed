import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatKeyPath, type Diagnostic } from "./diagnostics.js";
import { parseComposeYaml } from "./source.js";
import { describePlace, validateData, validateDocument, validatorSource } from "./validate.js";

/** Validates YAML text as the loader would (no interpolation here) and returns the diagnostics. */
function check(text: string): Diagnostic[] {
  const bag = new DiagnosticBag();
  const docs = parseComposeYaml("compose.yaml", text, bag);
  expect(bag.items, "the YAML itself must parse").toEqual([]);
  for (const doc of docs) validateDocument(doc, bag);
  return bag.items;
}

/** The one diagnostic a snippet must produce. */
function only(text: string): Diagnostic {
  const ds = check(text);
  expect(ds.map((d) => d.message)).toHaveLength(1);
  return ds[0]!;
}

const where = (d: Diagnostic): string => `${d.location?.line ?? "?"}:${d.location?.col ?? "?"}`;

describe("validateDocument", () => {
  it("accepts a valid file without a word", () => {
    expect(check("services:\n  web:\n    image: nginx\n    ports: ['80:80']\n")).toEqual([]);
  });

  // Each case: the YAML, then code, key path, line:col, message and hint the user sees.
  it.each([
    {
      name: "a misspelt service key",
      yaml: "services:\n  web:\n    image: nginx\n    portss:\n      - '80:80'\n",
      code: "schema.unknown-key",
      path: "services.web.portss",
      at: "4:5",
      message: "unknown key `portss` in service `web`",
      hint: "did you mean `ports`?",
    },
    {
      name: "a port written as a list",
      yaml: "services:\n  web:\n    image: nginx\n    ports:\n      - [80, 80]\n",
      code: "schema.type",
      path: "services.web.ports[0]",
      at: "5:9",
      message: 'expected a number, a string like "8080:80" or a mapping, got a list',
    },
    {
      name: "a misspelt top-level key",
      yaml: "services: {}\nnetwrks:\n  front: {}\n",
      code: "schema.unknown-key",
      path: "netwrks",
      at: "2:1",
      message: "unknown key `netwrks` in the top level",
      hint: "did you mean `networks`?",
    },
    {
      name: "a service setting at the top level",
      yaml: "image: nginx\n",
      code: "schema.unknown-key",
      path: "image",
      at: "1:1",
      hint: "`image` is a service setting: put it under `services: <name>:`",
    },
    {
      name: "a deploy setting directly in the service",
      yaml: "services:\n  web:\n    image: nginx\n    replicas: 3\n",
      code: "schema.unknown-key",
      path: "services.web.replicas",
      at: "4:5",
      hint: "`replicas` belongs under `deploy` here",
    },
    {
      name: "a YAML 1.1 number where true/false is expected",
      yaml: "services:\n  web:\n    image: nginx\n    privileged: 1\n",
      code: "schema.type",
      path: "services.web.privileged",
      at: "4:17",
      message: "expected true or false, got the number 1",
      hint: "write `true` or `false`",
    },
    {
      name: "a depends_on entry without its condition",
      yaml: "services:\n  web:\n    image: web\n    depends_on:\n      db:\n        restart: true\n  db:\n    image: db\n",
      code: "schema.required",
      path: "services.web.depends_on.db",
      at: "5:7",
      message: "missing required key `condition` in `depends_on.db` of service `web`",
      hint: "for example: condition: service_started (one of `service_started`, `service_healthy`, `service_completed_successfully`)",
    },
    {
      name: "a misspelt watch action",
      yaml: "services:\n  web:\n    build: .\n    develop:\n      watch:\n        - path: ./src\n          action: synk\n",
      code: "schema.enum",
      path: "services.web.develop.watch[0].action",
      at: "7:19",
      hint: "did you mean `sync`?",
    },
    {
      name: "an invalid service name",
      yaml: "services:\n  my app:\n    image: nginx\n",
      code: "schema.invalid-name",
      path: 'services["my app"]',
      at: "2:3",
      message: '"my app" is not a valid service name',
    },
    {
      name: "a number out of range",
      yaml: "services:\n  web:\n    image: nginx\n    cpu_percent: 150\n",
      code: "schema.range",
      path: "services.web.cpu_percent",
      at: "4:18",
      message: "150 is above the maximum 100 for `cpu_percent` of service `web`",
    },
    {
      name: "a repeated port",
      yaml: "services:\n  web:\n    image: nginx\n    ports:\n      - '80:80'\n      - '80:80'\n",
      code: "schema.duplicate",
      path: "services.web.ports[1]",
      at: "6:9",
      message: '"80:80" appears more than once in `ports` of service `web` (entries 1 and 2)',
    },
    {
      name: "an unknown pull policy",
      yaml: "services:\n  web:\n    image: nginx\n    pull_policy: sometimes\n",
      code: "schema.pattern",
      path: "services.web.pull_policy",
      at: "4:18",
      message: '"sometimes" is not a valid value for `pull_policy` of service `web`',
    },
    {
      name: "gpus as a word other than all",
      yaml: "services:\n  ml:\n    image: torch\n    gpus: two\n",
      code: "schema.enum",
      path: "services.ml.gpus",
      at: "4:11",
      message: 'expected "all" for `gpus` of service `ml`, got the string "two"',
    },
    {
      name: "a ulimit with neither soft nor hard",
      yaml: "services:\n  es:\n    image: es\n    ulimits:\n      nofile: {}\n",
      code: "schema.required",
      path: "services.es.ulimits.nofile",
      at: "5:7",
      message: "missing required keys `soft` and `hard` in `ulimits.nofile` of service `es`",
    },
    {
      name: "a network setting misspelt",
      yaml: "networks:\n  front:\n    drivr: bridge\n",
      code: "schema.unknown-key",
      path: "networks.front.drivr",
      at: "3:5",
      message: "unknown key `drivr` in network `front`",
      hint: "did you mean `driver`?",
    },
    {
      name: "an empty secret",
      yaml: "secrets:\n  token:\n",
      code: "schema.type",
      path: "secrets.token",
      message: "expected a mapping, got nothing (null)",
    },
    {
      name: "an environment given as one string",
      yaml: "services:\n  app:\n    image: alpine\n    environment: A=1\n",
      code: "schema.type",
      path: "services.app.environment",
      at: "4:18",
      message: "expected a mapping or a list, got the string \"A=1\"",
      hint: 'for example: environment: ["KEY=value"]',
    },
  ])("$name", ({ yaml, code, path, at, message, hint }) => {
    const d = only(yaml);
    expect(d.severity).toBe("error");
    expect(d.code).toBe(code);
    expect(formatKeyPath(d.path ?? [])).toBe(path);
    expect(d.location?.file).toBe("compose.yaml");
    if (at !== undefined) expect(where(d)).toBe(at);
    if (message !== undefined) expect(d.message).toBe(message);
    if (hint !== undefined) expect(d.hint).toBe(hint);
  });

  it("reports every problem in one run, in file order", () => {
    const ds = check(
      [
        "services:",
        "  web:",
        "    imgae: nginx",
        "    ports: '80:80'",
        "    restart: [always]",
        "  db:",
        "    image: postgres",
        "    healthcheck:",
        "      interval: 5",
        "volumes:",
        "  data:",
        "    driver_options: {}",
      ].join("\n"),
    );
    expect(ds.map((d) => `${where(d)} ${d.code} ${formatKeyPath(d.path ?? [])}`)).toEqual([
      "3:5 schema.unknown-key services.web.imgae",
      "4:12 schema.type services.web.ports",
      "5:14 schema.type services.web.restart",
      "9:17 schema.type services.db.healthcheck.interval",
      "12:5 schema.unknown-key volumes.data.driver_options",
    ]);
  });

  it("keeps one problem per place: an unknown key's value is not checked again", () => {
    const ds = check("services:\n  web:\n    image: nginx\n    portz: {a: [1, 2]}\n");
    expect(ds.map((d) => d.code)).toEqual(["schema.unknown-key"]);
  });

  it("points at the value written in an anchor that a service merges in", () => {
    const d = only("x-base: &base\n  image: nginx\n  restart: 3\nservices:\n  web:\n    <<: *base\n");
    expect(d.code).toBe("schema.type");
    expect(formatKeyPath(d.path ?? [])).toBe("services.web.restart");
    // The bad value is written once, in `x-base`: that is where the user fixes it.
    expect(where(d)).toBe("3:12");
  });

  it("leaves a non-mapping document to the loader", () => {
    expect(check("- a\n- b\n")).toEqual([]);
    expect(check("")).toEqual([]);
  });

  it("validates every YAML document of a multi-document file", () => {
    const ds = check("services:\n  a:\n    imag: x\n---\nservices:\n  b:\n    image: [x]\n");
    expect(ds.map((d) => formatKeyPath(d.path ?? []))).toEqual(["services.a.imag", "services.b.image"]);
  });
});

describe("validateData", () => {
  it.each([
    [{ services: { web: { image: "nginx" } } }, true],
    [{ services: { web: { image: 1 } } }, false],
    [{ "x-anything": [1, { a: null }] }, true],
    [{ services: null }, false],
    [{ version: "3.9", name: "p" }, true],
    [[], false],
  ])("%j → %s", (data, verdict) => {
    expect(validateData(data)).toBe(verdict);
  });

  it("runs from src on the schema compiled at run time", () => {
    expect(validatorSource()).toBe("compiled");
  });
});

describe("describePlace", () => {
  it.each([
    [[], "the top level"],
    [["services", "web"], "service `web`"],
    [["services", "web", "deploy", "resources"], "`deploy.resources` of service `web`"],
    [["networks", "front", "ipam", "config", 0], "`ipam.config[0]` of network `front`"],
    [["include", 0], "`include[0]`"],
  ])("%j → %s", (path, words) => {
    expect(describePlace(path)).toBe(words);
  });
});
