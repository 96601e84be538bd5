import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dashboardsConfigFromEnv, dashboardsConfigSchema, DEFAULT_SERVICE_LABEL, folderUidFor } from './config.ts';

describe('dashboards config', () => {
  it('has defaults for everything generation needs, and publishes nowhere by default', () => {
    const config = dashboardsConfigSchema.parse({});
    assert.equal(config.serviceLabel, DEFAULT_SERVICE_LABEL);
    assert.equal(config.outputDir, 'dashboards');
    assert.equal(config.grafanaUrl, undefined);
    assert.equal(config.kibanaUrl, undefined);
  });

  it('lists every error: a Grafana URL without token, a bad label, a non-http URL', () => {
    const result = dashboardsConfigSchema.safeParse({
      grafanaUrl: 'http://grafana:3000',
      serviceLabel: 'not a label',
      kibanaUrl: 'ftp://kibana',
    });
    assert.equal(result.success, false);
    const paths = result.error?.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['kibanaUrl', 'serviceLabel']);
    const token = dashboardsConfigSchema.safeParse({ grafanaUrl: 'http://grafana:3000' });
    assert.deepEqual(token.error?.issues.map((i) => i.path.join('.')), ['grafanaToken']);
  });

  it('reads the env vars and trims trailing slashes of URLs', () => {
    const result = dashboardsConfigFromEnv({
      TRIBUTARY_GRAFANA_URL: 'http://grafana:3000/',
      TRIBUTARY_GRAFANA_TOKEN: 'glsa_x',
      TRIBUTARY_KIBANA_URL: 'http://kibana:5601',
      TRIBUTARY_DASHBOARDS_SERVICE_LABEL: 'container_label_app',
    });
    assert.ok(result.success);
    assert.equal(result.data.grafanaUrl, 'http://grafana:3000');
    assert.equal(result.data.serviceLabel, 'container_label_app');
  });

  it("files a service in its team's folder, else in the default one", () => {
    const config = dashboardsConfigSchema.parse({
      grafanaFolderUids: { payments: 'fld-payments', search: 'fld-search' },
      grafanaDefaultFolderUid: 'fld-other',
    });
    const teams = { payments: { services: ['checkout'] }, web: { services: ['frontend'] } };
    assert.equal(folderUidFor('checkout', config, teams), 'fld-payments');
    assert.equal(folderUidFor('frontend', config, teams), 'fld-other', 'team without a folder');
    assert.equal(folderUidFor('cart', config, teams), 'fld-other');
    assert.equal(folderUidFor('cart', dashboardsConfigSchema.parse({})), undefined, 'General');
  });
});
