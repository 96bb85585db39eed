// "did you mean …?" for misspelt keys and values: the closest allowed word by edit distance.

/**
 * The edit distance between two strings: Levenshtein's insertions, deletions and substitutions,
 * plus the swap of two neighbours as one edit (optimal string alignment), since `imgae` and
 * `prots` are how keys get mistyped.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rows, not a matrix: keys are short, but a hostile document could hold long ones.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}

// Case and `-` versus `_` are the commonest slips (`depends-on`, `Restart`), so they cost nothing.
const fold = (s: string): string => s.toLowerCase().replace(/-/g, "_");

/**
 * The candidate closest to `input`, if it is close enough to be a likely typo: at most a third
 * of the input's length in edits (at least one, at most three). Ties go to the earlier candidate.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > 64) return undefined;
  const folded = fold(input);
  const limit = Math.min(3, Math.max(1, Math.floor(folded.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const d = editDistance(folded, fold(candidate));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
