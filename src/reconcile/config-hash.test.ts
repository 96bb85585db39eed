import { describe, expect, it } from "vitest";
import type { ServiceConfig } from "../compose/types.js";
import { networkConfigHash, recordedServiceConfig, serviceConfigHash, serviceHashInput, volumeConfigHash } from "./config-hash.js";

const base: ServiceConfig = { name: "web", image: "nginx:1.27", environment: { A: "1" }, ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }] };
const h = serviceConfigHash(base);

describe("serviceConfigHash", () => {
  it("is 64 hex digits and stable", () => {
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(serviceConfigHash({ ...base })).toBe(h);
  });

  it.each<[string, Partial<ServiceConfig>]>([
    ["build", { build: { context: "/src" } }],
    ["pull_policy", { pull_policy: "always" }],
    ["scale", { scale: 5 }],
    ["depends_on", { depends_on: { db: { condition: "service_started", required: true } } }],
    ["profiles", { profiles: ["debug"] }],
    ["an x- extension", { "x-note": "hi" }],
    ["an empty environment object replacing none", { environment: { A: "1" }, labels: {} }],
  ])("ignores %s, as compose does (or as it means nothing)", (_what, extra) => {
    expect(serviceConfigHash({ ...base, ...extra })).toBe(h);
  });

  it("ignores deploy.replicas but not deploy.resources", () => {
    expect(serviceConfigHash({ ...base, deploy: { replicas: 3 } })).toBe(h);
    expect(serviceConfigHash({ ...base, deploy: { replicas: 3, resources: { limits: { memory: 1024 } } } })).not.toBe(h);
  });

  it.each<[string, Partial<ServiceConfig>]>([
    ["image", { image: "nginx:1.28" }],
    ["an environment value", { environment: { A: "2" } }],
    ["a published port", { ports: [{ mode: "ingress", target: 80, published: "8081", protocol: "tcp" }] }],
    ["the command", { command: ["nginx", "-g", "daemon off;"] }],
    ["an empty command (not the same as none)", { command: [] }],
    ["networks", { networks: { default: null, back: null } }],
    ["labels", { labels: { a: "b" } }],
  ])("changes with %s", (_what, extra) => {
    expect(serviceConfigHash({ ...base, ...extra })).not.toBe(h);
  });

  it("does not depend on key order", () => {
    const reordered: ServiceConfig = { ports: base.ports, environment: { A: "1" }, image: "nginx:1.27", name: "web" };
    expect(serviceConfigHash(reordered)).toBe(h);
    expect(serviceConfigHash({ ...base, environment: { B: "2", A: "1" } })).toBe(serviceConfigHash({ ...base, environment: { A: "1", B: "2" } }));
  });

  it("hash input leaves out the name and does not mutate the service", () => {
    const svc: ServiceConfig = { ...base, deploy: { replicas: 2, labels: { x: "y" } } };
    const input = serviceHashInput(svc);
    expect(input).not.toHaveProperty("name");
    expect(input["deploy"]).toEqual({ labels: { x: "y" } });
    expect(svc.deploy?.replicas).toBe(2);
  });
});

describe("network and volume hashes", () => {
  it("a volume without a driver hashes as the local driver", () => {
    expect(volumeConfigHash({ name: "v" })).toBe(volumeConfigHash({ name: "v", driver: "local" }));
    expect(volumeConfigHash({ name: "v" })).not.toBe(volumeConfigHash({ name: "v", driver: "nfs" }));
  });
  it("a network's options count", () => {
    expect(networkConfigHash({ name: "n" })).not.toBe(networkConfigHash({ name: "n", internal: true }));
    expect(networkConfigHash({ name: "n", labels: {} })).toBe(networkConfigHash({ name: "n" }));
  });
});

describe("recordedServiceConfig (what the dev.moor.config label holds)", () => {
  const svc = (env: Record<string, string>) => ({ name: "web", image: "app", environment: env }) as import("../compose/types.js").ServiceConfig;

  it("keeps ordinary values and replaces secret-looking ones with a digest", () => {
    const recorded = recordedServiceConfig(svc({ DEBUG: "1", DB_PASSWORD: "hunter2", API_TOKEN: "t0k" }));
    const text = JSON.stringify(recorded);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("t0k");
    expect((recorded.environment as Record<string, string>).DEBUG).toBe("1");
    expect((recorded.environment as Record<string, string>).DB_PASSWORD).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it("still tells a changed secret from an unchanged one", () => {
    const a = recordedServiceConfig(svc({ DB_PASSWORD: "one" }));
    expect(recordedServiceConfig(svc({ DB_PASSWORD: "one" }))).toEqual(a);
    expect(recordedServiceConfig(svc({ DB_PASSWORD: "two" }))).not.toEqual(a);
  });
});
