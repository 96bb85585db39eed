import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseHost, resolveEndpoint, type EndpointFiles } from "./connection.js";
import { EngineConfigError } from "./errors.js";

/** An in-memory file system: path → content. */
function files(map: Record<string, string>): EndpointFiles {
  return {
    read: (f) => (f in map ? Buffer.from(map[f] ?? "") : undefined),
    exists: (f) => f in map,
  };
}

const sha = (name: string) => createHash("sha256").update(name).digest("hex");
const HOME = "/home/u";

describe("resolveEndpoint", () => {
  it("uses the default socket when nothing is configured", () => {
    const ep = resolveEndpoint({ HOME }, files({}));
    expect(ep).toMatchObject({ kind: "unix", url: "unix:///var/run/docker.sock", socketPath: "/var/run/docker.sock", source: "default socket" });
  });

  it.each([
    ["unix:///run/user/1000/podman/podman.sock", { kind: "unix", socketPath: "/run/user/1000/podman/podman.sock" }],
    ["unix://", { kind: "unix", socketPath: "/var/run/docker.sock" }],
    ["tcp://10.0.0.5:2375", { kind: "tcp", host: "10.0.0.5", port: 2375, tls: undefined, url: "tcp://10.0.0.5:2375" }],
    ["tcp://engine.local", { kind: "tcp", host: "engine.local", port: 2375, tls: undefined }],
    ["engine.local:4243", { kind: "tcp", host: "engine.local", port: 4243 }],
    ["tcp://[::1]:2375", { kind: "tcp", host: "::1", port: 2375 }],
    ["tcp://engine.local:2376", { kind: "tcp", port: 2376, tls: { verify: false } }],
    ["ssh://me@build-box:2222", { kind: "ssh", host: "build-box", port: 2222, username: "me" }],
  ])("reads DOCKER_HOST=%s", (host, expected) => {
    expect(resolveEndpoint({ HOME, DOCKER_HOST: host }, files({}))).toMatchObject({ ...expected, source: "DOCKER_HOST" });
  });

  it("turns TLS on with DOCKER_TLS_VERIFY and reads the certificates from DOCKER_CERT_PATH", () => {
    const ep = resolveEndpoint(
      { HOME, DOCKER_HOST: "tcp://engine:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs" },
      files({ "/certs/ca.pem": "CA", "/certs/cert.pem": "CERT", "/certs/key.pem": "KEY" }),
    );
    expect(ep.kind).toBe("tcp");
    if (ep.kind !== "tcp") return;
    expect(ep.tls?.verify).toBe(true);
    expect(ep.tls?.ca?.toString()).toBe("CA");
    expect(ep.tls?.cert?.toString()).toBe("CERT");
    expect(ep.tls?.key?.toString()).toBe("KEY");
  });

  it("falls back to ~/.docker for certificates, as the docker CLI does", () => {
    const ep = resolveEndpoint({ HOME, DOCKER_HOST: "tcp://engine:2376", DOCKER_TLS_VERIFY: "1" }, files({ [`${HOME}/.docker/ca.pem`]: "CA" }));
    expect(ep.kind === "tcp" && ep.tls?.ca?.toString()).toBe("CA");
  });

  it("encrypts without verifying for DOCKER_TLS alone", () => {
    const ep = resolveEndpoint({ HOME, DOCKER_HOST: "tcp://engine:2375", DOCKER_TLS: "1" }, files({}));
    expect(ep.kind === "tcp" && ep.tls).toEqual({ verify: false });
  });

  it("rejects a DOCKER_CERT_PATH without certificates and a half client certificate", () => {
    expect(() => resolveEndpoint({ HOME, DOCKER_HOST: "tcp://e:2376", DOCKER_CERT_PATH: "/nothing" }, files({}))).toThrow(EngineConfigError);
    expect(() => resolveEndpoint({ HOME, DOCKER_HOST: "tcp://e:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/c" }, files({ "/c/cert.pem": "C" }))).toThrow(
      /cert\.pem without key\.pem/,
    );
  });

  it("follows the docker CLI's current context through the hashed meta directory", () => {
    const dir = `${HOME}/.docker`;
    const ep = resolveEndpoint(
      { HOME },
      files({
        [`${dir}/config.json`]: JSON.stringify({ currentContext: "remote" }),
        [`${dir}/contexts/meta/${sha("remote")}/meta.json`]: JSON.stringify({ Name: "remote", Endpoints: { docker: { Host: "tcp://ctx-host:2375", SkipTLSVerify: false } } }),
      }),
    );
    expect(ep).toMatchObject({ kind: "tcp", host: "ctx-host", port: 2375, source: 'docker context "remote"' });
  });

  it("lets DOCKER_CONTEXT override config.json, DOCKER_HOST override both, and DOCKER_CONFIG move the directory", () => {
    const dir = "/cfg";
    const fs = files({
      [`${dir}/config.json`]: JSON.stringify({ currentContext: "a" }),
      [`${dir}/contexts/meta/${sha("a")}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: "unix:///a.sock" } } }),
      [`${dir}/contexts/meta/${sha("b")}/meta.json`]: JSON.stringify({ Endpoints: { docker: { Host: "unix:///b.sock" } } }),
      [`${dir}/contexts/tls/${sha("b")}/docker/ca.pem`]: "CA-B",
    });
    expect(resolveEndpoint({ HOME, DOCKER_CONFIG: dir }, fs)).toMatchObject({ socketPath: "/a.sock" });
    expect(resolveEndpoint({ HOME, DOCKER_CONFIG: dir, DOCKER_CONTEXT: "b" }, fs)).toMatchObject({ socketPath: "/b.sock" });
    expect(resolveEndpoint({ HOME, DOCKER_CONFIG: dir, DOCKER_CONTEXT: "b", DOCKER_HOST: "unix:///h.sock" }, fs)).toMatchObject({ socketPath: "/h.sock" });
    expect(resolveEndpoint({ HOME, DOCKER_CONFIG: dir, DOCKER_CONTEXT: "default" }, fs)).toMatchObject({ socketPath: "/var/run/docker.sock" });
  });

  it("says which context is missing", () => {
    expect(() => resolveEndpoint({ HOME, DOCKER_CONTEXT: "gone" }, files({}))).toThrow(/docker context "gone" does not exist/);
  });

  it("lists other engine sockets that exist, for the unreachable hint", () => {
    const ep = resolveEndpoint({ HOME, XDG_RUNTIME_DIR: "/run/user/1000" }, files({ "/run/user/1000/podman/podman.sock": "" }));
    expect(ep.alternatives).toEqual(["unix:///run/user/1000/podman/podman.sock"]);
  });
});

describe("parseHost", () => {
  it.each(["npipe:////./pipe/docker_engine", "tcp://", "fd://", "http://[bad"])("rejects %s with a config error", (host) => {
    expect(() => parseHost(host, "DOCKER_HOST", undefined)).toThrow(EngineConfigError);
  });
});
