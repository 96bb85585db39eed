import readline from "node:readline/promises";
import { UserError } from "./errors.js";

/** Asks a yes/no question on a terminal; without one, refuses unless `assumeYes`. */
export async function confirm(question: string, assumeYes: boolean, hintFlag = "-y"): Promise<boolean> {
  if (assumeYes) return true;
  if (!process.stdin.isTTY) {
    throw new UserError(`${question} — refusing without confirmation`, `run it on a terminal to answer, or pass ${hintFlag} to proceed`);
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
