import os from "node:os";
import type { LoadOptions } from "../compose/load-options.js";
import { nodeFileReader } from "./node-file-reader.js";

/** The flags every command accepts before its name, as docker compose defines them. */
export interface GlobalOptions {
  file?: string[];
  projectName?: string;
  projectDirectory?: string;
  envFile?: string[];
  profile?: string[];
  parallel?: string;
  progress?: string;
  ansi?: string;
  dryRun?: boolean;
  compatibility?: boolean;
  allResources?: boolean;
}

/** Turns the command line and the process environment into the loader's options. */
export function loadOptionsFrom(global: GlobalOptions, extra: Partial<LoadOptions> = {}): LoadOptions {
  return {
    workingDir: process.cwd(),
    files: global.file,
    projectName: global.projectName,
    projectDirectory: global.projectDirectory,
    envFiles: global.envFile,
    profiles: global.profile,
    env: process.env,
    homeDir: os.homedir(),
    reader: nodeFileReader,
    ...extra,
  };
}

/** Reads all of standard input, for `-f -`. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
