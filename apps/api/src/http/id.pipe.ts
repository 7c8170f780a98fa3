import { Injectable, PipeTransform } from '@nestjs/common';
import { BadRequest, isId } from '#shared-kernel';

/** Path ids follow the same rule as body ids. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isId(value)) throw new BadRequest('VALIDATION_FAILED', `"${String(value).slice(0, 80)}" is not a valid id`);
    return value;
  }
}
