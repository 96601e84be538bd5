import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { Ajv, type ValidateFunction } from 'ajv';
import { buildGrafanaDashboard } from '../../src/dashboards/grafana/build-dashboard.ts';

const schemaDir = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'schemas', 'grafana');
const skip = existsSync(join(schemaDir, 'dashboard.jsonschema.json'))
  ? false
  : `Grafana JSON schemas not found at ${schemaDir} (check out ../shared)`;

const OPTIONS = {
  serviceLabel: 'container_label_com_docker_compose_service',
  publicUrl: 'http://tributary:8080',
};
/** Ordinary, quoting-hostile, markup-hostile, long and non-ASCII names. */
const SERVICES = [
  'checkout',
  'Payments "EU" \\ API',
  '<script>alert(1)</script>',
  `svc-${'x'.repeat(190)}`,
  'café-ñandú',
];
/** Panel type -> its schema file under shared/schemas/grafana. */
const PANEL_SCHEMAS: Record<string, string> = {
  timeseries: 'timeseries',
  stat: 'stat',
  logs: 'logs',
  'state-timeline': 'statetimeline',
  table: 'table',
  text: 'text',
};

/** Elasticsearch aggregation `type` -> its definition in elasticsearch.jsonschema.json. */
const ES_AGGREGATIONS: Record<string, string> = {
  date_histogram: 'DateHistogram',
  histogram: 'Histogram',
  terms: 'Terms',
  filters: 'Filters',
  count: 'Count',
  logs: 'Logs',
  raw_data: 'RawData',
  raw_document: 'RawDocument',
  percentiles: 'Percentiles',
  avg: 'Average',
  sum: 'Sum',
  min: 'Min',
  max: 'Max',
};

interface Agg {
  id: string;
  type: string;
}

interface Panel {
  id: number;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  options?: unknown;
  fieldConfig?: { defaults?: { custom?: unknown } };
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; datasource?: { type?: string; uid?: string } }[];
}

function readSchema(name: string): Record<string, unknown> {
  // The files name draft-07 by its http URL, which Ajv knows; drop it anyway in case a copy uses https.
  const { $schema: _dialect, ...schema } = JSON.parse(
    readFileSync(join(schemaDir, `${name}.jsonschema.json`), 'utf8'),
  ) as Record<string, unknown>;
  return schema;
}

const compiled = new Map<string, ValidateFunction | null>();

/** A validator for `#/definitions/<definition>` of a schema file (or its root when it has a $ref). */
function compileDefinition(ajv: Ajv, name: string, definition: string | null): ValidateFunction | null {
  const key = `${name}#${definition ?? ''}`;
  if (!compiled.has(key)) {
    const schema = readSchema(name);
    const definitions = schema.definitions as Record<string, unknown>;
    compiled.set(
      key,
      definition !== null && !(definition in definitions)
        ? null
        : ajv.compile(definition === null ? schema : { $ref: `#/definitions/${definition}`, definitions }),
    );
  }
  return compiled.get(key) ?? null;
}

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  assert.ok(validate(value), `${what}: ${JSON.stringify(validate.errors, null, 2)}`);
}

/** Grafana replaces these before Prometheus sees the query; a parser must see real durations. */
function interpolate(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '3h')
    .replaceAll('$__interval', '30s');
}

function promqlErrors(expr: string): number {
  let errors = 0;
  promqlParser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors += 1;
    },
  });
  return errors;
}

function collectDatasourceRefs(value: unknown, out: { type?: string; uid?: string }[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectDatasourceRefs(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'datasource' && item !== null && typeof item === 'object')
        out.push(item as { uid?: string });
      else collectDatasourceRefs(item, out);
    }
  }
}

