import { describe, expect, it } from "vitest";
import type { Project, ServiceConfig } from "../compose/types.js";
import { isAlwaysIgnored, pathFilter } from "./path-filter.js";
import { classifyBatch, resolveRules, watcherIgnores } from "./rules.js";

const svc = (extra: Partial<ServiceConfig>): ServiceConfig => ({ name: "x", image: "img", ...extra }) as ServiceConfig;
const project = (services: Record<string, Partial<ServiceConfig>>): Project =>
  ({ name: "p", services: Object.fromEntries(Object.entries(services).map(([k, v]) => [k, svc({ name: k, ...v })])), networks: {}, volumes: {}, secrets: {}, configs: {} }) as unknown as Project;

describe("pathFilter", () => {
  const f = pathFilter({ rulePath: "/p/app", ignore: ["node_modules/", "*.tmp"], contextDir: "/p", dockerignore: ["app/dist", "**/*.log"] });
  it("ignores the rule's patterns relative to the rule path", () => {
    expect(f.ignores("/p/app/node_modules")).toBe(true);
    expect(f.ignores("/p/app/node_modules/x/y.js")).toBe(true);
    expect(f.ignores("/p/app/a.tmp")).toBe(true);
    expect(f.ignores("/p/app/src/a.tmp")).toBe(false);
    expect(f.ignores("/p/app/src/index.js")).toBe(false);
  });
  it("ignores .dockerignore patterns relative to the build context", () => {
    expect(f.ignores("/p/app/dist")).toBe(true);
    expect(f.ignores("/p/app/dist/bundle.js")).toBe(true);
    expect(f.ignores("/p/app/src/debug.log")).toBe(true);
  });
  it("ignores editors' temporary files and .git anywhere", () => {
    for (const p of ["/p/app/.git", "/p/app/.git/HEAD", "/p/app/src/.main.js.swp", "/p/app/src/main.js~", "/p/app/4913", "/p/app/.#main.js", "/p/app/x___jb_tmp___"]) {
      expect(isAlwaysIgnored(p), p).toBe(true);
      expect(f.ignores(p), p).toBe(true);
    }
    expect(isAlwaysIgnored("/p/app/src/main.js")).toBe(false);
  });
  it("keeps descending into a directory an exception pattern may re-include", () => {
    const g = pathFilter({ rulePath: "/p", ignore: ["build", "!build/keep.txt"] });
    expect(g.ignores("/p/build", true)).toBe(false);
    expect(g.ignores("/p/build/other.txt", false)).toBe(true);
    expect(g.ignores("/p/build/keep.txt", false)).toBe(false);
  });
  it("include keeps only matching files", () => {
    const g = pathFilter({ rulePath: "/p", include: ["*.js"] });
    expect(g.includes("/p/a.js")).toBe(true);
    expect(g.includes("/p/src/b.js")).toBe(true);
    expect(g.includes("/p/a.css")).toBe(false);
  });
});

describe("resolveRules and classifyBatch", () => {
  const p = project({
    web: {
      build: { context: "/p/web" },
      develop: {
        watch: [
          { path: "/p/web/src", action: "sync", target: "/app/src", ignore: ["gen/"] },
          { path: "/p/web/package.json", action: "rebuild" },
          { path: "/p/web/conf", action: "sync+restart", target: "/etc/web" },
          { path: "/p/web/hooks", action: "sync+exec", target: "/hooks", exec: { command: ["sh", "-c", "true"] } },
        ],
      },
    },
    db: { develop: { watch: [{ path: "/p/db", action: "restart" }] } },
    mounted: { volumes: [{ type: "bind", source: "/p/m", target: "/m" }], develop: { watch: [{ path: "/p/m/src", action: "sync", target: "/m/src" }] } },
    broken: { develop: { watch: [{ path: "/p/b", action: "rebuild" }] } },
  });
  const { rules, problems, warnings } = resolveRules(p, [], (ctx) => (ctx === "/p/web" ? ["**/*.log"] : []));

  it("checks rules as compose does", () => {
    expect(problems).toEqual([{ service: "broken", message: `can't watch service "broken" with action rebuild without a build context` }]);
    expect(warnings).toEqual(["path '/p/m/src' also declared by a bind mount volume, this path won't be monitored!"]);
    expect(rules.map((r) => `${r.service}:${r.action}`)).toEqual(["db:restart", "web:sync", "web:rebuild", "web:sync+restart", "web:sync+exec"]);
  });

  it("maps a batch to per-service work with container paths", () => {
    const work = classifyBatch(["/p/web/src/a.js", "/p/web/src/gen/x.js", "/p/web/src/b.log", "/p/web/src/lib/c.js", "/p/web/conf/nginx.conf", "/p/db/init.sql", "/p/elsewhere.txt"], rules);
    expect(work.get("web")).toMatchObject({
      sync: [
        { hostPath: "/p/web/src/a.js", containerPath: "/app/src/a.js", root: "/p/web/src" },
        { hostPath: "/p/web/src/lib/c.js", containerPath: "/app/src/lib/c.js", root: "/p/web/src" },
        { hostPath: "/p/web/conf/nginx.conf", containerPath: "/etc/web/nginx.conf", root: "/p/web/conf" },
      ],
      rebuild: false,
      restart: true,
      exec: [],
    });
    expect(work.get("db")).toMatchObject({ sync: [], restart: true });
    expect([...work.keys()].sort()).toEqual(["db", "web"]);
  });

  it("a rebuild rule on a single file and a sync+exec rule runs its hook once", () => {
    const work = classifyBatch(["/p/web/package.json", "/p/web/hooks/a", "/p/web/hooks/b"], rules);
    const web = work.get("web")!;
    expect(web.rebuild).toBe(true);
    expect(web.exec.map((r) => r.index)).toEqual([3]);
    expect(web.sync.map((m) => m.containerPath)).toEqual(["/hooks/a", "/hooks/b"]);
  });

  it("a very large batch becomes a resync of the rule", () => {
    const many = Array.from({ length: 5 }, (_, i) => `/p/web/src/f${i}.js`);
    const work = classifyBatch(many, rules, 3);
    expect(work.get("web")!.sync).toEqual([]);
    expect(work.get("web")!.resync.map((r) => r.path)).toEqual(["/p/web/src"]);
  });

  it("the watcher skips ignored directories and everything no rule or input covers", () => {
    const inputs = new Set(["/p/compose.yaml"]);
    expect(watcherIgnores("/p", true, rules, inputs)).toBe(false);
    expect(watcherIgnores("/p/web", true, rules, inputs)).toBe(false);
    expect(watcherIgnores("/p/web/src/gen", true, rules, inputs)).toBe(true);
    expect(watcherIgnores("/p/web/src/.git", true, rules, inputs)).toBe(true);
    expect(watcherIgnores("/p/web/src/lib", true, rules, inputs)).toBe(false);
    expect(watcherIgnores("/p/compose.yaml", false, rules, inputs)).toBe(false);
    expect(watcherIgnores("/p/other.yaml", false, rules, inputs)).toBe(true);
    expect(watcherIgnores("/p/web/other", true, rules, inputs)).toBe(true);
  });
});
