import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ParseResult } from '../../core/event.ts';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { decodeOtlpRequest, type OtlpSignal } from './decode.ts';
import type { JsonObject } from './fields.ts';
import { parseOtlpLogs } from './parse-logs.ts';
import { parseOtlpTraces } from './parse-traces.ts';
import { otlpJsonToProtobuf } from './protobuf.ts';
import { otlpErrorResponse, otlpExportResponse } from './respond.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';
const contentTypes = ['application/json', 'application/x-protobuf'] as const;

/** Decode + parse + respond, as the route will; must never throw whatever the bytes. */
function handle(signal: OtlpSignal, body: Uint8Array, contentType: string, gzip = false): number {
  const decoded = decodeOtlpRequest(
    { signal, body, contentType, contentEncoding: gzip ? 'gzip' : undefined },
    { maxDecodedBytes: 256 * 1024 },
  );
  if (!decoded.ok) {
    assert.ok([400, 413].includes(decoded.error.status), decoded.error.message);
    return otlpErrorResponse(decoded.error).status;
  }
  const result =
    signal === 'traces'
      ? parseOtlpTraces(decoded.request.message, receivedAt)
      : parseOtlpLogs(decoded.request.message, receivedAt);
  assertWellFormed(result);
  return otlpExportResponse(signal, decoded.request.encoding, result.partialSuccess).status;
}

function assertWellFormed(result: ParseResult & { partialSuccess: { rejected: number } | null }): void {
  for (const r of result.rejections) {
    assert.ok(r.reason.length > 0 && r.detail.length > 0 && r.location !== null, JSON.stringify(r));
  }
  assert.equal(result.partialSuccess?.rejected ?? 0, result.rejections.length);
}

const traceJson = skipWithoutFixtures ? '{}' : readFixture('otlp', 'trace.json');
const logsJson = skipWithoutFixtures ? '{}' : readFixture('otlp', 'logs.json');

