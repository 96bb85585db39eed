// Draws docs/engine-bench.svg from the stored results of bench/up.mjs and bench/down.mjs:
// left, each scenario's medians relative to docker-compose in the same run (lower is faster,
// the milliseconds written beside each bar); right, the concurrency sweeps (engine floor for
// create + start and for removal, moor's --parallel). No dependencies: plain SVG text.
//
//   node bench/plot.mjs [--tag T] [--out docs/engine-bench.svg]
import console from "node:console";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DIR, REPO_DIR } from "./lib/harness.mjs";

const { values: args } = parseArgs({ options: { tag: { type: "string" }, out: { type: "string", default: "docs/engine-bench.svg" } } });

/**
 * @param {string} name
 * @returns {import("./lib/harness.mjs").BenchResult | undefined}
 */
function load(name) {
  const f = path.join(BENCH_DIR, "results", `${args.tag ? `${name}.${args.tag}` : name}.json`);
  return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : undefined;
}

/** @param {string} s */
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** @param {number} ms */
const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
/** @param {string} name */
const colour = (name) => (name.startsWith("docker-compose") ? "#8c8c8c" : name.startsWith("moor") ? "#1f77b4" : name.startsWith("floor") ? "#2ca02c" : "#ff7f0e");

const scenarios = [
  ["up-20", "cold up -d, 20"],
  ["up-100", "cold up -d, 100"],
  ["up-chains", "cold up -d, 10 chains × 10"],
  ["up-noop-100", "no-op up -d, 100 running"],
  ["down-100", "down -t 0, 100"],
];

/** @type {string[]} */
const svg = [];
const W = 1100;
const leftW = 620;
let y = 50;
const barH = 14;
const x0 = 210;
const scaleW = 300; // pixels for a ratio of 1.5
const ratioMax = 1.5;
svg.push(`<text x="10" y="22" font-size="15" font-weight="bold">moor vs docker-compose 1.29 vs the engine floor (median; bar = time ÷ docker-compose's, lower is faster)</text>`);
for (const [name, label] of scenarios) {
  const r = load(name);
  if (!r) continue;
  const base = r.contenders.find((c) => c.name === "docker-compose");
  if (!base) continue;
  svg.push(`<text x="10" y="${y + 10}" font-size="13" font-weight="bold">${esc(label)}</text>`);
  svg.push(`<text x="${x0}" y="${y + 10}" font-size="10" fill="#555">load average ${r.machine.loadBefore[0]} → ${r.loadAfter[0]}, ${r.runs} runs</text>`);
  y += 18;
  for (const c of r.contenders) {
    const ratio = c.stats.median / base.stats.median;
    const w = Math.max(1, (Math.min(ratio, ratioMax) / ratioMax) * scaleW);
    svg.push(`<text x="${x0 - 6}" y="${y + barH - 3}" font-size="11" text-anchor="end">${esc(c.name)}</text>`);
    svg.push(`<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colour(c.name)}"/>`);
    svg.push(`<text x="${(x0 + w + 4).toFixed(1)}" y="${y + barH - 3}" font-size="11">${ratio.toFixed(2)}× · ${fmt(c.stats.median)}${ratio > ratioMax ? " (cut)" : ""}</text>`);
    y += barH + 4;
  }
  y += 14;
}
// the ratio 1 line
svg.push(`<line x1="${x0 + scaleW / ratioMax}" y1="40" x2="${x0 + scaleW / ratioMax}" y2="${y - 10}" stroke="#000" stroke-dasharray="3,3"/>`);
svg.push(`<text x="${x0 + scaleW / ratioMax}" y="${y + 2}" font-size="10" text-anchor="middle">= docker-compose</text>`);
const leftBottom = y + 10;

// Right: sweeps.
let ry = 50;
const rx = leftW + 20;
const rScale = 260;
for (const [name, label] of [
  ["up-floor-sweep", "floor: create + start 100, by concurrency"],
  ["down-floor-sweep", "floor: remove 100, by concurrency"],
  ["up-parallel", "moor cold up -d of 100, by --parallel"],
]) {
  const r = load(name);
  if (!r) continue;
  const max = Math.max(...r.contenders.map((c) => c.stats.median));
  svg.push(`<text x="${rx}" y="${ry + 10}" font-size="13" font-weight="bold">${esc(label)}</text>`);
  svg.push(`<text x="${rx}" y="${ry + 24}" font-size="10" fill="#555">median; load ${r.machine.loadBefore[0]}→${r.loadAfter[0]}, ${r.runs} runs</text>`);
  ry += 30;
  const best = Math.min(...r.contenders.map((c) => c.stats.median));
  for (const c of r.contenders) {
    const w = (c.stats.median / max) * rScale;
    svg.push(`<text x="${rx + 120}" y="${ry + barH - 3}" font-size="11" text-anchor="end">${esc(c.name)}</text>`);
    svg.push(`<rect x="${rx + 126}" y="${ry}" width="${w.toFixed(1)}" height="${barH}" fill="${colour(c.name)}" fill-opacity="${c.stats.median === best ? 1 : 0.55}"/>`);
    svg.push(`<text x="${(rx + 130 + w).toFixed(1)}" y="${ry + barH - 3}" font-size="11">${fmt(c.stats.median)}</text>`);
    ry += barH + 4;
  }
  ry += 16;
}
const H = Math.max(leftBottom, ry) + 10;
const text = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
  `<rect width="100%" height="100%" fill="#fff"/>`,
  ...svg,
  "</svg>",
  "",
].join("\n");
const outFile = path.resolve(REPO_DIR, args.out);
fs.writeFileSync(outFile, text);
console.log(outFile);
