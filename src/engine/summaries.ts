// Engine JSON → moor's engine-neutral shapes (types.ts). Pure, so the mapping of odd inputs
// (nulls where lists were expected, Podman's variations, missing health) is unit-tested.
import type { ApiContainer, ApiContainerInspect, ApiEvent, ApiImage, ApiImageInspect, ApiNetwork, ApiVolume } from "./api-types.js";
import type { ContainerDetails, ContainerState, ContainerSummary, EngineEvent, ImageDetails, ImageSummary, NetworkSummary, VolumeSummary } from "./types.js";

const STATES: readonly ContainerState[] = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];

function containerState(raw: string | undefined): ContainerState {
  const lower = (raw ?? "").toLowerCase();
  // Podman reports "configured" and "stopped" where Docker says "created" and "exited".
  if (lower === "configured" || lower === "initialized") return "created";
  if (lower === "stopped") return "exited";
  return (STATES as readonly string[]).includes(lower) ? (lower as ContainerState) : "dead";
}

/** The list call has no health field; the status text carries it: "Up 3 minutes (healthy)". */
export function healthFromStatus(status: string): ContainerSummary["health"] {
  if (status.includes("(healthy)")) return "healthy";
  if (status.includes("(unhealthy)")) return "unhealthy";
  if (status.includes("(health: starting)")) return "starting";
  return undefined;
}

function healthOf(raw: string | undefined): ContainerSummary["health"] {
  return raw === "healthy" || raw === "unhealthy" || raw === "starting" ? raw : undefined;
}

const stripSlash = (name: string): string => (name.startsWith("/") ? name.slice(1) : name);

export function containerSummary(c: ApiContainer): ContainerSummary {
  const status = c.Status ?? "";
  // A linked container also appears as "/other/alias"; its own name is the one with a single slash.
  const names = c.Names ?? [];
  const own = names.find((n) => stripSlash(n).indexOf("/") === -1) ?? names[0] ?? "";
  const networks: ContainerSummary["networks"] = {};
  for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
    networks[name] = { networkId: ep.NetworkID ?? "", ...(ep.IPAddress ? { ipAddress: ep.IPAddress } : {}), ...(ep.Aliases ? { aliases: ep.Aliases } : {}) };
  }
  const health = healthFromStatus(status);
  return {
    id: c.Id ?? "",
    name: stripSlash(own),
    image: c.Image ?? "",
    imageId: c.ImageID ?? "",
    command: c.Command ?? "",
    created: c.Created ?? 0,
    state: containerState(c.State),
    status,
    ...(health ? { health } : {}),
    labels: c.Labels ?? {},
    networks,
    ports: (c.Ports ?? []).map((p) => ({
      privatePort: p.PrivatePort ?? 0,
      ...(p.PublicPort !== undefined ? { publicPort: p.PublicPort } : {}),
      type: p.Type ?? "tcp",
      ...(p.IP ? { ip: p.IP } : {}),
    })),
    mounts: (c.Mounts ?? []).map((m) => ({
      type: m.Type ?? "",
      ...(m.Name ? { name: m.Name } : {}),
      ...(m.Source ? { source: m.Source } : {}),
      destination: m.Destination ?? "",
    })),
  };
}

export function networkSummary(n: ApiNetwork): NetworkSummary {
  const ipam = n.IPAM
    ? {
        ...(n.IPAM.Driver ? { driver: n.IPAM.Driver } : {}),
        ...(n.IPAM.Config ? { config: n.IPAM.Config } : {}),
        ...(n.IPAM.Options ? { options: n.IPAM.Options } : {}),
      }
    : undefined;
  return {
    id: n.Id ?? "",
    name: n.Name ?? "",
    ...(n.Created ? { created: n.Created } : {}),
    driver: n.Driver ?? "",
    scope: n.Scope ?? "local",
    internal: n.Internal ?? false,
    attachable: n.Attachable ?? false,
    labels: n.Labels ?? {},
    options: n.Options ?? {},
    ...(ipam ? { ipam } : {}),
    enableIPv6: n.EnableIPv6 ?? false,
  };
}

