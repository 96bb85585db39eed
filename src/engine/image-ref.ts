// Image references as the engine's pull call wants them (name and tag apart) and the registry a
// pull would talk to, for error messages that name the host that did not answer.

export interface ImageRef {
  /** Repository without tag or digest, e.g. "redis", "ghcr.io/acme/api". */
  name: string;
  /** Tag, or "sha256:…" for a digest reference; "latest" when the reference has neither. */
  tag: string;
  /** The registry host the engine will contact. */
  registry: string;
}

/** Docker Hub's registry endpoint: the host an unqualified name is pulled from. */
export const DOCKER_HUB_REGISTRY = "registry-1.docker.io";

export function parseImageRef(ref: string): ImageRef {
  let name = ref;
  let tag = "latest";
  const at = ref.indexOf("@");
  if (at !== -1) {
    name = ref.slice(0, at);
    tag = ref.slice(at + 1);
  } else {
    // A colon after the last slash is a tag; before it, a registry port ("localhost:5000/x").
    const colon = ref.lastIndexOf(":");
    if (colon > ref.lastIndexOf("/")) {
      name = ref.slice(0, colon);
      tag = ref.slice(colon + 1);
    }
  }
  const first = name.split("/")[0] ?? "";
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : DOCKER_HUB_REGISTRY;
  return { name, tag, registry: registry === "docker.io" || registry === "index.docker.io" ? DOCKER_HUB_REGISTRY : registry };
}

/** Sorts an engine's pull failure into the reasons a user acts on differently. */
export function classifyPullFailure(message: string): "unreachable" | "not-found" | "denied" | "other" {
  const m = message.toLowerCase();
  if (/dial tcp|no such host|i\/o timeout|connection refused|network is unreachable|tls handshake timeout|client\.timeout|server misbehaving|temporary failure in name resolution|connection reset/.test(m)) {
    return "unreachable";
  }
  if (/manifest unknown|not found|does not exist|no such image/.test(m) && !/denied|unauthorized/.test(m)) return "not-found";
  if (/denied|unauthorized|authentication required|forbidden/.test(m)) return "denied";
  return "other";
}
