// The run, exec, attach command(s). Each action imports its implementation only when it runs.
import type { RegisterCommands } from "./shared.js";

export const registerOneoffCommands: RegisterCommands = (_program, _global) => {
  // Commands of this group are added here.
};
