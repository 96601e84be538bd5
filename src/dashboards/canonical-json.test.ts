import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, contentHash, describeWithHash, hashInDescription } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('gives the same bytes whatever order the keys were inserted in', () => {
    const a = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } };
    const b = { a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 };
    assert.equal(canonicalJson(a, 2), canonicalJson(b, 2));
    assert.equal(canonicalJson(a), '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('drops what JSON drops', () => {
    assert.equal(canonicalJson({ a: undefined, f: () => 1, l: [undefined] }), '{"l":[null]}');
  });

  it('carries the content hash in a description and reads it back', () => {
    const hash = contentHash('x');
    assert.match(hash, /^[0-9a-f]{16}$/);
    assert.equal(hashInDescription(describeWithHash('About checkout.', hash)), hash);
    assert.equal(hashInDescription('edited by hand'), null);
    assert.equal(hashInDescription(undefined), null);
  });
});
