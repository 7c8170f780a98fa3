import { DomainError } from '../../../shared-kernel/src/errors';
import { decideReservation } from './payment-reference';

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
