// Prints the stored results (bench/results/*.json) as the markdown tables docs/performance.md
// quotes, so the document is copied from files rather than retyped.
// Usage: node bench/lib/report.mjs [group ...]
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { BENCH_DIR, fmtMs, toMarkdown } from "./harness.mjs";

const dir = path.join(BENCH_DIR, "results");
const wanted = process.argv.slice(2);
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
for (const f of files) {
  const name = f.replace(/\.json$/, "");
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const r = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  if (Array.isArray(r.contenders)) {
    console.log(toMarkdown(r));
    const versions = r.contenders.filter((/** @type {{ version?: string }} */ c) => c.version).map((/** @type {{ name: string, version: string }} */ c) => `${c.name}: ${c.version}`);
    const build = r.meta?.versions?.moorBuild;
    const at = typeof build === "object" && build ? `a snapshot of ${build.commit}${build.uncommittedChanges ? " + uncommitted changes" : ""}` : `HEAD ${r.machine.moorCommit}`;
    if (versions.length > 0) console.log(`Versions: ${versions.join("; ")}. moor: ${at}.\n`);
  } else if (r.medians) {
    // Either { phase: ms } or, one column per workload, { workload: { phase: ms } }.
    /** @type {Record<string, Record<string, number>>} */
    const groups = Object.values(r.medians).every((v) => typeof v === "number") ? { "median ms": r.medians } : r.medians;
    const columns = Object.keys(groups);
    const phases = [...new Set(columns.flatMap((c) => Object.keys(groups[c] ?? {})))];
    console.log(`### ${r.title}\n\n| phase | ${columns.join(" | ")} |\n| --- |${columns.map(() => " ---: |").join("")}`);
    for (const p of phases) console.log(`| ${p} | ${columns.map((c) => (typeof groups[c]?.[p] === "number" ? fmtMs(groups[c][p]) : "")).join(" | ")} |`);
    console.log(`\n${r.runs} runs; load average ${r.machine.loadBefore.join(" ")} before; ${r.finishedAt}.\n`);
  } else if (r.goals) {
    console.log("### goals\n\n| goal | measured | met |\n| --- | --- | --- |");
    for (const g of r.goals) console.log(`| ${g.goal} | ${g.measured} | ${g.met === undefined || g.met === null ? "–" : g.met ? "yes" : "**no**"} |`);
    console.log(`\n${r.date}, load average ${r.machine.loadBefore.join(" ")} at the end.\n`);
  }
}
