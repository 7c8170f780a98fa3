import { DomainError } from '../../../shared-kernel/src/errors';

/**
 * A payment reference is recorded at most once, ever, across all customers. It is reserved in a stream of
 * its own before the renewal is appended to the customer's stream (the reservation pattern), so two
 * customers can never both count the same money.
 */
export interface PaymentReferenceReserved {
  readonly type: 'PaymentReferenceReserved';
  readonly data: { readonly paymentReference: string; readonly customerId: string; readonly commandId: string };
}

export type Reservation = PaymentReferenceReserved['data'] | undefined;

export const PAYMENT_REFERENCE_CATEGORY = 'paymentReference';

/**
 * Decides whether this command may use the reference: free → reserve it; reserved by this command →
 * nothing to do; reserved by an earlier attempt for the same customer that never recorded a renewal with it
 * (`customerHasIt` false) → take it over; anything else is a second use.
 */
export const decideReservation = (
  reservation: Reservation,
  request: { paymentReference: string; customerId: string; commandId: string; customerHasIt: boolean },
): readonly PaymentReferenceReserved[] | DomainError => {
  if (reservation === undefined) {
    return [
      {
        type: 'PaymentReferenceReserved',
        data: { paymentReference: request.paymentReference, customerId: request.customerId, commandId: request.commandId },
      },
    ];
  }
  if (reservation.customerId === request.customerId && (reservation.commandId === request.commandId || !request.customerHasIt)) return [];
  return new DomainError('PAYMENT_REFERENCE_ALREADY_USED', `Payment reference ${request.paymentReference} is already recorded`, {
    paymentReference: request.paymentReference,
  });
};
