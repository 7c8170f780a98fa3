import 'reflect-metadata';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { validationPipe } from '../http/validation';
import { DailySpendDto, DailyUsageDto, SpendBatchDto, UsageBatchDto } from './telemetry.controller';

/**
 * The hand-written check of telemetry batches must accept exactly what class-validator accepts, and answer the same
 * value. Both are run on valid batches and on batches broken at every field, at and across every edge.
 */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const classValidator = async (type: typeof UsageBatchDto | typeof SpendBatchDto, body: unknown): Promise<Outcome> => {
  const metadata: ArgumentMetadata = { type: 'body', metatype: type };
  try {
    // The pipe's own class-validator path, without the fast check in front of it.
    return { ok: true, value: await ValidationPipe.prototype.transform.call(validationPipe, body, metadata) };
  } catch (error) {
    return { ok: false, error };
  }
};

const usage = (i: number): Record<string, unknown> => ({ customerId: `c-${i}`, day: '2026-03-02', logins: i % 4, shopViews: 40 + i, adClicks: 0, inquiriesReceived: 1, inquiriesUnread: 0, messagesUnanswered: 1_000_000_000 });
const spend = (i: number): Record<string, unknown> => ({ customerId: `C_${i}.x:y`, day: '2099-12-31', spend: i === 0 ? 0 : 10.25 * i, clicks: i, activeKeywords: 3 });

const ID_EDGES: unknown[] = ['a', 'A'.repeat(64), 'A'.repeat(65), '', '-a', '_a', 'a b', 'é', 'a\n', 7, null, ['a'], { id: 'a' }];
const DAY_EDGES: unknown[] = ['2000-01-01', '1999-12-31', '2099-12-31', '2100-01-01', '2024-02-29', '2026-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', 20260101, null, ''];
const COUNT_EDGES: unknown[] = [0, -0, 1, 1_000_000_000, 1_000_000_001, -1, 1.5, 1e-9, Number.MAX_SAFE_INTEGER, '1', true, null, [], {}];
const SPEND_EDGES: unknown[] = [0, 0.01, 0.1 + 0.2, 12.34, 0.001, 1e-7, -0.01, 10_000_000_000, 10_000_000_000.01, 1e21, '1', null, false];
const edgesFor = (field: string): unknown[] => (field === 'customerId' ? ID_EDGES : field === 'day' ? DAY_EDGES : field === 'spend' ? SPEND_EDGES : COUNT_EDGES);

const cases = (record: (i: number) => Record<string, unknown>): [string, unknown][] => {
  const valid = (n: number) => ({ records: Array.from({ length: n }, (_, i) => record(i)) });
  const out: [string, unknown][] = [
    ['one record', valid(1)],
    ['50 records', valid(50)],
    ['20,000 records', valid(20_000)],
    ['20,001 records', valid(20_001)],
    ['no records', valid(0)],
    ['records not an array', { records: record(0) }],
    ['no records field', {}],
    ['a field beside records', { ...valid(1), extra: 1 }],
    ['a body that is an array', [record(0)]],
    ['a body that is null', null],
    ['a record that is null', { records: [record(0), null] }],
    ['a record that is an array', { records: [record(0), [record(1)]] }],
    ['a record that is a string', { records: ['x'] }],
    ['a record with an extra field', { records: [{ ...record(0), note: 'x' }] }],
    ['a record with a field undefined', { records: [{ ...record(0), day: undefined }] }],
  ];
  for (const field of Object.keys(record(0))) {
    const { [field]: _, ...without } = record(1);
    out.push([`a record without ${field}`, { records: [record(0), without] }]);
    for (const edge of edgesFor(field)) out.push([`${field} = ${JSON.stringify(edge)}`, { records: [record(0), { ...record(1), [field]: edge }] }]);
  }
  return out;
};

describe.each([
  ['usage', UsageBatchDto, DailyUsageDto, usage],
  ['spend', SpendBatchDto, DailySpendDto, spend],
] as const)('the %s batch: the fast check and class-validator agree', (_, Batch, Record, record) => {
  it.each(cases(record))('%s', async (__, body) => {
    const fast = Batch.fastValidate(body);
    const slow = await classValidator(Batch, body);
    expect(fast !== undefined).toBe(slow.ok);
    if (!slow.ok || fast === undefined) return;
    expect(fast).toStrictEqual(slow.value);
    expect(fast).toBeInstanceOf(Batch);
    expect(fast.records.every((r: object) => r instanceof Record)).toBe(true);
  });

  it('refuses through the pipe with class-validator’s own error', async () => {
    const body = { records: [record(0), { ...record(1), day: '2026-02-30' }] };
    const slow = await classValidator(Batch, body);
    const error = await validationPipe.transform(body, { type: 'body', metatype: Batch }).catch((e: unknown) => e);
    expect(slow.ok).toBe(false);
    expect((error as { getResponse(): unknown }).getResponse()).toStrictEqual(((slow as { error: { getResponse(): unknown } }).error).getResponse());
    expect((error as { getResponse(): { message: string } }).getResponse().message).toBe('records[1].day must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31');
  });
});
