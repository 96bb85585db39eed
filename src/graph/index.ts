// The graph module's public surface: import from here rather than from its files.
export { Graph, compareIds, type Edge } from "./graph.js";
export {
  CycleError,
  findCycle,
  findCycles,
  levels,
  reachableFrom,
  teardownLevels,
  teardownOrder,
  topologicalOrder,
} from "./topo-sort.js";
export {
  SHARED_NAMESPACE_KEYS,
  buildProjectGraph,
  linkTarget,
  nodeId,
  referencedService,
  serviceGraph,
  serviceReferences,
  volumesFromTarget,
  type ProjectEdge,
  type ProjectGraph,
  type ProjectNode,
  type ProjectNodeKind,
  type ServiceReference,
  type SharedNamespaceKey,
} from "./project-graph.js";
export {
  GRAPH_FORMATS,
  renderGraph,
  renderGraphDot,
  renderGraphMermaid,
  renderGraphText,
  type GraphFormat,
  type RenderOptions,
} from "./render-graph.js";
