import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { EVENT_INDEX_PATTERN, TIME_FIELD } from '../event-fields.ts';
import { containerValuesQuery, type ServiceScope } from './promql.ts';

/**
 * Every panel and query points at a datasource *variable*, never at an instance uid: the same dashboard
 * then imports into any Grafana, whose users pick their Prometheus and Elasticsearch in the header.
 */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: '${prometheus}' };
export const ELASTICSEARCH: DataSourceRef = { type: 'elasticsearch', uid: '${elasticsearch}' };

export function templateVariables(scope: ServiceScope) {
  return [
    new DatasourceVariableBuilder('prometheus')
      .label('Prometheus')
      .type('prometheus')
      .description('Prometheus scraping cAdvisor'),
    new DatasourceVariableBuilder('elasticsearch')
      .label('Elasticsearch')
      .type('elasticsearch')
      .description(
        `Elasticsearch datasource over Tributary's events: index ${EVENT_INDEX_PATTERN}, time field ${TIME_FIELD}`,
      ),
    new QueryVariableBuilder('container')
      .label('Container')
      .description(`Containers of the service (cAdvisor label ${scope.serviceLabel})`)
      .datasource(PROMETHEUS)
      .query(containerValuesQuery(scope))
      .definition(containerValuesQuery(scope))
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*')
      .current({ selected: true, text: ['All'], value: ['$__all'] }),
  ];
}
