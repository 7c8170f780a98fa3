import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  getNamedType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { CSV_ROUTES } from './csv';
import { isHeavyRead } from './rate-limit';

/**
 * What the decorators cannot say, added to the generated OpenAPI document in one place:
 * - the answers of the views, the reports and the effect report, whose shapes are the GraphQL types the same
 *   query handlers answer through (one definition of each shape, so REST and GraphQL documentation agree);
 * - the bodies of the health, projection-admin and audit answers;
 * - the error body (`ErrorBody`, written by the one error filter) on every error response, and the 401 every
 *   operation behind a token can answer, with the 413, 415 and 429 the request gate and the rate limit answer.
 */

type Schema = SchemaObject | ReferenceObject;

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string): SchemaObject => ({ type: 'string', ...(description ? { description } : {}) });
const int = (description?: string): SchemaObject => ({ type: 'integer', ...(description ? { description } : {}) });
const num = (description?: string): SchemaObject => ({ type: 'number', ...(description ? { description } : {}) });
const bool = (description?: string): SchemaObject => ({ type: 'boolean', ...(description ? { description } : {}) });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const array = (items: Schema): SchemaObject => ({ type: 'array', items });
const object = (properties: Record<string, Schema>, optional: readonly string[] = [], description?: string): SchemaObject => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});
const anyObject = (description: string): SchemaObject => ({ type: 'object', additionalProperties: true, description });

/** The error body every error answer carries (apps/api/src/http/error.filter.ts). */
export const ERROR_BODY = 'ErrorBody';

const CHECK = object({ ok: bool(), detail: str() });

/** Schemas of the answers that have no DTO or GraphQL type. */
const OWN_SCHEMAS: Record<string, SchemaObject> = {
  [ERROR_BODY]: object(
    {
      statusCode: int('The HTTP status'),
      code: str('A stable code for the kind of error (VALIDATION_FAILED, NOT_ASSIGNED, …)'),
      message: str('What is wrong, naming the field or rule'),
      details: anyObject('The fields, values or limits involved, when there are any'),
    },
    ['details'],
  ),
  Health: object({ status: { type: 'string', enum: ['ok'] }, eventStore: str('The event-store engine'), headPosition: str('Position of the last event in the log') }),
  Readiness: object({
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: object({ eventStoreRead: CHECK, eventStoreWrite: CHECK, readStoreRead: CHECK, readStoreWrite: CHECK, projections: CHECK }),
    projections: array(object({ name: str(), state: str(), checkpoint: str(), behind: str('Positions behind the head of the log') })),
    headPosition: nullable(str()),
  }),
  Liveness: object({ status: { type: 'string', enum: ['ok'] } }),
  ProjectionFailure: object({ position: str(), eventId: str(), eventType: str(), streamName: str(), message: str(), failedAt: str() }),
  ParkedEvent: object({ projection: str(), eventId: str(), position: str(), eventType: str(), streamName: str(), reason: str(), parkedBy: str(), parkedAt: str() }),
  ProjectionStatus: object({
    name: str(),
    description: str(),
    version: int(),
    liveVersion: int(),
    outdated: bool('The live copy was built by an older version of the projection'),
    generation: int(),
    state: { type: 'string', enum: ['catching_up', 'live', 'failed', 'stopped', 'starting', 'external', 'not_built'] },
    checkpoint: str(),
    head: str(),
    lagEvents: int(),
    lagEventsCapped: bool('Lag beyond 10,000 events is reported as at least that'),
    lagMs: num(),
    eventsPerSecond: nullable(num()),
    failure: { allOf: [ref('ProjectionFailure')], nullable: true },
    updatedAt: nullable(str()),
    parked: array(ref('ParkedEvent')),
  }),
  RebuildJob: object({
    id: str(),
    kind: { type: 'string', enum: ['rebuild', 'verify'] },
    projections: array(str()),
    state: { type: 'string', enum: ['running', 'done', 'failed', 'interrupted'], description: 'interrupted: the process running it stopped before it ended' },
    progress: nullable(anyObject('Of a job this process runs: projection, phase, position, head, fraction, events, events/s, ETA in seconds, elapsed ms')),
    results: array(anyObject('Per projection: the rebuilt generation and events, or the verify differences')),
    error: nullable(str()),
    startedAt: str(),
    startedBy: nullable(str('Who started it')),
    finishedAt: nullable(str()),
  }),
  ProjectionsOverview: object({ projections: array(ref('ProjectionStatus')), jobs: array(ref('RebuildJob')) }),
  AuditEntry: object({
    revision: str(),
    position: str(),
    eventId: str(),
    type: str(),
    data: anyObject('The event as stored'),
    actor: object({ id: str(), role: str() }),
    occurredAt: str('Business time'),
    recordedAt: str('When the event store recorded it'),
    commandId: str(),
    correlationId: str(),
    causationId: str(),
    schemaVersion: int(),
  }),
  CustomerHistoryPage: object({ customerId: str(), stream: str(), events: array(ref('AuditEntry')), nextFromRevision: nullable(str('Pass as fromRevision for the next page; null at the end')) }),
};

