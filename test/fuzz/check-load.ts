// The loader's promise on any input, as a check the fuzzer runs on every case: loadProject returns
// (no exception) in bounded time, with either a project or error diagnostics that each point at a
// file:line:col inside a file that was read.
import { loadProject } from "../../src/compose/load.js";
import { formatDiagnostic } from "../../src/compose/diagnostics.js";
import type { LoadResult } from "../../src/compose/load-options.js";
import { memReader } from "../fixtures/load/mem-reader.js";

export const PROJECT_DIR = "/p";

/** Time one load may take before it counts as a hang: generous, the machine is shared and slow. */
export const SLOW_LOAD_MS = 10_000;

export interface LoadOutcome {
  result: LoadResult;
  ms: number;
}

/** Loads a project held in memory (paths relative to /p). Throws what the loader throws. */
export function loadInMemory(files: Readonly<Record<string, string>>, env: Readonly<Record<string, string>>): LoadOutcome {
  const tree: Record<string, string> = {};
  for (const [rel, text] of Object.entries(files)) tree[`${PROJECT_DIR}/${rel}`] = text;
  const start = performance.now();
  const result = loadProject({ workingDir: PROJECT_DIR, env, homeDir: "/home/u", reader: memReader(tree) });
  return { result, ms: performance.now() - start };
}

/** What is wrong with an outcome; empty when the loader kept its promise. */
export function loadProblems(files: Readonly<Record<string, string>>, outcome: LoadOutcome): string[] {
  const { result, ms } = outcome;
  const problems: string[] = [];
  if (ms > SLOW_LOAD_MS) problems.push(`took ${Math.round(ms)} ms`);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (result.project === undefined && errors.length === 0) problems.push("no project and no error");
  if (result.project !== undefined && errors.length > 0) problems.push("a project despite errors");
  const lineCounts = new Map(Object.entries(files).map(([rel, text]) => [`${PROJECT_DIR}/${rel}`, text.split(/\r\n|\r|\n/).length]));
  for (const d of result.diagnostics) {
    const loc = d.location;
    if (typeof d.message !== "string" || d.message.trim() === "") problems.push(`empty message: ${d.code}`);
    if (loc === undefined) {
      problems.push(`unlocated: ${formatDiagnostic(d)}`);
      continue;
    }
    const lines = lineCounts.get(loc.file);
    if (lines === undefined) problems.push(`located in a file that was not read: ${formatDiagnostic(d)}`);
    else if (!(Number.isInteger(loc.line) && loc.line >= 1 && loc.line <= lines && Number.isInteger(loc.col) && loc.col >= 1)) {
      problems.push(`bad position (file has ${lines} lines): ${formatDiagnostic(d)}`);
    }
  }
  return problems;
}
