import { describe, expect, it } from "vitest";
import type { ServiceConfig } from "../../compose/types.js";
import { pullDecision } from "./pull.js";

const svc = (extra: Partial<ServiceConfig>): ServiceConfig => ({ name: "web", image: "redis:7", ...extra }) as ServiceConfig;

describe("pullDecision (compose pull's rules)", () => {
  it("pulls a service without a pull policy even when the image is present", () => {
    expect(pullDecision(svc({}), true, false)).toEqual({ pull: true });
  });
  it("skips present images under missing, except a latest tag", () => {
    expect(pullDecision(svc({ pull_policy: "missing" }), true, false)).toEqual({ pull: false, reason: "Image is already present locally" });
    expect(pullDecision(svc({ pull_policy: "missing" }), false, false)).toEqual({ pull: true });
    expect(pullDecision(svc({ image: "redis", pull_policy: "missing" }), true, false)).toEqual({ pull: true });
    expect(pullDecision(svc({ image: "redis:latest", pull_policy: "if_not_present" }), true, false)).toEqual({ pull: true });
  });
  it("never pulls under never or build, and skips buildable services with --ignore-buildable", () => {
    expect(pullDecision(svc({ pull_policy: "never" }), false, false)).toEqual({ pull: false, reason: undefined });
    expect(pullDecision(svc({ pull_policy: "build" }), false, false)).toEqual({ pull: false, reason: undefined });
    expect(pullDecision(svc({ build: { context: "/x" } }), false, true)).toEqual({ pull: false, reason: "Image can be built" });
    expect(pullDecision(svc({ build: { context: "/x" } }), false, false)).toEqual({ pull: true });
  });
  it("has nothing to pull for a service without an image", () => {
    expect(pullDecision(svc({ image: undefined, build: { context: "/x" } }), false, false)).toEqual({ pull: false, reason: "No image to be pulled" });
  });
});
