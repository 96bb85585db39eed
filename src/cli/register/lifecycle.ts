// The create, start, stop, restart, kill, pause, unpause, rm, scale, wait command(s). Each action imports its implementation only when it runs.
import type { RegisterCommands } from "./shared.js";

export const registerLifecycleCommands: RegisterCommands = (_program, _global) => {
  // Commands of this group are added here.
};
