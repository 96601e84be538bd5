import { EVENT_KINDS } from '../core/event.ts';
import { ERROR_CATALOGUE } from './errors.ts';
import { ALERTING_OPENAPI_PATHS } from '../alerting/routes/openapi-paths.ts';

/**
 * The OpenAPI 3.1 description of the API. It is served at /openapi.json and it is what request
 * validation compiles (validate-request.ts): a parameter added here is validated without further code.
 */
const kindList = `^(${EVENT_KINDS.join('|')})(,(${EVENT_KINDS.join('|')}))*$`;
const instant = {
  type: 'string',
  maxLength: 64,
  description:
    'ISO-8601 timestamp (`2026-11-24T10:00:00.123456789Z`) or relative to now (`now`, `now-15m`, `now-7d`).',
};

/** `order`: what the sort is by (the causal order key, or each event's own timestamp). */
function orderParameter(byDefault: 'causal' | 'timestamp') {
  return {
    name: 'order',
    in: 'query',
    description:
      "causal: by the order key of the ordering stage (happens-before respected across hosts); timestamp: by each event's own time, as its host's clock said.",
    schema: { type: 'string', enum: ['causal', 'timestamp'], default: byDefault },
  };
}

const filterParameters = [
  { name: 'service', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 256 } },
  { name: 'host', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 256 } },
  { name: 'level', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 32 } },
  { name: 'source', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 64 } },
  { name: 'from', in: 'query', description: 'Inclusive lower time bound.', schema: instant },
  { name: 'to', in: 'query', description: 'Exclusive upper time bound.', schema: instant },
  {
    name: 'q',
    in: 'query',
    description: 'Full-text search: events whose message contains every word.',
    schema: { type: 'string', minLength: 1, maxLength: 512 },
  },
  {
    name: 'trace_id',
    in: 'query',
    schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$', description: '32 hex digits (W3C trace id).' },
  },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
  {
    name: 'cursor',
    in: 'query',
    description: 'The `next` value of the previous page; the other parameters must stay the same.',
    schema: { type: 'string', maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' },
  },
];

const errorResponse = (codes: string[]) => ({
  description: codes.join(', '),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const ingestReport = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestReport' } } },
};

/** An ingest operation: 200 all stored, 207 some rejected (listed), 400 none stored, 413/415/503. */
const ingestOperation = (operationId: string, description: string, contentTypes: readonly string[]) => ({
  post: {
    operationId,
    'x-scope': 'ingest',
    description,
    requestBody: {
      required: true,
      content: Object.fromEntries(contentTypes.map((type) => [type, { schema: { type: 'string' } }])),
    },
    responses: {
      '200': { description: 'Every record stored.', ...ingestReport },
      '207': { description: 'Some records stored, some rejected (listed).', ...ingestReport },
      '400': errorResponse(['TRB_ALL_REJECTED', 'TRB_EMPTY_BODY']),
      '408': errorResponse(['TRB_REQUEST_TIMEOUT']),
      '413': errorResponse(['TRB_BODY_TOO_LARGE']),
      '415': errorResponse(['TRB_UNSUPPORTED_MEDIA_TYPE']),
      '503': errorResponse(['TRB_OVERLOADED', 'TRB_SHUTTING_DOWN']),
    },
  },
});

const pageResponse = {
  description: 'One page of events.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/EventPage' } } },
};

