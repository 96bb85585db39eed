// Go's text/tabwriter as docker compose and the docker CLI configure it for their tables: each
// column as wide as its widest cell plus the padding, never narrower than the minimum width;
// the last cell of a line is not a column and is printed as it is.

export interface TabwriterOptions {
  /** compose's lists use 20, the docker CLI's 10, `compose top` 4. */
  minWidth: number;
  /** Spaces after the widest cell: 3 for lists, 2 for `top`. */
  padding: number;
}

/** Aligns rows of cells (the header is just the first row). Every line ends with a newline. */
export function tabwrite(rows: readonly (readonly string[])[], opts: TabwriterOptions): string {
  const columns = Math.max(0, ...rows.map((r) => r.length - 1));
  const widths: number[] = [];
  for (let i = 0; i < columns; i++) {
    widths.push(Math.max(opts.minWidth, ...rows.filter((r) => i < r.length - 1).map((r) => [...r[i]!].length + opts.padding)));
  }
  return rows
    .map((r) => r.map((cell, i) => (i < r.length - 1 ? cell + " ".repeat(Math.max(0, widths[i]! - [...cell].length)) : cell)).join("") + "\n")
    .join("");
}

/** compose's own list tables (`images`, `ls`): minimum width 20, padding 3. */
export const COMPOSE_TABLE: TabwriterOptions = { minWidth: 20, padding: 3 };
/** The docker CLI's formatter tables (`volumes`, `stats`): minimum width 10, padding 3. */
export const DOCKER_TABLE: TabwriterOptions = { minWidth: 10, padding: 3 };
