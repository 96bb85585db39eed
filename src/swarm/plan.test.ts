// The deploy planner against hand-made observations: what is created, updated (with the changed
// fields), left alone, rolled (secrets) and pruned; the plan text is the oracle.
import { describe, expect, test } from "vitest";
import type { SwarmFileObject, SwarmService } from "../engine/swarm-engine.js";
import { load } from "../../test/fixtures/load/mem-reader.js";
import { convergence } from "./execute.js";
import { imagesToResolve, pinImages, planDeploy, specWithRecord, swarmPlanToString, type ObservedStack } from "./plan.js";
import { translateProject, type DesiredStack } from "./translate.js";

function desired(yaml: string, files: Record<string, string> = {}): DesiredStack {
  const r = load({ "/p/compose.yaml": yaml, ...files });
  if (!r.project) throw new Error("fixture does not load");
  return translateProject({ project: r.project, env: {}, readFile: (p) => (files[p] === undefined ? undefined : Buffer.from(files[p]!)) });
}

const empty = (): ObservedStack => ({ services: [], networks: [], secrets: [], configs: [], externalNetworks: {} });

/** What the swarm holds after moor deployed `stack` (ids made up from names). */
function deployed(stack: DesiredStack): ObservedStack {
  return {
    services: stack.services.map((s, i) => ({ ID: `svc${i}${"0".repeat(20)}`, Version: { Index: 10 + i }, Spec: JSON.parse(JSON.stringify(specWithRecord(s.spec))) as SwarmService["Spec"] })),
    networks: stack.networks.filter((n) => !n.external).map((n) => ({ Id: `net-${n.name}`, Name: n.name, Scope: "swarm", Labels: n.spec.Labels })),
    secrets: stack.secrets.filter((s) => s.spec).map((s) => ({ ID: `sec-${s.name}`, Spec: { Name: s.name, Labels: s.spec!.Labels } })),
    configs: stack.configs.filter((c) => c.spec).map((c) => ({ ID: `cfg-${c.name}`, Spec: { Name: c.name, Labels: c.spec!.Labels } })),
    externalNetworks: {},
  };
}

const APP = (greeting: string, extra = "") => `name: demo
services:
  web:
    image: busybox
    environment: {GREETING: ${greeting}}
    secrets: [token]
${extra}  worker:
    image: busybox
    deploy: {replicas: 2}
secrets:
  token: {file: ./token}
`;

