import { Inject, Injectable } from '@nestjs/common';
import { type Actor, Forbidden, type Role } from '#shared-kernel';
import { REP_DIRECTORY, type RepDirectory } from './rep-directory.port';
import type { CustomerCommand, CustomerCommandType } from '../domain/customer.commands';
import type { CustomerState } from '../domain/customer.state';

const FIELD_WORK: readonly Role[] = ['rep', 'supervisor', 'manager', 'admin'];
const SUPERVISION: readonly Role[] = ['supervisor', 'manager', 'admin'];

/** Which roles may give each command. Assignment is checked on top of this for reps and supervisors. */
export const CUSTOMER_COMMAND_ROLES: Readonly<Record<CustomerCommandType, readonly Role[]>> = {
  SignCustomer: ['manager', 'admin'],
  AssignServiceRep: SUPERVISION,
  GradeCustomer: SUPERVISION,
  SetKeyAccount: SUPERVISION,
  RecordVisit: FIELD_WORK,
  ScheduleFollowUp: FIELD_WORK,
  RaiseIssue: FIELD_WORK,
  ResolveIssue: FIELD_WORK,
  CommunicateIssueResolution: FIELD_WORK,
  FileComplaint: SUPERVISION,
  ResolveComplaint: SUPERVISION,
  IntroduceBuyer: FIELD_WORK,
  SendRenewalReminder: FIELD_WORK,
  CollectRenewal: FIELD_WORK,
  RecordChurn: SUPERVISION,
};

/**
 * A rep acts only on the customers assigned to them; a supervisor on the customers of reps in their
 * group; managers and admins on every customer. Level-2 visits are supervisors' verification visits.
 */
@Injectable()
export class CustomerAccessPolicy {
  constructor(@Inject(REP_DIRECTORY) private readonly staff: RepDirectory) {}

  assertRole(actor: Actor, command: CustomerCommand): void {
    if (!CUSTOMER_COMMAND_ROLES[command.type].includes(actor.role)) {
      throw new Forbidden(`Role ${actor.role} may not ${describe(command.type)}`);
    }
    if (command.type === 'RecordVisit' && command.data.level === 2 && actor.role === 'rep') {
      throw new Forbidden('Level-2 visits are verification visits by a supervisor, manager or admin');
    }
  }

  async assertMayActOn(actor: Actor, state: CustomerState): Promise<void> {
    if (state.status === 'unknown') return;
    await this.assertMayServe(actor, state.serviceRepId, state.customerId);
  }

  /** Whether the actor may act on a customer served by `serviceRepId` (also used for a new assignment). */
  async assertMayServe(actor: Actor, serviceRepId: string, customerId: string): Promise<void> {
    switch (actor.role) {
      case 'manager':
      case 'admin':
        return;
      case 'rep':
        if (serviceRepId !== actor.id) throw new Forbidden(`Customer ${customerId} is not assigned to you`);
        return;
      case 'supervisor': {
        const [own, theirs] = await Promise.all([this.staff.groupOf(actor.id), this.staff.groupOf(serviceRepId)]);
        if (own === undefined) throw new Forbidden(`Supervisor ${actor.id} is not registered in any group`);
        if (own !== theirs) throw new Forbidden(`Customer ${customerId} is served outside your group`);
        return;
      }
      case 'analyst':
      case 'platform':
        throw new Forbidden(`Role ${actor.role} may not act on customers`);
      default: {
        const unreachable: never = actor.role;
        throw new Forbidden(`Unknown role ${String(unreachable)}`);
      }
    }
  }
}

const describe = (type: CustomerCommandType): string => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
