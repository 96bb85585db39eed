import { describe, expect, it } from "vitest";
import type { Project, ServiceConfig } from "../../compose/types.js";
import { oneOffService } from "../run-options.js";
import { oneOffSpec, runTty } from "./run.js";

describe("runTty", () => {
  const both = { stdinIsTerminal: true, stdoutIsTerminal: true };
  const none = { noTty: false, tty: false, interactive: false };
  it("gives a TTY by default only when stdout is a terminal and stdin is one too", () => {
    expect(runTty({}, both)).toBe(true);
    expect(runTty({}, { stdinIsTerminal: true, stdoutIsTerminal: false })).toBe(false);
    expect(runTty({}, { stdinIsTerminal: false, stdoutIsTerminal: true })).toBe(false);
  });
  it("keeps the stdout rule when -i is given (then a piped stdin is refused later, as in compose)", () => {
    expect(runTty({ explicit: { ...none, interactive: true } }, { stdinIsTerminal: false, stdoutIsTerminal: true })).toBe(true);
  });
  it("lets -T and -t decide, but not together", () => {
    expect(runTty({ noTty: true, explicit: { ...none, noTty: true } }, both)).toBe(false);
    expect(runTty({ tty: true, explicit: { ...none, tty: true } }, { stdinIsTerminal: false, stdoutIsTerminal: false })).toBe(true);
    expect(() => runTty({ explicit: { ...none, tty: true, noTty: true } }, both)).toThrow("--tty and --no-tty can't be used together");
  });
});

describe("oneOffSpec", () => {
  const web = {
    name: "web",
    image: "busybox",
    ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }],
    networks: { front: { aliases: ["www"] }, back: null },
    restart: "always",
  } as unknown as ServiceConfig;
  const project = { name: "p", services: { web }, networks: { front: { name: "p_front" }, back: { name: "p_back" } } } as unknown as Project;
  const base = { command: [], env: [], envFiles: [], labels: ["x=y"], publish: [], servicePorts: false, volumes: [], capAdd: [], capDrop: [], tty: true, interactive: true };
  const oneoff = oneOffService("p", web, base, { lookup: () => undefined, cwd: "/", slug: "ab".repeat(32) });
  const ctx = { configFiles: ["/x/compose.yaml"], workingDir: "/x" };

  it("labels the container as compose labels a one-off: oneoff True, the slug, no container number", () => {
    const { request } = oneOffSpec(project, oneoff, ctx, { autoRemove: false, attachStdin: true, useAliases: false });
    expect(request.name).toBe("p-web-run-abababababab");
    const labels = request.body.Labels ?? {};
    expect(labels["com.docker.compose.oneoff"]).toBe("True");
    expect(labels["com.docker.compose.slug"]).toBe("ab".repeat(32));
    expect(labels["com.docker.compose.container-number"]).toBeUndefined();
    expect(labels["com.docker.compose.service"]).toBe("web");
    expect(labels.x).toBe("y");
  });

  it("sets the attach fields, no ports, no restart policy, AutoRemove with --rm", () => {
    const { request } = oneOffSpec(project, oneoff, ctx, { autoRemove: true, attachStdin: true, useAliases: false });
    expect(request.body).toMatchObject({ Tty: true, OpenStdin: true, AttachStdin: true, StdinOnce: true, AttachStdout: true, AttachStderr: true });
    const hc = request.body.HostConfig as Record<string, unknown>;
    expect(hc.AutoRemove).toBe(true);
    expect(hc.PortBindings).toBeUndefined();
    expect(hc.RestartPolicy).toBeUndefined();
    const detached = oneOffSpec(project, oneoff, ctx, { autoRemove: false, attachStdin: false, useAliases: false }).request.body;
    expect(detached).toMatchObject({ AttachStdin: false, StdinOnce: false });
    expect((detached.HostConfig as Record<string, unknown>).AutoRemove).toBeUndefined();
  });

  it("answers to its own name only, unless --use-aliases adds the service's name and aliases", () => {
    const plain = oneOffSpec(project, oneoff, ctx, { autoRemove: false, attachStdin: true, useAliases: false });
    const endpoints = (plain.request.body.NetworkingConfig as { EndpointsConfig: Record<string, { Aliases?: string[] }> }).EndpointsConfig;
    expect(endpoints.p_back?.Aliases).toEqual([oneoff.name]);
    expect(plain.extraNetworks.map((n) => [n.network, n.endpoint.Aliases])).toEqual([["p_front", [oneoff.name]]]);
    const aliased = oneOffSpec(project, oneoff, ctx, { autoRemove: false, attachStdin: true, useAliases: true });
    const eps = (aliased.request.body.NetworkingConfig as { EndpointsConfig: Record<string, { Aliases?: string[] }> }).EndpointsConfig;
    expect(eps.p_back?.Aliases).toEqual([oneoff.name, "web"]);
    expect(aliased.extraNetworks[0]?.endpoint.Aliases).toEqual([oneoff.name, "web", "www"]);
  });
});
