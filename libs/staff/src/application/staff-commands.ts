import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { COMMAND_EXECUTOR, CommandExecutor, CommandOutcome, streamName } from '#event-store';
import { type CommandContext, Forbidden, type Role, RuleViolation } from '#shared-kernel';
import { decideGroup, decideRep, evolveGroup, evolveRep, GROUP_CATEGORY, GroupCommand, GroupState, REP_CATEGORY, RepCommand, RepState } from '../domain/staff';
import { StaffDirectory } from './staff-directory';

export type StaffCommand = GroupCommand | RepCommand;

const STAFF_ROLES: readonly Role[] = ['manager', 'admin'];
const groupDecider = { initialState: { status: 'unknown' } as GroupState, evolve: evolveGroup, decide: decideGroup };
const repDecider = { initialState: { status: 'unknown' } as RepState, evolve: evolveRep, decide: decideRep };

export class ExecuteStaffCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: StaffCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteStaffCommand)
export class ExecuteStaffCommandHandler implements ICommandHandler<ExecuteStaffCommand, CommandOutcome> {
  constructor(
    @Inject(COMMAND_EXECUTOR) private readonly executor: CommandExecutor,
    private readonly directory: StaffDirectory,
  ) {}

  async execute({ command, context }: ExecuteStaffCommand): Promise<CommandOutcome> {
    if (!STAFF_ROLES.includes(context.actor.role)) throw new Forbidden(`Role ${context.actor.role} may not manage reps and groups`);
    switch (command.type) {
      case 'CreateGroup':
        return this.executor.execute({
          streamName: streamName(GROUP_CATEGORY, command.data.groupId),
          decider: groupDecider,
          command,
          context,
        });
      case 'RegisterRep':
      case 'MoveRepToGroup': {
        const group = await this.directory.group(command.data.groupId);
        if (group.status === 'unknown') {
          throw new RuleViolation('GROUP_NOT_FOUND', `Group ${command.data.groupId} does not exist; create it first`, {
            groupId: command.data.groupId,
          });
        }
        return this.executor.execute({
          streamName: streamName(REP_CATEGORY, command.data.repId),
          decider: repDecider,
          command,
          context,
          notFoundCodes: ['REP_NOT_FOUND'],
        });
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }
}
