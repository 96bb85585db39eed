import { describe, expect, it } from "vitest";
import type { Project } from "../compose/types.js";
import { LABELS, type ContainerState, type ContainerSummary } from "../engine/types.js";
import { planToString } from "../reconcile/plan-text.js";
import {
  isYes,
  parseDependsOnLabel,
  parseReplicas,
  parseTimeout,
  planRemove,
  planStart,
  planStop,
  projectFromContainers,
  restartOrder,
  withDependencies,
} from "./lifecycle-model.js";

let seq = 0;
function box(service: string, number: number, state: ContainerState, extra: Record<string, string> = {}): ContainerSummary {
  seq++;
  const id = `${service}${number}`.padEnd(12, "0") + String(seq).padStart(4, "0");
  return {
    id,
    name: extra.oneoff ? `p-${service}-run-${seq}` : `p-${service}-${number}`,
    image: "busybox",
    imageId: "sha256:x",
    command: "",
    created: seq,
    state,
    status: "",
    labels: {
      [LABELS.project]: "p",
      [LABELS.service]: service,
      [LABELS.containerNumber]: String(number),
      [LABELS.oneoff]: extra.oneoff ? "True" : "False",
      ...(extra.dependsOn !== undefined ? { [LABELS.dependsOn]: extra.dependsOn } : {}),
    },
    networks: {},
    ports: [],
    mounts: [],
  };
}

// db ← api ← web (web depends on api, api on db healthy); cache alone; migrate one-shot for api.
const project: Project = {
  name: "p",
  services: {
    db: { name: "db", pre_stop: [{ command: ["sync"] }] },
    migrate: { name: "migrate", depends_on: { db: { condition: "service_started", required: true } } },
    api: {
      name: "api",
      depends_on: {
        db: { condition: "service_healthy", required: true, restart: true },
        migrate: { condition: "service_completed_successfully", required: true },
      },
    },
    web: { name: "web", depends_on: { api: { condition: "service_started", required: true, restart: true } } },
    cache: { name: "cache" },
  },
};

/** The plan's lines without container ids, which differ per test run only in their suffix. */
const text = (p: ReturnType<typeof planStart>) => planToString(p).replace(/ \([0-9a-z]{12}\)/g, "");

describe("depends_on label", () => {
  it("reads compose's service:condition:restart entries, with compose's defaults for short ones", () => {
    expect(parseDependsOnLabel("db:service_healthy:false,cache:service_started:true,old")).toEqual({
      db: { condition: "service_healthy", restart: false, required: false },
      cache: { condition: "service_started", restart: true, required: false },
      old: { condition: "service_started", restart: true, required: false },
    });
    expect(parseDependsOnLabel("")).toEqual({});
    expect(parseDependsOnLabel(undefined)).toEqual({});
  });

  it("rebuilds the project's services from labels, one-off containers left out", () => {
    const p = projectFromContainers("p", [box("web", 1, "running", { dependsOn: "api:service_started:true" }), box("api", 1, "exited", { dependsOn: "" }), box("tool", 1, "exited", { oneoff: "1" })]);
    expect(Object.keys(p.services).sort()).toEqual(["api", "web"]);
    expect(p.services.web?.depends_on).toEqual({ api: { condition: "service_started", restart: true, required: false } });
    expect(p.services.api?.depends_on).toBeUndefined();
  });
});

describe("start", () => {
  it("takes the named services' dependencies along, transitively", () => {
    expect(withDependencies(project, ["web"])).toEqual(["api", "db", "migrate", "web"]);
    expect(withDependencies(project, ["cache"])).toEqual(["cache"]);
    expect(withDependencies(project, [])).toEqual(["api", "cache", "db", "migrate", "web"]);
  });

  it("starts stopped containers dependencies first, waiting on health and completion conditions", () => {
    const containers = [box("db", 1, "exited"), box("migrate", 1, "exited"), box("api", 1, "exited"), box("api", 2, "running"), box("web", 1, "created"), box("cache", 1, "exited")];
    expect(text(planStart(project, containers, ["web"]))).toBe(
      [
        "project p: 6 actions",
        "#1 start container p-db-1: start: was exited",
        "#2 start container p-migrate-1 [after #1]: start: was exited",
        "#3 wait for db healthy [after #1]: api needs db healthy",
        "#4 wait for migrate completed successfully [after #2]: api needs migrate completed successfully",
        "#5 start container p-api-1 [after #3 #4]: start: was exited",
        "#6 start container p-web-1 [after #5]: start: was created",
        "",
      ].join("\n"),
    );
  });

  it("leaves running and paused containers and one-offs alone, and waits for a running dependency's health", () => {
    const containers = [box("db", 1, "running"), box("api", 1, "paused"), box("web", 1, "exited"), box("web", 1, "exited", { oneoff: "1" })];
    const p: Project = { name: "p", services: { db: { name: "db" }, api: { name: "api", depends_on: { db: { condition: "service_healthy", required: true } } }, web: { name: "web", depends_on: { db: { condition: "service_healthy", required: true } } } } };
    expect(text(planStart(p, containers, []))).toBe(["project p: 2 actions", "#1 wait for db healthy: web needs db healthy", "#2 start container p-web-1 [after #1]: start: was exited", ""].join("\n"));
  });

  it("fails as compose does when the project has no container at all, and skips services scaled to 0", () => {
    expect(planStart(project, [], ["cache"]).errors).toEqual(['service "cache" has no container to start']);
    const zero: Project = { name: "p", services: { a: { name: "a", scale: 0 } } };
    expect(planStart(zero, [], []).errors).toEqual([]);
    // A service with no container while others have some is skipped, not an error (compose's check is project-wide).
    expect(planStart(project, [box("db", 1, "exited")], ["cache"]).errors).toEqual([]);
  });
});

