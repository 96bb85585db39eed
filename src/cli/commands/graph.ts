// `moor graph`: the project's dependency graph as text, DOT or Mermaid. No engine needed.
import { buildProjectGraph } from "../../graph/project-graph.js";
import { renderGraph } from "../../graph/render-graph.js";
import { UserError } from "../errors.js";
import type { GlobalOptions } from "../global-options.js";
import { loadOrThrow } from "../project-context.js";

export async function graphCommand(global: GlobalOptions, opts: { format?: string }): Promise<void> {
  const format = opts.format ?? "text";
  if (format !== "text" && format !== "dot" && format !== "mermaid") throw new UserError(`unsupported --format ${JSON.stringify(format)}`, "use text, dot or mermaid");
  const { project } = await loadOrThrow(global);
  process.stdout.write(renderGraph(buildProjectGraph(project), format));
}
