import { DomainError } from '#shared-kernel';

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

/** Characters that only look like a hyphen-minus: dash punctuation, the minus sign and small or full-width hyphens. */
const DASHES = /[\p{Pd}\u2212]/gu;
/** Control characters and invisible formatting (zero-width spaces and joiners, direction marks, soft hyphens, BOM). */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * The form in which a payment reference is compared: Unicode NFKC (full-width letters become ASCII), invisible and
 * control characters removed, every dash a hyphen-minus, runs of white space one space, trimmed, upper case. Two
 * references with the same key are the same payment, so `PAY-F1`, `pay-f1`, `ＰＡＹ-F1`, `PAY‐F1` and `PAY-F1` with
 * a zero-width space are all one. Empty when nothing visible is left.
 */
export const paymentReferenceKey = (reference: string): string =>
  reference
    .normalize('NFKC')
    .replace(/\s/gu, ' ') // tabs and line breaks are white space before they are control characters
    .replace(INVISIBLE, '')
    .replace(DASHES, '-')
    .replace(/ +/g, ' ')
    .trim()
    .toUpperCase();

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
