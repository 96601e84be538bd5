import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { decodeOtlpRequest, type OtlpHttpRequest } from './decode.ts';
import { parseOtlpTraces } from './parse-traces.ts';

const json = (text: string, extra: Partial<OtlpHttpRequest> = {}): OtlpHttpRequest => ({
  signal: 'traces',
  body: Buffer.from(text),
  contentType: 'application/json',
  ...extra,
});

describe('decodeOtlpRequest: content negotiation', () => {
  it('accepts application/json with parameters, case-insensitively', () => {
    const result = decodeOtlpRequest(json('{}', { contentType: 'Application/JSON; charset=utf-8' }));
    assert.ok(result.ok);
    assert.equal(result.request.encoding, 'json');
    assert.deepEqual(result.request.message, {});
  });

  it('answers 415 for a missing or unknown Content-Type', () => {
    for (const contentType of [undefined, 'text/plain', 'application/grpc']) {
      const result = decodeOtlpRequest(json('{}', { contentType }));
      assert.ok(!result.ok);
      assert.equal(result.error.status, 415);
      assert.equal(result.error.code, 'unsupported_media_type');
      assert.equal(result.error.encoding, null);
    }
  });

  it('answers 415 for a Content-Encoding other than gzip', () => {
    const result = decodeOtlpRequest(json('{}', { contentEncoding: 'br' }));
    assert.ok(!result.ok);
    assert.equal(result.error.status, 415);
    assert.equal(result.error.code, 'unsupported_content_encoding');
    assert.equal(result.error.encoding, 'json');
  });
});

describe('decodeOtlpRequest: metrics', { skip: skipWithoutFixtures }, () => {
  it('reports examples/metrics.json as an unsupported signal (metrics come from cAdvisor, not OTLP)', () => {
    const result = decodeOtlpRequest(json(readFixture('otlp', 'metrics.json'), { signal: 'metrics' }));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unsupported_signal');
    assert.equal(result.error.status, 404);
    assert.match(result.error.message, /metrics are not accepted/);
  });
});

describe('decodeOtlpRequest: gzip', () => {
  it('inflates gzip bodies', () => {
    const result = decodeOtlpRequest(
      json('', { body: gzipSync('{"resourceSpans":[]}'), contentEncoding: 'gzip' }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.request.message, { resourceSpans: [] });
  });

  it('stops a gzip bomb at the decompressed size limit with 413', () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < 64 * 1024);
    const result = decodeOtlpRequest(json('', { body: bomb, contentEncoding: 'gzip' }), {
      maxDecodedBytes: 1024 * 1024,
    });
    assert.ok(!result.ok);
    assert.equal(result.error.status, 413);
    assert.equal(result.error.code, 'body_too_large');
  });

  it('answers 413 for an uncompressed body over the limit', () => {
    const result = decodeOtlpRequest(json(' '.repeat(2048)), { maxDecodedBytes: 1024 });
    assert.ok(!result.ok);
    assert.equal(result.error.status, 413);
  });

  it('answers 400 for corrupt or truncated gzip', () => {
    const good = gzipSync('{"resourceSpans":[]}');
    for (const body of [Buffer.from('not gzip at all'), good.subarray(0, good.length - 6)]) {
      const result = decodeOtlpRequest(json('', { body, contentEncoding: 'gzip' }));
      assert.ok(!result.ok);
      assert.equal(result.error.status, 400);
      assert.equal(result.error.code, 'invalid_gzip');
    }
  });
});

describe('decodeOtlpRequest: bodies', () => {
  it('answers 400 with the parser message and context for invalid JSON', () => {
    const result = decodeOtlpRequest(json('{"resourceSpans": [}'));
    assert.ok(!result.ok);
    assert.equal(result.error.status, 400);
    assert.equal(result.error.code, 'invalid_json');
    assert.match(result.error.message, /not valid JSON: Unexpected token '}', "\{"resourceSpans": \[\}"/);
  });

  it('answers 400 when the JSON is not an object, or not UTF-8', () => {
    for (const body of [Buffer.from('[1,2]'), Buffer.from('null'), Buffer.from([0x7b, 0xff, 0x7d])]) {
      const result = decodeOtlpRequest(json('', { body }));
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'invalid_json');
    }
  });

  it('answers 400 for bytes that are not an ExportTraceServiceRequest', () => {
    const result = decodeOtlpRequest({
      signal: 'traces',
      body: Buffer.from([0x0a, 0x05, 0x01]),
      contentType: 'application/x-protobuf',
    });
    assert.ok(!result.ok);
    assert.equal(result.error.status, 400);
    assert.equal(result.error.code, 'invalid_protobuf');
    assert.equal(result.error.encoding, 'protobuf');
  });

  it('keeps 64-bit integers written as JSON numbers exact', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",
      "name":"n \\"1544712660300000001\\"","startTimeUnixNano":1544712660300000001,"endTimeUnixNano":1544712660300000999}]}]}]}`;
    const result = decodeOtlpRequest(json(text));
    assert.ok(result.ok);
    const [span] = parseOtlpTraces(result.request.message, '2026-01-01T00:00:00.000000000Z').events;
    assert.equal(span?.timestamp, '1544712660300000001');
    assert.equal(span?.time, '2018-12-13T14:51:00.300000001Z');
    assert.equal(span?.endTime, '2018-12-13T14:51:00.300000999Z');
    assert.equal(span?.name, 'n "1544712660300000001"');
  });
});