describe("stop", () => {
  it("stops dependants before their dependencies, stopped containers included, pre_stop only where it runs", () => {
    const containers = [box("db", 1, "running"), box("db", 2, "exited"), box("api", 1, "running"), box("web", 1, "running"), box("web", 2, "running", { oneoff: "1" })];
    expect(text(planStop(project, containers, [], 5))).toBe(
      [
        "project p: 4 actions",
        "#1 stop container p-web-1 within 5s: stop",
        "#2 stop container p-api-1 within 5s [after #1]: stop",
        "#3 stop container p-db-1 within 5s [after #2]: stop",
        "#4 stop container p-db-2 within 5s [after #2]: stop",
        "",
      ].join("\n"),
    );
    const plan = planStop(project, containers, ["db"]);
    expect(plan.actions.map((a) => (a.kind === "stop-container" ? [a.container.name, a.preStop ?? false, a.timeout] : []))).toEqual([
      ["p-db-1", true, undefined],
      ["p-db-2", false, undefined],
    ]);
  });

  it("stops only the named services, not what they depend on", () => {
    const containers = [box("db", 1, "running"), box("api", 1, "running"), box("web", 1, "running")];
    expect(planStop(project, containers, ["api"]).actions.map((a) => (a.kind === "stop-container" ? a.container.name : ""))).toEqual(["p-api-1"]);
  });
});

describe("rm", () => {
  it("removes only stopped service containers of the chosen services, with their anonymous volumes on -v", () => {
    const containers = [box("db", 1, "exited"), box("db", 2, "running"), box("api", 1, "created"), box("api", 2, "paused"), box("web", 1, "dead"), box("web", 3, "exited", { oneoff: "1" })];
    const plan = planRemove(project, containers, ["db", "api"], true);
    expect(plan.actions.map((a) => (a.kind === "remove-container" ? [a.container.name, a.removeAnonymousVolumes, a.deps.length] : []))).toEqual([
      ["p-db-1", true, 0],
      ["p-api-1", true, 0],
    ]);
    expect(planRemove(project, containers, [], false).actions.map((a) => (a.kind === "remove-container" ? a.container.name : ""))).toEqual(["p-db-1", "p-api-1", "p-web-1"]);
  });
});

describe("restart", () => {
  it("restarts everything in dependency order, keeping only restart: true edges", () => {
    expect(restartOrder(project, [], false)).toEqual([
      { service: "cache", after: [] },
      { service: "db", after: [] },
      { service: "migrate", after: [] },
      { service: "api", after: [{ service: "db", condition: "service_healthy" }] },
      { service: "web", after: [{ service: "api", condition: "service_started" }] },
    ]);
  });

  it("takes the dependants that restart with a named service along, unless --no-deps", () => {
    expect(restartOrder(project, ["db"], false).map((s) => s.service)).toEqual(["db", "api", "web"]);
    // migrate depends on db without restart: true, so it stays up.
    expect(restartOrder(project, ["db"], true).map((s) => s.service)).toEqual(["db"]);
    expect(restartOrder(project, ["api"], false)).toEqual([
      { service: "api", after: [] },
      { service: "web", after: [{ service: "api", condition: "service_started" }] },
    ]);
  });
});

describe("arguments", () => {
  it("parses scale specifiers with compose's errors", () => {
    expect(parseReplicas(["web=3", "db=0"])).toEqual({ web: 3, db: 0 });
    expect(() => parseReplicas(["web"])).toThrow("invalid scale specifier: web");
    expect(() => parseReplicas(["=3"])).toThrow("invalid scale specifier: =3");
    expect(() => parseReplicas(["web="])).toThrow("invalid scale specifier: web=");
    expect(() => parseReplicas(["web=x"])).toThrow("can't parse replica value as int: web=x");
  });

  it("reads answers as compose does: y and Go's true words, nothing else", () => {
    for (const yes of ["y", "Y", "true", "1", "t", " y "]) expect(isYes(yes)).toBe(true);
    for (const no of ["", "n", "yes", "no", "0", "sure"]) expect(isYes(no)).toBe(false);
  });

  it("takes whole seconds for -t", () => {
    expect(parseTimeout(undefined)).toBeUndefined();
    expect(parseTimeout("0")).toBe(0);
    expect(parseTimeout("12")).toBe(12);
    expect(() => parseTimeout("1.5")).toThrow('invalid --timeout value "1.5"');
    expect(() => parseTimeout("soon", "--wait-timeout")).toThrow("invalid --wait-timeout value");
  });
});
