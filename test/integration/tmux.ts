// What the real-terminal suites share: whether tmux is here (under CI=true it must be: .ci/run
// installs it), and the end of a suite: its tmux servers killed with their sockets, then each of
// its projects cleaned on its own (one engine error must not leave the others behind).
import fs from "node:fs";
import { execa } from "execa";
import type { DockerEngine } from "../../src/engine/docker-engine.js";
import { cleanupProject } from "./harness.js";

export const hasTmux = (await execa("tmux", ["-V"], { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
if (!hasTmux && process.env.CI === "true") throw new Error("CI=true and tmux is missing: .ci/run should have installed it");

/** Kills each tmux server (`tmux -L <socket>`) and removes its socket file. */
export async function killTmuxServers(sockets: readonly string[]): Promise<void> {
  for (const s of sockets) {
    const where = await execa("tmux", ["-L", s, "display-message", "-p", "#{socket_path}"], { reject: false });
    await execa("tmux", ["-L", s, "kill-server"], { reject: false });
    if (where.exitCode === 0 && String(where.stdout).trim() !== "") fs.rmSync(String(where.stdout).trim(), { force: true });
  }
}

/** A suite's end: its tmux servers, its projects, then its scratch directory whatever happened. */
export async function endTerminalSuite(sockets: readonly string[], engine: DockerEngine | undefined, projects: readonly string[], scratch: string): Promise<void> {
  await killTmuxServers(sockets);
  try {
    await cleanupProjects(engine, projects);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Cleans every project (by its label), then throws once naming those that failed. */
export async function cleanupProjects(engine: DockerEngine | undefined, projects: readonly string[]): Promise<void> {
  if (!engine) return;
  const failures: string[] = [];
  for (const p of projects) {
    try {
      await cleanupProject(engine, p);
    } catch (err) {
      failures.push(`${p}: ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`cleanup failed:\n${failures.join("\n")}`);
}
