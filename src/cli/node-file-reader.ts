import fs from "node:fs";
import type { FileReader } from "../compose/load-options.js";

/** The FileReader the CLI hands to the pure loader: the real file system. */
export const nodeFileReader: FileReader = {
  readFile(path) {
    try {
      return fs.readFileSync(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
      throw err;
    }
  },
  exists: (path) => fs.existsSync(path),
  isDirectory(path) {
    try {
      return fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};