const document = {
  openapi: '3.1.0',
  info: {
    title: 'Tributary',
    version: '0.1.0',
    description:
      'Observability aggregation: ingest (Logstash, cAdvisor, Nagios, OTLP, Pinpoint, Prometheus alerts) and audit queries.',
  },
  paths: {
    '/healthz': {
      get: {
        operationId: 'health',
        'x-scope': 'public',
        responses: { '200': { description: 'The process is alive.' } },
      },
    },
    '/readyz': {
      get: {
        operationId: 'ready',
        'x-scope': 'public',
        responses: {
          '200': { description: 'Every backend is reachable.' },
          '503': {
            description: 'A backend is unreachable or the process is shutting down; the body says which.',
          },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        'x-scope': 'read',
        responses: { '200': { description: 'Prometheus text exposition.' } },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        'x-scope': 'public',
        responses: { '200': { description: 'This document.' } },
      },
    },
    '/v1/ingest/logstash': {
      post: {
        operationId: 'ingestLogstash',
        'x-scope': 'ingest',
        description:
          'Logstash events (http output, json or json_batch; or NDJSON): a JSON object, an array of objects, or one object per line. Valid records are stored even when others are rejected.',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: {} },
            'application/x-ndjson': { schema: { type: 'string' } },
            'text/plain': { schema: { type: 'string' } },
          },
        },
        responses: {
          '200': {
            description: 'Every record stored.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestReport' } } },
          },
          '207': {
            description: 'Some records stored, some rejected (listed).',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestReport' } } },
          },
          '400': errorResponse(['TRB_ALL_REJECTED', 'TRB_EMPTY_BODY']),
          '408': errorResponse(['TRB_REQUEST_TIMEOUT']),
          '413': errorResponse(['TRB_BODY_TOO_LARGE']),
          '415': errorResponse(['TRB_UNSUPPORTED_MEDIA_TYPE']),
          '503': errorResponse(['TRB_OVERLOADED', 'TRB_SHUTTING_DOWN']),
        },
      },
    },
    '/v1/ingest/cadvisor': ingestOperation(
      'ingestCadvisor',
      "cAdvisor's /metrics text (Prometheus text exposition) pushed by a relay; `?host=` names the machine.",
      ['text/plain', 'application/openmetrics-text'],
    ),
    '/v1/ingest/nagios': ingestOperation(
      'ingestNagios',
      'Nagios passive results: NRDP (form with XMLDATA/JSONDATA, JSON or XML checkresults), PROCESS_*_CHECK_RESULT lines, send_nsca lines, or perfdata-file lines. SOFT/HARD state is tracked per check.',
      ['application/x-www-form-urlencoded', 'application/json', 'application/xml', 'text/plain'],
    ),
    '/v1/ingest/pinpoint': ingestOperation(
      'ingestPinpoint',
      'Pinpoint spans, span events and span chunks as JSON; headers `agentid` and `applicationname` identify the agent of a bare PSpan.',
      ['application/json'],
    ),
    '/api/v2/alerts': ingestOperation(
      'postAlerts',
      "Alertmanager's API v2: Prometheus sends its alerts here unchanged (array of {labels, annotations, startsAt, endsAt, generatorURL}).",
      ['application/json'],
    ),
    '/v1/traces': {
      post: {
        operationId: 'otlpTraces',
        'x-scope': 'ingest',
        description:
          'OTLP/HTTP traces (ExportTraceServiceRequest), JSON or protobuf, optionally gzip. 200 with partialSuccess when some spans were refused.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: {} }, 'application/x-protobuf': { schema: {} } },
        },
        responses: {
          '200': { description: 'ExportTraceServiceResponse, in the request encoding.' },
          '400': { description: 'google.rpc.Status: undecodable body.' },
          '413': { description: 'google.rpc.Status or TRB_BODY_TOO_LARGE.' },
          '415': { description: 'google.rpc.Status: unsupported content type or encoding.' },
          '503': errorResponse(['TRB_OVERLOADED', 'TRB_SHUTTING_DOWN']),
        },
      },
    },
    '/v1/events': {
      get: {
        operationId: 'queryEvents',
        'x-scope': 'read',
        description:
          'Everything stored (metrics, logs, spans, checks, alerts), newest first unless sort=asc.',
        parameters: [
          {
            name: 'kind',
            in: 'query',
            description: 'Comma-separated kinds.',
            schema: { type: 'string', pattern: kindList },
          },
          ...filterParameters,
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' } },
          orderParameter('timestamp'),
        ],
        responses: {
          '200': pageResponse,
          '400': errorResponse(['TRB_INVALID_REQUEST', 'TRB_INVALID_CURSOR']),
        },
      },
    },
    '/v1/logs': {
      post: {
        operationId: 'otlpLogs',
        'x-scope': 'ingest',
        description:
          'OTLP/HTTP logs (ExportLogsServiceRequest), JSON or protobuf, optionally gzip. 200 with partialSuccess when some records were refused.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: {} }, 'application/x-protobuf': { schema: {} } },
        },
        responses: {
          '200': { description: 'ExportLogsServiceResponse, in the request encoding.' },
          '400': { description: 'google.rpc.Status: undecodable body.' },
          '413': { description: 'google.rpc.Status or TRB_BODY_TOO_LARGE.' },
          '415': { description: 'google.rpc.Status: unsupported content type or encoding.' },
          '503': errorResponse(['TRB_OVERLOADED', 'TRB_SHUTTING_DOWN']),
        },
      },
      get: {
        operationId: 'queryLogs',
        'x-scope': 'read',
        description:
          "Logs in causal order (order=causal, the default: the ordering stage's key, so a reply never precedes its request whatever the hosts' clocks said) or by their own timestamps (order=timestamp); oldest first unless sort=desc. With order=causal the page carries `orderings`: each item's key, the clock offset applied to its host and its error bound, and whether it was late, forced or still provisional.",
        parameters: [
          ...filterParameters,
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'], default: 'asc' } },
          orderParameter('causal'),
        ],
        responses: {
          '200': pageResponse,
          '400': errorResponse(['TRB_INVALID_REQUEST', 'TRB_INVALID_CURSOR']),
        },
      },
    },
    '/v1/services': {
      get: {
        operationId: 'listServices',
        'x-scope': 'read',
        description:
          'Every service seen in stored events (names resolved through services.aliases), with first/last seen, sources, hosts, containers and counts per kind.',
        responses: { '200': { description: 'Services.' } },
      },
    },
    '/v1/admin/keys': {
      get: {
        operationId: 'listKeys',
        'x-scope': 'admin',
        description: 'API keys (names, scopes, teams; never secrets or hashes), from the config and the API.',
        responses: { '200': { description: 'Keys.' } },
      },
      post: {
        operationId: 'createKey',
        'x-scope': 'admin',
        description: 'Creates a key; the answer holds its secret, shown this once. Audited.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name', 'scopes'],
                properties: {
                  name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
                  scopes: { type: 'array', items: { enum: ['ingest', 'read', 'admin'] }, minItems: 1 },
                  team: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
                },
              },
            },
          },
        },
        responses: {
          '201': { description: 'Created: `{name, secret, scopes, team}`.' },
          '400': errorResponse(['TRB_INVALID_REQUEST']),
          '409': errorResponse(['TRB_CONFLICT']),
        },
      },
    },
    '/v1/admin/keys/{name}': {
      delete: {
        operationId: 'deleteKey',
        'x-scope': 'admin',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'Revoked.' }, '404': errorResponse(['TRB_NOT_FOUND']) },
      },
    },
    '/v1/audit': {
      get: {
        operationId: 'queryAudit',
        'x-scope': 'read',
        description:
          'The audit trail, newest first: who changed what, when, from where, and every decision with its reason.',
        parameters: [
          { name: 'actor', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 128 } },
          { name: 'action', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 128 } },
          { name: 'target', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 256 } },
          { name: 'from', in: 'query', schema: instant },
          { name: 'to', in: 'query', schema: instant },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
          { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 20, pattern: '^[0-9]+$' } },
        ],
        responses: {
          '200': { description: 'Entries.' },
          '400': errorResponse(['TRB_INVALID_REQUEST', 'TRB_INVALID_CURSOR']),
        },
      },
    },
    '/v1/audit/verify': {
      get: {
        operationId: 'verifyAudit',
        'x-scope': 'read',
        description: 'Recomputes the hash chain: `{ok, entries, firstBroken: {seq, reason} | null}`.',
        responses: { '200': { description: 'Verification report.' } },
      },
    },
    '/v1/dashboards/{service}': {
      get: {
        operationId: 'getDashboard',
        'x-scope': 'read',
        description:
          "The service's generated Grafana dashboard (JSON, schemaVersion 42) or Kibana saved objects (NDJSON), byte-identical for the same input.",
        parameters: [
          { name: 'service', in: 'path', required: true, schema: { type: 'string', maxLength: 200 } },
          {
            name: 'format',
            in: 'query',
            schema: { type: 'string', enum: ['grafana', 'kibana'], default: 'grafana' },
          },
        ],
        responses: {
          '200': { description: 'The dashboard.' },
          '400': errorResponse(['TRB_INVALID_REQUEST']),
          '404': errorResponse(['TRB_NOT_FOUND']),
        },
      },
    },
    '/v1/dashboards/{service}/publish': {
      post: {
        operationId: 'publishDashboard',
        'x-scope': 'admin',
        description:
          'Publishes the Grafana dashboard and Kibana objects to the configured servers, skipping what is unchanged.',
        parameters: [
          { name: 'service', in: 'path', required: true, schema: { type: 'string', maxLength: 200 } },
        ],
        responses: {
          '200': {
            description: '`{service, grafana, kibana}` with published | unchanged | not-configured each.',
          },
          '404': errorResponse(['TRB_NOT_FOUND']),
          '502': errorResponse(['TRB_UPSTREAM_FAILED']),
        },
      },
    },
    '/': {
      get: {
        operationId: 'webServices',
        'x-scope': 'read',
        description:
          'Built-in view (HTML): services with their health. Browsers may send the key as the Basic password.',
        responses: { '200': { description: 'HTML.' } },
      },
    },
    '/hosts': {
      get: {
        operationId: 'webHosts',
        'x-scope': 'read',
        description: 'Built-in view (HTML): Nagios-style host overview.',
        responses: { '200': { description: 'HTML.' } },
      },
    },
    '/services/{name}': {
      get: {
        operationId: 'webService',
        'x-scope': 'read',
        description:
          'Built-in view (HTML): one service: CPU, memory, network, incidents, recent logs, traces.',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'HTML.' }, '404': errorResponse(['TRB_NOT_FOUND']) },
      },
    },
    '/v1/traces/{id}': {
      get: {
        operationId: 'getTrace',
        'x-scope': 'read',
        description:
          'One request as one trace, whichever agents recorded it (Pinpoint, OpenTelemetry): the spans of every linked trace with service, kind, raw and skew-adjusted timing, status, attributes and attached logs, and the link that joined each (`same-trace`, `header`, `traceparent`, `log`, or `heuristic` with its confidence below 1). `format=otlp` answers an OTLP/JSON ExportTraceServiceRequest for Jaeger or Tempo.',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description:
              'An OpenTelemetry trace id (32 hex digits) or a Pinpoint transaction id `agentId^agentStartTime^sequence` (URL-encode `^` as `%5E`).',
            schema: { type: 'string', minLength: 1, maxLength: 160 },
          },
          {
            name: 'format',
            in: 'query',
            schema: { type: 'string', enum: ['json', 'otlp'], default: 'json' },
          },
          {
            name: 'heuristic',
            in: 'query',
            description: '`false` leaves out joins made by timing and endpoint alone.',
            schema: { type: 'string', enum: ['true', 'false'], default: 'true' },
          },
        ],
        responses: {
          '200': {
            description:
              'The merged trace (`format=json`) or an OTLP/JSON ExportTraceServiceRequest (`format=otlp`).',
          },
          '400': errorResponse(['TRB_INVALID_REQUEST']),
          '404': errorResponse(['TRB_NOT_FOUND']),
        },
      },
    },
    '/v1/ordering': {
      get: {
        operationId: 'orderingState',
        'x-scope': 'read',
        description:
          "The causal ordering stage: each host's estimated clock offset (ms) with its error bound, peers and NTP steps (largest offsets first); each stream's watermark, lateness, idle/lagging state (the slowest first); counters (late, forced, timeouts, violations, duplicates). Not for team-scoped keys.",
        parameters: [
          {
            name: 'limit',
            in: 'query',
            description: 'Hosts and streams listed, each.',
            schema: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
          },
        ],
        responses: {
          '200': { description: '`{enabled, stats, hosts, streams}`.' },
          '400': errorResponse(['TRB_INVALID_REQUEST']),
        },
      },
    },
    '/v1/rejections': {
      get: {
        operationId: 'listRejections',
        'x-scope': 'read',
        description: 'Rejected input (dead letters), newest first, with the reason and the raw record.',
        parameters: [
          { name: 'source', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 64 } },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        ],
        responses: { '200': { description: 'Rejections.' }, '400': errorResponse(['TRB_INVALID_REQUEST']) },
      },
    },
  },
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          "API key (`Authorization: Bearer <secret>`). Each operation names the scope it needs in `x-scope` (ingest, read, admin; public needs none). Keys restricted to a team see only that team's services.",
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
              message: { type: 'string' },
              details: {},
            },
          },
        },
      },
      IngestReport: {
        type: 'object',
        required: ['accepted', 'rejected'],
        properties: {
          accepted: { type: 'integer' },
          rejected: { type: 'integer' },
          rejections: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                location: { type: 'string' },
                reason: { type: 'string' },
                detail: { type: 'string' },
              },
            },
          },
        },
      },
      EventPage: {
        type: 'object',
        required: ['items', 'next'],
        properties: {
          items: { type: 'array', items: { type: 'object', required: ['id', 'kind', 'time'] } },
          next: { type: ['string', 'null'] },
        },
      },
    },
  },
  'x-error-catalogue': Object.fromEntries(
    Object.entries(ERROR_CATALOGUE).map(([code, { status, description }]) => [code, { status, description }]),
  ),
} as const;

