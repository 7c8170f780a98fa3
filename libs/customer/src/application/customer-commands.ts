import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_EXECUTOR, CommandExecutor, CommandOutcome, EVENT_STORE, eventsToAppend, EventStore, streamName, WrongExpectedRevisionError } from '#event-store';
import { type CommandContext, ConcurrencyConflict, RuleViolation } from '#shared-kernel';
import { REP_DIRECTORY, type RepDirectory } from './rep-directory.port';
import type { CustomerCommand } from '../domain/customer.commands';
import { decideCustomer } from '../domain/customer.decider';
import { CUSTOMER_CATEGORY, CustomerEvent } from '../domain/customer.events';
import { CustomerState, evolveCustomer, initialCustomerState, KnownCustomer } from '../domain/customer.state';
import { decideReservation, PAYMENT_REFERENCE_CATEGORY, paymentReferenceKey, Reservation } from '../domain/payment-reference';
import { CustomerAccessPolicy } from './customer-access.policy';

export class ExecuteCustomerCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: CustomerCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export const customerStream = (customerId: string): string => streamName(CUSTOMER_CATEGORY, customerId);
/** The reservation stream of a payment reference, named by its key, so references that are one payment share it. */
export const paymentReferenceStream = (reference: string): string =>
  streamName(PAYMENT_REFERENCE_CATEGORY, encodeURIComponent(paymentReferenceKey(reference)));

const customerDecider = { initialState: initialCustomerState, evolve: evolveCustomer, decide: decideCustomer };

@CommandHandler(ExecuteCustomerCommand)
export class ExecuteCustomerCommandHandler implements ICommandHandler<ExecuteCustomerCommand, CommandOutcome> {
  constructor(
    @Inject(COMMAND_EXECUTOR) private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: CustomerAccessPolicy,
    @Inject(REP_DIRECTORY) private readonly staff: RepDirectory,
  ) {}

  async execute({ command, context }: ExecuteCustomerCommand): Promise<CommandOutcome> {
    this.access.assertRole(context.actor, command);
    await this.checkReferencedReps(command, context);
    return this.executor.execute<CustomerCommand, CustomerEvent, CustomerState>({
      streamName: customerStream(command.data.customerId),
      decider: customerDecider,
      command,
      context,
      notFoundCodes: ['CUSTOMER_NOT_FOUND'],
      authorize: (state) => this.access.assertMayActOn(context.actor, state),
      beforeAppend:
        command.type === 'CollectRenewal'
          ? (state) => this.reservePaymentReference(command.data.paymentReference, state as KnownCustomer, context)
          : undefined,
    });
  }

  /** Reps named by a command must exist with a fitting role, and a supervisor may assign only within the group. */
  private async checkReferencedReps(command: CustomerCommand, context: CommandContext): Promise<void> {
    const mustBe = async (repId: string, field: string, roles: readonly string[]) => {
      const rep = await this.staff.rep(repId);
      if (rep.status === 'unknown') throw new RuleViolation('REP_NOT_FOUND', `${field}: rep ${repId} is not registered`, { field, repId });
      if (!roles.includes(rep.role)) {
        throw new RuleViolation('REP_ROLE_MISMATCH', `${field}: rep ${repId} is a ${rep.role} rep, expected ${roles.join(' or ')}`, { field, repId });
      }
    };
    if (command.type === 'SignCustomer') {
      await mustBe(command.data.salesRepId, 'salesRepId', ['sales']);
      await mustBe(command.data.serviceRepId, 'serviceRepId', ['service', 'supervisor']);
    }
    if (command.type === 'AssignServiceRep') {
      await mustBe(command.data.serviceRepId, 'serviceRepId', ['service', 'supervisor']);
      await this.access.assertMayServe(context.actor, command.data.serviceRepId, command.data.customerId);
    }
  }

  /**
   * Reserve the reference in its own stream before the renewal is appended. A concurrent reservation by
   * anyone else makes the append of the reservation fail, and the re-read reservation decides.
   */
  private async reservePaymentReference(reference: string, state: KnownCustomer, context: CommandContext): Promise<void> {
    const name = paymentReferenceStream(reference);
    // Reservations made before references were compared by key were named by the reference as sent.
    const legacy = streamName(PAYMENT_REFERENCE_CATEGORY, encodeURIComponent(reference));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const existing = await this.store.readStream(name, { maxCount: 1 });
      const earlier = existing.length === 0 && legacy !== name ? await this.store.readStream(legacy, { maxCount: 1 }) : [];
      const reservation = (existing[0] ?? earlier[0])?.data as Reservation;
      const decision = decideReservation(reservation, {
        paymentReference: reference,
        customerId: state.customerId,
        commandId: context.commandId,
        customerHasIt: state.paymentReferences.has(paymentReferenceKey(reference)),
      });
      if (!Array.isArray(decision)) throw RuleViolation.from(decision as never);
      if (decision.length === 0) return;
      try {
        await this.store.append(name, eventsToAppend(context, name, decision), 'no_stream',
        );
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new ConcurrencyConflict(`Payment reference ${reference} is being recorded by another request; try again`);
  }
}
