// Lint enforces the pipeline's boundaries (see docs/architecture.md):
// dockerode only in src/engine, ink/react only in src/ui, chokidar only in src/watch,
// and the pure core (compose, graph, reconcile planning) never touches process.env or fs.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const restrict = (names, message) => names.map((name) => ({ name, message }));
const dockerode = restrict(["dockerode"], "dockerode is imported only in src/engine.");
const ink = restrict(["ink", "react", "ink-testing-library"], "ink/react are imported only in src/ui.");
const chokidar = restrict(["chokidar"], "chokidar is imported only in src/watch.");
const io = restrict(
  ["fs", "node:fs", "fs/promises", "node:fs/promises", "child_process", "node:child_process", "execa"],
  "the pure core takes its I/O as parameters (see docs/architecture.md).",
);

function boundary(files, paths, extra = {}) {
  return {
    files,
    rules: {
      "no-restricted-imports": ["error", { paths }],
      ...extra,
    },
  };
}

const noProcessEnv = {
  "no-restricted-properties": ["error", { object: "process", property: "env", message: "read the environment in src/cli and pass it in." }],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".bench-tmp/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  boundary(["src/**/*.ts", "src/**/*.tsx"], [...dockerode, ...ink, ...chokidar]),
  boundary(["src/engine/**"], [...ink, ...chokidar]),
  boundary(["src/ui/**"], [...dockerode, ...chokidar]),
  boundary(["src/watch/**"], [...dockerode, ...ink]),
  boundary(["src/compose/**", "src/graph/**", "src/reconcile/plan*.ts", "src/reconcile/config-hash.ts"], [...dockerode, ...ink, ...chokidar, ...io], noProcessEnv),
  { files: ["src/**/*.test.ts", "test/**", "bench/**", "scripts/**"], rules: { "no-restricted-imports": "off", "no-restricted-properties": "off" } },
);