describe("planDeploy", () => {
  test("first deploy: networks and secrets, then services", () => {
    const plan = planDeploy(desired(APP("hi"), { "/p/token": "a" }), empty());
    expect(swarmPlanToString(plan)).toBe(
      [
        "stack demo: 4 actions",
        "#1 create network demo_default: no existing network",
        "#2 create secret demo_token-e0b87cc8a7: no existing secret",
        "#3 create service demo_web [after #1 #2]: no existing service",
        "#4 create service demo_worker [after #1 #2]: no existing service",
        "",
      ].join("\n"),
    );
  });

  test("an unchanged project plans nothing", () => {
    const d = desired(APP("hi"), { "/p/token": "a" });
    expect(swarmPlanToString(planDeploy(d, deployed(d)))).toBe("stack demo: nothing to do\n");
  });

  test("a changed variable updates only that service, naming the field", () => {
    const before = desired(APP("hi"), { "/p/token": "a" });
    const after = desired(APP("bye"), { "/p/token": "a" });
    expect(swarmPlanToString(planDeploy(after, deployed(before)))).toBe(
      ["stack demo: 1 action", "#1 update service demo_web (svc000000000): spec changed", '    TaskTemplate.ContainerSpec.environment.GREETING: "hi" → "bye"', ""].join("\n"),
    );
  });

  test("a changed secret: new version, the services using it roll, the old version goes after", () => {
    const before = desired(APP("hi"), { "/p/token": "a" });
    const after = desired(APP("hi"), { "/p/token": "b" });
    expect(swarmPlanToString(planDeploy(after, deployed(before)))).toBe(
      [
        "stack demo: 3 actions",
        "#1 create secret demo_token-82d2f77ed7: secret token changed (content hash 82d2f77ed7)",
        "#2 update service demo_web (svc000000000) [after #1]: spec changed",
        '    TaskTemplate.ContainerSpec.Secrets[0].SecretName: "demo_token-e0b87cc8a7" → "demo_token-82d2f77ed7"',
        "#3 remove secret demo_token-e0b87cc8a7 [after #2]: superseded by demo_token-82d2f77ed7",
        "",
      ].join("\n"),
    );
  });

  test("a dropped service stays without --prune and is removed with it", () => {
    const before = desired(APP("hi"), { "/p/token": "a" });
    const after = desired("name: demo\nservices:\n  web:\n    image: busybox\n    environment: {GREETING: hi}\n    secrets: [token]\nsecrets:\n  token: {file: ./token}\n", { "/p/token": "a" });
    expect(planDeploy(after, deployed(before)).actions).toEqual([]);
    expect(swarmPlanToString(planDeploy(after, deployed(before), { prune: true }))).toBe(
      ["stack demo: 1 action", "#1 remove service demo_worker (svc100000000): not in the project (--prune)", ""].join("\n"),
    );
  });

  test("a service docker stack deploy made (no record) is left alone when it matches, updated when it differs", () => {
    const d = desired(APP("hi"), { "/p/token": "a" });
    const observed = deployed(d);
    const web = observed.services[0]!;
    const labels = { ...web.Spec.Labels };
    delete labels["dev.moor.swarm.spec"];
    observed.services[0] = { ...web, Spec: { ...web.Spec, Labels: labels } };
    expect(planDeploy(d, observed).actions).toEqual([]);
    const changed = desired(APP("bye"), { "/p/token": "a" });
    const plan = planDeploy(changed, observed);
    expect(plan.actions.map((a) => `${a.kind} ${"name" in a ? a.name : ""}: ${a.cause}`)).toEqual([
      "update-service demo_web: differs from the project (deployed without moor's record, by docker stack deploy?)",
    ]);
  });

  test("a change made outside moor is put back, naming the fields; the cause says so", () => {
    const d = desired(APP("hi"), { "/p/token": "a" });
    const observed = deployed(d);
    const worker = observed.services[1]!.Spec;
    worker.Mode = { Replicated: { Replicas: 5 } };
    worker.TaskTemplate.ContainerSpec.Env = ["X=1"];
    expect(swarmPlanToString(planDeploy(d, observed))).toBe(
      [
        "stack demo: 1 action",
        "#1 update service demo_worker (svc100000000): changed outside moor: putting back the project's spec",
        "    Mode.Replicated.Replicas: 5 → 2",
        '    TaskTemplate.ContainerSpec.environment: {"X":"1"} → (absent)',
        "",
      ].join("\n"),
    );
    // Changed outside and in the project at once.
    const bye = desired(APP("bye"), { "/p/token": "a" });
    observed.services[0]!.Spec.TaskTemplate.ContainerSpec.Env = ["GREETING=hi", "X=1"];
    const web = planDeploy(bye, observed).actions.find((a) => a.kind === "update-service" && a.name === "demo_web")!;
    expect(web.cause).toBe("changed outside moor, and in the project");
    expect(web.changes).toEqual(['TaskTemplate.ContainerSpec.environment.GREETING: "hi" → "bye"', 'TaskTemplate.ContainerSpec.environment.X: "1" → (absent)']);
  });

  test("docker stack's unversioned secret is superseded by moor's version", () => {
    const d = desired(APP("hi"), { "/p/token": "a" });
    const observed = deployed(d);
    observed.secrets = [{ ID: "old", Spec: { Name: "demo_token", Labels: { "com.docker.stack.namespace": "demo" } } }];
    const kinds = planDeploy(d, observed).actions.map((a) => `${a.kind} ${"name" in a ? a.name : ""}`);
    expect(kinds).toEqual(["create-secret demo_token-e0b87cc8a7", "remove-secret demo_token"]);
  });

  test("a missing external network is an error with docker's words", () => {
    const d = desired("name: x\nservices:\n  a: {image: busybox, networks: [pub]}\nnetworks:\n  pub: {external: true}\n");
    expect(planDeploy(d, empty()).errors).toEqual([
      'network "pub" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed',
    ]);
    const local = { ...empty(), externalNetworks: { pub: { Id: "1", Name: "pub", Scope: "local" } } };
    expect(planDeploy(d, local).errors).toEqual(['network "pub" is declared as external, but it is not in the right scope: "local" instead of "swarm"']);
  });

  test("--prune removes secrets no service uses any more, only of this stack", () => {
    const d = desired("name: demo\nservices:\n  a: {image: busybox}\n");
    const observed = empty();
    const mine: SwarmFileObject = { ID: "s1", Spec: { Name: "demo_old-1234567890", Labels: { "com.docker.stack.namespace": "demo", "dev.moor.swarm.key": "old" } } };
    const theirs: SwarmFileObject = { ID: "s2", Spec: { Name: "other_old", Labels: { "com.docker.stack.namespace": "other" } } };
    observed.secrets = [mine, theirs];
    expect(planDeploy(d, observed).actions.filter((a) => a.kind === "remove-secret")).toEqual([]);
    expect(planDeploy(d, observed, { prune: true }).actions.filter((a) => a.kind === "remove-secret").map((a) => ("name" in a ? a.name : ""))).toEqual(["demo_old-1234567890"]);
  });
});

