import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { decodeOtlpRequest, type OtlpSignal } from './decode.ts';
import type { JsonObject } from './fields.ts';
import { parseOtlpLogs } from './parse-logs.ts';
import { parseOtlpTraces } from './parse-traces.ts';
import { otlpJsonToProtobuf } from './protobuf.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';

function parse(signal: OtlpSignal, body: Uint8Array, contentType: string, gzip: boolean): unknown {
  const decoded = decodeOtlpRequest({
    signal,
    body: gzip ? gzipSync(body) : body,
    contentType,
    contentEncoding: gzip ? 'gzip' : undefined,
  });
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  return signal === 'traces'
    ? parseOtlpTraces(decoded.request.message, receivedAt)
    : parseOtlpLogs(decoded.request.message, receivedAt);
}

/** JSON body -> events, and the same request as gzipped protobuf -> events: they must be equal. */
function assertSameBothWays(signal: OtlpSignal, jsonText: string): void {
  const viaJson = parse(signal, Buffer.from(jsonText), 'application/json', false);
  const protobuf = otlpJsonToProtobuf(signal, JSON.parse(jsonText) as JsonObject);
  assert.ok(protobuf.length > 0);
  const viaProtobuf = parse(signal, protobuf, 'application/x-protobuf', true);
  assert.deepEqual(viaProtobuf, viaJson);
  assert.equal((viaJson as { events: unknown[] }).events.length > 0, true);
}

describe(
  'protobuf round trip of the OTLP examples (official generated types, gzip)',
  { skip: skipWithoutFixtures },
  () => {
    for (const [signal, file] of [
      ['traces', 'trace.json'],
      ['logs', 'logs.json'],
      ['logs', 'events.json'],
    ] as const) {
      it(`${file}: protobuf+gzip decodes to the same events as JSON`, () => {
        assertSameBothWays(signal, readFixture('otlp', file));
      });
    }
  },
);

describe('protobuf round trip of constructed values', () => {
  it('keeps bytes, int64 extremes, negative ints, doubles, links, events and status', () => {
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'host.name', value: { stringValue: 'web-1' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0AF7651916CD43DD8448EB211C80319C',
                  spanId: 'b7ad6b7169203331',
                  name: 'db',
                  kind: 3,
                  startTimeUnixNano: '18446744073709551615',
                  endTimeUnixNano: '18446744073709551615',
                  status: { code: 2, message: 'boom' },
                  attributes: [
                    { key: 'b', value: { bytesValue: 'AAECAwQ=' } },
                    { key: 'min', value: { intValue: '-9223372036854775808' } },
                    { key: 'd', value: { doubleValue: -0.5 } },
                    {
                      key: 'nested',
                      value: {
                        kvlistValue: {
                          values: [{ key: 'arr', value: { arrayValue: { values: [{ boolValue: false }] } } }],
                        },
                      },
                    },
                  ],
                  events: [{ timeUnixNano: '1700000000000000000', name: 'e' }],
                  links: [
                    {
                      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                      spanId: '00f067aa0ba902b7',
                      traceState: 'a=b',
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    assertSameBothWays('traces', JSON.stringify(request));
    const [span] = (
      parse('traces', Buffer.from(JSON.stringify(request)), 'application/json', false) as {
        events: { time: string; attributes: Record<string, unknown> }[];
      }
    ).events;
    assert.equal(span?.time, '2554-07-21T23:34:33.709551615Z');
    assert.equal(span?.attributes.min, '-9223372036854775808');
    assert.equal(span?.attributes.b, 'AAECAwQ=');
  });
});
