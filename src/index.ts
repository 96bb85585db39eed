/** moor's library API. */
export type * from "./compose/types.js";
export type { Diagnostic, KeyPath, Location } from "./compose/diagnostics.js";
export { formatDiagnostic, ComposeError } from "./compose/diagnostics.js";
export type { LoadOptions, LoadResult, FileReader } from "./compose/load-options.js";
