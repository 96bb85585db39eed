import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiagnosticBag, type KeyPath } from "./diagnostics.js";
import { applyResets, enforceUnique, keyValueMapping, mergeAt, mergeDocuments, portKey, volumeTarget } from "./merge.js";
import { parseComposeYaml } from "./source.js";

const svc = (s: unknown): unknown => ({ services: { web: s } });

interface Case {
  name: string;
  base: unknown;
  overlay: unknown;
  want: unknown;
  resets?: KeyPath[];
  overrides?: KeyPath[];
}

// Service-level cases: base and overlay are the `web` service of two files.
const serviceCases: Case[] = [
  { name: "scalars: the later file wins", base: { image: "a", user: "root" }, overlay: { image: "b" }, want: { image: "b", user: "root" } },
  { name: "mappings merge key by key", base: { healthcheck: { interval: "1s", retries: 3 } }, overlay: { healthcheck: { retries: 5 } }, want: { healthcheck: { interval: "1s", retries: 5 } } },
  { name: "a new key is added", base: { image: "a" }, overlay: { restart: "always" }, want: { image: "a", restart: "always" } },
  { name: "an empty overlay value keeps the base", base: { image: "a" }, overlay: { image: null }, want: { image: "a" } },
  { name: "command is replaced, not appended", base: { command: ["echo", "foo"] }, overlay: { command: ["echo", "bar"] }, want: { command: ["echo", "bar"] } },
  { name: "command string replaces a list", base: { command: ["a", "b"] }, overlay: { command: "c d" }, want: { command: "c d" } },
  { name: "entrypoint is replaced", base: { entrypoint: ["/a"] }, overlay: { entrypoint: ["/b"] }, want: { entrypoint: ["/b"] } },
  { name: "healthcheck.test is replaced, the rest merges", base: { healthcheck: { test: ["CMD", "a"], retries: 1 } }, overlay: { healthcheck: { test: ["CMD", "b"] } }, want: { healthcheck: { test: ["CMD", "b"], retries: 1 } } },
  { name: "generic sequences append (security_opt)", base: { security_opt: ["a"] }, overlay: { security_opt: ["b"] }, want: { security_opt: ["a", "b"] } },
  { name: "dns string and list append", base: { dns: "1.1.1.1" }, overlay: { dns: ["8.8.8.8"] }, want: { dns: ["1.1.1.1", "8.8.8.8"] } },
  { name: "dns duplicates are dropped", base: { dns: ["1.1.1.1"] }, overlay: { dns: ["1.1.1.1", "8.8.8.8"] }, want: { dns: ["1.1.1.1", "8.8.8.8"] } },
  { name: "cap_add appends without duplicates", base: { cap_add: ["NET_ADMIN"] }, overlay: { cap_add: ["NET_ADMIN", "SYS_TIME"] }, want: { cap_add: ["NET_ADMIN", "SYS_TIME"] } },
  { name: "expose dedups 80 and '80'", base: { expose: [80] }, overlay: { expose: ["80", "81"] }, want: { expose: ["80", "81"] } },
  { name: "ports append", base: { ports: ["8080:80"] }, overlay: { ports: ["8443:443"] }, want: { ports: ["8080:80", "8443:443"] } },
  { name: "ports with the same address are one", base: { ports: ["8080:80"] }, overlay: { ports: [{ target: 80, published: "8080" }] }, want: { ports: [{ target: 80, published: "8080" }] } },
  { name: "ports on another protocol are distinct", base: { ports: ["53:53"] }, overlay: { ports: ["53:53/udp"] }, want: { ports: ["53:53", "53:53/udp"] } },
  { name: "ports on another host ip are distinct", base: { ports: ["8080:80"] }, overlay: { ports: ["127.0.0.1:8080:80"] }, want: { ports: ["8080:80", "127.0.0.1:8080:80"] } },
  { name: "volumes keyed by target: later replaces in place", base: { volumes: ["foo:/work", "x:/x"] }, overlay: { volumes: ["bar:/work"] }, want: { volumes: ["bar:/work", "x:/x"] } },
  { name: "volumes long and short forms share the target key", base: { volumes: ["./a:/app/"] }, overlay: { volumes: [{ type: "bind", source: "./b", target: "/app" }] }, want: { volumes: [{ type: "bind", source: "./b", target: "/app" }] } },
  { name: "secrets keyed by target (default /run/secrets/name)", base: { secrets: ["s"] }, overlay: { secrets: [{ source: "s", mode: 0o400 }] }, want: { secrets: [{ source: "s", mode: 0o400 }] } },
  { name: "secrets with distinct targets both stay", base: { secrets: ["s"] }, overlay: { secrets: [{ source: "s", target: "/etc/s" }] }, want: { secrets: ["s", { source: "s", target: "/etc/s" }] } },
  { name: "configs keyed by target (default /name)", base: { configs: ["c"] }, overlay: { configs: [{ source: "c", target: "/c", mode: 1 }] }, want: { configs: [{ source: "c", target: "/c", mode: 1 }] } },
  { name: "devices keyed by container path", base: { devices: ["/dev/a:/dev/x"] }, overlay: { devices: ["/dev/b:/dev/x:r"] }, want: { devices: ["/dev/b:/dev/x:r"] } },
  { name: "environment map over map", base: { environment: { A: "1", B: "2" } }, overlay: { environment: { B: "3" } }, want: { environment: { A: "1", B: "3" } } },
  { name: "environment list over map merges as a map", base: { environment: { A: "1", B: "2" } }, overlay: { environment: ["B=3", "C"] }, want: { environment: { A: "1", B: "3", C: null } } },
  { name: "environment map over list merges as a map", base: { environment: ["A=1", "B=x=y"] }, overlay: { environment: { A: 2 } }, want: { environment: { A: 2, B: "x=y" } } },
  { name: "environment list over list dedups by key", base: { environment: ["A=1", "B=2"] }, overlay: { environment: ["A=9"] }, want: { environment: ["A=9", "B=2"] } },
  { name: "environment null value replaces", base: { environment: { A: "1" } }, overlay: { environment: { A: null } }, want: { environment: { A: null } } },
  { name: "labels list and map", base: { labels: ["a=1"] }, overlay: { labels: { b: "2" } }, want: { labels: { a: "1", b: "2" } } },
  { name: "sysctls list and map", base: { sysctls: { "net.core.somaxconn": 1024 } }, overlay: { sysctls: ["net.core.somaxconn=2048"] }, want: { sysctls: { "net.core.somaxconn": "2048" } } },
  { name: "annotations merge as a map", base: { annotations: ["a=1"] }, overlay: { annotations: ["a=2"] }, want: { annotations: ["a=2"] } },
  { name: "build.args list and map", base: { build: { context: ".", args: ["A=1"] } }, overlay: { build: { args: { B: "2" } } }, want: { build: { context: ".", args: { A: "1", B: "2" } } } },
  { name: "build string then mapping", base: { build: "./app" }, overlay: { build: { dockerfile: "Dev" } }, want: { build: { context: "./app", dockerfile: "Dev" } } },
  { name: "build mapping then string", base: { build: { context: ".", target: "t" } }, overlay: { build: "./other" }, want: { build: { context: "./other", target: "t" } } },
  { name: "build.tags dedup", base: { build: { tags: ["a:1"] } }, overlay: { build: { tags: ["a:1", "b:2"] } }, want: { build: { tags: ["a:1", "b:2"] } } },
  { name: "extra_hosts map and list keep every address", base: { extra_hosts: { db: "10.0.0.1" } }, overlay: { extra_hosts: ["db=10.0.0.2", "db=10.0.0.1"] }, want: { extra_hosts: ["db=10.0.0.1", "db=10.0.0.2"] } },
  { name: "depends_on list over list", base: { depends_on: ["db"] }, overlay: { depends_on: ["cache"] }, want: { depends_on: { db: { condition: "service_started", required: true }, cache: { condition: "service_started", required: true } } } },
  { name: "depends_on map over list keeps both", base: { depends_on: ["db"] }, overlay: { depends_on: { cache: { condition: "service_healthy" } } }, want: { depends_on: { db: { condition: "service_started", required: true }, cache: { condition: "service_healthy" } } } },
  { name: "depends_on list over map resets the condition (as compose)", base: { depends_on: { db: { condition: "service_healthy", restart: true } } }, overlay: { depends_on: ["db"] }, want: { depends_on: { db: { condition: "service_started", restart: true, required: true } } } },
  { name: "networks list over map keeps the base's settings", base: { networks: { front: { aliases: ["a"] } } }, overlay: { networks: ["front", "back"] }, want: { networks: { front: { aliases: ["a"] }, back: null } } },
  { name: "network aliases append without duplicates", base: { networks: { front: { aliases: ["a"] } } }, overlay: { networks: { front: { aliases: ["a", "b"] } } }, want: { networks: { front: { aliases: ["a", "b"] } } } },
  { name: "logging with the same driver merges options", base: { logging: { driver: "json-file", options: { "max-size": "1m" } } }, overlay: { logging: { options: { "max-file": "3" } } }, want: { logging: { driver: "json-file", options: { "max-size": "1m", "max-file": "3" } } } },
  { name: "logging with another driver replaces", base: { logging: { driver: "json-file", options: { "max-size": "1m" } } }, overlay: { logging: { driver: "syslog" } }, want: { logging: { driver: "syslog" } } },
  { name: "ulimits: each limit is replaced whole", base: { ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 10 } }, overlay: { ulimits: { nofile: { soft: 5 } } }, want: { ulimits: { nofile: { soft: 5 }, nproc: 10 } } },
  { name: "env_file string and list append and dedup by path", base: { env_file: "a.env" }, overlay: { env_file: [{ path: "a.env", required: false }, "b.env"] }, want: { env_file: [{ path: "a.env", required: false }, "b.env"] } },
  { name: "tmpfs string and list", base: { tmpfs: "/run" }, overlay: { tmpfs: ["/tmp"] }, want: { tmpfs: ["/run", "/tmp"] } },
  { name: "profiles dedup", base: { profiles: ["a"] }, overlay: { profiles: ["a", "b"] }, want: { profiles: ["a", "b"] } },
  { name: "!reset removes a key", base: { image: "a", ports: ["80:80"] }, overlay: {}, resets: [["services", "web", "ports"]], want: { image: "a" } },
  { name: "!reset on a key the base lacks is a no-op", base: { image: "a" }, overlay: {}, resets: [["services", "web", "ports"]], want: { image: "a" } },
  { name: "!reset of one environment key, map form", base: { environment: { FOO: "BAR", X: "1" } }, overlay: {}, resets: [["services", "web", "environment", "FOO"]], want: { environment: { X: "1" } } },
  { name: "!reset of one environment key, list form", base: { environment: ["FOO=BAR", "X=1"] }, overlay: {}, resets: [["services", "web", "environment", "FOO"]], want: { environment: ["X=1"] } },
  { name: "!override replaces a sequence", base: { ports: ["8080:80"] }, overlay: { ports: ["8443:443"] }, overrides: [["services", "web", "ports"]], want: { ports: ["8443:443"] } },
  { name: "!override replaces a mapping", base: { environment: { A: "1" } }, overlay: { environment: { B: "2" } }, overrides: [["services", "web", "environment"]], want: { environment: { B: "2" } } },
];

