import { describe, expect, it } from "vitest";
import { castBool, castFloat, castInt, castTypedValues } from "./cast.js";
import { DiagnosticBag } from "./diagnostics.js";
import { parseComposeYaml } from "./source.js";

describe("scalar casts", () => {
  it.each([
    ["0", 0],
    ["42", 42],
    ["-3", -3],
    ["+7", 7],
    ["010", 10],
    ["9007199254740991", 9007199254740991],
  ])("castInt(%j) = %d", (s, n) => expect(castInt(s)).toBe(n));
  it.each(["", " 1", "1 ", "1.0", "1e3", "0x10", "1_000", "abc", "9007199254740993"])("castInt(%j) is undefined", (s) => expect(castInt(s)).toBeUndefined());

  it.each([
    ["0.5", 0.5],
    ["1", 1],
    [".5", 0.5],
    ["5.", 5],
    ["-1.25", -1.25],
    ["1e3", 1000],
    ["2.5E-1", 0.25],
  ])("castFloat(%j) = %d", (s, n) => expect(castFloat(s)).toBe(n));
  it.each(["", "abc", "1.2.3", "inf", "NaN", "1,5", " 1"])("castFloat(%j) is undefined", (s) => expect(castFloat(s)).toBeUndefined());

  it.each([
    ["true", true, false],
    ["TRUE", true, false],
    ["True", true, false],
    ["false", false, false],
    ["FaLsE", false, false],
    ["yes", true, true],
    ["Y", true, true],
    ["on", true, true],
    ["no", false, true],
    ["n", false, true],
    ["OFF", false, true],
  ])("castBool(%j) = %s (legacy %s)", (s, value, legacy) => expect(castBool(s)).toEqual({ value, legacy }));
  it.each(["", "1", "0", "t", "enabled", " true"])("castBool(%j) is undefined", (s) => expect(castBool(s)).toBeUndefined());
});

