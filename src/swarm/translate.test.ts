// Translation table: compose snippets → the stack docker stack deploy would make (names, labels,
// field mapping), compared with golden JSON in test/golden/swarm/ (MOOR_UPDATE_GOLDEN=1 rewrites them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { load } from "../../test/fixtures/load/mem-reader.js";
import { translateProject, type DesiredStack } from "./translate.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "golden", "swarm");

function translate(yaml: string, opts: { files?: Record<string, string>; env?: Record<string, string>; services?: string[] } = {}): DesiredStack {
  const r = load({ "/p/compose.yaml": yaml, ...(opts.files ?? {}) }, { env: opts.env ?? {} });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !r.project) throw new Error(`fixture does not load: ${errors.map((d) => d.message).join("; ")}`);
  const files = opts.files ?? {};
  return translateProject({
    project: r.project,
    services: opts.services,
    env: opts.env ?? {},
    readFile: (p) => (files[p] === undefined ? undefined : Buffer.from(files[p]!)),
  });
}

const FULL = `
name: shop
services:
  web:
    image: nginx:1
    entrypoint: ["/docker-entrypoint.sh"]
    command: nginx -g "daemon off;"
    environment: {B: "2", A: "1", BARE: null}
    env_file: [./web.env]
    labels: {container.label: c}
    hostname: web-host
    user: "101:101"
    working_dir: /srv
    stop_signal: SIGQUIT
    stop_grace_period: 1m30s
    init: true
    read_only: true
    cap_add: [net_admin]
    cap_drop: [ALL]
    sysctls: {net.core.somaxconn: "1024"}
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}
    logging: {driver: json-file, options: {max-size: 10m}}
    extra_hosts: ["db.local:10.0.0.2"]
    dns: [1.1.1.1]
    dns_search: [example.com]
    healthcheck: {test: ["CMD", "curl", "-f", "http://localhost"], interval: 10s, timeout: 2s, retries: 3, start_period: 1s}
    ports:
      - "8080:80"
      - {target: 443, published: 8443, mode: host, protocol: tcp}
    volumes:
      - data:/var/lib/data
      - ./html:/usr/share/nginx/html:ro
      - {type: tmpfs, target: /tmp, tmpfs: {size: 1048576}}
      - /anon
    networks:
      front: {aliases: [www]}
      back: {}
    secrets:
      - token
      - {source: cert, target: /etc/ssl/cert.pem, uid: "101", gid: "101", mode: 0400}
    configs:
      - site
      - {source: site, target: /etc/nginx/conf.d/site.conf}
    deploy:
      mode: replicated
      replicas: 3
      labels: {service.label: s}
      endpoint_mode: dnsrr
      placement:
        constraints: [node.role == manager]
        preferences: [{spread: node.labels.zone}]
        max_replicas_per_node: 2
      resources:
        limits: {cpus: "0.5", memory: 256M, pids: 100}
        reservations: {cpus: "0.25", memory: 128M}
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 2m}
      update_config: {parallelism: 2, delay: 10s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.1, order: start-first}
      rollback_config: {delay: 1s}
networks:
  front: {}
  back: {driver_opts: {encrypted: "true"}, internal: true, attachable: true, labels: {tier: back}}
volumes:
  data: {labels: {keep: "yes"}}
secrets:
  token: {file: ./token.txt}
  cert: {environment: CERT}
configs:
  site: {content: "server {}"}
`;

describe("translation (golden)", () => {
  const cases: Record<string, () => DesiredStack> = {
    full: () => translate(FULL, { files: { "/p/web.env": "FROM_FILE=yes\nA=from-file\n", "/p/token.txt": "s3cret\n" }, env: { CERT: "PEM" } }),
    minimal: () => translate("name: tiny\nservices:\n  app:\n    image: busybox\n"),
    modes: () =>
      translate(
        "name: m\nservices:\n  g: {image: x, deploy: {mode: global}}\n  rj: {image: x, deploy: {mode: replicated-job, replicas: 4}}\n  gj: {image: x, deploy: {mode: global-job}}\n  r: {image: x, restart: on-failure:3}\n  a: {image: x, restart: always}\n",
      ),
    external: () =>
      translate(
        "name: ext\nservices:\n  app:\n    image: x\n    networks: [shared]\n    secrets: [given]\n    volumes: [store:/s]\nnetworks:\n  shared: {external: true, name: public}\nsecrets:\n  given: {external: true}\nvolumes:\n  store: {external: true, name: kept}\n",
      ),
  };
  for (const [name, run] of Object.entries(cases)) {
    test(name, () => {
      const text = `${JSON.stringify(run(), null, 2)}\n`;
      const file = join(GOLDEN, `${name}.json`);
      if (process.env["MOOR_UPDATE_GOLDEN"] === "1") {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, text);
      }
      expect(existsSync(file), `${file} is missing: run with MOOR_UPDATE_GOLDEN=1 and read it`).toBe(true);
      expect(text).toBe(readFileSync(file, "utf8"));
    });
  }
});

