// Sizes and durations printed the way the docker CLI and docker compose print them (Go's
// go-units): "12.3MB" for image and I/O sizes, "1.5MiB" for memory, "2 hours" for ages.

const DECIMAL = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/** Go's `%.{p}g`: p significant digits, trailing zeros dropped, exponent form for large exponents. */
export function goG(x: number, precision: number): string {
  if (x === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  const text = x.toPrecision(precision);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(text);
  if (m) return `${trim(m[1]!)}e${m[2]}${m[3]!.padStart(2, "0")}`;
  if (exponent < -4) return trim(x.toExponential(precision - 1));
  return trim(text);
}

function scaled(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]!];
}

/** go-units HumanSizeWithPrecision: decimal units ("1.23kB"); the docker CLI uses 3 digits for I/O and images, 4 by default. */
export function humanSize(bytes: number, precision = 4): string {
  const [n, unit] = scaled(bytes, 1000, DECIMAL);
  return `${goG(n, precision)}${unit}`;
}

/** go-units BytesSize: binary units with 4 digits ("468KiB", "23.54GiB"), as memory is shown. */
export function bytesSize(bytes: number): string {
  const [n, unit] = scaled(bytes, 1024, BINARY);
  return `${goG(n, 4)}${unit}`;
}

/** go-units HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.round(ms / 3_600_000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}
