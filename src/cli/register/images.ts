// The build, pull, push, images, volumes command(s). Each action imports its implementation only when it runs.
import type { RegisterCommands } from "./shared.js";

export const registerImagesCommands: RegisterCommands = (_program, _global) => {
  // Commands of this group are added here.
};
