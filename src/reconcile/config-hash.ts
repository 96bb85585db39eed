// The value stored in `com.docker.compose.config-hash`: a sha256 over the service's configuration
// with the fields removed that docker compose also removes (they change how a service is built,
// pulled, scaled or ordered, not what one container is). Compose hashes Go's JSON encoding of its
// own structs; moor hashes a key-sorted JSON of the normalized model instead, so the two hashes of
// the same service differ. docs/planner.md says why, and what the planner does about it.
import { configure } from "safe-stable-stringify";
import type { NetworkConfig, ServiceConfig, VolumeConfig } from "../compose/types.js";
import { sha256 } from "../compose/sha256.js";

const stableJson = configure({ deterministic: true, bigint: false, circularValue: Error });

/** Fields of a service that compose leaves out of the hash, and so does moor. */
export const UNHASHED_SERVICE_FIELDS = ["name", "build", "pull_policy", "scale", "depends_on", "profiles"] as const;

/**
 * Drops what does not count: `undefined` (absent), empty objects (`environment: {}` means the same as
 * no environment) and `x-*` extensions (compose never serializes them). Arrays keep their empties:
 * `command: []` is not the same as no command.
 */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("x-") || v === undefined) continue;
    const pruned = prune(v);
    if (pruned !== null && typeof pruned === "object" && !Array.isArray(pruned) && Object.keys(pruned).length === 0) continue;
    out[key] = pruned;
  }
  return out;
}

/** The part of a service that the hash covers, as a plain JSON value; also what moor stores for field-level diffs. */
export function serviceHashInput(service: ServiceConfig): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...service };
  for (const field of UNHASHED_SERVICE_FIELDS) delete copy[field];
  if (service.deploy) {
    // Replicas is scale under another name: changing it adds or removes containers, it does not
    // make the existing ones stale.
    const { replicas: _replicas, ...deploy } = service.deploy;
    copy["deploy"] = deploy;
  }
  return prune(copy) as Record<string, unknown>;
}

/** Environment variable names whose values are secret-looking: never shown, never stored in clear. */
export const SECRET_NAME = /pass|secret|token|key|credential|auth|private|cert/i;

/**
 * What moor records in its `dev.moor.config` label for field-level diffs: the hash input with the
 * values of secret-looking environment variables replaced by a digest. Labels show up in
 * `docker ps --format '{{.Labels}}'`, so a password must not travel in one; a changed digest
 * still tells the planner (and the user, as "changed (value hidden)") that the value changed.
 */
export function recordedServiceConfig(service: ServiceConfig): Record<string, unknown> {
  const input = serviceHashInput(service);
  const env = input["environment"];
  if (env && typeof env === "object" && !Array.isArray(env)) {
    const redacted: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(env)) redacted[k] = SECRET_NAME.test(k) && typeof v === "string" ? `sha256:${sha256Hex(v).slice(0, 16)}` : v;
    input["environment"] = redacted;
  }
  return input;
}

/** The canonical JSON text of a hash input: sorted keys, no whitespace. */
export function canonicalJson(value: unknown): string {
  return stableJson(value) ?? "null";
}

function sha256Hex(text: string): string {
  return sha256().update(text).digest("hex");
}

/** `com.docker.compose.config-hash` for a service as moor computes it (64 hex digits). */
export function serviceConfigHash(service: ServiceConfig): string {
  return sha256Hex(canonicalJson(serviceHashInput(service)));
}

/** The part of a network's configuration its hash covers; also what moor stores for diffs. */
export function networkHashInput(network: NetworkConfig): Record<string, unknown> {
  return prune(network) as Record<string, unknown>;
}

/** The part of a volume's configuration its hash covers; a missing driver is "local", as the engine records it. */
export function volumeHashInput(volume: VolumeConfig): Record<string, unknown> {
  return prune({ ...volume, driver: volume.driver ?? "local" }) as Record<string, unknown>;
}

/** The config hash moor writes on the networks it creates. */
export function networkConfigHash(network: NetworkConfig): string {
  return sha256Hex(canonicalJson(networkHashInput(network)));
}

/** The config hash moor writes on the volumes it creates. */
export function volumeConfigHash(volume: VolumeConfig): string {
  return sha256Hex(canonicalJson(volumeHashInput(volume)));
}
