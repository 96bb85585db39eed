// The deploy and stack commands (Docker Swarm). Each action imports its implementation only when it runs.
import type { RegisterCommands } from "./shared.js";

export const registerStackCommands: RegisterCommands = (_program, _global) => {
  // Commands of this group are added here.
};
