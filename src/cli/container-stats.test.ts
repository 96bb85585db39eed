import { describe, expect, it } from "vitest";
import { statsItem, statsRow } from "./container-stats.js";

describe("statsRow", () => {
  it("computes CPU %, memory without the page cache, and I/O sums as docker stats does", () => {
    const row = statsRow("0123456789abcdef", "/demo-web-1", {
      cpu_stats: { cpu_usage: { total_usage: 2_000_000 }, system_cpu_usage: 100_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 0 },
      memory_stats: { usage: 10 * 1024 * 1024, limit: 100 * 1024 * 1024, stats: { inactive_file: 2 * 1024 * 1024 } },
      networks: { eth0: { rx_bytes: 1000, tx_bytes: 170 }, eth1: { rx_bytes: 170, tx_bytes: 0 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: "Read", value: 4096 }, { op: "write", value: 2_000_000 }, { op: "Total", value: 9 }] },
      pids_stats: { current: 3 },
    });
    expect(row.cpuPercent).toBeCloseTo(2);
    expect(statsItem(row, false)).toEqual({
      BlockIO: "4.1kB / 2MB",
      CPUPerc: "2.00%",
      Container: "0123456789ab",
      ID: "0123456789ab",
      MemPerc: "8.00%",
      MemUsage: "8MiB / 100MiB",
      Name: "demo-web-1",
      NetIO: "1.17kB / 170B",
      PIDs: "3",
    });
    expect(statsItem(row, true).ID).toBe("0123456789abcdef");
  });

  it("shows zeros for a container with no sample (stopped)", () => {
    expect(statsItem(statsRow("abc", "x", {}), false)).toMatchObject({ CPUPerc: "0.00%", MemUsage: "0B / 0B", MemPerc: "0.00%", NetIO: "0B / 0B", PIDs: "0" });
  });
});
