import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventId } from './event-id.ts';

describe('eventId', () => {
  it('is deterministic and separates parts unambiguously', () => {
    assert.equal(eventId('logstash', 'a', 1), eventId('logstash', 'a', 1));
    assert.notEqual(eventId('ab', 'c'), eventId('a', 'bc'));
    assert.notEqual(eventId('a', null), eventId('a', ''));
    assert.match(eventId('x'), /^[A-Za-z0-9_-]{27}$/);
  });
});
