import { csvCell, csvRows, flatten, prefersCsv, toCsv } from './csv';

describe('CSV for the list views and reports', () => {
  it('quotes a cell only when it holds a comma, a quote, a line break or leading or trailing space, doubling quotes', () => {
    expect([csvCell('plain'), csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell('cr\r'), csvCell(' padded'), csvCell('杭州阀门')]).toStrictEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
      '" padded"',
      '杭州阀门',
    ]);
  });

  it('writes numbers, booleans and nothing as such, and keeps text a spreadsheet would run as a formula from running', () => {
    expect([csvCell(-2.5), csvCell(0), csvCell(true), csvCell(false), csvCell(null)]).toStrictEqual(['-2.5', '0', 'true', 'false', '']);
    expect([csvCell('=HYPERLINK("x")'), csvCell('+1'), csvCell('-1'), csvCell('@SUM(A1)'), csvCell('\tx'), csvCell('a=b')]).toStrictEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      'a=b',
    ]);
  });

  it('flattens nested figures into dotted columns and lists into one cell', () => {
    expect(flatten({ id: 'r1', workload: { points: { phone: 2 }, total: 2, fineFen: null }, reasons: [{ code: 'no_login', points: 20 }, { code: 'dormant', points: 10 }], tags: ['a', 'b'], none: [] })).toStrictEqual({
      id: 'r1',
      'workload.points.phone': 2,
      'workload.total': 2,
      'workload.fineFen': null,
      reasons: 'no_login / 20; dormant / 10',
      tags: 'a; b',
      none: '',
    });
  });

  it('takes the rows of one table, several tables with their section, or the answer itself', () => {
    expect(csvRows({ total: 2, items: [{ id: 'a' }, { id: 'b' }] }, ['items'])).toStrictEqual([{ id: 'a' }, { id: 'b' }]);
    expect(csvRows({ regular: [{ rank: 1 }], keyAccounts: [], groups: [{ rank: 1, reps: 2 }] }, ['regular', 'keyAccounts', 'groups'])).toStrictEqual([
      { section: 'regular', rank: 1 },
      { section: 'groups', rank: 1, reps: 2 },
    ]);
    expect(csvRows({ multiHead: { list: [{ customerId: 'c' }] } }, ['multiHead.list'])).toStrictEqual([{ customerId: 'c' }]);
    expect(csvRows({ repId: 'r', calls: 3 }, [''])).toStrictEqual([{ repId: 'r', calls: 3 }]);
    expect(csvRows([{ id: 'g1' }, { id: 'g2' }], [''])).toStrictEqual([{ id: 'g1' }, { id: 'g2' }]);
    expect(csvRows({ items: null }, ['items'])).toStrictEqual([]);
  });

  it('writes a byte-order mark, a header of every column in the order first met, and CRLF line ends', () => {
    expect(toCsv([{ a: 1, b: 'x' }, { a: 2, c: true }])).toBe('\uFEFFa,b,c\r\n1,x,\r\n2,,true\r\n');
    expect(toCsv([])).toBe('\uFEFF\r\n');
  });

  it('answers CSV when the caller prefers it to JSON', () => {
    expect([prefersCsv('text/csv'), prefersCsv('text/csv, application/json'), prefersCsv('application/json;q=0.5, text/csv'), prefersCsv('TEXT/CSV;q=0.9')]).toStrictEqual([true, true, true, true]);
    expect([prefersCsv(undefined), prefersCsv(''), prefersCsv('application/json'), prefersCsv('*/*'), prefersCsv('application/json, text/csv'), prefersCsv('text/csv;q=0'), prefersCsv('text/csv;q=0.4, application/json;q=0.5')]).toStrictEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