describe('generated Grafana dashboards', { skip }, () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validateDashboard = skip ? null : compileDefinition(ajv, 'dashboard', null);
  const validatePrometheus = skip ? null : compileDefinition(ajv, 'prometheus', null);
  const validateElasticsearch = skip ? null : compileDefinition(ajv, 'elasticsearch', null);

  for (const service of SERVICES) {
    describe(`for ${JSON.stringify(service.slice(0, 40))}`, () => {
      const generated = buildGrafanaDashboard(service, OPTIONS);
      const dashboard = JSON.parse(generated.json) as {
        uid: string;
        schemaVersion: number;
        panels: Panel[];
        templating: { list: { name: string; type: string; query?: unknown; definition?: string }[] };
      };

      it('validates against dashboard.jsonschema.json, with a schemaVersion of 39 to 42', () => {
        assertValid(validateDashboard as ValidateFunction, dashboard, 'dashboard');
        assert.ok(
          dashboard.schemaVersion >= 39 && dashboard.schemaVersion <= 42,
          String(dashboard.schemaVersion),
        );
      });

      it("validates each panel's options and custom field config against its panel schema", () => {
        for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
          const file = PANEL_SCHEMAS[panel.type];
          assert.ok(file, `panel ${panel.id} has type ${panel.type}, which has no schema`);
          const validateOptions = compileDefinition(ajv, file, 'Options') as ValidateFunction;
          assertValid(validateOptions, panel.options, `panel ${panel.id} (${panel.type}) options`);
          const validateCustom = compileDefinition(ajv, file, 'FieldConfig');
          const custom = panel.fieldConfig?.defaults?.custom;
          if (validateCustom && custom !== undefined) {
            assertValid(
              validateCustom,
              custom,
              `panel ${panel.id} (${panel.type}) fieldConfig.defaults.custom`,
            );
          }
        }
      });

      it('validates every query against the Prometheus or Elasticsearch query schema', () => {
        for (const panel of dashboard.panels) {
          for (const target of panel.targets ?? []) {
            const where = `panel ${panel.id} target`;
            if (target.datasource?.type === 'prometheus') {
              assertValid(validatePrometheus as ValidateFunction, target, where);
              continue;
            }
            // The schema's aggregation unions are oneOf without a discriminator, and several members
            // accept the same object (a date_histogram also matches Nested): check each aggregation
            // against the definition its `type` names, and the query with the lists emptied.
            const { bucketAggs = [], metrics = [] } = target as { bucketAggs?: Agg[]; metrics?: Agg[] };
            assertValid(
              validateElasticsearch as ValidateFunction,
              { ...target, bucketAggs: [], metrics: [] },
              where,
            );
            for (const agg of [...bucketAggs, ...metrics]) {
              const definition = ES_AGGREGATIONS[agg.type];
              assert.ok(definition, `${where}: unknown aggregation type ${agg.type}`);
              const validate = compileDefinition(ajv, 'elasticsearch', definition) as ValidateFunction;
              assertValid(validate, agg, `${where} aggregation ${agg.id}`);
            }
          }
        }
      });

      it('writes PromQL that parses without error nodes', () => {
        const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => t.expr ?? []));
        assert.ok(exprs.length >= 15, `only ${exprs.length} PromQL expressions`);
        for (const expr of exprs) assert.equal(promqlErrors(interpolate(expr)), 0, expr);
        const container = dashboard.templating.list.find((v) => v.name === 'container');
        const selector = /^label_values\((.*), name\)$/.exec(String(container?.query))?.[1];
        assert.ok(selector, 'the container variable lists label values of a selector');
        assert.equal(promqlErrors(selector), 0, selector);
      });

      it('points every datasource reference at a datasource template variable of the same type', () => {
        const variables = new Map(
          dashboard.templating.list.filter((v) => v.type === 'datasource').map((v) => [v.name, v.query]),
        );
        assert.deepEqual([...variables.keys()].sort(), ['elasticsearch', 'prometheus']);
        const refs: { type?: string; uid?: string }[] = [];
        collectDatasourceRefs(dashboard.panels, refs);
        collectDatasourceRefs(dashboard.templating, refs);
        assert.ok(refs.length > 20);
        for (const ref of refs) {
          const name = /^\$\{(\w+)\}$/.exec(ref.uid ?? '')?.[1];
          assert.ok(name && variables.has(name), `datasource ${JSON.stringify(ref)} is no template variable`);
          assert.equal(variables.get(name), ref.type);
        }
      });

      it('fits every panel on the 24-column grid without overlap, with unique ids', () => {
        const panels = dashboard.panels;
        assert.equal(new Set(panels.map((p) => p.id)).size, panels.length);
        for (const { id, gridPos: g } of panels) {
          assert.ok(
            g.x >= 0 && g.y >= 0 && g.w >= 1 && g.h >= 1 && g.x + g.w <= 24,
            `panel ${id}: ${JSON.stringify(g)}`,
          );
        }
        for (const [i, a] of panels.entries()) {
          for (const b of panels.slice(i + 1)) {
            const apart =
              a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
              b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
              a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
              b.gridPos.y + b.gridPos.h <= a.gridPos.y;
            assert.ok(apart, `panels ${a.id} and ${b.id} overlap`);
          }
        }
      });

      it('has a deterministic uid of at most 40 characters and byte-identical regenerations', () => {
        assert.match(dashboard.uid, /^trib-[a-z0-9-]+$/);
        assert.ok(dashboard.uid.length <= 40, dashboard.uid);
        assert.equal(buildGrafanaDashboard(service, OPTIONS).json, generated.json);
        assert.doesNotMatch(generated.json, /\d{4}-\d{2}-\d{2}T\d{2}:/, 'no timestamp inside');
        assert.match(generated.json, new RegExp(`content hash ${generated.hash}`));
      });
    });
  }

  it('covers health, CPU, memory, network, filesystem, Nagios, logs and traces', () => {
    const dashboard = buildGrafanaDashboard('checkout', OPTIONS).dashboard;
    const text = JSON.stringify(dashboard);
    for (const metric of [
      'container_cpu_usage_seconds_total',
      'container_cpu_cfs_throttled_periods_total',
      'container_cpu_cfs_periods_total',
      'container_memory_working_set_bytes',
      'container_spec_memory_limit_bytes',
      'container_network_receive_bytes_total',
      'container_network_transmit_bytes_total',
      'container_network_receive_errors_total',
      'container_network_transmit_packets_dropped_total',
      'container_fs_usage_bytes',
      'container_oom_events_total',
      'container_start_time_seconds',
    ]) {
      assert.ok(text.includes(metric), metric);
    }
    assert.ok(!text.includes('container_memory_usage_bytes'), 'memory is the working set, not usage');
    const types = (dashboard.panels ?? []).map((p) => p.type);
    for (const type of ['stat', 'timeseries', 'state-timeline', 'logs', 'text'])
      assert.ok(types.includes(type), type);
    assert.ok(text.includes('/v1/logs?service=checkout'), 'links to Tributary logs');
    assert.ok(text.includes('/explore?'), 'links to Grafana Explore');
  });

  it('uses the configured cAdvisor service label', () => {
    const dashboard = buildGrafanaDashboard('checkout', { ...OPTIONS, serviceLabel: 'container_label_app' });
    assert.ok(dashboard.json.includes('container_label_app=\\"checkout\\"'));
    assert.ok(!dashboard.json.includes('container_label_com_docker_compose_service'));
  });
});
