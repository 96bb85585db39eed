import { describe, expect, it } from "vitest";
import { PlanBuilder, type Plan } from "../reconcile/plan-types.js";
import { stripAnsi } from "./ansi.js";
import { renderPlanDiff } from "./plan-diff.js";

const OLD = "d9150670a365aaaa";
const DB = "e6664af2efc1bbbb";
const existing = (id: string, name: string) => ({ kind: "existing" as const, id, name });
const planned = (action: number, name: string) => ({ kind: "planned" as const, action, name });

/** The same actions as test/golden/plan/fresh-project-images.txt. */
function freshProject(): Plan {
  const b = new PlanBuilder("demo");
  const net = b.add({ kind: "create-network", key: "default", name: "demo_default", config: { name: "demo_default" }, cause: "network default does not exist" });
  const vol = b.add({ kind: "create-volume", key: "data", name: "demo_data", config: { name: "demo_data" }, cause: "volume data does not exist" });
  const pull = b.add({ kind: "pull-image", image: "postgres:16", services: ["db"], cause: "image postgres:16 is not present locally" });
  const build = b.add({ kind: "build-image", image: "demo-web", service: "web", cause: "image demo-web is not present locally" });
  const db = b.add({ kind: "create-container", service: "db", number: 1, name: "demo-db-1", cause: "db wants 1 container, has 0", deps: [net, vol, pull] });
  const dbStart = b.add({ kind: "start-container", service: "db", container: planned(db, "demo-db-1"), cause: `created by #${db}`, deps: [db] });
  const web = b.add({ kind: "create-container", service: "web", number: 1, name: "demo-web-1", cause: "web wants 1 container, has 0", deps: [net, build, db] });
  const wait = b.add({ kind: "wait-service", service: "db", condition: "service_started", cause: "web needs db started", deps: [db, dbStart] });
  b.add({ kind: "start-container", service: "web", container: planned(web, "demo-web-1"), cause: `created by #${web}`, deps: [web, wait] });
  return b.build();
}

/** test/golden/plan/env-change.txt: web recreated because one variable changed. */
function envChange(): Plan {
  const b = new PlanBuilder("demo");
  const tmp = `${OLD.slice(0, 12)}_demo-web-1`;
  const c = b.add({ kind: "create-container", service: "web", number: 1, name: tmp, replaces: OLD, cause: "config changed", changes: ['environment.DEBUG: "0" → "1"'] });
  const stop = b.add({ kind: "stop-container", service: "web", container: existing(OLD, "demo-web-1"), cause: `replaced by #${c}`, deps: [c] });
  const rm = b.add({ kind: "remove-container", service: "web", container: existing(OLD, "demo-web-1"), removeAnonymousVolumes: false, cause: `replaced by #${c}`, deps: [c, stop] });
  const ren = b.add({ kind: "rename-container", service: "web", container: planned(c, tmp), to: "demo-web-1", cause: "takes the name of the container it replaces", deps: [rm] });
  const wait = b.add({ kind: "wait-service", service: "db", condition: "service_healthy", cause: "web needs db healthy" });
  b.add({ kind: "start-container", service: "web", container: planned(c, "demo-web-1"), cause: "replaces demo-web-1", deps: [ren, wait] });
  return b.build();
}

/** test/golden/plan/volume-config-changed-destructive.txt, plus an orphan and an exited container. */
function mixed(): Plan {
  const b = new PlanBuilder("demo");
  const stop = b.add({ kind: "stop-container", service: "db", container: existing(DB, "demo-db-1"), cause: "volume data is recreated" });
  const rm = b.add({ kind: "remove-container", service: "db", container: existing(DB, "demo-db-1"), removeAnonymousVolumes: false, cause: "volume data is recreated", deps: [stop] });
  const rmv = b.add({
    kind: "remove-volume",
    key: "data",
    name: "demo_data",
    cause: "volume data configuration changed",
    changes: ['driver_opts: (absent) → {"type":"tmpfs"}'],
    destructive: "removing volume demo_data deletes the data in it",
    deps: [rm],
  });
  const mk = b.add({ kind: "create-volume", key: "data", name: "demo_data", config: { name: "demo_data" }, cause: "volume data configuration changed", deps: [rmv] });
  const c = b.add({ kind: "create-container", service: "db", number: 1, name: "demo-db-1", cause: "db wants 1 container, has 0", deps: [mk] });
  b.add({ kind: "start-container", service: "db", container: planned(c, "demo-db-1"), cause: `created by #${c}`, deps: [c] });
  const ostop = b.add({ kind: "stop-container", service: "worker", container: existing("cde1b577b5ef0000", "demo-worker-1"), cause: "orphan: service worker is not in the compose file" });
  b.add({ kind: "remove-container", service: "worker", container: existing("cde1b577b5ef0000", "demo-worker-1"), removeAnonymousVolumes: false, cause: "orphan: service worker is not in the compose file", deps: [ostop] });
  b.add({ kind: "start-container", service: "job", container: existing("aaaabbbbcccc0000", "demo-job-1"), cause: "was exited" });
  b.warnings.push("orphan containers left: demo-old-1");
  return b.build();
}

describe("renderPlanDiff", () => {
  it("shows a fresh project as creations, one line per resource, the implied starts folded in", () => {
    expect(renderPlanDiff(freshProject(), { color: false })).toBe(
      [
        "project demo: 6 to create",
        "+ network   demo_default               network default does not exist",
        "+ volume    demo_data                  volume data does not exist",
        "+ image     postgres:16 (pull for db)  image postgres:16 is not present locally",
        "+ image     demo-web (build for web)   image demo-web is not present locally",
        "+ container demo-db-1                  db wants 1 container, has 0",
        "+ container demo-web-1                 web wants 1 container, has 0",
        "",
      ].join("\n"),
    );
  });

  it("shows a recreate once, under the container's own name, with the fields that changed", () => {
    expect(renderPlanDiff(envChange(), { color: false })).toBe(
      ["project demo: 1 to recreate", "~ container demo-web-1  config changed", '    environment.DEBUG: "0" → "1"', ""].join("\n"),
    );
  });

  it("folds remove-then-create into a recreate, flags data loss, and lists removals, in-place actions and warnings", () => {
    expect(renderPlanDiff(mixed(), { color: false })).toBe(
      [
        "project demo: 2 to recreate, 1 to remove, 1 to change in place",
        "~ container demo-db-1           volume data is recreated",
        "~ volume    demo_data           volume data configuration changed",
        '    driver_opts: (absent) → {"type":"tmpfs"}',
        "    ! removing volume demo_data deletes the data in it",
        "- container demo-worker-1       orphan: service worker is not in the compose file",
        "> container demo-job-1 (start)  was exited",
        "warning: orphan containers left: demo-old-1",
        "",
      ].join("\n"),
    );
  });

  it("says when there is nothing to do", () => {
    expect(renderPlanDiff(new PlanBuilder("demo").build(), { color: false })).toBe("project demo: nothing to do\n");
  });

  it("colours by sign on a terminal and is the same text without colour", () => {
    const coloured = renderPlanDiff(mixed(), { color: true });
    expect(coloured).toContain("\x1b[33m~ container demo-db-1");
    expect(coloured).toContain("\x1b[31m- container demo-worker-1");
    expect(renderPlanDiff(freshProject(), { color: true })).toContain("\x1b[32m+ network");
    expect(stripAnsi(coloured)).toBe(renderPlanDiff(mixed(), { color: false }));
  });
});