/** The GraphQL type each view, report and the effect report answer with over REST. */
export const GRAPHQL_ANSWERS: Readonly<Record<string, string>> = {
  'GET /churn-risk': 'ChurnRiskPage',
  'GET /renewal-pipeline': 'RenewalPipelinePage',
  'GET /reps/{repId}/worklist': 'Worklist',
  'GET /reps/{repId}/kpis': 'RepKpis',
  'GET /kpis': 'TeamKpis',
  'GET /leaderboards/spend-increase': 'SpendLeaderboard',
  'GET /reports/feedback': 'WeeklyFeedback',
  'GET /reports/visit-quality': 'VisitQuality',
  'GET /reports/capacity': 'Capacity',
  'GET /customers/{customerId}/effect-report': 'EffectReport',
  'GET /customers': 'CustomerListPage',
  'GET /customers/{customerId}': 'CustomerProfile',
  'GET /customers/{customerId}/timeline': 'CustomerTimeline',
};

/** The GraphQL type of each item of the REST answers that are lists. */
export const GRAPHQL_LIST_ANSWERS: Readonly<Record<string, string>> = {
  'GET /reps': 'RepListItem',
  'GET /groups': 'GroupListItem',
};

/** Answers described by the schemas above. */
const OWN_ANSWERS: Readonly<Record<string, Schema>> = {
  'GET /health': ref('Health'),
  'GET /health/live': ref('Liveness'),
  'GET /health/ready': ref('Readiness'),
  'GET /admin/projections': ref('ProjectionsOverview'),
  'POST /admin/projections/rebuild': ref('RebuildJob'),
  'POST /admin/projections/{name}/rebuild': ref('RebuildJob'),
  'POST /admin/projections/{name}/verify': ref('RebuildJob'),
  'POST /admin/projections/{name}/parked-events': ref('ParkedEvent'),
  'GET /admin/projections/jobs/{id}': ref('RebuildJob'),
  'GET /admin/customers/{customerId}/history': ref('CustomerHistoryPage'),
};

/**
 * Fields REST answers in another JSON type than GraphQL can: a pipeline window is a number of days or "ended" (a
 * GraphQL field has one type, so GraphQL answers it as text).
 */
const REST_FIELDS: Readonly<Record<string, Readonly<Record<string, SchemaObject>>>> = {
  PipelineRow: { window: { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['ended'] }], description: 'The smallest window holding daysToEnd: a configured window in days (15, 30, 90 by default) or "ended" (ended within the grace period)' } },
  PipelineWindowSummary: { window: { oneOf: [{ type: 'integer' }, { type: 'string', enum: ['ended'] }], description: 'The window: a configured window in days, or "ended"' } },
};

/** The CSV form of a list view or report (asked for with Accept: text/csv). */
const CSV_ANSWER = {
  schema: { type: 'string' as const, description: 'UTF-8 with a byte-order mark, CRLF line ends; one row per item, nested figures as dotted columns, a section column where the answer has several tables' },
};

const HTML_ANSWERS = new Set(['GET /customers/{customerId}/effect-report.html']);

/** The OpenAPI schema of a GraphQL output type; object types become references, added to `out` with theirs. */
const fromGraphql = (type: GraphQLOutputType, out: Record<string, SchemaObject>): SchemaObject => {
  const inner = (t: GraphQLOutputType): Schema => {
    if (isNonNullType(t)) return inner(t.ofType);
    if (isListType(t)) return array(required(t.ofType));
    const named = getNamedType(t);
    if (isScalarType(named)) {
      switch (named.name) {
        case 'Int':
          return int();
        case 'Float':
          return num();
        case 'Boolean':
          return bool();
        default:
          return str();
      }
    }
    if (isEnumType(named)) return { type: 'string', enum: named.getValues().map((value) => value.value as string) };
    if (isObjectType(named) || isInterfaceType(named)) {
      if (!(named.name in out)) {
        out[named.name] = {};
        const properties: Record<string, Schema> = {};
        const requiredFields: string[] = [];
        for (const field of Object.values(named.getFields())) {
          const schema = required(field.type);
          properties[field.name] = field.description ? withDescription(schema, field.description) : schema;
          if (isNonNullType(field.type)) requiredFields.push(field.name);
        }
        // OpenAPI 3.0 refuses an empty list of required fields.
        out[named.name] = { type: 'object', ...(named.description ? { description: named.description } : {}), properties, ...(requiredFields.length > 0 ? { required: requiredFields } : {}) };
      }
      return ref(named.name);
    }
    throw new Error(`No OpenAPI schema for the GraphQL type ${named.name}`);
  };
  /** A nullable GraphQL type is a nullable schema (a reference is wrapped, as OpenAPI 3.0 cannot mark one nullable). */
  const required = (t: GraphQLOutputType): Schema => {
    const schema = inner(t);
    if (isNonNullType(t)) return schema;
    return '$ref' in schema ? { allOf: [schema], nullable: true } : { ...schema, nullable: true };
  };
  return inner(type) as SchemaObject;
};

