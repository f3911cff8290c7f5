// Two Ajv instances: JSON bodies are validated strictly (no type coercion: "12" is not a number), while query
// strings and path params, which are always text on the wire, are coerced.
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(coerce: boolean) {
  const ajv = new Ajv.default({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: true,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as any;
};

/** Names the offending field of the first schema error as a JSON path (`/geometry/coordinates`). */
export function describeValidationError(errors: ErrorObject[] | readonly any[], part: string): { field: string; reason: string } {
  const e = errors[0] as ErrorObject | undefined;
  if (!e) return { field: part, reason: 'is invalid' };
  let field = e.instancePath || '';
  if (e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty) {
    field = `${field}/${(e.params as { missingProperty: string }).missingProperty}`;
  }
  if (e.keyword === 'additionalProperties' && (e.params as { additionalProperty?: string }).additionalProperty) {
    field = `${field}/${(e.params as { additionalProperty: string }).additionalProperty}`;
  }
  const name = field ? field.replace(/^\//, '').replace(/\//g, '.') : part;
  return { field: name, reason: e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid') };
}

/**
 * The path of the first string holding a NUL character, or null. PostgreSQL cannot store U+0000 in text, so such
 * input is refused at the edge for both engines alike.
 */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}.${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNul(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}
