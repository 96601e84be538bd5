import { ERROR_LEVELS, serviceLogsQuery, TIME_FIELD } from '../event-fields.ts';
import { CORE_MIGRATION_VERSION, DATA_VIEW_ID, type SavedObject } from './saved-object.ts';

/** One layer per visualization; fixed ids keep the output deterministic (Kibana accepts any string). */
const LAYER = 'layer-main';

type Column = Record<string, unknown>;

function timeColumn(): Column {
  return {
    label: TIME_FIELD,
    dataType: 'date',
    operationType: 'date_histogram',
    sourceField: TIME_FIELD,
    isBucketed: true,
    scale: 'interval',
    params: { interval: 'auto', includeEmptyRows: true, dropPartials: false },
  };
}

function countColumn(label: string, kql?: string): Column {
  return {
    label,
    customLabel: true,
    dataType: 'number',
    operationType: 'count',
    sourceField: '___records___',
    isBucketed: false,
    scale: 'ratio',
    params: { emptyAsNull: false },
    ...(kql === undefined ? {} : { filter: { query: kql, language: 'kuery' } }),
  };
}

/** A by-reference Lens XY chart over the data view; the layer names the view through `references`. */
function lensXy(
  id: string,
  title: string,
  description: string,
  query: string,
  columns: Record<string, Column>,
  layer: Record<string, unknown>,
): SavedObject {
  return {
    id,
    type: 'lens',
    coreMigrationVersion: CORE_MIGRATION_VERSION,
    typeMigrationVersion: '8.9.0',
    attributes: {
      title,
      description,
      visualizationType: 'lnsXY',
      state: {
        datasourceStates: {
          formBased: {
            layers: {
              [LAYER]: { columns, columnOrder: Object.keys(columns), incompleteColumns: {} },
            },
          },
        },
        visualization: {
          legend: { isVisible: true, position: 'right' },
          valueLabels: 'hide',
          fittingFunction: 'None',
          preferredSeriesType: layer.seriesType,
          layers: [{ layerId: LAYER, layerType: 'data', ...layer }],
        },
        query: { query, language: 'kuery' },
        filters: [],
        internalReferences: [],
        adHocDataViews: {},
      },
    },
    references: [{ id: DATA_VIEW_ID, name: `indexpattern-datasource-layer-${LAYER}`, type: 'index-pattern' }],
  };
}

export function logVolumeLens(id: string, service: string): SavedObject {
  return lensXy(
    id,
    `${service}: log volume by level`,
    `Log lines of ${service} per interval, stacked by level.`,
    serviceLogsQuery(service),
    {
      time: timeColumn(),
      level: {
        label: 'Level',
        customLabel: true,
        dataType: 'string',
        operationType: 'terms',
        sourceField: 'level',
        isBucketed: true,
        scale: 'ordinal',
        params: {
          size: 10,
          orderBy: { type: 'column', columnId: 'lines' },
          orderDirection: 'desc',
          otherBucket: true,
          missingBucket: false,
          parentFormat: { id: 'terms' },
        },
      },
      lines: countColumn('Log lines'),
    },
    { seriesType: 'bar_stacked', xAccessor: 'time', splitAccessor: 'level', accessors: ['lines'] },
  );
}

/**
 * Share of error lines among all lines. Lens stores a formula as its parsed parts (two counts and the
 * math node dividing them) beside the formula text, so all four columns are written out.
 */
export function errorRateLens(id: string, service: string): SavedObject {
  const errorsKql = `level:(${ERROR_LEVELS.join(' or ')})`;
  const formula = `count(kql='${errorsKql}') / count()`;
  return lensXy(
    id,
    `${service}: error rate`,
    `Share of ${service}'s log lines at error level or above.`,
    serviceLogsQuery(service),
    {
      time: timeColumn(),
      rateX0: countColumn('Part of Error rate', errorsKql),
      rateX1: countColumn('Part of Error rate'),
      rateX2: {
        label: 'Part of Error rate',
        customLabel: true,
        dataType: 'number',
        operationType: 'math',
        isBucketed: false,
        scale: 'ratio',
        params: {
          tinymathAst: {
            type: 'function',
            name: 'divide',
            args: ['rateX0', 'rateX1'],
            location: { min: 0, max: formula.length },
            text: formula,
          },
        },
        references: ['rateX0', 'rateX1'],
      },
      rate: {
        label: 'Error rate',
        customLabel: true,
        dataType: 'number',
        operationType: 'formula',
        isBucketed: false,
        scale: 'ratio',
        params: { formula, isFormulaBroken: false, format: { id: 'percent', params: { decimals: 1 } } },
        references: ['rateX2'],
      },
    },
    { seriesType: 'line', xAccessor: 'time', accessors: ['rate'] },
  );
}
