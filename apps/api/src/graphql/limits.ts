import { GraphQLError, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * What one GraphQL document may ask for. The largest query the service's own clients send (an effect report with
 * every field) is about 400 tokens, 4 levels deep, with no aliases; these limits leave room for that several times
 * over and refuse, before anything runs, the documents that made the service spend seconds and gigabytes
 * (thousands of aliased `__schema` blocks, hundreds of aliased `churnRisk` fields).
 */
export const GRAPHQL_LIMITS = {
  /** Tokens in the document: bounds the work of parsing and of the standard validation rules. */
  maxTokens: 3_000,
  /** Levels of nested selections. */
  maxDepth: 8,
  /** Fields asked for under another name. */
  maxAliases: 10,
  /** Fields in the whole operation (fragments counted where they are spread). */
  maxFields: 300,
  /** Introspection roots (`__schema`, `__type`): one is enough for any tool. */
  maxIntrospections: 1,
} as const;

const refuse = (context: ValidationContext, message: string, code: string): void =>
  context.reportError(new GraphQLError(message, { extensions: { code, status: 400 } }));

/** Counts aliases, fields and introspection roots of the document and refuses it past the limits, with the figures. */
export const costRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  let aliases = 0;
  let fields = 0;
  let introspections = 0;
  return {
    Field(node) {
      fields += 1;
      if (node.alias) aliases += 1;
      if (node.name.value === '__schema' || node.name.value === '__type') introspections += 1;
    },
    Document: {
      leave() {
        if (aliases > GRAPHQL_LIMITS.maxAliases) refuse(context, `A query may use at most ${GRAPHQL_LIMITS.maxAliases} aliases; this one uses ${aliases}`, 'GRAPHQL_TOO_MANY_ALIASES');
        if (fields > GRAPHQL_LIMITS.maxFields) refuse(context, `A query may ask for at most ${GRAPHQL_LIMITS.maxFields} fields; this one asks for ${fields}`, 'GRAPHQL_TOO_MANY_FIELDS');
        if (introspections > GRAPHQL_LIMITS.maxIntrospections) {
          refuse(context, `A query may introspect the schema at most once; this one does ${introspections} times`, 'GRAPHQL_TOO_MANY_INTROSPECTIONS');
        }
      },
    },
  };
};
