// What every command group's registration shares: commander's repeatable-flag collector and the
// accessor for the global flags (given before or after the command) of the running action.
import type { Command } from "commander";
import type { GlobalOptions } from "../global-options.js";

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers a group of commands; `global()` is valid inside an action. */
export type RegisterCommands = (program: Command, global: () => GlobalOptions) => void;
