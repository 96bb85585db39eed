import { describe, expect, it } from "vitest";
import { topTable } from "./top.js";

describe("topTable", () => {
  it("prints one table with SERVICE and # first, CMD last, containers by name, '-' for a column a container lacks", () => {
    const out = topTable([
      { name: "demo-web-1", service: "web", replica: "1", titles: ["UID", "PID", "CMD", "EXTRA"], processes: [["root", "12", "nginx", "x"]] },
      { name: "demo-db-1", service: "db", replica: "1", titles: ["UID", "PID", "CMD"], processes: [["999", "7", "redis-server"], ["999", "8", "sh"]] },
    ]);
    expect(out.split("\n")).toEqual([
      "SERVICE  #   UID   PID  EXTRA  CMD",
      "db       1   999   7    -      redis-server",
      "db       1   999   8    -      sh",
      "web      1   root  12   x      nginx",
      "",
    ]);
  });
  it("prints nothing when no container runs a process", () => {
    expect(topTable([])).toBe("");
  });
});
