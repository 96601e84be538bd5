import { Ajv, type ValidateFunction } from 'ajv';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './errors.ts';
import { openApiDocument } from './openapi.ts';

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema: Record<string, unknown>;
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: false });

/**
 * Request validation compiled from the OpenAPI document: the query of `method path` must match the
 * operation's parameters (unknown parameters and repeated ones are refused). The coerced query, with
 * defaults applied, is left in `res.locals.query`.
 */
export function validateQuery(method: 'get' | 'post', path: keyof typeof openApiDocument.paths) {
  const operation = (
    openApiDocument.paths[path] as Record<string, { parameters?: readonly ParameterObject[] }>
  )[method];
  const parameters = (operation?.parameters ?? []).filter((p) => p.in === 'query');
  const schema = {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
  const validate: ValidateFunction = ajv.compile(schema);
  return (req: Request, res: Response, next: NextFunction): void => {
    const query: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(req.query)) {
      if (typeof value !== 'string') {
        next(
          new ApiError(
            'TRB_INVALID_REQUEST',
            `query parameter "${name}" must be given once, as a plain value`,
          ),
        );
        return;
      }
      query[name] = value;
    }
    if (!validate(query)) {
      const details = (validate.errors ?? []).map((e) => {
        const name = e.instancePath.replace(/^\//, '') || String(e.params.additionalProperty ?? '');
        const text = e.keyword === 'additionalProperties' ? 'is not a known parameter' : e.message;
        return `${name} ${text}`;
      });
      next(new ApiError('TRB_INVALID_REQUEST', `invalid query: ${details.join('; ')}`, details));
      return;
    }
    res.locals.query = query;
    next();
  };
}