export function volumeSummary(v: ApiVolume): VolumeSummary {
  return { name: v.Name ?? "", driver: v.Driver ?? "local", mountpoint: v.Mountpoint ?? "", labels: v.Labels ?? {}, options: v.Options ?? {} };
}

export function imageSummary(i: ApiImage): ImageSummary {
  // Untagged images are listed with the placeholder "<none>:<none>"; callers want no tag at all.
  const repoTags = (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>");
  return { id: i.Id ?? "", repoTags, labels: i.Labels ?? {}, created: i.Created ?? 0, size: i.Size ?? 0 };
}

export function imageDetails(i: ApiImageInspect): ImageDetails {
  const c = i.Config ?? {};
  const test = c.Healthcheck?.Test ?? [];
  return {
    id: i.Id ?? "",
    repoTags: i.RepoTags ?? [],
    repoDigests: i.RepoDigests ?? [],
    created: i.Created ?? "",
    size: i.Size ?? 0,
    os: i.Os ?? "",
    architecture: i.Architecture ?? "",
    labels: c.Labels ?? {},
    env: c.Env ?? [],
    cmd: c.Cmd ?? [],
    entrypoint: c.Entrypoint ?? [],
    workingDir: c.WorkingDir ?? "",
    user: c.User ?? "",
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    volumes: Object.keys(c.Volumes ?? {}),
    // ["NONE"] is how an image switches an inherited healthcheck off.
    hasHealthcheck: test.length > 0 && test[0] !== "NONE",
  };
}

export function containerDetails(c: ApiContainerInspect): ContainerDetails {
  const s = c.State ?? {};
  const cfg = c.Config ?? {};
  const health = healthOf(s.Health?.Status);
  const networks: ContainerDetails["networks"] = {};
  for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
    networks[name] = { networkId: ep.NetworkID ?? "", ...(ep.IPAddress ? { ipAddress: ep.IPAddress } : {}), ...(ep.Aliases ? { aliases: ep.Aliases } : {}) };
  }
  const ports: ContainerDetails["ports"] = {};
  for (const [port, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
    ports[port] = (bindings ?? []).map((b) => ({ hostIp: b.HostIp ?? "", hostPort: b.HostPort ?? "" }));
  }
  return {
    id: c.Id ?? "",
    name: stripSlash(c.Name ?? ""),
    image: c.Image ?? "",
    created: c.Created ?? "",
    restartCount: c.RestartCount ?? 0,
    state: {
      status: containerState(s.Status),
      running: s.Running ?? false,
      paused: s.Paused ?? false,
      restarting: s.Restarting ?? false,
      oomKilled: s.OOMKilled ?? false,
      dead: s.Dead ?? false,
      pid: s.Pid ?? 0,
      exitCode: s.ExitCode ?? 0,
      error: s.Error ?? "",
      startedAt: s.StartedAt ?? "",
      finishedAt: s.FinishedAt ?? "",
      ...(health ? { health } : {}),
      healthLog: (s.Health?.Log ?? []).map((l) => ({ exitCode: l.ExitCode ?? 0, output: l.Output ?? "" })),
    },
    config: {
      tty: cfg.Tty ?? false,
      openStdin: cfg.OpenStdin ?? false,
      image: cfg.Image ?? "",
      labels: cfg.Labels ?? {},
      env: cfg.Env ?? [],
      cmd: cfg.Cmd ?? [],
      entrypoint: cfg.Entrypoint ?? [],
      workingDir: cfg.WorkingDir ?? "",
      user: cfg.User ?? "",
    },
    autoRemove: c.HostConfig?.AutoRemove ?? false,
    networks,
    ports,
    mounts: (c.Mounts ?? []).map((m) => ({
      type: m.Type ?? "",
      ...(m.Name ? { name: m.Name } : {}),
      ...(m.Source ? { source: m.Source } : {}),
      destination: m.Destination ?? "",
      rw: m.RW ?? true,
    })),
  };
}

export function engineEvent(e: ApiEvent): EngineEvent {
  return {
    type: e.Type ?? "",
    action: e.Action ?? "",
    id: e.Actor?.ID ?? "",
    attributes: e.Actor?.Attributes ?? {},
    timeNano: e.timeNano ?? (e.time ?? 0) * 1e9,
  };
}
