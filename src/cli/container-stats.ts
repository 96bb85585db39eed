// One row of `stats` from the engine's stats JSON, computed the way the docker CLI does (compose
// hands `stats` to it): CPU % from the delta against the previous sample, memory without the
// page cache, network and block I/O summed, as "0.00%", "468KiB / 23.54GiB", "736B / 0B".
import { bytesSize, humanSize } from "./go-units.js";
import type { FormatSpec, TemplateItem } from "./format-template.js";

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** The fields of the API's stats JSON that the row needs. */
export interface ApiStats {
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

export interface StatsRow {
  id: string;
  name: string;
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  memPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export function statsRow(id: string, name: string, s: ApiStats): StatsRow {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const online = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 0;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;

  const mem = s.memory_stats ?? {};
  const usage = mem.usage ?? 0;
  // cgroup v1 reports total_inactive_file, v2 inactive_file: both are cache the kernel can drop.
  const cache = mem.stats?.total_inactive_file ?? mem.stats?.inactive_file ?? 0;
  const memUsage = cache < usage ? usage - cache : usage;
  const memLimit = mem.limit ?? 0;

  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n.rx_bytes ?? 0;
    netTx += n.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op.toLowerCase();
    if (op === "read") blockRead += entry.value;
    else if (op === "write") blockWrite += entry.value;
  }
  return {
    id,
    name: name.replace(/^\//, ""),
    cpuPercent,
    memUsage,
    memLimit,
    memPercent: memLimit > 0 ? (memUsage / memLimit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: s.pids_stats?.current ?? 0,
  };
}

/** The row's template fields, named as `docker stats --format` names them. */
export function statsItem(row: StatsRow, noTrunc: boolean): TemplateItem {
  const id = noTrunc ? row.id : row.id.slice(0, 12);
  return {
    BlockIO: `${humanSize(row.blockRead, 3)} / ${humanSize(row.blockWrite, 3)}`,
    CPUPerc: `${row.cpuPercent.toFixed(2)}%`,
    Container: id,
    ID: id,
    MemPerc: `${row.memPercent.toFixed(2)}%`,
    MemUsage: `${bytesSize(row.memUsage)} / ${bytesSize(row.memLimit)}`,
    Name: row.name,
    NetIO: `${humanSize(row.netRx, 3)} / ${humanSize(row.netTx, 3)}`,
    PIDs: String(row.pids),
  };
}

export const STATS_FORMAT: FormatSpec = {
  defaultTable: "{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}",
  headers: {
    ID: "CONTAINER ID",
    Container: "CONTAINER",
    Name: "NAME",
    CPUPerc: "CPU %",
    MemUsage: "MEM USAGE / LIMIT",
    MemPerc: "MEM %",
    NetIO: "NET I/O",
    BlockIO: "BLOCK I/O",
    PIDs: "PIDS",
  },
};
