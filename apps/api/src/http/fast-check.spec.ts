import 'reflect-metadata';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { fastCheckedTypes, fastFieldsOf, type FieldSpec, fastValidate } from '#fields';
import { AppModule } from '../app.module';
import { RecordVisitDto } from '../customers/customer.dto';
import { SpendBatchDto, UsageBatchDto } from '../telemetry/telemetry.controller';
import { validationPipe } from './validation';

/**
 * The hand-written check of request bodies must never accept what class-validator refuses, and must answer exactly the
 * instance class-validator's transform does. Every DTO of the API whose fields are all field decorators is tried with a
 * valid body, with only its required fields, and broken at every field, at and across every edge.
 */
type Class = new () => object;
type Outcome = { ok: true; value: unknown } | { ok: false };

const classValidator = async (type: Class, body: unknown): Promise<Outcome> => {
  const metadata: ArgumentMetadata = { type: 'body', metatype: type };
  try {
    // The pipe's own class-validator path, without the fast check in front of it.
    return { ok: true, value: await ValidationPipe.prototype.transform.call(validationPipe, body, metadata) };
  } catch {
    return { ok: false };
  }
};

const validValue = (spec: FieldSpec): unknown => {
  switch (spec.kind) {
    case 'id':
      return 'a-1';
    case 'day':
      return '2026-03-02';
    case 'instant':
      return '2026-03-02T01:02:03.004Z';
    case 'bool':
      return true;
    case 'int':
      return spec.min;
    case 'money':
      return Math.max(spec.min, 12.34);
    case 'enum':
      return spec.values[0];
    case 'text':
      return 'A visit, 很好.';
    case 'nested':
      return validBody(spec.type(), 'all');
    case 'array':
      return Array.from({ length: Math.max(1, spec.min) }, () => validBody(spec.type(), 'all'));
  }
};

const validBody = (type: Class, which: 'all' | 'required'): Record<string, unknown> =>
  Object.fromEntries([...fastFieldsOf(type)!].filter(([, f]) => which === 'all' || !f.optional).map(([key, f]) => [key, validValue(f.spec)]));

/** Values at and across each kind's edges; the ones marked `conservative` the fast check leaves to class-validator. */
const edges = (spec: FieldSpec): { value: unknown; conservative?: boolean }[] => {
  const common = [null, undefined, {}, [], 'x', 0, true].map((value) => ({ value }));
  switch (spec.kind) {
    case 'id':
      return [...common, ...['a', 'A'.repeat(64), 'A'.repeat(65), '', '-a', '_a', 'a b', 'é', 'a\n', 7].map((value) => ({ value }))];
    case 'day':
      return [...common, ...['2000-01-01', '1999-12-31', '2099-12-31', '2100-01-01', '2024-02-29', '2026-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', 20260101].map((value) => ({ value }))];
    case 'instant':
      return [
        ...common,
        ...[
          '2026-03-02T01:02:03Z',
          '2026-03-02T01:02:03.1Z',
          '2026-03-02T23:59:59.999Z',
          '2026-03-02T24:00:00Z',
          '2026-03-02T12:60:00Z',
          '2026-02-29T01:00:00Z',
          '2024-02-29T01:00:00Z',
          '1999-12-31T23:00:00Z',
          '2000-01-01T00:00:00Z',
          '2099-12-31T23:59:59Z',
          '2100-01-01T00:00:00Z',
        ].map((value) => ({ value })),
        // Other ISO-8601 forms class-validator takes (a date alone, an offset, no seconds): left to it.
        ...['2026-03-02', '2026-03-02T01:02:03+08:00', '2026-03-02T01:02Z', '2026-03-02 01:02:03Z'].map((value) => ({ value, conservative: true })),
      ];
    case 'bool':
      return [...common, ...[false, 'true', 1].map((value) => ({ value }))];
    case 'int':
      return [...common, ...[spec.min, spec.min - 1, spec.max, spec.max + 1, -0, 1.5, Number.MAX_SAFE_INTEGER, '1', NaN].map((value) => ({ value }))];
    case 'money':
      return [...common, ...[spec.min, spec.min - 0.01, 0, 0.01, 0.1 + 0.2, 12.345, 1e-7, spec.max, spec.max + 0.01, 1e21, '1'].map((value) => ({ value }))];
    case 'enum':
      return [...common, ...[...spec.values, 'other', String(spec.values[0]).toUpperCase(), Number(spec.values[0]) || 99].map((value) => ({ value }))];
    case 'text':
      return [
        ...common,
        ...['', ' ', '\u200b', 'a\nb', 'a\tb', 'x'.repeat(spec.max), 'x'.repeat(spec.max + 1), '\u0000x'].map((value) => ({ value })),
        // Counted by class-validator as fewer characters than UTF-16 units: left to it.
        { value: '😀'.repeat(Math.floor(spec.max / 2) + 1), conservative: true },
      ];
    case 'nested':
      return [...common, { value: { ...validBody(spec.type(), 'all'), extra: 1 } }];
    case 'array':
      return [
        ...common,
        ...[[], [null], [validBody(spec.type(), 'all'), 'x'], Array.from({ length: spec.max + 1 }, () => validBody(spec.type(), 'required'))].map((value) => ({ value })),
      ];
  }
};

interface Case {
  readonly name: string;
  readonly body: unknown;
  readonly conservative: boolean;
}

const casesOf = (type: Class): Case[] => {
  const fields = fastFieldsOf(type)!;
  const out: Case[] = [
    { name: 'every field', body: validBody(type, 'all'), conservative: false },
    { name: 'the required fields', body: validBody(type, 'required'), conservative: false },
    { name: 'an unknown field', body: { ...validBody(type, 'all'), unknownField: 1 }, conservative: false },
    { name: 'a body that is an array', body: [validBody(type, 'all')], conservative: false },
    // The pipe reads a missing body as {} (valid when every field is optional): left to it.
    { name: 'a body that is null', body: null, conservative: true },
  ];
  for (const [key, { spec }] of fields) {
    const { [key]: _, ...without } = validBody(type, 'all');
    out.push({ name: `without ${key}`, body: without, conservative: false });
    for (const { value, conservative } of edges(spec)) {
      const shown = JSON.stringify(value) ?? String(value);
      out.push({ name: `${key} = ${shown.length > 40 ? `${shown.slice(0, 37)}…` : shown}`, body: { ...validBody(type, 'all'), [key]: value }, conservative: conservative === true });
    }
  }
  return out;
};

// Loading the application module loads every controller and its DTOs.
void AppModule;
const types = fastCheckedTypes().filter((type) => fastFieldsOf(type) !== null) as Class[];

describe('the fast check of request bodies', () => {
  it('covers the hot routes’ bodies', () => {
    for (const type of [RecordVisitDto, UsageBatchDto, SpendBatchDto]) expect([type.name, types.includes(type)]).toStrictEqual([type.name, true]);
    expect(types.length).toBeGreaterThan(20);
  });

  describe.each(types.map((type) => [type.name, type] as const))('%s: agrees with class-validator', (_, type) => {
    it.each(casesOf(type).map((c) => [c.name, c] as const))('%s', async (__, { body, conservative }) => {
      const fast = fastValidate(type, body);
      const slow = await classValidator(type, body);
      if (fast !== undefined) {
        // Never accepts what class-validator refuses, and answers the same instance.
        expect(slow.ok).toBe(true);
        expect(fast).toStrictEqual((slow as { value: unknown }).value);
      } else if (!conservative) {
        // And leaves nothing valid to the slow path but the cases it knowingly leaves there.
        expect(slow.ok).toBe(false);
      }
    });
  });
});