describe('OTLP never throws: garbage and truncation', () => {
  it('garbage bytes, plain or gzipped, in either content type, on either signal', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(...contentTypes),
        fc.constantFrom<OtlpSignal>('traces', 'logs'),
        fc.boolean(),
        (bytes, type, signal, gzip) => {
          handle(signal, gzip ? gzipSync(bytes) : bytes, type, gzip);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('garbage bytes labelled as gzip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) =>
        assert.equal(handle('traces', bytes, 'application/json', true), 400),
      ),
    );
  });

  it('every truncation of a valid protobuf and JSON request', { skip: skipWithoutFixtures }, () => {
    for (const [signal, text] of [
      ['traces', traceJson],
      ['logs', logsJson],
    ] as const) {
      const protobuf = otlpJsonToProtobuf(signal, JSON.parse(text) as JsonObject);
      for (let n = 0; n < protobuf.length; n += 1)
        handle(signal, protobuf.subarray(0, n), 'application/x-protobuf');
      const json = Buffer.from(text);
      for (let n = 0; n < json.length; n += 7) handle(signal, json.subarray(0, n), 'application/json');
    }
  });

  it('gzip bombs of any size above the limit are refused with 413', () => {
    fc.assert(
      fc.property(fc.integer({ min: 256 * 1024 + 1, max: 4 * 1024 * 1024 }), (size) => {
        assert.equal(handle('logs', gzipSync(Buffer.alloc(size, 0x7b)), 'application/json', true), 413);
      }),
      { numRuns: 10 },
    );
  });

  it('deeply nested JSON and AnyValues', () => {
    const deepJson = `{"resourceLogs":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    assert.equal(handle('logs', Buffer.from(deepJson), 'application/json'), 200);
    let body: JsonObject = { stringValue: 'x' };
    for (let i = 0; i < 400; i += 1) body = { kvlistValue: { values: [{ key: 'k', value: body }] } };
    const request = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body }] }] }] };
    assert.equal(handle('logs', Buffer.from(JSON.stringify(request)), 'application/json'), 200);
    assert.equal(handle('logs', otlpJsonToProtobuf('logs', request), 'application/x-protobuf'), 200);
  });
});

/** Every path to a value inside `value`, e.g. ['attributes', 0, 'value', 'stringValue']. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

function recordAt(text: string, signal: OtlpSignal): JsonObject {
  const request = JSON.parse(text) as {
    resourceSpans?: { scopeSpans: { spans: JsonObject[] }[] }[];
    resourceLogs?: { scopeLogs: { logRecords: JsonObject[] }[] }[];
  };
  const record =
    signal === 'traces'
      ? request.resourceSpans?.[0]?.scopeSpans[0]?.spans[0]
      : request.resourceLogs?.[0]?.scopeLogs[0]?.logRecords[0];
  assert.ok(record);
  return record;
}

describe('OTLP wrong types in every field', { skip: skipWithoutFixtures }, () => {
  for (const signal of ['traces', 'logs'] as const) {
    it(`${signal}: any value at any path of a record rejects only that record, with a reason`, () => {
      const record = recordAt(signal === 'traces' ? traceJson : logsJson, signal);
      const paths = pathsOf(record).filter((p) => p.length > 0);
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.anything({ maxDepth: 3 }), (path, replacement) => {
          const mutated = replaceAt(record, path, replacement);
          const records = [record, mutated];
          const request =
            signal === 'traces'
              ? { resourceSpans: [{ scopeSpans: [{ spans: records }] }] }
              : { resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] };
          const result =
            signal === 'traces' ? parseOtlpTraces(request, receivedAt) : parseOtlpLogs(request, receivedAt);
          assertWellFormed(result);
          assert.equal(result.events.length + result.rejections.length, 2);
          assert.ok(result.events.length >= 1, 'the untouched record is kept');
          assert.ok(result.rejections.every((r) => r.location?.endsWith('[1]')));
        }),
        { numRuns: 600 },
      );
    });
  }

  it('any value at any path of the resource or scope never throws', () => {
    const request = JSON.parse(traceJson) as JsonObject;
    const paths = pathsOf(request).filter((p) => !p.includes('spans') || p.length <= 4);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything({ maxDepth: 3 }), (path, replacement) => {
        assertWellFormed(parseOtlpTraces(replaceAt(request, path, replacement), receivedAt));
      }),
      { numRuns: 400 },
    );
  });
});

describe('OTLP ids and numbers', () => {
  const span = (patch: JsonObject): JsonObject => ({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000000000001',
                ...patch,
              },
            ],
          },
        ],
      },
    ],
  });

  it('rejects hex trace ids of every wrong length and span ids of every wrong length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{1,80}$/), (hex) => {
        const traceResult = parseOtlpTraces(span({ traceId: hex }), receivedAt);
        assert.equal(traceResult.events.length, hex.length === 32 && !/^0+$/.test(hex) ? 1 : 0);
        if (traceResult.rejections[0]) assert.equal(traceResult.rejections[0].reason, 'invalid_trace_id');
        const spanResult = parseOtlpTraces(span({ spanId: hex }), receivedAt);
        assert.equal(spanResult.events.length, hex.length === 16 && !/^0+$/.test(hex) ? 1 : 0);
        if (spanResult.rejections[0]) assert.equal(spanResult.rejections[0].reason, 'invalid_span_id');
      }),
    );
  });

  it('rejects negative times given as strings and keeps negative int attributes exact', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: -1n }), (n) => {
        assert.equal(
          parseOtlpTraces(span({ startTimeUnixNano: n.toString() }), receivedAt).rejections[0]?.reason,
          'invalid_time',
        );
        const [e] = parseOtlpTraces(
          span({ attributes: [{ key: 'n', value: { intValue: n.toString() } }] }),
          receivedAt,
        ).events;
        assert.equal(String(e?.attributes.n), n.toString());
      }),
    );
  });

  it('keeps huge strings', () => {
    const name = 'n'.repeat(2 * 1024 * 1024);
    const [e] = parseOtlpTraces(span({ name }), receivedAt).events;
    assert.equal(e?.name.length, name.length);
  });
});
