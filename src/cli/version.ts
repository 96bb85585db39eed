import { createRequire } from "node:module";

/** moor's version, from package.json (read once, without loading anything heavy). */
export const MOOR_VERSION: string = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
