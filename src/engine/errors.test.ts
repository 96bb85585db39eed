import { describe, expect, it } from "vitest";
import { ConflictError, EngineError, EngineUnreachableError, ImagePullError, NotFoundError, translateEngineError } from "./errors.js";
import { classifyPullFailure, parseImageRef } from "./image-ref.js";

/** What docker-modem rejects with for an HTTP error status. */
function modemError(status: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${status}) unexpected - ${message} `), { statusCode: status, json: { message } });
}

describe("translateEngineError", () => {
  it("maps 404 and 409 to their classes, keeping the engine's words", () => {
    const nf = translateEngineError(modemError(404, "No such container: web-1"), "containers.inspect", "unix:///s");
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf).toMatchObject({ status: 404, engineMessage: "No such container: web-1", operation: "containers.inspect", expected: true });
    const cf = translateEngineError(modemError(409, 'Conflict. The container name "/x" is already in use'), "containers.create", "unix:///s");
    expect(cf).toBeInstanceOf(ConflictError);
  });

  it("treats the older engines' 403 for a network in use as a conflict, other 403s as plain errors", () => {
    expect(translateEngineError(modemError(403, "error while removing network: network n id 1 has active endpoints"), "networks.remove", "e")).toBeInstanceOf(ConflictError);
    const other = translateEngineError(modemError(403, "bridge is a pre-defined network and cannot be removed"), "networks.remove", "e");
    expect(other).not.toBeInstanceOf(ConflictError);
    expect(other.status).toBe(403);
  });

  it("keeps other statuses with their code and message", () => {
    const err = translateEngineError(modemError(500, "driver failed"), "networks.create", "e");
    expect(err.constructor).toBe(EngineError);
    expect(err.message).toBe("networks.create failed (HTTP 500): driver failed");
    // The engine refusing is reported plainly (the user acts on its reason), not as a moor bug.
    expect(err.expected).toBe(true);
  });

  it("reads the engine text when the body was not JSON", () => {
    const err = Object.assign(new Error("(HTTP code 400) bad parameter - oops "), { statusCode: 400, json: Buffer.from("plain text body") });
    expect(translateEngineError(err, "op", "e").engineMessage).toBe("plain text body");
  });

  it.each([
    ["ENOENT", /the socket does not exist/],
    ["ECONNREFUSED", /connection refused/],
    ["EACCES", /permission denied/],
    ["ENOTFOUND", /does not resolve/],
  ])("turns %s into EngineUnreachableError naming the endpoint", (code, reason) => {
    const err = translateEngineError(Object.assign(new Error(`connect ${code}`), { code }), "system.version", "unix:///var/run/docker.sock");
    expect(err).toBeInstanceOf(EngineUnreachableError);
    expect(err.message).toMatch(/^cannot reach the Docker engine at unix:\/\/\/var\/run\/docker.sock: /);
    expect(err.message).toMatch(reason);
    expect(err.hint).toBeTruthy();
  });

  it("reads a reset as the engine going away on a local socket, and as a TLS mismatch over TCP", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const local = translateEngineError(reset, "containers.create", "unix:///run/moor-second.sock");
    expect(local.message).toBe("cannot reach the Docker engine at unix:///run/moor-second.sock: the engine closed the connection");
    expect(local.hint).not.toMatch(/TLS/);
    const tcp = translateEngineError(reset, "containers.create", "tcp://example:2376");
    expect(tcp.message).toMatch(/TLS port spoken to without TLS/);
    expect(translateEngineError(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }), "op", "unix:///x.sock")).toBeInstanceOf(EngineUnreachableError);
  });

  it.each(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED"])("says a rejected certificate (%s) is about trust, not a daemon that is down", (code) => {
    const err = translateEngineError(Object.assign(new Error(code), { code }), "system.ping", "tcp://example:2376");
    expect(err).toBeInstanceOf(EngineUnreachableError);
    expect(err.message).toBe(`cannot reach the Docker engine at tcp://example:2376: the engine's TLS certificate was rejected (${code})`);
    expect(err.hint).toMatch(/DOCKER_CERT_PATH\/ca\.pem/);
    expect(err.hint).not.toMatch(/daemon running/);
  });

  it("asks whether the daemon runs, and where to look (DOCKER_HOST, the docker context), when the engine is down", () => {
    for (const code of ["ECONNREFUSED", "ENOENT"]) {
      const err = translateEngineError(Object.assign(new Error("x"), { code }), "op", "e");
      expect(err.hint).toBe(
        "is the Docker daemon running? start it (`sudo systemctl start docker`, or open Docker Desktop), or point moor at one that is: check DOCKER_HOST and the docker context (`docker context ls`)",
      );
    }
  });

  it("names the docker group when the socket refuses the user", () => {
    const err = translateEngineError(Object.assign(new Error("x"), { code: "EACCES" }), "op", "unix:///var/run/docker.sock");
    expect(err.hint).toBe(
      "your user may not use unix:///var/run/docker.sock: add it to the `docker` group (`sudo usermod -aG docker $USER`, then log in again), run as root, or point DOCKER_HOST at a rootless engine",
    );
  });

  it("says which host port is taken and how to find its holder", () => {
    const bind = translateEngineError(
      modemError(500, "driver failed programming external connectivity on endpoint demo-web-1 (0d5b): Bind for 0.0.0.0:18181 failed: port is already allocated"),
      "containers.start",
      "e",
    );
    expect(bind.hint).toBe(
      "host port 18181 is already taken: `docker ps --filter publish=18181` shows a container publishing it; otherwise another program listens there (`ss -ltnp 'sport = :18181'` names it). Stop it, or publish another host port",
    );
    expect(bind.expected).toBe(true);
    const listen = translateEngineError(modemError(500, "driver failed programming external connectivity on endpoint x: Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address already in use"), "containers.start", "e");
    expect(listen.hint).toMatch(/^host port 8080 is already taken/);
  });

  it("says what to do about a container name held by a container that is not the project's", () => {
    const err = translateEngineError(
      modemError(409, 'Conflict. The container name "/demo-web-1" is already in use by container "67766097baf12c86bd6ae9d28c7c90d381902876807631fe6c0723039b7bd0b8". You have to remove (or rename) that container to be able to reuse that name.'),
      "containers.create",
      "e",
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.hint).toBe(
      "container 67766097baf1 already has the name demo-web-1 and is not one this project can take over (its labels differ): remove it (`docker rm -f demo-web-1`), rename it (`docker rename demo-web-1 <new name>`), or run this project under another name (-p)",
    );
  });

  it("says how to get an image the engine does not have", () => {
    const err = translateEngineError(modemError(404, "No such image: acme/api:2"), "containers.create", "e");
    expect(err.hint).toBe("acme/api:2 is not on this engine: pull it (`moor pull`), build it (`moor build`, for a service with a `build:` section), or check the name");
    expect(translateEngineError(modemError(404, "No such container: x"), "containers.inspect", "e").hint).toBeUndefined();
  });

  it("passes typed errors through untouched", () => {
    const original = new NotFoundError("x", { operation: "op" });
    expect(translateEngineError(original, "other", "e")).toBe(original);
  });
});

