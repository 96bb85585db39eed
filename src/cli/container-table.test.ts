import { describe, expect, it } from "vitest";
import { commandCell, createdCell, ellipsis, portsCell, psTable } from "./container-table.js";

describe("ps cells as compose prints them", () => {
  it("cuts the command to 20 columns, the last an ellipsis, and quotes it", () => {
    expect(commandCell("sleep 3600", true)).toBe('"sleep 3600"');
    expect(commandCell("12345678901234567890", true)).toBe('"12345678901234567890"');
    expect(commandCell("sh -c 'echo hello; exec sleep 3600'", true)).toBe(`"sh -c 'echo hello; …"`);
    expect(commandCell('sh -c "echo hi"', false)).toBe('"sh -c \\"echo hi\\""');
    expect(ellipsis("abc", 1)).toBe("a");
  });

  it("says how old a container is in go-units' words", () => {
    const now = 1_700_000_000_000;
    expect(createdCell(now / 1000, now)).toBe("Less than a second ago");
    expect(createdCell(now / 1000 - 5, now)).toBe("5 seconds ago");
    expect(createdCell(now / 1000 - 70, now)).toBe("About a minute ago");
    expect(createdCell(now / 1000 - 3 * 3600, now)).toBe("3 hours ago");
  });

  it("groups consecutive ports into ranges and lists other mappings after them", () => {
    expect(portsCell([])).toBe("");
    expect(portsCell([{ privatePort: 80, type: "tcp" }])).toBe("80/tcp");
    expect(portsCell([{ privatePort: 81, type: "tcp" }, { privatePort: 80, type: "tcp" }, { privatePort: 53, type: "udp" }])).toBe("53/udp, 80-81/tcp");
    expect(
      portsCell([
        { privatePort: 8000, publicPort: 8000, ip: "0.0.0.0", type: "tcp" },
        { privatePort: 8001, publicPort: 8001, ip: "0.0.0.0", type: "tcp" },
        { privatePort: 80, publicPort: 8080, ip: "0.0.0.0", type: "tcp" },
        { privatePort: 80, publicPort: 8080, ip: "::", type: "tcp" },
      ]),
    ).toBe("0.0.0.0:8000-8001->8000-8001/tcp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
    // A gap ends a range.
    expect(portsCell([80, 81, 83].map((p) => ({ privatePort: p, type: "tcp" })))).toBe("80-81/tcp, 83/tcp");
  });

  it("aligns the table as Go's tabwriter does for the docker CLI (minimum width 10, padding 3)", () => {
    expect(psTable([["demo-web-1", "busybox", '"sleep 3600"', "web", "5 seconds ago", "Up 4 seconds", ""]])).toBe(
      [
        "NAME         IMAGE     COMMAND        SERVICE   CREATED         STATUS         PORTS",
        'demo-web-1   busybox   "sleep 3600"   web       5 seconds ago   Up 4 seconds   ',
        "",
      ].join("\n"),
    );
  });
});