// The alerting routes describe their operations with `x-errors`; give them catalogue responses here.
for (const [path, operations] of Object.entries(ALERTING_OPENAPI_PATHS)) {
  const converted: Record<string, unknown> = {};
  for (const [method, operation] of Object.entries(operations as Record<string, Record<string, unknown>>)) {
    const { 'x-errors': codes = [], ...rest } = operation as { 'x-errors'?: readonly string[] };
    const responses: Record<string, unknown> = { '200': { description: 'OK.' } };
    for (const code of codes) {
      const status = String(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].status);
      responses[status] = errorResponse([code]);
    }
    converted[method] = { ...rest, responses };
  }
  (document.paths as Record<string, unknown>)[path] = converted;
}

/** Every operation that needs a key can answer 401, 403 and 429: added here once rather than per route. */
for (const operations of Object.values(document.paths) as Record<
  string,
  { 'x-scope'?: string; responses: Record<string, unknown> }
>[]) {
  for (const operation of Object.values(operations)) {
    if (operation['x-scope'] === 'public') continue;
    operation.responses['401'] = errorResponse(['TRB_UNAUTHORIZED']);
    operation.responses['403'] = errorResponse(['TRB_FORBIDDEN']);
    operation.responses['429'] = errorResponse(['TRB_RATE_LIMITED']);
  }
}

export const openApiDocument = document;
