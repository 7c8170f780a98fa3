import { anyText, bool, decodeEvent, isoDay, num, object, oneOf, optional, ShapeMismatch, text } from './shapes';

const mismatchOf = (run: () => unknown): { path: string; expected: string; message: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof ShapeMismatch) return { path: error.path, expected: error.expected, message: error.message };
    throw error;
  }
  throw new Error('no mismatch');
};

describe('shapes of event data', () => {
  it('a text is a non-empty string; any text may be empty; neither is another type', () => {
    expect(text('a', 'id')).toBe('a');
    expect(mismatchOf(() => text('', 'id'))).toStrictEqual({ path: 'id', expected: 'a non-empty string', message: 'id is not a non-empty string' });
    expect(mismatchOf(() => text(1, 'id')).expected).toBe('a non-empty string');
    expect(anyText('', 'note')).toBe('');
    expect(mismatchOf(() => anyText(null, 'note'))).toStrictEqual({ path: 'note', expected: 'a string', message: 'note is not a string' });
  });

  it('an ISO day is YYYY-MM-DD with a month 01–12 and a day 01–31', () => {
    for (const day of ['2024-01-01', '2024-12-31', '0001-01-31']) expect(isoDay(day, 'on')).toBe(day);
    for (const day of ['2024-13-01', '2024-00-10', '2024-01-32', '2024-1-01', '2024-01-01T00:00', 20240101]) {
      expect(mismatchOf(() => isoDay(day, 'on'))).toStrictEqual({ path: 'on', expected: 'an ISO day', message: 'on is not an ISO day' });
    }
  });

  it('a number is finite; a boolean is true or false', () => {
    expect(num(0, 'n')).toBe(0);
    expect(num(-2.5, 'n')).toBe(-2.5);
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '1', null]) expect(mismatchOf(() => num(value, 'n')).message).toBe('n is not a number');
    expect(bool(false, 'b')).toBe(false);
    expect(mismatchOf(() => bool(0, 'b')).message).toBe('b is not a boolean');
  });

  it('one of names every value it accepts', () => {
    const level = oneOf([1, 2] as const);
    expect(level(2, 'level')).toBe(2);
    expect(mismatchOf(() => level('2', 'level')).message).toBe('level is not one of 1, 2');
    expect(mismatchOf(() => oneOf(['a', 'b'])('c', 'kind')).message).toBe('kind is not one of a, b');
  });

  it('an optional field may be absent, but not of another type', () => {
    const maybe = optional(text);
    expect(maybe.optional).toBe(true);
    expect(maybe(undefined, 'note')).toBeUndefined();
    expect(maybe('x', 'note')).toBe('x');
    expect(mismatchOf(() => maybe('', 'note')).message).toBe('note is not a non-empty string');
  });

  it('an object checks each field by its dotted path and answers the same object, other fields kept', () => {
    const shape = object({ id: text, term: object({ start: isoDay, end: isoDay }), note: optional(anyText) });
    const value = { id: 'c1', term: { start: '2024-01-01', end: '2024-12-31' }, extra: 7 };
    expect(shape(value, '')).toBe(value);
    expect(mismatchOf(() => shape({ id: 'c1', term: { start: '2024-01-01', end: 'soon' } }, '')).message).toBe('term.end is not an ISO day');
    expect(mismatchOf(() => shape({ id: 'c1', term: [] }, '')).message).toBe('term is not an object');
    expect(mismatchOf(() => shape(null, '')).message).toBe('data is not an object');
    expect(mismatchOf(() => shape({ term: { start: '2024-01-01', end: '2024-12-31' } }, '')).message).toBe('id is not a non-empty string');
  });

  it('decodes an event by its type, naming the event, its position and the field that does not fit', () => {
    const shapes = { Ping: object({ id: text }), Pong: object({ on: isoDay }) };
    const ping = { type: 'Ping', data: { id: 'p1' }, position: 3n, streamName: 's' };
    expect(decodeEvent(shapes, ping)).toBe(ping);
    expect(() => decodeEvent(shapes, { type: 'Pong', data: { on: 'today' }, position: 9n })).toThrow(new Error('Pong at position 9: on is not an ISO day'));
    expect(() => decodeEvent(shapes, { type: 'Pong', data: 'x', position: 9n })).toThrow(new Error('Pong at position 9: data is not an object'));
    expect(() => decodeEvent(shapes, { type: 'Pang', data: {}, position: 1n })).toThrow(new Error('Pang at position 1 is not an event of Ping, Pong'));
  });
});
