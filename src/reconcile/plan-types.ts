// The plan: a DAG of actions, each one engine call (or one wait), each with the reason it exists.
// The executor walks it; `planToString` prints it for `moor plan` and for the golden tests.
import type { NetworkConfig, ServiceDependency, VolumeConfig } from "../compose/types.js";
import type { EndpointSpec } from "./container-spec.js";

/** A container an action works on: one that exists, or the one an earlier create action makes. */
export type ContainerRef =
  | { readonly kind: "existing"; readonly id: string; readonly name: string }
  | { readonly kind: "planned"; readonly action: number; readonly name: string };

interface ActionBase {
  /** 1-based; an action's dependencies always have smaller ids, so ids are a valid execution order. */
  readonly id: number;
  /** Ids of the actions that must finish first, ascending. */
  readonly deps: readonly number[];
  /** Why the action exists, in words. */
  readonly cause: string;
  /** Field-by-field changes behind the cause (recreates); secret values never appear here. */
  readonly changes?: readonly string[];
  /** Set when the action loses data: the CLI asks before executing the plan, or needs `-y`. */
  readonly destructive?: string;
}

export type PlanAction = ActionBase &
  (
    | { readonly kind: "create-network"; readonly key: string; readonly name: string; readonly config: NetworkConfig }
    | { readonly kind: "remove-network"; readonly key: string; readonly name: string }
    | { readonly kind: "create-volume"; readonly key: string; readonly name: string; readonly config: VolumeConfig }
    | { readonly kind: "remove-volume"; readonly key: string; readonly name: string }
    | { readonly kind: "pull-image"; readonly image: string; readonly services: readonly string[] }
    | { readonly kind: "build-image"; readonly image: string; readonly service: string }
    | { readonly kind: "remove-image"; readonly image: string }
    | {
        readonly kind: "create-container";
        readonly service: string;
        readonly number: number;
        /** The name to create it under: the final name, or a temporary one while it replaces `replaces`. */
        readonly name: string;
        /** The id of the container this one replaces (recreate). */
        readonly replaces?: string;
        /** Whose anonymous volumes to take over; absent with `renewAnonVolumes`. */
        readonly inheritVolumesFrom?: string;
      }
    | { readonly kind: "start-container"; readonly service: string; readonly container: ContainerRef }
    | {
        readonly kind: "stop-container";
        readonly service: string;
        readonly container: ContainerRef;
        readonly timeout?: number;
        /**
         * Run the service's `pre_stop` hooks (exec in the container, in order) before stopping it, as
         * compose's stop does for `down`, `stop` and scale-down; a recreate stops without them.
         */
        readonly preStop?: boolean;
      }
    | { readonly kind: "remove-container"; readonly service: string; readonly container: ContainerRef; readonly removeAnonymousVolumes: boolean }
    | { readonly kind: "rename-container"; readonly service: string; readonly container: ContainerRef; readonly to: string }
    | {
        readonly kind: "connect-network";
        readonly service: string;
        readonly container: ContainerRef;
        readonly network: string;
        /** The endpoint to connect with (aliases, links, addresses): without it the container loses its aliases. */
        readonly endpoint?: EndpointSpec;
      }
    | { readonly kind: "disconnect-network"; readonly service: string; readonly container: ContainerRef; readonly network: string }
    | {
        readonly kind: "wait-service";
        /** The service waited for. */
        readonly service: string;
        readonly condition: ServiceDependency["condition"];
      }
  );

export type PlanActionKind = PlanAction["kind"];

/** What `plan` and `planDown` return. */
export interface Plan {
  readonly project: string;
  readonly actions: readonly PlanAction[];
  /** Things the user should know that change nothing (orphans left, resources reused). */
  readonly warnings: readonly string[];
  /** Problems that make the plan unsafe to run (a missing external network); the executor refuses it. */
  readonly errors: readonly string[];
}

/** Distributes Omit over the action union, so each variant keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ActionInput = DistributiveOmit<PlanAction, "id" | "deps"> & { deps?: readonly (number | undefined)[] };

/** Collects actions in dependency order and numbers them. */
export class PlanBuilder {
  readonly actions: PlanAction[] = [];
  readonly warnings: string[] = [];
  readonly errors: string[] = [];

  constructor(readonly project: string) {}

  /** Adds an action after its dependencies (undefined entries are skipped) and returns its id. */
  add(input: ActionInput): number {
    const id = this.actions.length + 1;
    const deps = [...new Set((input.deps ?? []).filter((d): d is number => d !== undefined))].sort((a, b) => a - b);
    this.actions.push({ ...input, id, deps } as PlanAction);
    return id;
  }

  build(): Plan {
    return { project: this.project, actions: this.actions, warnings: this.warnings, errors: this.errors };
  }
}

/** The actions that lose data, for the CLI's confirmation prompt. */
export function destructiveActions(plan: Plan): PlanAction[] {
  return plan.actions.filter((a) => a.destructive !== undefined);
}
