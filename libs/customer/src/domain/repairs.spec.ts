import { visitWithoutIncompleteEffect } from './repairs';

describe('repairs on read: a visit with an incomplete effect', () => {
  const visit = { customerId: 'c-1', visitId: 'v-1', summary: 'called' };

  it.each([[[]], [null], [{}], ['3'], [{ calls: 1, inquiries: 1 }], [{ calls: -1, inquiries: 0, deals: 0 }], [{ calls: 1.5, inquiries: 0, deals: 0 }]])(
    'reads effect %j as no effect reported',
    (effect) => expect(visitWithoutIncompleteEffect({ ...visit, effect })).toStrictEqual(visit),
  );

  it('leaves a whole effect (zeros included) and a visit without one alone', () => {
    expect(visitWithoutIncompleteEffect({ ...visit, effect: { calls: 0, inquiries: 0, deals: 0 } })).toBeUndefined();
    expect(visitWithoutIncompleteEffect({ ...visit, effect: { calls: 2, inquiries: 5, deals: 1 } })).toBeUndefined();
    expect(visitWithoutIncompleteEffect(visit)).toBeUndefined();
  });
});