describe("pull errors", () => {
  it.each([
    ["redis", { name: "redis", tag: "latest", registry: "registry-1.docker.io" }],
    ["redis:7-alpine", { name: "redis", tag: "7-alpine", registry: "registry-1.docker.io" }],
    ["docker.io/library/redis:7", { name: "docker.io/library/redis", tag: "7", registry: "registry-1.docker.io" }],
    ["localhost:5000/app", { name: "localhost:5000/app", tag: "latest", registry: "localhost:5000" }],
    ["ghcr.io/acme/api:1.2@sha256:abc", { name: "ghcr.io/acme/api:1.2", tag: "sha256:abc", registry: "ghcr.io" }],
    ["acme/api:2", { name: "acme/api", tag: "2", registry: "registry-1.docker.io" }],
  ])("parses %s", (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it.each([
    ['Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host', "unreachable"],
    ['Get "http://localhost:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused', "unreachable"],
    ["manifest for redis:nope not found: manifest unknown: manifest unknown", "not-found"],
    ["pull access denied for acme/private, repository does not exist or may require 'docker login'", "denied"],
    ["something else entirely", "other"],
  ])("classifies %s", (message, reason) => {
    expect(classifyPullFailure(message)).toBe(reason);
  });

  it("says what to do when no registry answers", () => {
    const err = new ImagePullError("redis:7-alpine", "registry-1.docker.io", "unreachable", "dial tcp: lookup registry-1.docker.io: no such host");
    expect(err.message).toBe("cannot pull redis:7-alpine: registry-1.docker.io is unreachable (dial tcp: lookup registry-1.docker.io: no such host)");
    expect(err.hint).toBe(
      "no registry answers: check the name, or make redis:7-alpine on this engine (a `build:` section in the service, `docker build -t redis:7-alpine …` or `docker load`); `pull_policy: never` then uses it without asking a registry",
    );
    expect(err.expected).toBe(true);
  });
});
