import { DomainError } from '#shared-kernel';

/** Stable codes for every rule a customer command can break. */
export const CustomerErrors = {
  notFound: (customerId: string) => new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`, { customerId }),
  alreadySigned: (customerId: string) =>
    new DomainError('CUSTOMER_ALREADY_SIGNED', `Customer ${customerId} is already signed`, { customerId }),
  /** A command whose data is incomplete or of the wrong shape: refused before any event could carry it. */
  malformed: (field: string, expected: string) => new DomainError('COMMAND_MALFORMED', `${field} must be ${expected}`, { field, expected }),
  invalidTerm: (term: { start: string; end: string }) =>
    new DomainError('TERM_INVALID', `A term must end after it starts (got ${term.start} to ${term.end})`, { ...term }),
  amountNotPositive: (field: string) => new DomainError('AMOUNT_NOT_POSITIVE', `${field} must be greater than 0`, { field }),
  alreadyAssigned: (repId: string) =>
    new DomainError('SERVICE_REP_ALREADY_ASSIGNED', `Service rep ${repId} is already assigned to this customer`, { repId }),
  duplicate: (what: string, id: string) =>
    new DomainError(`${what.toUpperCase()}_ALREADY_RECORDED`, `${what} ${id} is already recorded`, { id }),
  satisfactionWithoutContact: () =>
    new DomainError('SATISFACTION_REQUIRES_CONTACT', 'A satisfaction score needs a visit that reached the customer'),
  dateNotAfter: (field: string, date: string, after: string) =>
    new DomainError('DATE_NOT_IN_FUTURE', `${field} ${date} must be after ${after}`, { field, date, after }),
  unknown: (what: string, id: string) => new DomainError(`${what.toUpperCase()}_NOT_FOUND`, `${what} ${id} does not exist`, { id }),
  issueAlreadyResolved: (issueId: string) =>
    new DomainError('ISSUE_ALREADY_RESOLVED', `Issue ${issueId} is already resolved`, { issueId }),
  issueNotResolved: (issueId: string) =>
    new DomainError('ISSUE_NOT_RESOLVED', `Issue ${issueId} must be resolved before its resolution is communicated`, { issueId }),
  issueClosed: (issueId: string) =>
    new DomainError('ISSUE_ALREADY_CLOSED', `Issue ${issueId} is closed: its resolution was already communicated`, { issueId }),
  complaintAlreadyResolved: (complaintId: string) =>
    new DomainError('COMPLAINT_ALREADY_RESOLVED', `Complaint ${complaintId} is already resolved`, { complaintId }),
  notActive: (customerId: string) =>
    new DomainError('CUSTOMER_CHURNED', `Customer ${customerId} has churned; only a renewal (win-back) or a visit is possible`, {
      customerId,
    }),
  paymentReferenceUsed: (paymentReference: string) =>
    new DomainError('PAYMENT_REFERENCE_ALREADY_USED', `Payment reference ${paymentReference} is already recorded`, {
      paymentReference,
    }),
  renewalTermNotAfterCurrent: (current: { start: string; end: string }, next: { start: string; end: string }) =>
    new DomainError(
      'RENEWAL_TERM_NOT_AFTER_CURRENT',
      `The new term (${next.start} to ${next.end}) must start after the current term starts (${current.start}) and end after it ends (${current.end})`,
      { current, next },
    ),
  termNotEnded: (termEnd: string, on: string) =>
    new DomainError('TERM_NOT_ENDED', `The term ends on ${termEnd}; a lapse can be recorded only after it (asked on ${on})`, {
      termEnd,
      on,
    }),
  alreadyChurned: (customerId: string) =>
    new DomainError('CUSTOMER_ALREADY_CHURNED', `Customer ${customerId} has already churned`, { customerId }),
} as const;
