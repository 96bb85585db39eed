// The watch command(s). Each action imports its implementation only when it runs.
import type { RegisterCommands } from "./shared.js";

export const registerWatchCommands: RegisterCommands = (_program, _global) => {
  // Commands of this group are added here.
};
