/**
 * Field decorators: what one field of a REST body or query string, or of a GraphQL argument, accepts (validated by
 * class-validator, documented in the OpenAPI document), shared by the API's controllers and the views' REST types.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#fields`).
 */
export { ArrayField, BoolField, DayField, EnumField, IdField, InstantField, IntField, MoneyField, NestedField, TextField, toFen } from './fields';
export { fastCheckedTypes, fastFieldsOf, fastValidate } from './fast-check';
export type { FastFieldSpec, FieldSpec } from './fast-check';
