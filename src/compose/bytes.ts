// Byte sizes as compose reads them (`mem_limit`, `shm_size`, `tmpfs.size`, …): a plain integer
// (negative too, e.g. `memswap_limit: -1`), or docker's RAM notation, where every unit is a
// binary multiple: `b`, `k`/`kb`/`kib`, `m`…, `g`…, `t`…, `p`…, any case, fractions allowed.

const MULTIPLIER: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const INT64_LIMIT = 2 ** 63;

/** Parses a byte size ("512m", "1.5g", "1 GiB", "100", -1) into bytes; undefined when it is not one. */
export function parseBytes(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isSafeInteger(input) ? input : undefined;
  if (/^[+-]?\d+$/.test(input)) {
    const n = Number(input);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return ramInBytes(input);
}

/**
 * docker's RAMInBytes: the number is what precedes the suffix (one space between them is
 * allowed), the suffix a unit letter with an optional `b` or `ib`; fractions are truncated
 * to whole bytes; negative sizes are refused.
 */
function ramInBytes(s: string): number | undefined {
  let sep = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if (/[0-9. ]/.test(s[i]!)) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return undefined;
  const num = s[sep] === " " ? s.slice(0, sep) : s.slice(0, sep + 1);
  const suffix = s.slice(sep + 1).toLowerCase();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(num)) return undefined;
  let size = Number(num);
  if (size < 0) return undefined;
  if (suffix !== "" && suffix !== "b") {
    const mul = MULTIPLIER[suffix[0]!];
    if (mul === undefined || suffix.length > 3) return undefined;
    if (suffix.length === 2 && suffix[1] !== "b") return undefined;
    if (suffix.length === 3 && suffix.slice(1) !== "ib") return undefined;
    size *= mul;
  }
  const bytes = Math.trunc(size);
  return bytes < INT64_LIMIT ? bytes : undefined;
}