describe("--resolve-image", () => {
  const d = desired("name: r\nservices:\n  a: {image: busybox:1}\n  b: {image: nginx:1}\n");
  const observed = deployed(d);
  // a was resolved to a digest on an earlier deploy; b's image changed since.
  observed.services[0]!.Spec.TaskTemplate.ContainerSpec.Image = "busybox:1@sha256:aaa";
  observed.services[1]!.Spec.Labels!["com.docker.stack.image"] = "nginx:0";

  test("which images are asked about", () => {
    expect(imagesToResolve(d, observed, "never")).toEqual([]);
    expect(imagesToResolve(d, observed, "changed")).toEqual(["nginx:1"]);
    expect(imagesToResolve(d, observed, "always")).toEqual(["busybox:1", "nginx:1"]);
  });

  test("an unchanged image keeps the digest it runs; a resolved one takes the new digest", () => {
    const pinned = pinImages(d, observed, { "nginx:1": "nginx:1@sha256:bbb" });
    expect(pinned.services.map((s) => s.spec.TaskTemplate.ContainerSpec.Image)).toEqual(["busybox:1@sha256:aaa", "nginx:1@sha256:bbb"]);
  });

  test("an image changed outside moor (docker service update --image) is not kept: the plan puts the compose image back", () => {
    const drifted = deployed(d);
    drifted.services[0]!.Spec.TaskTemplate.ContainerSpec.Image = "busybox:2";
    const pinned = pinImages(d, drifted, {});
    expect(pinned.services[0]!.spec.TaskTemplate.ContainerSpec.Image).toBe("busybox:1");
    const update = planDeploy(pinned, drifted).actions[0]!;
    expect([update.kind, update.cause, update.changes]).toEqual(["update-service", "changed outside moor: putting back the project's spec", ['TaskTemplate.ContainerSpec.Image: "busybox:2" → "busybox:1"']]);
  });
});

describe("convergence", () => {
  const svc = (id: string, extra: Partial<SwarmService> = {}): SwarmService => ({
    ID: id,
    Version: { Index: 1 },
    Spec: { Name: `s_${id}`, TaskTemplate: { ContainerSpec: { Image: "x" } }, Mode: { Replicated: { Replicas: 2 } } },
    ...extra,
  });
  const task = (service: string, state: string, err?: string) => ({ ID: `${service}-${state}`, ServiceID: service, DesiredState: "running", Status: { State: state, Err: err, Timestamp: "2026-01-01T00:00:00Z" } });

  test("done when every up-to-date task runs and no update is in progress", () => {
    const r = convergence([svc("a")], [task("a", "running"), { ...task("a", "running"), ID: "a2" }], new Set(["a"]), 1);
    expect(r).toEqual([{ name: "s_a", running: 2, desired: 2, done: true, failure: undefined, lastError: undefined }]);
  });

  test("not done while updating; failed when the update rolled back or a task was rejected", () => {
    expect(convergence([svc("a", { UpdateStatus: { State: "updating" } })], [task("a", "running"), { ...task("a", "running"), ID: "a2" }], new Set(["a"]), 1)[0]!.done).toBe(false);
    expect(convergence([svc("a", { UpdateStatus: { State: "rollback_completed", Message: "update rolled back due to failure" } })], [], new Set(["a"]), 1)[0]!.failure).toBe(
      "update rolled back: update rolled back due to failure",
    );
    const rejected = convergence([svc("a")], [task("a", "rejected", "No such image: nope:1")], new Set(["a"]), 1)[0]!;
    expect(rejected.failure).toBe("task rejected: No such image: nope:1");
    expect(rejected.lastError).toBe("No such image: nope:1");
  });

  test("a pending task with no suitable node is progress, not failure", () => {
    const r = convergence([svc("a")], [task("a", "pending", "no suitable node (host-mode port already in use on 1 node)")], new Set(["a"]), 1)[0]!;
    expect(r.done).toBe(false);
    expect(r.failure).toBeUndefined();
    expect(r.lastError).toContain("no suitable node");
  });
});