describe("mergeDocuments: service attributes", () => {
  it.each(serviceCases)("$name", ({ base, overlay, want, resets, overrides }) => {
    const bag = new DiagnosticBag();
    const got = mergeDocuments(svc(base), { data: svc(overlay), resets: resets ?? [], overrides: overrides ?? [] }, bag);
    expect(got).toEqual(svc(want));
    expect(bag.items).toEqual([]);
  });
});

const documentCases: Case[] = [
  { name: "services from both files", base: { services: { a: { image: "a" } } }, overlay: { services: { b: { image: "b" } } }, want: { services: { a: { image: "a" }, b: { image: "b" } } } },
  { name: "top-level networks merge", base: { networks: { n: { driver: "bridge" } } }, overlay: { networks: { n: { internal: true } } }, want: { networks: { n: { driver: "bridge", internal: true } } } },
  { name: "network labels list and map", base: { networks: { n: { labels: ["a=1"] } } }, overlay: { networks: { n: { labels: { b: "2" } } } }, want: { networks: { n: { labels: { a: "1", b: "2" } } } } },
  {
    name: "ipam pools: the overlay's pools win, merged by subnet",
    base: { networks: { n: { ipam: { config: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.1" }, { subnet: "10.1.0.0/24" }] } } } },
    overlay: { networks: { n: { ipam: { config: [{ subnet: "10.0.0.0/24", ip_range: "10.0.0.0/25" }] } } } },
    want: { networks: { n: { ipam: { config: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.1", ip_range: "10.0.0.0/25" }] } } } },
  },
  { name: "a whole service reset", base: { services: { a: { image: "a" }, b: { image: "b" } } }, overlay: {}, resets: [["services", "b"]], want: { services: { a: { image: "a" } } } },
  { name: "extensions merge like mappings", base: { "x-common": { a: 1 } }, overlay: { "x-common": { b: 2 } }, want: { "x-common": { a: 1, b: 2 } } },
  { name: "an undefined base is an empty document", base: undefined, overlay: { services: { a: { ports: ["80:80", "80:80"] } } }, want: { services: { a: { ports: ["80:80"] } } } },
];

describe("mergeDocuments: whole documents", () => {
  it.each(documentCases)("$name", ({ base, overlay, want, resets, overrides }) => {
    expect(mergeDocuments(base, { data: overlay, resets: resets ?? [], overrides: overrides ?? [] })).toEqual(want);
  });

  it("does not modify its inputs", () => {
    const base = svc({ ports: ["80:80"], environment: { A: "1" } });
    const overlay = svc({ ports: ["81:81"], environment: ["B=2"] });
    const snapshot = JSON.stringify([base, overlay]);
    mergeDocuments(base, { data: overlay, resets: [["services", "web", "environment", "A"]], overrides: [] });
    expect(JSON.stringify([base, overlay])).toBe(snapshot);
  });

  it("reports a mapping laid over a sequence, located in the overlay", () => {
    const [doc] = parseComposeYaml("/p/override.yaml", "services:\n  web:\n    volumes:\n      a: b\n", new DiagnosticBag());
    const bag = new DiagnosticBag();
    mergeDocuments(svc({ volumes: ["a:/a"] }), doc!, bag);
    expect(bag.errors).toHaveLength(1);
    expect(bag.errors[0]!.code).toBe("merge.type-mismatch");
    expect(bag.errors[0]!.message).toContain("services.web.volumes");
    expect(bag.errors[0]!.location).toEqual({ file: "/p/override.yaml", line: 4, col: 7 });
  });

  it("applies !reset and !override tags read by the parser", () => {
    const bag = new DiagnosticBag();
    const text = "services:\n  web:\n    ports: !reset []\n    environment: !override\n      B: '2'\n";
    const [doc] = parseComposeYaml("/p/o.yaml", text, bag);
    const got = mergeDocuments(svc({ image: "a", ports: ["80:80"], environment: { A: "1" } }), doc!, bag);
    expect(got).toEqual(svc({ image: "a", environment: { B: "2" } }));
    expect(bag.items).toEqual([]);
  });
});

describe("merge helpers", () => {
  it.each([
    ["8080:80", "0.0.0.0|8080|80|tcp"],
    ["80", "0.0.0.0||80|tcp"],
    ["127.0.0.1:8080:80/udp", "127.0.0.1|8080|80|udp"],
    ["[::1]:8080:80", "::1|8080|80|tcp"],
    ["8000-8001:80-81", "0.0.0.0|8000-8001|80-81|tcp"],
    [{ target: 80, published: 8080, host_ip: "0.0.0.0" }, "0.0.0.0|8080|80|tcp"],
  ])("portKey(%j) = %s", (entry, key) => {
    expect(portKey(entry)).toBe(key);
  });

  it.each([
    ["data:/var/lib/data", "/var/lib/data"],
    ["/anon", "/anon"],
    ["./src:/app/:ro", "/app"],
    [{ type: "volume", source: "v", target: "/x//y/" }, "/x/y"],
  ])("volumeTarget(%j) = %s", (entry, target) => {
    expect(volumeTarget(entry)).toBe(target);
  });

  it("mergeAt merges two services with the service rules", () => {
    expect(mergeAt({ command: ["a"], dns: ["x"] }, { command: ["b"], dns: ["y"] }, ["services", "web"])).toEqual({ command: ["b"], dns: ["x", "y"] });
  });

  it("applyResets ignores paths through missing parents", () => {
    const doc = { services: {} };
    applyResets(doc, [["services", "web", "ports"], ["networks", "x"]]);
    expect(doc).toEqual({ services: {} });
  });

  it("enforceUnique leaves unkeyed sequences alone", () => {
    expect(enforceUnique(svc({ security_opt: ["a", "a"], cap_add: ["A", "A"] }))).toEqual(svc({ security_opt: ["a", "a"], cap_add: ["A"] }));
  });
});

describe("merge properties", () => {
  const key = fc.constantFrom("A", "B", "C", "D_1", "e");
  const value = fc.option(fc.string({ maxLength: 5 }).filter((v) => !v.includes("\n")), { nil: null });
  const envMap = fc.dictionary(key, value, { maxKeys: 5 });
  // The same variables in either form: a mapping, or a KEY=VALUE list (a null value is a bare KEY).
  const envForm = envMap.chain((m) =>
    fc.constantFrom<unknown>(
      m,
      Object.entries(m).map(([k, v]) => (v === null ? k : `${k}=${v}`)),
    ).map((form) => ({ map: m, form })),
  );

  it("environment in any form merges like assigning the later map over the earlier", () => {
    fc.assert(
      fc.property(envForm, envForm, (base, over) => {
        const got = mergeDocuments(svc({ environment: base.form }), { data: svc({ environment: over.form }), resets: [], overrides: [] }) as {
          services: { web: { environment: unknown } };
        };
        expect(keyValueMapping(got.services.web.environment)).toEqual({ ...base.map, ...over.map });
      }),
    );
  });

  it("ports end up unique by address and keep every overlay entry", () => {
    const port = fc.tuple(fc.constantFrom("", "127.0.0.1:"), fc.integer({ min: 80, max: 83 }), fc.integer({ min: 80, max: 83 }), fc.constantFrom("", "/udp")).map(
      ([ip, p, t, proto]) => `${ip}${p}:${t}${proto}`,
    );
    fc.assert(
      fc.property(fc.array(port, { maxLength: 6 }), fc.array(port, { maxLength: 6 }), (base, over) => {
        const got = (mergeDocuments(svc({ ports: base }), { data: svc({ ports: over }), resets: [], overrides: [] }) as { services: { web: { ports: string[] } } }).services.web.ports;
        const keys = got.map(portKey);
        expect(new Set(keys).size).toBe(keys.length);
        for (const p of over) expect(got).toContain(p);
        expect(new Set(keys)).toEqual(new Set([...base, ...over].map(portKey)));
      }),
    );
  });

  it("merging an empty overlay only deduplicates, and never touches the inputs", () => {
    const doc = fc.record({ services: fc.dictionary(fc.constantFrom("a", "b"), fc.record({ image: fc.string(), dns: fc.array(fc.constantFrom("1", "2")) })) });
    fc.assert(
      fc.property(doc, (base) => {
        const before = JSON.stringify(base);
        const got = mergeDocuments(base, { data: {}, resets: [], overrides: [] });
        expect(JSON.stringify(base)).toBe(before);
        expect(got).toEqual(enforceUnique(structuredClone(base)));
      }),
    );
  });
});
