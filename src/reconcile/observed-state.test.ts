import { describe, expect, it } from "vitest";
import type { ContainerSummary, NetworkSummary, VolumeSummary } from "../engine/types.js";
import { LABELS } from "../engine/types.js";
import { MOOR_CONFIG_LABEL, observedStateFrom } from "./observed-state.js";

function c(id: string, labels: Record<string, string>, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  return { id, name: id, image: "img", imageId: "sha256:i", command: "", created: 0, state: "running", status: "", labels, networks: {}, ports: [], mounts: [], ...extra };
}
const svc = (project: string, service: string, n?: string, more: Record<string, string> = {}) => ({
  [LABELS.project]: project,
  [LABELS.service]: service,
  [LABELS.oneoff]: "False",
  ...(n === undefined ? {} : { [LABELS.containerNumber]: n }),
  ...more,
});
function n(name: string, labels: Record<string, string>): NetworkSummary {
  return { id: name, name, driver: "bridge", scope: "local", internal: false, attachable: false, labels, options: {}, enableIPv6: false };
}
function v(name: string, labels: Record<string, string>): VolumeSummary {
  return { name, driver: "local", mountpoint: "", labels, options: {} };
}

describe("observedStateFrom", () => {
  const state = observedStateFrom("demo", {
    containers: [
      c("w10", svc("demo", "web", "10")),
      c("w2", svc("demo", "web", "2", { [MOOR_CONFIG_LABEL]: "{}", [LABELS.configHash]: "h" })),
      c("w1", svc("demo", "web", "1"), { state: "exited" }),
      c("run", { ...svc("demo", "web"), [LABELS.oneoff]: "True" }),
      c("db", svc("demo", "db", "1")),
      c("other", svc("other", "web", "1")),
      c("plain", {}),
    ],
    networks: [n("demo_default", { [LABELS.project]: "demo", [LABELS.network]: "default" }), n("bridge", {}), n("other_default", { [LABELS.project]: "other", [LABELS.network]: "default" })],
    volumes: [v("demo_data", { [LABELS.project]: "demo", [LABELS.volume]: "data" }), v("pgdata", {})],
  });

  it("groups the project's containers by service, in number order (numerically, not as text)", () => {
    expect([...state.services.keys()]).toEqual(["db", "web"]);
    expect(state.services.get("web")?.map((x) => x.number)).toEqual([1, 2, 10]);
  });

  it("keeps one-off containers apart and ignores other projects' and unlabelled containers", () => {
    expect(state.oneoffs.map((x) => x.id)).toEqual(["run"]);
    const all = [...state.services.values()].flat().map((x) => x.id);
    expect(all).not.toContain("other");
    expect(all).not.toContain("plain");
    expect(all).not.toContain("run");
  });

  it("parses the labels the planner reads", () => {
    const w2 = state.services.get("web")?.find((x) => x.id === "w2");
    expect(w2).toMatchObject({ service: "web", number: 2, oneoff: false, configHash: "h", createdByMoor: true, state: "running" });
    const w1 = state.services.get("web")?.find((x) => x.id === "w1");
    expect(w1).toMatchObject({ configHash: "", createdByMoor: false, state: "exited" });
  });

  it("groups networks and volumes by their compose key, and indexes every listed one by name", () => {
    expect(state.networks.get("default")?.map((x) => x.name)).toEqual(["demo_default"]);
    expect(state.networks.size).toBe(1);
    expect(state.volumes.get("data")?.map((x) => x.name)).toEqual(["demo_data"]);
    expect(state.networksByName.has("bridge")).toBe(true);
    expect(state.volumesByName.has("pgdata")).toBe(true);
  });

  it("leaves images undefined when they were not listed", () => {
    expect(state.images).toBeUndefined();
  });

  it("a container number that is not a number is undefined", () => {
    const s = observedStateFrom("demo", { containers: [c("x", svc("demo", "web", "abc"))], networks: [], volumes: [] });
    expect(s.services.get("web")?.[0]?.number).toBeUndefined();
  });
});
