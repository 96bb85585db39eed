// `moor pull`: pulls the selected services' images through the executor's pull action, each image
// once, side by side. Which ones, and the failure rules, are compose's: a service without a pull
// policy is always pulled; a failure fails the command (exit 1) unless --ignore-pull-failures,
// and a service that can be built is pulled to the end and then named in a "build it" warning.
import pLimit from "p-limit";
import type { Project, ServiceConfig } from "../../compose/types.js";
import type { ImageSummary } from "../../engine/types.js";
import type { EventSink } from "../../reconcile/events.js";
import { serviceImage } from "../../reconcile/container-spec.js";
import { normalizeImageRef } from "../../reconcile/plan.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { runImageActions } from "../image-actions.js";
import { progressSink } from "../progress.js";
import { connectEngine, loadOrThrow, parallelism } from "../project-context.js";
import { selectServices } from "../service-selection.js";

export interface PullOptions {
  quiet?: boolean;
  includeDeps?: boolean;
  ignorePullFailures?: boolean;
  ignoreBuildable?: boolean;
  policy?: string;
  parallel?: boolean;
  noParallel?: boolean;
}

export type PullDecision = { pull: true } | { pull: false; reason?: string };

/** compose's `pull` rule for one service image (`up` skips present images; an explicit pull does not). */
export function pullDecision(svc: ServiceConfig, present: boolean, ignoreBuildable: boolean): PullDecision {
  if (!svc.image) return { pull: false, reason: "No image to be pulled" };
  const policy = svc.pull_policy;
  let pull = true;
  let reason: string | undefined;
  if (policy === "never" || policy === "build") pull = false;
  else if ((policy === "missing" || policy === "if_not_present") && present && !isLatest(svc.image)) {
    pull = false;
    reason = "Image is already present locally";
  }
  if (!pull) return { pull: false, reason };
  if (svc.build && ignoreBuildable) return { pull: false, reason: "Image can be built" };
  return { pull: true };
}

/** A reference that names the `latest` tag, written or implied (compose refreshes those even when present). */
function isLatest(ref: string): boolean {
  return !ref.includes("@") && normalizeImageRef(ref).endsWith(":latest");
}

const present = (images: readonly ImageSummary[], ref: string): boolean => {
  const wanted = normalizeImageRef(ref);
  return images.some((i) => i.repoTags.some((t) => normalizeImageRef(t) === wanted));
};

export async function pullCommand(global: GlobalOptions, services: string[], opts: PullOptions): Promise<void> {
  if (opts.parallel !== undefined) process.stderr.write("option '--parallel' is DEPRECATED and will be ignored.\n");
  if (opts.noParallel !== undefined) process.stderr.write("option '--no-parallel' is DEPRECATED and will be ignored.\n");
  if (opts.policy !== undefined && !["missing", "always"].includes(opts.policy)) {
    throw new UserError(`invalid --policy ${JSON.stringify(opts.policy)}`, 'use "missing" or "always"');
  }
  const { project: loaded, result } = await loadOrThrow(global, { services });
  const selected = selectServices(loaded, services, opts.includeDeps === true);
  const project: Project = opts.policy
    ? { ...loaded, services: Object.fromEntries(Object.entries(loaded.services).map(([k, s]) => [k, s.image ? { ...s, pull_policy: opts.policy } : s])) }
    : loaded;
  const engine = await connectEngine();
  const images = await engine.listImages();
  const sink: EventSink = opts.quiet ? () => {} : progressSink(global);

  // One pull per image, however many services use it; `buildable` lists the services that could
  // build it instead (their failure ends in the "build it" warning rather than failing fast).
  const byImage = new Map<string, { users: string[]; buildable: string[] }>();
  const want = (image: string, user: string, buildable: boolean) => {
    const entry = byImage.get(image) ?? { users: [], buildable: [] };
    if (!entry.users.includes(user)) entry.users.push(user);
    if (buildable) entry.buildable.push(user);
    byImage.set(image, entry);
  };
  const skip = (kind: "image" | "service", name: string, reason: string | undefined) =>
    sink({ type: "resource", kind, name, status: "Skipped", detail: reason ? `- ${reason}` : undefined, done: true });
  for (const name of selected) {
    const svc = project.services[name]!;
    const decision = pullDecision(svc, svc.image ? present(images, svc.image) : false, opts.ignoreBuildable === true);
    if (decision.pull) want(svc.image!, name, svc.build !== undefined);
    else if (svc.image) skip("image", svc.image, decision.reason);
    else skip("service", name, decision.reason);
  }
  // pre_start hooks that run an image of their own: pulled under the service's policy ("build"
  // counting as "missing", since a hook image cannot be built).
  for (const name of selected) {
    const svc = project.services[name]!;
    const own = serviceImage(project.name, svc);
    for (const hook of svc.pre_start ?? []) {
      if (!hook.image || hook.image === own) continue;
      const policy = svc.pull_policy === "build" ? "missing" : svc.pull_policy;
      const decision = pullDecision({ ...svc, image: hook.image, build: undefined, pull_policy: policy }, present(images, hook.image), false);
      if (decision.pull) want(hook.image, name, false);
      else if (decision.reason) skip("image", hook.image, decision.reason);
    }
  }

  if (global.dryRun) {
    const actions = [...byImage].map(([image, { users }]) => ({ kind: "pull-image" as const, image, services: users, cause: "named by `moor pull`" }));
    await runImageActions(project, result, engine, actions, { parallel: 1, onEvent: sink, dryRun: true });
    return;
  }
  const limit = pLimit(parallelism(global));
  const failures: Error[] = [];
  const mustBuild: string[] = [];
  await Promise.all(
    [...byImage].map(([image, { users, buildable }]) =>
      limit(async () => {
        try {
          await runImageActions(project, result, engine, [{ kind: "pull-image", image, services: users, cause: "named by `moor pull`" }], { parallel: 1, onEvent: sink });
        } catch (err) {
          failures.push(err as Error);
          mustBuild.push(...buildable);
        }
      }),
    ),
  );
  if (mustBuild.length > 0) {
    sink({ type: "warning", message: `Some service image(s) must be built from source by running:\n    moor build ${mustBuild.sort().join(" ")}` });
  }
  if (failures.length === 0 || opts.ignorePullFailures) return;
  if (failures.length === 1) throw failures[0];
  throw new UserError(failures.map((f) => f.message).join("\n"), (failures[0] as { hint?: string }).hint);
}