describe("castTypedValues", () => {
  const load = (text: string) => {
    const bag = new DiagnosticBag();
    const [doc] = parseComposeYaml("compose.yaml", text, bag);
    expect(bag.items).toEqual([]);
    return doc!;
  };
  const run = (text: string) => {
    const doc = load(text);
    const bag = new DiagnosticBag();
    castTypedValues(doc, bag);
    return { data: doc.data as Record<string, unknown>, bag };
  };

  it("converts strings at typed service paths", () => {
    const { data, bag } = run(`
services:
  web:
    ports:
      - target: "80"
        published: "8080"
      - "9000:9000"
    deploy:
      replicas: "3"
      update_config: { parallelism: "2", max_failure_ratio: "0.5" }
      restart_policy: { max_attempts: "5" }
      resources: { limits: { pids: "100", cpus: "0.5" } }
    healthcheck: { retries: "3", disable: "false", interval: "10s" }
    scale: "2"
    cpus: "1.5"
    cpu_shares: "512"
    cpu_percent: "50"
    oom_score_adj: "-500"
    pids_limit: "-1"
    mem_swappiness: "60"
    mem_limit: "512m"
    read_only: "true"
    privileged: "false"
    tty: "TRUE"
    stdin_open: "false"
    init: "true"
    ulimits:
      nproc: "65535"
      nofile: { soft: "20000", hard: "40000" }
    depends_on:
      db: { condition: service_healthy, required: "false", restart: "true" }
    volumes:
      - { type: volume, source: data, target: /data, read_only: "true", volume: { nocopy: "true" } }
      - { type: bind, source: ., target: /src, bind: { create_host_path: "false" } }
      - ./x:/x
    build: { context: ., no_cache: "true", pull: "false", privileged: "true" }
    env_file: [{ path: .env, required: "false" }]
    develop: { watch: [{ path: ., action: sync, target: /app, initial_sync: "true" }] }
    networks: { front: { priority: "10", gw_priority: "1" } }
    environment: { RETRIES: "3", DEBUG: "true" }
    labels: ["tty=true"]
`);
    expect(bag.items).toEqual([]);
    const web = (data.services as Record<string, Record<string, unknown>>).web!;
    expect(web.ports).toEqual([{ target: 80, published: "8080" }, "9000:9000"]);
    expect(web.deploy).toEqual({
      replicas: 3,
      update_config: { parallelism: 2, max_failure_ratio: 0.5 },
      restart_policy: { max_attempts: 5 },
      resources: { limits: { pids: 100, cpus: "0.5" } },
    });
    expect(web.healthcheck).toEqual({ retries: 3, disable: false, interval: "10s" });
    expect([web.scale, web.cpus, web.cpu_shares, web.cpu_percent, web.oom_score_adj, web.pids_limit, web.mem_swappiness, web.mem_limit]).toEqual([
      2, 1.5, 512, 50, -500, -1, 60, "512m",
    ]);
    expect([web.read_only, web.privileged, web.tty, web.stdin_open, web.init]).toEqual([true, false, true, false, true]);
    expect(web.ulimits).toEqual({ nproc: 65535, nofile: { soft: 20000, hard: 40000 } });
    expect(web.depends_on).toEqual({ db: { condition: "service_healthy", required: false, restart: true } });
    expect(web.volumes).toEqual([
      { type: "volume", source: "data", target: "/data", read_only: true, volume: { nocopy: true } },
      { type: "bind", source: ".", target: "/src", bind: { create_host_path: false } },
      "./x:/x",
    ]);
    expect(web.build).toEqual({ context: ".", no_cache: true, pull: false, privileged: true });
    expect(web.env_file).toEqual([{ path: ".env", required: false }]);
    expect(web.develop).toEqual({ watch: [{ path: ".", action: "sync", target: "/app", initial_sync: true }] });
    expect(web.networks).toEqual({ front: { priority: 10, gw_priority: 1 } });
    // free-form maps keep their strings
    expect(web.environment).toEqual({ RETRIES: "3", DEBUG: "true" });
    expect(web.labels).toEqual(["tty=true"]);
  });

  it("converts top-level resource flags and leaves other keys alone", () => {
    const { data } = run(`
networks:
  front: { external: "true", internal: "false", attachable: "true", enable_ipv6: "false", enable_ipv4: "true", name: "true" }
  back: { external: { name: x } }
volumes:
  data: { external: "true" }
secrets:
  s: { external: "false" }
configs:
  c: { external: "true" }
x-custom: { external: "true" }
`);
    expect(data.networks).toEqual({
      front: { external: true, internal: false, attachable: true, enable_ipv6: false, enable_ipv4: true, name: "true" },
      back: { external: { name: "x" } },
    });
    expect(data.volumes).toEqual({ data: { external: true } });
    expect(data.secrets).toEqual({ s: { external: false } });
    expect(data.configs).toEqual({ c: { external: true } });
    expect(data["x-custom"]).toEqual({ external: "true" });
  });

  it("leaves strings that do not convert, for the schema to report", () => {
    const { data, bag } = run(`
services:
  a:
    scale: "two"
    tty: "maybe"
    cpus: "lots"
    ports: [{ target: "80-81" }]
`);
    expect(bag.items).toEqual([]);
    expect((data.services as Record<string, unknown>).a).toEqual({ scale: "two", tty: "maybe", cpus: "lots", ports: [{ target: "80-81" }] });
  });

  it("warns about YAML 1.1 booleans at their position", () => {
    const { data, bag } = run(["services:", "  a:", "    tty: \"yes\"", "    privileged: 'off'", ""].join("\n"));
    expect((data.services as Record<string, unknown>).a).toEqual({ tty: true, privileged: false });
    expect(bag.warnings.map((w) => [w.code, w.message, w.location?.line, w.location?.col])).toEqual([
      ["cast.yaml11-boolean", '"yes" for boolean is not supported by YAML 1.2, please use `true`', 3, 10],
      ["cast.yaml11-boolean", '"off" for boolean is not supported by YAML 1.2, please use `false`', 4, 17],
    ]);
    expect(bag.warnings[1]?.path).toEqual(["services", "a", "privileged"]);
  });

  it("leaves values that are already typed and tolerates odd shapes", () => {
    const { data } = run(`
services:
  a: { tty: true, scale: 2, ports: "not a list", depends_on: [db], ulimits: null }
  b: null
`);
    expect((data.services as Record<string, unknown>).a).toEqual({ tty: true, scale: 2, ports: "not a list", depends_on: ["db"], ulimits: null });
  });
});