const withDescription = (schema: Schema, description: string): Schema => ('$ref' in schema ? { allOf: [schema], description } : { ...schema, description });

const errorContent = { 'application/json': { schema: ref(ERROR_BODY) } };

const UNAUTHENTICATED = { '401': 'No valid bearer token (missing, malformed, expired or signed with another secret)' };
const RATE_LIMITED = { '429': 'Too many heavy reads from this caller in a minute; wait for Retry-After seconds' };
const ERRORS_WITH_A_BODY: Readonly<Record<string, string>> = {
  '413': 'The body is larger than this route takes (1 MiB; 16 MiB for telemetry)',
  '415': 'The body is not JSON',
};

/** Completes the generated document (see the comment at the top of this file); throws on an answer it cannot describe. */
export const completeDocument = (document: OpenAPIObject, graphql: GraphQLSchema): OpenAPIObject => {
  const schemas: Record<string, Schema> = { ...(document.components?.schemas ?? {}) };
  const fromTypes: Record<string, SchemaObject> = {};
  for (const [name, schema] of Object.entries(OWN_SCHEMAS)) {
    if (name in schemas) throw new Error(`OpenAPI schema ${name} is defined twice`);
    schemas[name] = schema;
  }
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const methods: Record<string, unknown> = { ...item };
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const responses = { ...operation.responses } as Record<string, ResponseObject | ReferenceObject>;
      const success = Object.keys(responses).find((code) => code.startsWith('2'));
      if (!success) throw new Error(`${key} declares no success answer`);
      const answer = responses[success] as ResponseObject;
      const csv: Record<string, { schema: SchemaObject }> = CSV_ROUTES[`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`] ? { 'text/csv': CSV_ANSWER } : {};
      const typeName = GRAPHQL_ANSWERS[key] ?? GRAPHQL_LIST_ANSWERS[key];
      if (typeName) {
        const type = graphql.getType(typeName);
        if (!type || !isObjectType(type)) throw new Error(`${key} answers with the GraphQL type ${typeName}, which the schema does not have`);
        const schema = fromGraphql(type, fromTypes);
        const listed = GRAPHQL_ANSWERS[key] === undefined;
        responses[success] = { ...answer, description: answer.description || type.description || typeName, content: { 'application/json': { schema: listed ? { type: 'array', items: schema } : schema }, ...csv } };
      } else if (OWN_ANSWERS[key]) {
        responses[success] = { ...answer, description: answer.description || 'OK', content: { 'application/json': { schema: OWN_ANSWERS[key] }, ...csv } };
      } else if (HTML_ANSWERS.has(key)) {
        responses[success] = { ...answer, description: answer.description || 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } };
      }
      const isPublic = operation.security === undefined || operation.security.length === 0;
      const extra = {
        ...(isPublic ? {} : UNAUTHENTICATED),
        ...(isHeavyRead(path.replace(/\{[^}]+\}/g, 'x')) ? RATE_LIMITED : {}),
        ...(operation.requestBody ? ERRORS_WITH_A_BODY : {}),
      };
      for (const [code, description] of Object.entries(extra)) if (!(code in responses)) responses[code] = { description };
      for (const [code, response] of Object.entries(responses)) {
        if (Number(code) >= 400 && !('$ref' in response) && !response.content) responses[code] = { ...response, content: errorContent };
      }
      methods[method] = { ...operation, responses };
    }
    paths[path] = methods;
  }
  for (const [name, fields] of Object.entries(REST_FIELDS)) {
    const schema = fromTypes[name];
    if (!schema?.properties) throw new Error(`No GraphQL-derived schema ${name} to correct`);
    for (const [field, corrected] of Object.entries(fields)) {
      if (!(field in schema.properties)) throw new Error(`${name} has no field ${field} to correct`);
      schema.properties[field] = corrected;
    }
  }
  for (const [name, schema] of Object.entries(fromTypes)) {
    if (name in schemas) throw new Error(`OpenAPI schema ${name} (from the GraphQL type) clashes with another schema of that name`);
    schemas[name] = schema;
  }
  return { ...document, paths, components: { ...document.components, schemas } };
};
