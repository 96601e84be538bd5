/**
 * The OpenAPI operations of the alerting routes, in the shape of src/api/openapi.ts (`x-scope` drives
 * access control there), for the lead to merge into the document. Error responses are listed by code.
 */
const instant = { type: 'string', minLength: 1, maxLength: 64 } as const;
const limit = {
  name: 'limit',
  in: 'query',
  schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
} as const;
const silenceId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', maxLength: 64 },
} as const;

const listSilences = {
  'x-scope': 'read',
  description:
    'Silences with their state (pending, active, expired); `filter` is a matcher list such as service="cart".',
  parameters: [{ name: 'filter', in: 'query', schema: { type: 'string', maxLength: 2048 } }],
  'x-errors': ['TRB_INVALID_REQUEST'],
} as const;
const createSilence = {
  'x-scope': 'admin',
  description:
    "Creates (or, with an id, updates) a silence: Alertmanager API v2's body {matchers: [{name, value, isRegex, isEqual}], startsAt, endsAt, createdBy, comment}; answers {silenceID}.",
  'x-errors': ['TRB_INVALID_REQUEST', 'TRB_FORBIDDEN'],
} as const;
const getSilence = { 'x-scope': 'read', parameters: [silenceId], 'x-errors': ['TRB_NOT_FOUND'] } as const;
const expireSilence = { 'x-scope': 'admin', parameters: [silenceId], 'x-errors': ['TRB_NOT_FOUND'] } as const;

export const ALERTING_OPENAPI_PATHS = {
  '/v1/alerts': {
    get: {
      operationId: 'listIncidents',
      'x-scope': 'read',
      description:
        'Incidents with their alerts (every source merged into one), newest update first; team-scoped.',
      parameters: [
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['firing', 'resolved'] } },
        { name: 'service', in: 'query', schema: { type: 'string', maxLength: 256 } },
        { name: 'from', in: 'query', schema: instant },
        { name: 'to', in: 'query', schema: instant },
        limit,
        { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 128 } },
      ],
      'x-errors': ['TRB_INVALID_REQUEST', 'TRB_INVALID_CURSOR'],
    },
  },
  '/v1/notifications': {
    get: {
      operationId: 'listNotificationDecisions',
      'x-scope': 'read',
      description:
        'Every notification decision with its reason (sent, failed, grouped, merged, inhibited, silenced, muted, suppressed, flapping, stable, duplicate), newest first; team-scoped.',
      parameters: [
        {
          name: 'decision',
          in: 'query',
          schema: {
            type: 'string',
            enum: [
              'sent',
              'failed',
              'grouped',
              'merged',
              'inhibited',
              'silenced',
              'muted',
              'suppressed',
              'flapping',
              'stable',
              'duplicate',
            ],
          },
        },
        { name: 'receiver', in: 'query', schema: { type: 'string', maxLength: 256 } },
        { name: 'service', in: 'query', schema: { type: 'string', maxLength: 256 } },
        { name: 'group_key', in: 'query', schema: { type: 'string', maxLength: 4096 } },
        { name: 'from', in: 'query', schema: instant },
        { name: 'to', in: 'query', schema: instant },
        limit,
        { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 20, pattern: '^[0-9]+$' } },
      ],
      'x-errors': ['TRB_INVALID_REQUEST', 'TRB_INVALID_CURSOR'],
    },
  },
  '/v1/silences': {
    get: { operationId: 'listSilences', ...listSilences },
    post: { operationId: 'createSilence', ...createSilence },
  },
  '/v1/silences/{id}': {
    get: { operationId: 'getSilence', ...getSilence },
    delete: { operationId: 'expireSilence', ...expireSilence },
  },
  '/api/v2/silences': {
    get: { operationId: 'listSilencesV2', ...listSilences },
    post: { operationId: 'createSilenceV2', ...createSilence },
  },
  '/api/v2/silence/{id}': {
    get: { operationId: 'getSilenceV2', ...getSilence },
    delete: { operationId: 'expireSilenceV2', ...expireSilence },
  },
} as const;
