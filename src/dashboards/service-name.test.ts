import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grafanaUid, kibanaIdPrefix, serviceDirName, serviceNameProblem, serviceSlug } from './service-name.ts';

describe('service names in dashboards', () => {
  it('refuses empty, over-long, dotted, path-like and control-character names', () => {
    for (const name of ['', 'x'.repeat(201), '.', '..', '...', 'a/b', 'a\\b', 'a\u0000b', 'a\nb', 'a\u007fb']) {
      assert.notEqual(serviceNameProblem(name), null, JSON.stringify(name));
    }
    for (const name of ['checkout', 'Payments "EU" API', '<img src=x>', 'café', 'a..b', 'x'.repeat(200)]) {
      assert.equal(serviceNameProblem(name), null, JSON.stringify(name));
    }
  });

  it('derives Grafana uids of at most 40 characters that keep similar names apart', () => {
    const names = ['checkout', 'Checkout', 'check out', 'x'.repeat(200), '!!!', 'café'];
    const uids = names.map(grafanaUid);
    assert.equal(new Set(uids).size, names.length);
    for (const uid of uids) {
      assert.match(uid, /^[a-z0-9-]+$/);
      assert.ok(uid.length <= 40, uid);
    }
    assert.equal(grafanaUid('checkout'), grafanaUid('checkout'));
    assert.equal(serviceSlug('!!!'), 'service');
    assert.match(kibanaIdPrefix('checkout'), /^tributary-checkout-[0-9a-f]{10}$/);
  });

  it('uses plain lowercase names as directories and slug-hash for everything else', () => {
    assert.equal(serviceDirName('checkout'), 'checkout');
    assert.equal(serviceDirName('web.api-2'), 'web.api-2');
    for (const name of ['Checkout', '..', 'a..b', '<script>', '.hidden', 'x'.repeat(65)]) {
      const dir = serviceDirName(name);
      assert.match(dir, /^[a-z0-9][a-z0-9-]*-[0-9a-f]{8}$/, `${name} -> ${dir}`);
    }
    assert.notEqual(serviceDirName('Checkout'), serviceDirName('checkout'));
  });
});
