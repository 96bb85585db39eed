import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../engine/errors.js";
import type { NetworkSummary } from "../engine/types.js";
import { LABELS } from "../engine/types.js";
import { isNetworkTwinError, settleNetworkTwins, settleProjectNetworkTwins, twinOrder, type TwinEngine } from "./network-twins.js";

function net(id: string, created: string | undefined, name = "app_default", key = "default", project = "app"): NetworkSummary {
  return {
    id,
    name,
    ...(created ? { created } : {}),
    driver: "bridge",
    scope: "local",
    internal: false,
    attachable: false,
    labels: { [LABELS.project]: project, [LABELS.network]: key },
    options: {},
    enableIPv6: false,
  };
}

/** Networks in memory; `inUse` ones refuse removal as the engine does for a running container's network. */
function engineWith(networks: NetworkSummary[], inUse: string[] = []): TwinEngine & { ids: () => string[] } {
  let nets = [...networks];
  return {
    ids: () => nets.map((n) => n.id).sort(),
    listNetworks: (opts) => {
      const want = opts?.labels ?? [];
      return Promise.resolve(nets.filter((n) => want.every((l) => `${LABELS.project}=${n.labels[LABELS.project]}` === l || `${LABELS.network}=${n.labels[LABELS.network]}` === l)));
    },
    removeNetwork: (id) => {
      if (!nets.some((n) => n.id === id)) return Promise.reject(new NotFoundError(`network ${id} not found`, { operation: "networks.remove" }));
      if (inUse.includes(id)) return Promise.reject(new ConflictError(`network ${id} has active endpoints`, { operation: "networks.remove" }));
      nets = nets.filter((n) => n.id !== id);
      return Promise.resolve();
    },
  };
}

describe("twin networks (moby/moby#20648)", () => {
  it("orders by creation time to the nanosecond, whatever the fraction's length, then by id", () => {
    const sorted = [
      net("c", "2026-11-24T16:28:23.9Z"),
      net("b", "2026-11-24T16:28:23.892904882Z"),
      net("a", "2026-11-24T16:28:23.89Z"),
      net("d", undefined),
      net("0", "2026-11-24T16:28:23.89Z"),
    ].sort(twinOrder);
    expect(sorted.map((n) => n.id)).toEqual(["0", "a", "b", "c", "d"]);
  });

  it("keeps the oldest and removes the others", async () => {
    const e = engineWith([net("n3", "2026-11-24T16:28:23.945Z"), net("n1", "2026-11-24T16:28:23.892053163Z"), net("n2", "2026-11-24T16:28:23.892733825Z")]);
    expect(await settleNetworkTwins(e, "app", "default", "app_default")).toBe(2);
    expect(e.ids()).toEqual(["n1"]);
    // Settling again (what the other racers do) finds nothing left to do.
    expect(await settleNetworkTwins(e, "app", "default", "app_default")).toBe(0);
  });

  it("two racers settling at once end with the same single network", async () => {
    const e = engineWith([net("n2", "2026-11-24T16:28:24Z"), net("n1", "2026-11-24T16:28:23Z")]);
    await Promise.all([settleNetworkTwins(e, "app", "default", "app_default"), settleNetworkTwins(e, "app", "default", "app_default")]);
    expect(e.ids()).toEqual(["n1"]);
  });

  it("keeps a twin a running container uses, and removes the oldest instead", async () => {
    const e = engineWith([net("n1", "2026-11-24T16:28:23Z"), net("n2", "2026-11-24T16:28:24Z"), net("n3", "2026-11-24T16:28:25Z")], ["n2"]);
    await settleNetworkTwins(e, "app", "default", "app_default");
    expect(e.ids()).toEqual(["n2"]);
  });

  it("never touches another project's network or another key's", async () => {
    const e = engineWith([
      net("n1", "2026-11-24T16:28:23Z"),
      net("n2", "2026-11-24T16:28:24Z"),
      net("x1", "2026-11-24T16:28:22Z", "app_default", "default", "app2"),
      net("y1", "2026-11-24T16:28:22Z", "app_back", "back"),
    ]);
    expect(await settleProjectNetworkTwins(e, "app")).toBe(1);
    expect(e.ids()).toEqual(["n1", "x1", "y1"]);
  });

  it("recognises the engine's ambiguous-name refusal", () => {
    expect(isNetworkTwinError(new Error("containers.start failed (HTTP 400): network racenet is ambiguous (4 matches found on name)"))).toBe(true);
    expect(isNetworkTwinError(new Error("containers.start failed (HTTP 500): Could not attach to network app_default: rpc error: code = NotFound desc = network app_default not found"))).toBe(true);
    expect(isNetworkTwinError(new Error("network racenet not found"))).toBe(false);
  });
});
