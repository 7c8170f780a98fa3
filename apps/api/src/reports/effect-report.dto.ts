import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { parseTermSelector, TERM_SELECTOR_HELP, type TermSelector } from '#reporting';
import { DayField } from '#fields';

export const TERM_DESCRIPTION =
  'Which term: "current" (default: the term in force on asOf), a term number (1 = the first term) or the start date of a term (YYYY-MM-DD)';
export const AS_OF_DESCRIPTION =
  'The business day the report is made for (default: today in the business time zone). Nothing dated later counts; a term still running counts up to it';

/** The optional `term` parameter, validated with the same reading the query uses, so a bad one answers 400 naming it. */
export const TermField = () =>
  applyDecorators(
    IsOptional(),
    ValidateBy({ name: 'isTermSelector', validator: { validate: (value: unknown) => typeof value === 'string' && parseTermSelector(value) !== undefined, defaultMessage: () => TERM_SELECTOR_HELP } }),
  );

export class EffectReportQuery {
  @ApiPropertyOptional({ type: String, description: TERM_DESCRIPTION, example: 'current' })
  @TermField()
  term?: string;

  @DayField({ optional: true, description: AS_OF_DESCRIPTION, example: '2026-03-10' })
  asOf?: string;
}

/** The term selector of a validated parameter (absent = the current term). */
export const termOf = (term: string | undefined): TermSelector => parseTermSelector(term)!;

