import { afterEach, describe, expect, it } from "vitest";
import type { ContainerSummary } from "../../engine/types.js";
import { formatItems } from "../format-template.js";
import { goTime, psTemplateItem } from "./ps.js";

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const container: ContainerSummary = {
  id: "0123456789abcdef0123456789abcdef",
  name: "app-web-1",
  image: "nginx:1",
  imageId: "sha256:1",
  command: "docker-entrypoint.sh redis-server",
  created: 0,
  state: "running",
  status: "Up 2 minutes",
  labels: { "com.docker.compose.service": "web" },
  networks: {},
  ports: [{ privatePort: 80, publicPort: 8080, type: "tcp", ip: "0.0.0.0" }],
  mounts: [],
};

describe("ps --format", () => {
  it("prints CreatedAt as Go's time.String() in local time", () => {
    process.env.TZ = "UTC";
    expect(goTime(0)).toBe("1970-01-01 00:00:00 +0000 UTC");
    process.env.TZ = "Europe/Berlin";
    expect(goTime(1_700_000_000)).toBe("2023-11-14 23:13:20 +0100 CET");
  });

  it("shortens ID and Command like the docker CLI unless --no-trunc", () => {
    const short = psTemplateItem(container, "app", false);
    expect(short.ID).toBe("0123456789ab");
    expect(short.Command).toBe('"docker-entrypoint.s…"');
    const full = psTemplateItem(container, "app", true);
    expect(full.ID).toBe(container.id);
    expect(full.Command).toBe('"docker-entrypoint.sh redis-server"');
    expect(full.Ports).toBe("0.0.0.0:8080->80/tcp");
    expect(full.ExitCode).toBe("0");
  });

  it("renders templates and table templates over those fields", () => {
    const item = psTemplateItem(container, "app", false);
    const spec = { defaultTable: "{{.Name}}", headers: { Name: "NAME", Service: "SERVICE" } };
    expect(formatItems([item], "{{.Service}}: {{.Ports}}", spec)).toBe("web: 0.0.0.0:8080->80/tcp\n");
    expect(formatItems([item], "table {{.Name}}\\t{{.Service}}", spec)).toBe("NAME        SERVICE\napp-web-1   web\n");
  });
});
