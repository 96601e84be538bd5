import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './config.ts';
import { imageBaseName, marathonServiceName, resolveContainerIdentity } from './container-identity.ts';

const resolve = (labels: Record<string, string>, rules: IdentityRules = DEFAULT_IDENTITY_RULES) =>
  resolveContainerIdentity('container_memory_working_set_bytes', labels, rules);

describe('resolveContainerIdentity', () => {
  const base = { id: '/docker/3f4b2a6c', name: 'shop_web_1', image: 'registry:5000/team/web:1.4' };

  it('takes the service from the first non-empty label in the precedence', () => {
    assert.deepEqual(
      resolve({
        ...base,
        container_label_com_docker_compose_service: 'web',
        container_label_MARATHON_APP_ID: '/shop/web',
        container_label_io_kubernetes_container_name: 'web-k8s',
      }),
      { service: 'web', container: 'shop_web_1' },
    );
    assert.equal(
      resolve({
        ...base,
        container_label_com_docker_compose_service: '',
        container_label_io_kubernetes_container_name: 'nginx',
      }).service,
      'nginx',
    );
  });

  it('turns a Marathon app id, from a label or from the environment, into a path-joined name', () => {
    assert.equal(
      resolve({ ...base, container_label_MARATHON_APP_ID: '/prod/shop/checkout' }).service,
      'prod-shop-checkout',
    );
    assert.equal(resolve({ ...base, container_env_marathon_app_id: '/cart/' }).service, 'cart');
    assert.equal(marathonServiceName('///'), null);
  });

  it('falls back from env names to the container name, then to the image basename', () => {
    const rules = { serviceLabels: [], serviceEnvNames: ['SERVICE_NAME'] };
    assert.equal(resolve({ ...base, container_env_service_name: 'billing' }, rules).service, 'billing');
    assert.equal(resolve(base, rules).service, 'shop_web_1');
    assert.deepEqual(resolve({ id: '/docker/3f4b2a6c', image: 'registry:5000/team/web:1.4' }, rules), {
      service: 'web',
      container: '/docker/3f4b2a6c',
    });
  });

  it('maps machine metrics, cAdvisor’s own series and the root cgroup to the host', () => {
    const host = { service: null, container: null };
    assert.deepEqual(
      resolveContainerIdentity('machine_memory_bytes', { boot_id: 'b' }, DEFAULT_IDENTITY_RULES),
      host,
    );
    assert.deepEqual(resolveContainerIdentity('cadvisor_version_info', {}, DEFAULT_IDENTITY_RULES), host);
    assert.deepEqual(resolve({ id: '/' }), host);
    assert.deepEqual(resolve({ id: '', name: '', image: '' }), host);
    assert.deepEqual(resolve({}), host);
  });

  it('keeps a raw cgroup without name or image as the container, with no service', () => {
    assert.deepEqual(resolve({ id: '/system.slice/docker.service' }), {
      service: null,
      container: '/system.slice/docker.service',
    });
  });

  it('ignores inherited properties as labels', () => {
    assert.deepEqual(resolve({ id: '/' }, { serviceLabels: ['constructor'], serviceEnvNames: [] }), {
      service: null,
      container: null,
    });
  });
});

describe('imageBaseName', () => {
  for (const [image, name] of [
    ['nginx', 'nginx'],
    ['nginx:1.25-alpine', 'nginx'],
    ['registry.example.com:5000/team/web-frontend:1.4', 'web-frontend'],
    ['ghcr.io/org/api@sha256:abcdef', 'api'],
    ['localhost:5000/api:2@sha256:abcdef', 'api'],
    ['sha256:4a1b2c3d', null],
    ['', null],
  ] as const) {
    it(`${JSON.stringify(image)} → ${JSON.stringify(name)}`, () => assert.equal(imageBaseName(image), name));
  }
});
