import { describe, expect, it } from "vitest";
import { containerDetails, containerSummary, engineEvent, healthFromStatus, imageDetails, imageSummary } from "./summaries.js";

describe("containerSummary", () => {
  it("takes the container's own name over link aliases and tolerates nulls", () => {
    const s = containerSummary({
      Id: "abc",
      Names: ["/web/db", "/app-db-1"],
      State: "running",
      Status: "Up 3 minutes (healthy)",
      Labels: null,
      Ports: null,
      Mounts: null,
      NetworkSettings: { Networks: { app_default: { NetworkID: "n1", IPAddress: "172.18.0.2", Aliases: null } } },
    });
    expect(s).toMatchObject({ id: "abc", name: "app-db-1", state: "running", health: "healthy", labels: {}, ports: [], mounts: [] });
    expect(s.networks).toEqual({ app_default: { networkId: "n1", ipAddress: "172.18.0.2" } });
  });

  it.each([
    ["configured", "created"],
    ["stopped", "exited"],
    ["Exited", "exited"],
    ["weird", "dead"],
  ])("maps state %s to %s (Podman spells some differently)", (raw, state) => {
    expect(containerSummary({ State: raw }).state).toBe(state);
  });
});

describe("healthFromStatus", () => {
  it.each([
    ["Up 2 seconds (health: starting)", "starting"],
    ["Up 1 minute (unhealthy)", "unhealthy"],
    ["Up 1 minute (healthy)", "healthy"],
    ["Exited (0) 3 seconds ago", undefined],
  ])("%s → %s", (status, health) => {
    expect(healthFromStatus(status)).toBe(health);
  });
});

describe("details", () => {
  it("reads exit code, health and TTY from inspect", () => {
    const d = containerDetails({
      Id: "c",
      Name: "/p-web-1",
      State: { Status: "exited", Running: false, ExitCode: 137, OOMKilled: true, Health: { Status: "unhealthy", Log: [{ ExitCode: 1, Output: "refused" }] } },
      Config: { Tty: true, Labels: { a: "b" } },
    });
    expect(d.name).toBe("p-web-1");
    expect(d.state).toMatchObject({ status: "exited", exitCode: 137, oomKilled: true, health: "unhealthy", healthLog: [{ exitCode: 1, output: "refused" }] });
    expect(d.config.tty).toBe(true);
  });

  it("knows NONE switches a healthcheck off and hides <none>:<none>", () => {
    expect(imageDetails({ Config: { Healthcheck: { Test: ["NONE"] } } }).hasHealthcheck).toBe(false);
    expect(imageDetails({ Config: { Healthcheck: { Test: ["CMD", "true"] } } }).hasHealthcheck).toBe(true);
    expect(imageSummary({ Id: "i", RepoTags: ["<none>:<none>"] }).repoTags).toEqual([]);
  });

  it("fills event time from seconds when nanoseconds are absent", () => {
    expect(engineEvent({ Type: "container", Action: "start", Actor: { ID: "x", Attributes: { name: "n" } }, time: 2 })).toEqual({
      type: "container",
      action: "start",
      id: "x",
      attributes: { name: "n" },
      timeNano: 2e9,
    });
  });
});
