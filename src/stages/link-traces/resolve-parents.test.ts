import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpanEvent } from '../../core/event.ts';
import { parsePinpointSpans, parsePinpointSpansText } from '../../sources/pinpoint/parse-spans.ts';
import { spanEventSpanId } from '../../sources/pinpoint/to-span-events.ts';
import { spanIdToHex, traceIdFromTransactionId } from '../../sources/pinpoint/transaction-id.ts';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { resolveParents } from './resolve-parents.ts';
import { spanKey, toSpanNode, type SpanNode } from './span-node.ts';

const receivedAt = '2026-11-24T12:00:00.000000000Z';
const tx = { agentId: 'front-web-01', agentStartTime: '1715678400000', sequence: '17' };
const txText = 'front-web-01^1715678400000^17';
const traceId = traceIdFromTransactionId(tx);
const caller = 7301938470112045581n;
const callee = -3829104736159025164n;

function nodesOf(events: readonly SpanEvent[]): Map<string, SpanNode> {
  const nodes = new Map<string, SpanNode>();
  for (const event of events) {
    const node = toSpanNode(event);
    if (node) nodes.set(node.key, node);
  }
  return nodes;
}

const eventKey = (
  span: bigint,
  sequence: number,
  async: { asyncId: number; sequence: number } | null = null,
) => spanKey(traceId, spanEventSpanId(txText, span, sequence, async));

describe('exact parents: pspan-messages-constructed.json', { skip: skipWithoutFixtures }, () => {
  const text = skipWithoutFixtures ? '{}' : readFixture('pinpoint', 'pspan-messages-constructed.json');

  it('puts the callee span under the client event whose next span id is its own, not under the caller span', () => {
    const nodes = nodesOf(parsePinpointSpansText(text, receivedAt).events);
    resolveParents(nodes, []);
    const calleeNode = nodes.get(spanKey(traceId, spanIdToHex(callee)));
    assert.equal(
      calleeNode?.event.trace?.parentSpanId,
      spanIdToHex(caller),
      'the parser can only name the caller span',
    );
    assert.equal(calleeNode?.parentKey, eventKey(caller, 1));
    assert.deepEqual(calleeNode?.link, { kind: 'same-trace', confidence: 1 });
  });

  it('keeps parent-by-depth for span events and the root without parent', () => {
    const nodes = nodesOf(parsePinpointSpansText(text, receivedAt).events);
    resolveParents(nodes, []);
    assert.equal(nodes.get(spanKey(traceId, spanIdToHex(caller)))?.parentKey, null);
    assert.equal(nodes.get(eventKey(caller, 0))?.parentKey, spanKey(traceId, spanIdToHex(caller)));
    assert.equal(nodes.get(eventKey(caller, 1))?.parentKey, eventKey(caller, 0));
    assert.equal(nodes.get(eventKey(caller, 2))?.parentKey, eventKey(caller, 0));
    assert.equal(nodes.get(eventKey(callee, 0))?.parentKey, spanKey(traceId, spanIdToHex(callee)));
  });

  it('falls back to the caller span when the client event is not stored', () => {
    const events = parsePinpointSpansText(text, receivedAt).events.filter(
      (e) => e.trace?.spanId !== spanEventSpanId(txText, caller, 1, null),
    );
    const nodes = nodesOf(events);
    resolveParents(nodes, []);
    assert.equal(
      nodes.get(spanKey(traceId, spanIdToHex(callee)))?.parentKey,
      spanKey(traceId, spanIdToHex(caller)),
    );
  });
});

