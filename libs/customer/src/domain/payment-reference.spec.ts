import { DomainError } from '#shared-kernel';
import { decideReservation, paymentReferenceKey } from './payment-reference';

describe('payment reference key', () => {
  it.each([
    ['PAY-F1', 'PAY-F1'],
    ['pay-f1', 'PAY-F1'],
    ['PAY-F1\u200b', 'PAY-F1'],
    ['\u200bPAY-F1', 'PAY-F1'],
    ['ＰＡＹ-F1', 'PAY-F1'],
    ['PAY‐F1', 'PAY-F1'],
    ['PAY–F1', 'PAY-F1'],
    ['PAY\u2212F1', 'PAY-F1'],
    ['PAY-F1\u0000', 'PAY-F1'],
    ['PAY\u00adF1', 'PAYF1'],
    ['  BANK  2027\t000123 ', 'BANK 2027 000123'],
    ['BANK\u00a02027', 'BANK 2027'],
    ['BANK \u200b 2027', 'BANK 2027'],
    ['收款-2027-0001', '收款-2027-0001'],
  ])('reads %j as %j', (reference, key) => expect(paymentReferenceKey(reference)).toBe(key));

  it.each(['', '   ', '\t', '\u200b', '\u200d\ufeff', '\u0000'])('is empty for %j, which shows nothing', (reference) => expect(paymentReferenceKey(reference)).toBe(''));

  it('keeps references that differ in what they show apart', () => {
    expect(paymentReferenceKey('PAY-F1')).not.toBe(paymentReferenceKey('PAY-F2'));
    expect(paymentReferenceKey('PAY-F1')).not.toBe(paymentReferenceKey('PAYF1'));
    expect(paymentReferenceKey('PAY F1')).not.toBe(paymentReferenceKey('PAYF1'));
  });
});

describe('payment reference reservation', () => {
  const request = { paymentReference: 'PAY-1', customerId: 'c-1', commandId: 'cmd-1', customerHasIt: false };

  it('reserves a free reference', () => {
    expect(decideReservation(undefined, request)).toEqual([
      { type: 'PaymentReferenceReserved', data: { paymentReference: 'PAY-1', customerId: 'c-1', commandId: 'cmd-1' } },
    ]);
  });

  it('lets the same command through again (a retry) without a second reservation', () => {
    expect(decideReservation({ paymentReference: 'PAY-1', customerId: 'c-1', commandId: 'cmd-1' }, request)).toEqual([]);
  });

  it('lets the same customer complete an interrupted collection that never recorded the renewal', () => {
    expect(decideReservation({ paymentReference: 'PAY-1', customerId: 'c-1', commandId: 'cmd-0' }, request)).toEqual([]);
  });

  it('refuses a reference the same customer already recorded under another command', () => {
    const outcome = decideReservation({ paymentReference: 'PAY-1', customerId: 'c-1', commandId: 'cmd-0' }, { ...request, customerHasIt: true });
    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
  });

  it('refuses a reference reserved for another customer', () => {
    const outcome = decideReservation({ paymentReference: 'PAY-1', customerId: 'c-2', commandId: 'cmd-1' }, request);
    expect((outcome as DomainError).code).toBe('PAYMENT_REFERENCE_ALREADY_USED');
  });
});
