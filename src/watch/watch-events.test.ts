import { describe, expect, it } from "vitest";
import { changesContainerView, describeWatchAction } from "./watch-events.js";

describe("watch events", () => {
  it("says what an action was in a few words", () => {
    expect(describeWatchAction({ kind: "sync", services: ["web"], files: 1 })).toBe("sync of 1 file to web");
    expect(describeWatchAction({ kind: "sync", services: ["web"], files: 3 })).toBe("sync of 3 files to web");
    expect(describeWatchAction({ kind: "rebuild", services: ["api", "web"] })).toBe("rebuild of api, web");
    expect(describeWatchAction({ kind: "reload", services: [], files: 1 })).toBe("compose-file reload");
  });

  it("looks at the containers again for state and health changes, not for a healthcheck's execs", () => {
    for (const a of ["create", "start", "die", "destroy", "health_status: healthy", "health_status: unhealthy", "pause", "restart"]) expect(changesContainerView(a), a).toBe(true);
    for (const a of ["exec_create: true", "exec_start: true", "exec_die", "attach", "resize", "archive-path", "extract-to-dir", "top"]) expect(changesContainerView(a), a).toBe(false);
  });
});