describe("translation rules", () => {
  test("names and labels are docker stack's: STACK_service, STACK_default, namespace and image labels", () => {
    const s = translate("name: demo\nservices:\n  web:\n    image: busybox:1\n    labels: {a: b}\n    deploy: {labels: {c: d}}\n");
    const web = s.services[0]!;
    expect(web.name).toBe("demo_web");
    expect(web.spec.Labels).toEqual({ c: "d", "com.docker.stack.namespace": "demo", "com.docker.stack.image": "busybox:1" });
    expect(web.spec.TaskTemplate.ContainerSpec.Labels).toEqual({ a: "b", "com.docker.stack.namespace": "demo" });
    expect(web.spec.TaskTemplate.Networks).toEqual([{ Target: "demo_default", Aliases: ["web"] }]);
    expect(s.networks).toEqual([{ key: "default", name: "demo_default", external: false, spec: { Name: "demo_default", Driver: "overlay", Labels: { "com.docker.stack.namespace": "demo" } } }]);
  });

  test("each unsupported key warns once, naming the service and the key", () => {
    const s = translate(
      "name: w\nservices:\n  a:\n    image: x\n    build: .\n    container_name: cname\n    privileged: true\n    network_mode: host\n    devices: [/dev/fuse:/dev/fuse]\n    depends_on: [b]\n    links: [b]\n  b:\n    image: x\n",
    );
    const keys = s.warnings.map((w) => /^service "(\w+)": (\w+) is not supported/.exec(w)?.slice(1).join(".")).sort();
    expect(keys).toEqual(["a.build", "a.container_name", "a.depends_on", "a.devices", "a.links", "a.network_mode", "a.privileged"]);
    expect(s.errors).toEqual([]);
    // network_mode: no network attachment and no default network for that service
    expect(s.services.find((x) => x.key === "a")!.spec.TaskTemplate.Networks).toBeUndefined();
  });

  test("a build-only service is an error and the stack is not deployable", () => {
    const s = translate("name: b\nservices:\n  app:\n    build: .\n");
    expect(s.errors).toEqual([expect.stringContaining('service "app" has build: but no image')]);
    expect(s.services).toEqual([]);
  });

  test("secrets are versioned by content; the version changes with the content only", () => {
    const yaml = "name: v\nservices:\n  app:\n    image: x\n    secrets: [token]\nsecrets:\n  token: {file: ./t}\n";
    const one = translate(yaml, { files: { "/p/t": "a" } });
    const same = translate(yaml, { files: { "/p/t": "a" } });
    const two = translate(yaml, { files: { "/p/t": "b" } });
    expect(one.secrets[0]!.name).toMatch(/^v_token-[0-9a-f]{10}$/);
    expect(one.secrets[0]!.baseName).toBe("v_token");
    expect(same.secrets[0]!.name).toBe(one.secrets[0]!.name);
    expect(two.secrets[0]!.name).not.toBe(one.secrets[0]!.name);
    expect(one.services[0]!.spec.TaskTemplate.ContainerSpec.Secrets).toEqual([{ File: { Name: "token", UID: "0", GID: "0", Mode: 0o444 }, SecretName: one.secrets[0]!.name }]);
  });

  test("a secret file that cannot be read, or an unset environment secret, is an error", () => {
    const s = translate("name: e\nservices:\n  app:\n    image: x\n    secrets: [a, b]\nsecrets:\n  a: {file: ./missing}\n  b: {environment: NOPE}\n");
    expect(s.errors).toEqual(['secret "a": cannot read /p/missing', 'secret "b": environment variable NOPE is not set']);
  });

  test("global with replicas is refused as docker stack does", () => {
    const s = translate("name: g\nservices:\n  app: {image: x, deploy: {mode: global, replicas: 2}}\n");
    expect(s.errors).toEqual(['service "app": replicas can only be used with replicated or replicated-job mode']);
  });

  test("selected services bring only their networks and secrets", () => {
    const s = translate("name: sel\nservices:\n  a: {image: x, networks: [n1]}\n  b: {image: x, networks: [n2], secrets: [s]}\nnetworks: {n1: {}, n2: {}}\nsecrets: {s: {environment: Z}}\n", { services: ["a"], env: { Z: "z" } });
    expect(s.services.map((x) => x.key)).toEqual(["a"]);
    expect(s.networks.map((n) => n.name)).toEqual(["sel_n1"]);
    expect(s.secrets).toEqual([]);
  });

  test("host-mode ports and dnsrr pass through", () => {
    const s = translate("name: p\nservices:\n  a:\n    image: x\n    ports: [{target: 80, published: 8080, mode: host}]\n    deploy: {endpoint_mode: dnsrr}\n");
    expect(s.services[0]!.spec.EndpointSpec).toEqual({ Mode: "dnsrr", Ports: [{ Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: "host" }] });
  });
});