describe('exact parents: async work sent in a span chunk of its own batch', () => {
  const transactionId = { agentId: 'orders-01', agentStartTime: '1715678400000', sequence: '9' };
  const trace = traceIdFromTransactionId(transactionId);
  const span = {
    version: 1,
    transactionId,
    spanId: '1000',
    parentSpanId: '-1',
    startTime: '1715678461000',
    elapsed: 30,
    acceptEvent: { rpc: '/api/orders/1' },
    spanEvent: [
      { sequence: 0, depth: 1, startElapsed: 1, endElapsed: 20, apiId: 1 },
      { sequence: 1, depth: 2, startElapsed: 2, endElapsed: 1, apiId: 2, asyncEvent: 7 },
    ],
  };
  const chunk = {
    version: 1,
    transactionId,
    spanId: '1000',
    keyTime: '1715678461010',
    localAsyncId: { asyncId: 7, sequence: 0 },
    spanEvent: [
      { sequence: 0, depth: 1, startElapsed: 0, endElapsed: 9, apiId: 3 },
      { sequence: 1, depth: 2, startElapsed: 1, endElapsed: 2, apiId: 4 },
    ],
  };
  const agent = { agentId: 'orders-01', applicationName: 'orders' };

  it('hangs the chunk under the event that started the async work (nextAsyncId), not under the span', () => {
    const first = parsePinpointSpans({ ...agent, messages: [{ span }] }, receivedAt);
    const second = parsePinpointSpans({ ...agent, messages: [{ spanChunk: chunk }] }, receivedAt);
    const nodes = nodesOf([...first.events, ...second.events]);
    const txText2 = 'orders-01^1715678400000^9';
    const asyncRoot = spanKey(trace, spanEventSpanId(txText2, 1000n, 0, { asyncId: 7, sequence: 0 }));
    assert.equal(
      nodes.get(asyncRoot)?.event.trace?.parentSpanId,
      spanIdToHex(1000n),
      'apart, the parser could not tell',
    );
    resolveParents(nodes, []);
    assert.equal(nodes.get(asyncRoot)?.parentKey, spanKey(trace, spanEventSpanId(txText2, 1000n, 1, null)));
    const nested = spanKey(trace, spanEventSpanId(txText2, 1000n, 1, { asyncId: 7, sequence: 0 }));
    assert.equal(nodes.get(nested)?.parentKey, asyncRoot);
  });
});

describe('exact parents: cross-trace links', { skip: skipWithoutFixtures }, () => {
  const text = skipWithoutFixtures ? '{}' : readFixture('pinpoint', 'pspan-messages-constructed.json');
  const otel: SpanEvent = {
    id: 'otel-1',
    kind: 'span',
    source: 'otlp',
    service: 'order-api-node',
    host: 'node-1',
    container: null,
    time: '2024-05-14T09:21:01.128000000Z',
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), parentSpanId: null },
    message: 'GET /api/orders/42',
    attributes: {},
    name: 'GET /api/orders/42',
    spanKind: 'server',
    endTime: '2024-05-14T09:21:01.180000000Z',
    durationMs: 52,
    status: 'unset',
  };
  const header = {
    kind: 'header' as const,
    relation: 'calls' as const,
    parent: { traceId, spanId: spanIdToHex(caller) },
    child: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) },
    calleeSpanId: spanIdToHex(callee),
  };

  it('a header link puts the OTel server span under the exact Pinpoint client event', () => {
    const events = parsePinpointSpansText(text, receivedAt).events.filter(
      (e) => e.attributes['pinpoint.spanId'] === caller.toString(),
    );
    const nodes = nodesOf([...events, otel]);
    resolveParents(nodes, [header]);
    const child = nodes.get(spanKey('ab'.repeat(16), 'cd'.repeat(8)));
    assert.equal(child?.parentKey, eventKey(caller, 1));
    assert.deepEqual(child?.link, { kind: 'header', confidence: 1 });
  });

  it('never makes a cycle, whatever the links say', () => {
    const events = parsePinpointSpansText(text, receivedAt).events;
    const nodes = nodesOf([...events, otel]);
    const root = spanKey(traceId, spanIdToHex(caller));
    const loop = {
      kind: 'log' as const,
      relation: 'calls' as const,
      parent: { traceId, spanId: spanEventSpanId(txText, callee, 0, null) },
      child: { traceId, spanId: spanIdToHex(caller) },
      calleeSpanId: null,
    };
    resolveParents(nodes, [loop, header]);
    assert.equal(nodes.get(root)?.parentKey, null);
    for (const node of nodes.values()) {
      const seen = new Set<string>();
      for (let at: SpanNode | undefined = node; at; at = at.parentKey ? nodes.get(at.parentKey) : undefined) {
        assert.ok(!seen.has(at.key), 'cycle');
        seen.add(at.key);
      }
    }
  });
});
