import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOtlpRequest } from './decode.ts';
import { OTLP_MESSAGES } from './proto-root.ts';
import { encodeRpcStatus, otlpErrorResponse, otlpExportResponse } from './respond.ts';

const text = (body: Uint8Array): string => Buffer.from(body).toString('utf8');

describe('otlpExportResponse', () => {
  it('answers a fully accepted JSON request with 200 and an empty object', () => {
    const response = otlpExportResponse('traces', 'json', null);
    assert.equal(response.status, 200);
    assert.equal(response.contentType, 'application/json');
    assert.equal(text(response.body), '{}');
  });

  it('reports partial success as rejectedSpans / rejectedLogRecords with the error message', () => {
    const partial = { rejected: 2, errorMessage: '2 spans rejected: ...' };
    assert.deepEqual(JSON.parse(text(otlpExportResponse('traces', 'json', partial).body)), {
      partialSuccess: { rejectedSpans: 2, errorMessage: '2 spans rejected: ...' },
    });
    assert.deepEqual(JSON.parse(text(otlpExportResponse('logs', 'json', partial).body)), {
      partialSuccess: { rejectedLogRecords: 2, errorMessage: '2 spans rejected: ...' },
    });
  });

  it('encodes the protobuf response with the official ExportTraceServiceResponse / ExportLogsServiceResponse', () => {
    const response = otlpExportResponse('logs', 'protobuf', { rejected: 3, errorMessage: 'bad' });
    assert.equal(response.status, 200);
    assert.equal(response.contentType, 'application/x-protobuf');
    const type = OTLP_MESSAGES.logs.response;
    assert.deepEqual(type.toObject(type.decode(response.body), { longs: String }), {
      partialSuccess: { rejectedLogRecords: '3', errorMessage: 'bad' },
    });
    assert.equal(otlpExportResponse('traces', 'protobuf', null).body.length, 0);
  });
});

describe('otlpErrorResponse', () => {
  it('answers 415 with a JSON google.rpc.Status when the content type is unknown', () => {
    const decoded = decodeOtlpRequest({
      signal: 'traces',
      body: Buffer.from('x'),
      contentType: 'text/plain',
    });
    assert.ok(!decoded.ok);
    const response = otlpErrorResponse(decoded.error);
    assert.equal(response.status, 415);
    assert.equal(response.contentType, 'application/json');
    assert.deepEqual(JSON.parse(text(response.body)), { code: 3, message: decoded.error.message });
  });

  it('answers 400 with a protobuf google.rpc.Status for an undecodable protobuf body', () => {
    const decoded = decodeOtlpRequest({
      signal: 'logs',
      body: Buffer.from([0x0a, 0x09]),
      contentType: 'application/x-protobuf',
    });
    assert.ok(!decoded.ok);
    const response = otlpErrorResponse(decoded.error);
    assert.equal(response.status, 400);
    assert.equal(response.contentType, 'application/x-protobuf');
    assert.deepEqual(response.body, encodeRpcStatus(3, decoded.error.message));
  });

  it('answers 413 with RESOURCE_EXHAUSTED', () => {
    const response = otlpErrorResponse({
      code: 'body_too_large',
      status: 413,
      message: 'too big',
      encoding: 'json',
    });
    assert.equal(response.status, 413);
    assert.deepEqual(JSON.parse(text(response.body)), { code: 8, message: 'too big' });
  });
});

describe('encodeRpcStatus', () => {
  it('writes field 1 as a varint and field 2 as a length-delimited string', () => {
    assert.deepEqual([...encodeRpcStatus(3, 'hi')], [0x08, 0x03, 0x12, 0x02, 0x68, 0x69]);
    const long = 'x'.repeat(300);
    assert.deepEqual([...encodeRpcStatus(8, long).subarray(0, 5)], [0x08, 0x08, 0x12, 0xac, 0x02]);
  });
});
