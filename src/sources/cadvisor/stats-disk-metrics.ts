import type { JsonNumber } from './exact-number.ts';
import type { EmitOptions, JsonNode, StatsReader, StatSample } from './stats-reader.ts';

/**
 * Filesystem and block-I/O samples. cAdvisor's collector prefers the per-device block-I/O arrays
 * (`diskio.io_serviced`, ...) and falls back to the per-filesystem counters when an array is empty; this
 * follows it, including its conversions (its fs `read_time`/`write_time`/`io_time` are divided by 1e9).
 */
export function diskSamples(reader: StatsReader, stats: JsonNode, diskio: JsonNode | null): void {
  const filesystems = reader.items(stats, 'filesystem');

  for (const fs of filesystems) {
    const labels = { device: reader.text(fs, 'device') ?? '' };
    reader.emit(fs, 'capacity', 'container_fs_limit_bytes', 'gauge', { labels });
    reader.emit(fs, 'usage', 'container_fs_usage_bytes', 'gauge', { labels });
    reader.emit(fs, 'inodes', 'container_fs_inodes_total', 'gauge', { labels });
    reader.emit(fs, 'inodes_free', 'container_fs_inodes_free', 'gauge', { labels });
    reader.emit(fs, 'weighted_io_time', 'container_fs_io_time_weighted_seconds_total', 'counter', {
      labels,
      scale: 9,
    });
  }

  const io = (
    name: string,
    type: StatSample['type'],
    array: string,
    op: string,
    fsField: string | null,
    scale = 0,
  ) => ioValues(reader, { name, type, scale }, diskio, array, op, filesystems, fsField);
  io('container_fs_reads_bytes_total', 'counter', 'io_service_bytes', 'Read', null);
  io('container_fs_reads_total', 'counter', 'io_serviced', 'Read', 'reads_completed');
  io('container_fs_sector_reads_total', 'counter', 'sectors', 'Read', 'sectors_read');
  io('container_fs_reads_merged_total', 'counter', 'io_merged', 'Read', 'reads_merged');
  io('container_fs_read_seconds_total', 'counter', 'io_service_time', 'Read', 'read_time', 9);
  io('container_fs_writes_bytes_total', 'counter', 'io_service_bytes', 'Write', null);
  io('container_fs_writes_total', 'counter', 'io_serviced', 'Write', 'writes_completed');
  io('container_fs_sector_writes_total', 'counter', 'sectors', 'Write', 'sectors_written');
  io('container_fs_writes_merged_total', 'counter', 'io_merged', 'Write', 'writes_merged');
  io('container_fs_write_seconds_total', 'counter', 'io_service_time', 'Write', 'write_time', 9);
  io('container_fs_io_current', 'gauge', 'io_queued', 'Total', 'io_in_progress');
  io('container_fs_io_time_seconds_total', 'counter', 'io_service_time', 'Total', 'io_time', 9);
  for (const kind of ['usage', 'wait', 'indebt', 'indelay']) {
    io(`container_fs_io_cost_${kind}_seconds_total`, 'counter', `io_cost_${kind}`, 'Count', null, 6);
  }

  for (const device of reader.items(diskio, 'io_service_bytes')) {
    const ops = reader.child(device, 'stats');
    const base = deviceLabels(reader, device);
    for (const operation of Object.keys(ops?.obj ?? {})) {
      reader.emit(ops, operation, 'container_blkio_device_usage_total', 'counter', {
        labels: { ...base, operation },
      });
    }
  }
}

interface IoMetric {
  name: string;
  type: StatSample['type'];
  scale: number;
}

function ioValues(
  reader: StatsReader,
  metric: IoMetric,
  diskio: JsonNode | null,
  array: string,
  op: string,
  filesystems: JsonNode[],
  fsField: string | null,
): void {
  const devices = reader.items(diskio, array);
  if (devices.length > 0) {
    for (const device of devices) {
      const options: EmitOptions = {
        scale: metric.scale,
        labels: { device: reader.text(device, 'device') ?? '' },
      };
      reader.emit(reader.child(device, 'stats'), op, metric.name, metric.type, options);
    }
    return;
  }
  if (fsField === null) return;
  for (const fs of filesystems) {
    const options: EmitOptions = { scale: metric.scale, labels: { device: reader.text(fs, 'device') ?? '' } };
    reader.emit(fs, fsField, metric.name, metric.type, options);
  }
}

function deviceLabels(reader: StatsReader, device: JsonNode): Record<string, string> {
  const integer = (n: JsonNumber | null): string => (n === null ? '' : n.text);
  return {
    device: reader.text(device, 'device') ?? '',
    major: integer(reader.number(device, 'major')),
    minor: integer(reader.number(device, 'minor')),
  };
}
