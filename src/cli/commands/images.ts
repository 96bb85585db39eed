// `moor images`: the image of each of the project's containers, as compose lists them:
// CONTAINER REPOSITORY TAG PLATFORM IMAGE ID SIZE CREATED, or JSON, or the ids alone.
import type { Engine } from "../../engine/engine.js";
import type { ContainerSummary, ImageDetails } from "../../engine/types.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { humanDuration, humanSize } from "../go-units.js";
import { connectEngine, loadOrName } from "../project-context.js";
import { checkServices, projectContainers } from "../service-containers.js";
import { COMPOSE_TABLE, tabwrite } from "../tabwriter.js";

export interface ImagesOptions {
  format?: string;
  quiet?: boolean;
}

/** What `images` shows for one container. */
export interface ContainerImage {
  container: string;
  id: string;
  repository: string;
  tag: string;
  platform: string;
  size: number;
  /** RFC 3339; absent when the image is gone. */
  created?: string;
}

/** Repository (short, as `docker images` shows it) and tag of a reference; both empty for an image id. */
export function repositoryAndTag(ref: string): { repository: string; tag: string } {
  if (/^(sha256:)?[0-9a-f]{64}$/.test(ref)) return { repository: "", tag: "" };
  const [named, digest] = ref.split("@");
  const slash = named!.lastIndexOf("/");
  const colon = named!.lastIndexOf(":");
  const hasTag = colon > slash;
  let repository = hasTag ? named!.slice(0, colon) : named!;
  repository = repository.replace(/^(docker\.io|index\.docker\.io)\//, "").replace(/^library\//, "");
  const tag = hasTag ? named!.slice(colon + 1) : digest !== undefined ? "" : "latest";
  return { repository, tag };
}

export function containerImage(c: ContainerSummary, image: ImageDetails | undefined): ContainerImage {
  const { repository, tag } = repositoryAndTag(c.image);
  if (!image) return { container: c.name, id: c.imageId, repository, tag, platform: "", size: 0 };
  return { container: c.name, id: image.id, repository, tag, platform: image.os ? `${image.os}/${image.architecture}` : "", size: image.size, created: image.created || undefined };
}

/** compose's table: sorted by container, ids cut to 12, sizes with 3 digits, age in words. */
export function imagesTable(rows: readonly ContainerImage[], now = Date.now()): string {
  const body = [...rows]
    .sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0))
    .map((r) => [
      r.container,
      r.repository || "<none>",
      r.tag || "<none>",
      r.platform,
      r.id.replace(/^sha256:/, "").slice(0, 12),
      humanSize(r.size, 3),
      r.created ? `${humanDuration(now - Date.parse(r.created))} ago` : "N/A",
    ]);
  return tabwrite([["CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"], ...body], COMPOSE_TABLE);
}

/** compose's `--format json`: one array on one line, fields named as compose names them. */
export function imagesJson(rows: readonly ContainerImage[]): string {
  const list = [...rows]
    .sort((a, b) => (a.container < b.container ? -1 : 1))
    .map((r) => ({ ID: r.id, ContainerName: r.container, Repository: r.repository, Tag: r.tag, Platform: r.platform, Size: r.size, ...(r.created ? { Created: r.created } : {}) }));
  return JSON.stringify(list) + "\n";
}

/** Inspects each distinct image once. */
export async function containerImages(engine: Engine, containers: readonly ContainerSummary[]): Promise<ContainerImage[]> {
  const cache = new Map<string, Promise<ImageDetails | undefined>>();
  const inspect = (ref: string) => {
    if (!cache.has(ref)) cache.set(ref, engine.inspectImage(ref));
    return cache.get(ref)!;
  };
  return Promise.all(containers.map(async (c) => containerImage(c, await inspect(c.image))));
}

export async function imagesCommand(global: GlobalOptions, services: string[], opts: ImagesOptions): Promise<void> {
  const format = opts.format ?? "table";
  if (!["table", "json"].includes(format)) throw new UserError(`format value ${JSON.stringify(format)} could not be parsed`, "use table or json");
  const { name, loaded } = await loadOrName(global);
  checkServices(loaded?.project, services);
  const engine = await connectEngine();
  const containers = await projectContainers(engine, name, { all: true, services });
  const rows = await containerImages(engine, containers);
  if (opts.quiet) {
    const ids = [...new Set([...rows].sort((a, b) => (a.container < b.container ? -1 : 1)).map((r) => r.id.replace(/^sha256:/, "")))];
    process.stdout.write(ids.map((id) => `${id}\n`).join(""));
    return;
  }
  process.stdout.write(format === "json" ? imagesJson(rows) : imagesTable(rows));
}
