// Durations as compose reads them (`healthcheck.interval`, `stop_grace_period`, …): Go's
// duration syntax plus `d` and `w`, as compose-go parses them, and Go's `Duration.String()`
// for output (`docker compose config` prints durations that way). Values are nanoseconds,
// which is also what the engine API takes.

const NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // µ, the micro sign
  "\u03bcs": 1_000n, // μ, the Greek letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

const INT64_MAX = (1n << 63n) - 1n;

/** Go's grammar: an optional sign, then one or more `<number><unit>`, the number with an optional fraction. */
const TERM = /(\d*)(?:\.(\d*))?([^\d.]*)/y;

/**
 * Parses a duration ("1h30m", "1.5s", "500ms", "2us", "1d") into nanoseconds; undefined when
 * it is not one. A number is accepted only when it is 0: compose has no unit-less durations.
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === "number") return input === 0 ? 0 : undefined;
  let s = input;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0n;
  let pos = 0;
  while (pos < s.length) {
    TERM.lastIndex = pos;
    const m = TERM.exec(s);
    if (!m || m[0] === "") return undefined;
    const [, whole = "", fraction, unitName = ""] = m;
    if (whole === "" && (fraction === undefined || fraction === "")) return undefined; // ".s"
    const unit = NS[unitName];
    if (unit === undefined) return undefined; // a missing or unknown unit
    const v = BigInt(whole === "" ? "0" : whole);
    if (v > INT64_MAX / unit) return undefined;
    let term = v * unit;
    if (fraction !== undefined && fraction !== "") {
      // Go adds the fraction through float64 so that fractions of hours stay nanosecond-exact.
      const digits = fraction.slice(0, 18);
      term += BigInt(Math.trunc(Number(digits) * (Number(unit) / 10 ** digits.length)));
    }
    total += term;
    if (total > INT64_MAX) return undefined;
    pos = TERM.lastIndex;
  }
  return Number(negative ? -total : total);
}

/** Renders nanoseconds as Go's `time.Duration.String()` does: "1h0m0s", "1m30s", "1.5s", "500ms", "0s". */
export function formatDuration(ns: number): string {
  let u = BigInt(Math.trunc(ns));
  const negative = u < 0n;
  if (negative) u = -u;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return "0s";
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${withFraction(u, 3)}\u00b5s`;
    else out = `${withFraction(u, 6)}ms`;
  } else {
    const seconds = withFraction(u % 60_000_000_000n, 9);
    const minutes = u / 60_000_000_000n;
    if (minutes === 0n) out = `${seconds}s`;
    else if (minutes < 60n) out = `${minutes}m${seconds}s`;
    else out = `${minutes / 60n}h${minutes % 60n}m${seconds}s`;
  }
  return negative ? `-${out}` : out;
}

/** `v / 10^prec` with the fraction's trailing zeros (and a bare point) left out. */
function withFraction(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(prec, "0").replace(/0+$/, "");
  return frac === "" ? `${whole}` : `${whole}.${frac}`;
}
