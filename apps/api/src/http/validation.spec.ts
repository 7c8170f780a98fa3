import 'reflect-metadata';
import { type ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { ChurnRiskQuery } from '#views';
import { ACCEPTED_QUERIES_KEPT, validationPipe } from './validation';

const QUERY: ArgumentMetadata = { type: 'query', metatype: ChurnRiskQuery };

/** The pipe's answer, or the fields of the 400 it throws. */
const outcome = async (value: unknown): Promise<unknown> => {
  try {
    return await validationPipe.transform(value, QUERY);
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return error.getResponse();
  }
};

describe('validation of query strings: accepted ones kept', () => {
  let classValidator: jest.SpyInstance;
  beforeEach(() => {
    classValidator = jest.spyOn(ValidationPipe.prototype, 'transform');
  });
  afterEach(() => classValidator.mockRestore());

  it('answers a query string met before with an equal, separate instance, without validating it again', async () => {
    const raw = { asOf: '2026-03-10', limit: '20', level: 'high' };
    const first = (await validationPipe.transform({ ...raw }, QUERY)) as ChurnRiskQuery;
    first.limit = 999;
    const second = (await validationPipe.transform({ ...raw }, QUERY)) as ChurnRiskQuery;
    expect(classValidator).toHaveBeenCalledTimes(1);
    expect(second).toBeInstanceOf(ChurnRiskQuery);
    expect(second).not.toBe(first);
    // What class-validator itself answers for the same query string.
    expect(second).toStrictEqual(await ValidationPipe.prototype.transform.call(validationPipe, { ...raw }, QUERY));
    expect(second.limit).toBe(20);
  });

  it('sends every refused query string to class-validator again, with the same errors each time', async () => {
    const raw = { asOf: '2026-02-30', limit: '0' };
    const first = await outcome({ ...raw });
    const second = await outcome({ ...raw });
    expect(second).toStrictEqual(first);
    expect(first).toStrictEqual({
      code: 'VALIDATION_FAILED',
      message: 'asOf must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31; limit must not be less than 1',
      details: {
        fields: [
          { field: 'asOf', problems: ['asOf must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31'] },
          { field: 'limit', problems: ['limit must not be less than 1'] },
        ],
      },
    });
    expect(classValidator).toHaveBeenCalledTimes(2);
  });

  it('keeps a bounded number per query type, the oldest let go first', async () => {
    // Unknown fields are refused, so the distinct query strings vary a known field.
    const distinct = (n: number) => ({ asOf: '2026-03-10', repId: `rep-${n}` });
    for (let n = 0; n <= ACCEPTED_QUERIES_KEPT; n += 1) await validationPipe.transform(distinct(n), QUERY);
    classValidator.mockClear();
    await validationPipe.transform(distinct(ACCEPTED_QUERIES_KEPT), QUERY);
    expect(classValidator).toHaveBeenCalledTimes(0);
    await validationPipe.transform(distinct(0), QUERY);
    expect(classValidator).toHaveBeenCalledTimes(1);
  });
});
