/**
 * The error catalogue: every error the API answers with has a code here, with its HTTP status and what
 * it means. `/openapi.json` lists the same codes (a test keeps the two in sync) and the README shows them.
 * Body of every error: `{ "error": { "code", "message", "details"? } }`.
 */
export const ERROR_CATALOGUE = {
  TRB_INVALID_REQUEST: {
    status: 400,
    description: 'A query parameter or the body does not match the API description.',
  },
  TRB_INVALID_CURSOR: { status: 400, description: 'The cursor was altered or belongs to a different query.' },
  TRB_EMPTY_BODY: { status: 400, description: 'The ingest body holds no record.' },
  TRB_ALL_REJECTED: {
    status: 400,
    description: 'Every record of the ingest body was rejected; details list why.',
  },
  TRB_UNAUTHORIZED: { status: 401, description: 'No API key, or one that is unknown or revoked.' },
  TRB_FORBIDDEN: { status: 403, description: 'The API key lacks the scope (or team) this operation needs.' },
  TRB_NOT_FOUND: { status: 404, description: 'No such route or resource.' },
  TRB_CONFLICT: { status: 409, description: 'The resource exists already (e.g. an API key of that name).' },
  TRB_REQUEST_TIMEOUT: { status: 408, description: 'The client sent the request too slowly.' },
  TRB_BODY_TOO_LARGE: { status: 413, description: 'The body exceeds the configured limit (server.maxBody).' },
  TRB_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'The Content-Type or Content-Encoding is not accepted here.',
  },
  TRB_RATE_LIMITED: {
    status: 429,
    description: 'Too many requests with this key; retry after the Retry-After delay.',
  },
  TRB_OVERLOADED: { status: 503, description: 'The pipeline is full; retry after the Retry-After delay.' },
  TRB_UPSTREAM_FAILED: {
    status: 502,
    description: 'A peer Tributary publishes to (Grafana, Kibana) refused or failed; details say which.',
  },
  TRB_SHUTTING_DOWN: {
    status: 503,
    description: 'The process is shutting down; retry against another replica.',
  },
  TRB_INTERNAL: { status: 500, description: 'An unexpected failure; it is logged with the request id.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CATALOGUE[code].status;
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
