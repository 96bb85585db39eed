import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "./diagnostics.js";
import { applyProfiles, profilesOf } from "./profiles.js";

const project = (): { services: Record<string, unknown> } => ({
  services: {
    web: { image: "web" },
    db: { image: "db" },
    debug: { image: "debug", profiles: ["debug"] },
    tools: { image: "tools", profiles: ["debug", "ops"] },
    mail: { image: "mail", profiles: ["dev"] },
  },
});

describe("applyProfiles: which services stay", () => {
  it.each([
    { name: "no profiles: only services without profiles", enabled: [], named: [], kept: ["web", "db"] },
    { name: "one profile", enabled: ["debug"], named: [], kept: ["web", "db", "debug", "tools"] },
    { name: "any of a service's profiles enables it", enabled: ["ops"], named: [], kept: ["web", "db", "tools"] },
    { name: "* enables all", enabled: ["*"], named: [], kept: ["web", "db", "debug", "tools", "mail"] },
    { name: "blank entries (COMPOSE_PROFILES=' , ') are ignored", enabled: [" ", ""], named: [], kept: ["web", "db"] },
    { name: "naming a disabled service enables its profiles", enabled: [], named: ["mail"], kept: ["web", "db", "mail"] },
    { name: "naming a service enables every service of its profiles", enabled: [], named: ["debug"], kept: ["web", "db", "debug", "tools"] },
    { name: "naming an enabled or unknown service changes nothing", enabled: [], named: ["web", "nope"], kept: ["web", "db"] },
  ])("$name", ({ enabled, named, kept }) => {
    const data = project();
    const bag = new DiagnosticBag();
    const result = applyProfiles(data, enabled, named, bag);
    expect(Object.keys(data.services).sort()).toEqual([...kept].sort());
    expect(result.disabled).toEqual(Object.keys(project().services).filter((s) => !kept.includes(s)).sort());
    expect(bag.items).toEqual([]);
  });

  it("reports the profiles in effect, with those of named services", () => {
    expect(applyProfiles(project(), ["ops"], ["mail"], new DiagnosticBag()).profiles).toEqual(["ops", "dev"]);
  });

  it("leaves a document without services alone", () => {
    const data = {};
    expect(applyProfiles(data, ["x"], [], new DiagnosticBag())).toEqual({ disabled: [], profiles: ["x"] });
    expect(data).toEqual({});
  });
});

describe("applyProfiles: dependencies on disabled services", () => {
  it.each([
    { name: "depends_on list", web: { depends_on: ["debug"] }, path: ["services", "web", "depends_on", 0], words: 'service "web" depends on service "debug"' },
    { name: "depends_on map", web: { depends_on: { debug: { condition: "service_healthy" } } }, path: ["services", "web", "depends_on", "debug"], words: "depends on" },
    { name: "links with an alias", web: { links: ["debug:dbg"] }, path: ["services", "web", "links", 0], words: "links to" },
    { name: "volumes_from with a mode", web: { volumes_from: ["debug:ro"] }, path: ["services", "web", "volumes_from", 0], words: "mounts volumes from" },
    { name: "network_mode service:", web: { network_mode: "service:debug" }, path: ["services", "web", "network_mode"], words: "network namespace" },
    { name: "pid service:", web: { pid: "service:debug" }, path: ["services", "web", "pid"], words: "pid namespace" },
  ])("$name is an error naming the profile", ({ web, path, words }) => {
    const data = { services: { web: { image: "w", ...web }, debug: { image: "d", profiles: ["debug"] } } };
    const bag = new DiagnosticBag();
    applyProfiles(data, [], [], bag);
    expect(bag.errors).toHaveLength(1);
    const d = bag.errors[0]!;
    expect(d.code).toBe("profiles.disabled-dependency");
    expect(d.path).toEqual(path);
    expect(d.message).toContain(words);
    expect(d.message).toContain('"debug"');
    expect(d.hint).toContain("--profile debug");
  });

  it("an optional dependency (required: false) on a disabled service is dropped", () => {
    const data = {
      services: {
        web: { image: "w", depends_on: { debug: { condition: "service_started", required: false }, db: { condition: "service_started" } } },
        db: { image: "db" },
        debug: { image: "d", profiles: ["debug"] },
      },
    };
    const bag = new DiagnosticBag();
    applyProfiles(data, [], [], bag);
    expect(bag.items).toEqual([]);
    expect(data.services.web.depends_on).toEqual({ db: { condition: "service_started" } });
  });

  it("volumes_from a container is not a service reference", () => {
    const data = { services: { web: { image: "w", volumes_from: ["container:debug"] }, debug: { image: "d", profiles: ["debug"] } } };
    const bag = new DiagnosticBag();
    applyProfiles(data, [], [], bag);
    expect(bag.items).toEqual([]);
  });

  it("a disabled service may depend on another disabled one", () => {
    const data = { services: { a: { image: "a", profiles: ["x"], depends_on: ["b"] }, b: { image: "b", profiles: ["y"] } } };
    const bag = new DiagnosticBag();
    expect(applyProfiles(data, [], [], bag).disabled).toEqual(["a", "b"]);
    expect(bag.items).toEqual([]);
  });

  it("a dependency is not enabled by naming the dependent", () => {
    const data = { services: { a: { image: "a", profiles: ["x"], depends_on: ["b"] }, b: { image: "b", profiles: ["y"] } } };
    const bag = new DiagnosticBag();
    applyProfiles(data, [], ["a"], bag);
    expect(bag.errors.map((d) => d.path)).toEqual([["services", "a", "depends_on", 0]]);
  });
});

describe("profilesOf", () => {
  it("lists every profile once, sorted", () => {
    expect(profilesOf(project())).toEqual(["debug", "dev", "ops"]);
    expect(profilesOf({})).toEqual([]);
  });
});
