import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildKibanaObjects } from '../../src/dashboards/kibana/build-saved-objects.ts';

const SERVICES = ['checkout', 'Payments "EU" \\ API', '<script>alert(1)</script>', 'café-ñandú'];
/** Attributes Kibana keeps as JSON text rather than as objects. */
const STRING_ENCODED = [
  'kibanaSavedObjectMeta.searchSourceJSON',
  'panelsJSON',
  'optionsJSON',
  'fields',
  'fieldAttrs',
  'runtimeFieldMap',
  'typeMeta',
];

interface SavedObject {
  id: string;
  type: string;
  coreMigrationVersion: string;
  typeMigrationVersion: string;
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
}

interface KibanaPanel {
  panelIndex: string;
  panelRefName: string;
  type: string;
  gridData: { x: number; y: number; w: number; h: number; i: string };
}

function pick(attributes: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], attributes);
}

for (const service of SERVICES) {
  describe(`Kibana saved objects of ${JSON.stringify(service)}`, () => {
    const generated = buildKibanaObjects(service);
    const lines = generated.ndjson.split('\n');

    it('is NDJSON: one JSON object per line, ending with a newline', () => {
      assert.equal(lines.at(-1), '', 'trailing newline');
      const objects = lines.slice(0, -1).map((line) => JSON.parse(line) as SavedObject);
      assert.deepEqual(
        objects.map((o) => o.type),
        ['index-pattern', 'lens', 'lens', 'search', 'search', 'dashboard'],
      );
      for (const object of objects) {
        assert.equal(typeof object.id, 'string');
        assert.ok(object.attributes && typeof object.attributes.title === 'string', object.id);
        assert.match(object.coreMigrationVersion, /^\d+\.\d+\.\d+$/);
        assert.match(object.typeMigrationVersion, /^\d+\.\d+\.\d+$/);
      }
      assert.equal(new Set(objects.map((o) => `${o.type}/${o.id}`)).size, objects.length, 'ids unique');
    });

    const objects = lines.slice(0, -1).map((line) => JSON.parse(line) as SavedObject);
    const dashboard = objects.find((o) => o.type === 'dashboard') as SavedObject;

    it('string-encodes the JSON fields Kibana expects as text, and each parses', () => {
      let seen = 0;
      for (const object of objects) {
        for (const path of STRING_ENCODED) {
          const value = pick(object.attributes, path);
          if (value === undefined) continue;
          assert.equal(typeof value, 'string', `${object.id} ${path}`);
          assert.doesNotThrow(() => JSON.parse(value as string), `${object.id} ${path}`);
          seen += 1;
        }
      }
      assert.ok(seen >= 9, `only ${seen} string-encoded fields`);
      assert.equal(typeof pick(dashboard.attributes, 'panelsJSON'), 'string');
    });

    it('resolves every reference to an object in the same file, and names what refers to it', () => {
      const present = new Set(objects.map((o) => `${o.type}/${o.id}`));
      for (const object of objects) {
        for (const ref of object.references) {
          assert.ok(
            present.has(`${ref.type}/${ref.id}`),
            `${object.id}: ${JSON.stringify(ref)} resolves nowhere`,
          );
        }
        if (object.type === 'search') {
          const source = JSON.parse(
            pick(object.attributes, 'kibanaSavedObjectMeta.searchSourceJSON') as string,
          );
          assert.ok(
            object.references.some((r) => r.name === source.indexRefName && r.type === 'index-pattern'),
          );
        }
        if (object.type === 'lens') {
          const layers = (pick(object.attributes, 'state.datasourceStates.formBased.layers') ?? {}) as object;
          for (const layerId of Object.keys(layers)) {
            assert.ok(object.references.some((r) => r.name === `indexpattern-datasource-layer-${layerId}`));
          }
        }
      }
      const panels = JSON.parse(dashboard.attributes.panelsJSON as string) as KibanaPanel[];
      assert.equal(panels.length, 4);
      for (const panel of panels) {
        const ref = dashboard.references.find((r) => r.name === `${panel.panelIndex}:${panel.panelRefName}`);
        assert.ok(ref, `panel ${panel.panelIndex} has no reference`);
        assert.equal(ref.type, panel.type);
      }
    });

    it('fits the dashboard panels on the 48-column grid without overlap', () => {
      const panels = JSON.parse(dashboard.attributes.panelsJSON as string) as KibanaPanel[];
      for (const { panelIndex, gridData: g } of panels) {
        assert.ok(
          g.x >= 0 && g.y >= 0 && g.w >= 1 && g.h >= 1 && g.x + g.w <= 48,
          `${panelIndex}: ${JSON.stringify(g)}`,
        );
        assert.equal(g.i, panelIndex);
      }
      for (const [i, a] of panels.entries()) {
        for (const b of panels.slice(i + 1)) {
          const apart =
            a.gridData.x + a.gridData.w <= b.gridData.x ||
            b.gridData.x + b.gridData.w <= a.gridData.x ||
            a.gridData.y + a.gridData.h <= b.gridData.y ||
            b.gridData.y + b.gridData.h <= a.gridData.y;
          assert.ok(apart, `panels ${a.panelIndex} and ${b.panelIndex} overlap`);
        }
      }
    });

    it('queries the service by an escaped exact phrase, over tributary-events-* by time', () => {
      const view = objects.find((o) => o.type === 'index-pattern') as SavedObject;
      assert.equal(view.attributes.title, 'tributary-events-*');
      assert.equal(view.attributes.timeFieldName, 'time');
      const search = objects.find((o) => o.type === 'search') as SavedObject;
      const source = JSON.parse(pick(search.attributes, 'kibanaSavedObjectMeta.searchSourceJSON') as string);
      const phrase = JSON.stringify(service);
      assert.ok((source.query.query as string).includes(`service:${phrase}`), source.query.query);
      assert.equal(source.query.language, 'kuery');
    });

    it('is deterministic: same ids and bytes on every generation, hash in the dashboard description', () => {
      assert.equal(buildKibanaObjects(service).ndjson, generated.ndjson);
      assert.match(dashboard.attributes.description as string, new RegExp(`content hash ${generated.hash}`));
      assert.equal(dashboard.id, generated.dashboardId);
      assert.doesNotMatch(generated.ndjson, /\d{4}-\d{2}-\d{2}T\d{2}:/, 'no timestamp inside');
    });
  });
}
