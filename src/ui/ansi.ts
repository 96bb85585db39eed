// The few terminal styles moor uses, as plain strings. Ink passes escape codes through, so the
// Ink view, the plan diff and the code frame share these and one `color` switch decides for all
// (chalk would decide from stdout, while progress goes to stderr).

const CODES = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
  bold: [1, 22],
  dim: [2, 22],
} as const;

export type Style = keyof typeof CODES;

/** Styles text when `on`, returns it unchanged otherwise. */
export function paint(style: Style, text: string, on: boolean): string {
  if (!on || text === "") return text;
  const [open, close] = CODES[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

/** Removes SGR escape codes, for widths and for tests. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
