// `--with-registry-auth`: the credentials the docker CLI would send for an image, as the base64url
// X-Registry-Auth value. Looked up as docker does: a credential helper named for the registry in
// `credHelpers`, else the `credsStore` helper, else the config file's own `auths` entry. A helper
// is the program `docker-credential-NAME`, run without a shell: `get` with the server address on
// its stdin, a JSON `{"ServerURL","Username","Secret"}` on its stdout; a Username of `<token>`
// means the Secret is an identity token. "credentials not found" means none.
import type childProcess from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { UserError } from "./errors.js";

/** The parts of `~/.docker/config.json` that hold credentials. */
export interface DockerAuthConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface Credentials {
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** Runs a helper's `get` for a server; undefined when it has no credentials for it. */
export type CredentialHelper = (helper: string, serverAddress: string) => Credentials | undefined;

/** Docker Hub's key in the config file and for its helpers. */
export const DOCKER_HUB = "https://index.docker.io/v1/";

/** The registry an image reference names, as the config file keys it (Docker Hub: its index URL). */
export function registryOf(image: string): string {
  const slash = image.indexOf("/");
  if (slash < 0) return DOCKER_HUB;
  const first = image.slice(0, slash);
  if (!(first.includes(".") || first.includes(":") || first === "localhost")) return DOCKER_HUB;
  return first === "docker.io" || first === "index.docker.io" || first === "registry-1.docker.io" ? DOCKER_HUB : first;
}

/** `https://registry:5000/v2/` and `registry:5000` name the same registry in `auths`. */
function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
}

/** The credentials for a registry, or undefined (then nothing is sent). */
export function credentialsFor(registry: string, config: DockerAuthConfig, helper: CredentialHelper): Credentials | undefined {
  const host = hostOf(registry);
  // As docker: a helper's key is the registry exactly (Docker Hub: its index URL); auths keys may carry a scheme.
  const store = config.credHelpers?.[registry] || config.credsStore || undefined;
  if (store) return helper(store, registry);
  const entry = config.auths?.[registry] ?? Object.entries(config.auths ?? {}).find(([k]) => hostOf(k) === host)?.[1];
  if (!entry) return undefined;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new UserError(`the docker config file's auth for ${registry} is not "user:password" in base64`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), ...(entry.identitytoken ? { identitytoken: entry.identitytoken } : {}) };
  }
  if (entry.identitytoken) return { identitytoken: entry.identitytoken };
  if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? "" };
  return undefined;
}

/** The X-Registry-Auth header value: base64url of the auth config JSON the engine reads. */
export function encodeRegistryAuth(registry: string, c: Credentials): string {
  const json = JSON.stringify({ ...(c.username !== undefined ? { username: c.username, password: c.password ?? "" } : {}), ...(c.identitytoken ? { identitytoken: c.identitytoken } : {}), serveraddress: registry });
  return Buffer.from(json).toString("base64url");
}

/** The helper's answer read as docker reads it. */
export function parseHelperOutput(helper: string, stdout: string): Credentials {
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    throw new UserError(`docker-credential-${helper} get answered something that is not JSON: ${stdout.trim().slice(0, 80)}`);
  }
  const username = typeof parsed.Username === "string" ? parsed.Username : "";
  const secret = typeof parsed.Secret === "string" ? parsed.Secret : "";
  return username === "<token>" ? { identitytoken: secret } : { username, password: secret };
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Runs `docker-credential-NAME get` from PATH, no shell, the server address on stdin. */
export const runCredentialHelper: CredentialHelper = (helper, serverAddress) => {
  if (!HELPER_NAME.test(helper)) throw new UserError(`invalid credential helper name in the docker config file: ${JSON.stringify(helper)}`);
  const program = `docker-credential-${helper}`;
  let stdout: string;
  try {
    // node:child_process loads only when a credential helper runs (≈ 2 ms of every deploy's start).
    const { execFileSync } = createRequire(import.meta.url)("node:child_process") as typeof childProcess;
    stdout = execFileSync(program, ["get"], { input: serverAddress, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], timeout: 30_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === "ENOENT") throw new UserError(`error getting credentials: ${program} is not installed (not found in PATH)`, "install it, or remove credsStore/credHelpers from the docker config file");
    const said = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim();
    // Every helper says this when it holds nothing for the server: no credentials, not an error.
    if (/credentials not found/i.test(said)) return undefined;
    throw new UserError(`error getting credentials from ${program}: ${said || e.message}`);
  }
  return parseHelperOutput(helper, stdout);
};

/** `$DOCKER_CONFIG/config.json` (else `~/.docker/config.json`); undefined when there is none. */
export function readDockerConfig(dir: string): DockerAuthConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, "config.json"), "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as DockerAuthConfig;
  } catch {
    throw new UserError(`${path.join(dir, "config.json")} is not valid JSON`);
  }
}

/** The X-Registry-Auth value for an image, or undefined when no credentials are stored for its registry. */
export function registryAuthFor(image: string, config: DockerAuthConfig | undefined, helper: CredentialHelper = runCredentialHelper): string | undefined {
  if (!config) return undefined;
  const registry = registryOf(image);
  const creds = credentialsFor(registry, config, helper);
  return creds ? encodeRegistryAuth(registry, creds) : undefined;
}
