import { describe, expect, it } from "vitest";
import type { Project } from "../compose/types.js";
import type { ContainerSummary } from "../engine/types.js";
import { observedStateFrom } from "../reconcile/observed-state.js";
import type { Plan, PlanAction } from "../reconcile/plan.js";
import { dependenciesPlan, dependencyWaits, untouchedDependencies } from "./oneoff-plan.js";

const plan = (actions: PlanAction[]): Plan => ({ project: "p", actions, warnings: [], errors: [] });

describe("dependenciesPlan", () => {
  it("keeps networks, images and the dependencies' containers, drops the service's own containers and the waits that only gated them", () => {
    const before = plan([
      { id: 1, deps: [], kind: "create-network", key: "default", name: "p_default", config: { name: "p_default" }, cause: "" },
      { id: 2, deps: [1], kind: "create-container", service: "db", number: 1, name: "p-db-1", cause: "" },
      { id: 3, deps: [2], kind: "start-container", service: "db", container: { kind: "planned", action: 2, name: "p-db-1" }, cause: "" },
      { id: 4, deps: [3], kind: "wait-service", service: "db", condition: "service_healthy", cause: "" },
      { id: 5, deps: [1, 2], kind: "create-container", service: "api", number: 1, name: "p-api-1", cause: "" },
      { id: 6, deps: [4, 5], kind: "start-container", service: "api", container: { kind: "planned", action: 5, name: "p-api-1" }, cause: "" },
      { id: 7, deps: [6], kind: "wait-service", service: "api", condition: "service_started", cause: "" },
      { id: 8, deps: [1, 5], kind: "create-container", service: "web", number: 1, name: "p-web-1", cause: "" },
      { id: 9, deps: [8, 7], kind: "start-container", service: "web", container: { kind: "planned", action: 8, name: "p-web-1" }, cause: "" },
      { id: 10, deps: [], kind: "stop-container", service: "web", container: { kind: "existing", id: "x", name: "p-web-2" }, cause: "" },
    ]);
    const after = dependenciesPlan(before, "web");
    expect(after.actions.map((a) => a.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after.actions.find((a) => a.id === 6)?.deps).toEqual([4, 5]);
  });
});

describe("dependencyWaits", () => {
  it("waits for healthy and completed dependencies only, as compose does", () => {
    const project = {
      name: "p",
      services: {
        web: {
          name: "web",
          depends_on: {
            db: { condition: "service_healthy" },
            migrate: { condition: "service_completed_successfully" },
            cache: { condition: "service_started" },
            off: { condition: "service_healthy" },
          },
        },
        db: { name: "db" },
        migrate: { name: "migrate" },
        cache: { name: "cache" },
        off: { name: "off", scale: 0 },
      },
    } as unknown as Project;
    const waits = dependencyWaits(project, "web").actions;
    expect(waits.map((a) => (a.kind === "wait-service" ? [a.id, a.service, a.condition] : []))).toEqual([
      [1, "db", "service_healthy"],
      [2, "migrate", "service_completed_successfully"],
    ]);
  });
});

describe("untouchedDependencies", () => {
  it("names the running containers of the service's dependencies, transitively, that the plan does not touch", () => {
    const project = {
      name: "p",
      services: {
        web: { name: "web", depends_on: { api: { condition: "service_started" } } },
        api: { name: "api", depends_on: { db: { condition: "service_started" } } },
        db: { name: "db" },
        other: { name: "other" },
      },
    } as unknown as Project;
    const box = (service: string, n: number, state: ContainerSummary["state"]): ContainerSummary =>
      ({
        id: `${service}${n}`,
        name: `p-${service}-${n}`,
        state,
        labels: { "com.docker.compose.project": "p", "com.docker.compose.service": service, "com.docker.compose.oneoff": "False", "com.docker.compose.container-number": String(n) },
        networks: {},
        ports: [],
        mounts: [],
      }) as unknown as ContainerSummary;
    const observed = observedStateFrom("p", {
      containers: [box("web", 1, "running"), box("api", 1, "running"), box("db", 1, "running"), box("db", 2, "exited"), box("other", 1, "running")],
      networks: [],
      volumes: [],
    });
    const recreateApi = plan([{ id: 1, deps: [], kind: "create-container", service: "api", number: 1, name: "tmp", replaces: "api1", cause: "" }]);
    expect(untouchedDependencies(project, observed, plan([]), "web")).toEqual(["p-api-1", "p-db-1"]);
    expect(untouchedDependencies(project, observed, recreateApi, "web")).toEqual(["p-db-1"]);
  });
});
