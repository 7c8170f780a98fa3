import { DomainError } from '#shared-kernel';

export interface Decider<C, E, S> {
  readonly decide: (command: C, state: S) => readonly E[] | DomainError;
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}

/** given(events).when(command).then(events) / .thenRejects(code): one pure decider, no store. */
export const deciderSpec = <C, E, S>(decider: Decider<C, E, S>) => ({
  given: (events: readonly E[]) => ({
    when: (command: C) => {
      const state = events.reduce(decider.evolve, decider.initialState);
      const outcome = decider.decide(command, state);
      return {
        then: (expected: readonly E[]) => {
          if (outcome instanceof DomainError) throw new Error(`Expected events but the command was rejected: ${outcome.code} ${outcome.message}`);
          expect(outcome).toEqual(expected);
        },
        thenRejects: (code: string) => {
          if (!(outcome instanceof DomainError)) throw new Error(`Expected rejection ${code} but got events: ${JSON.stringify(outcome)}`);
          expect(outcome.code).toBe(code);
          expect(outcome.message.length).toBeGreaterThan(0);
        },
        /** The rejection in full: code, message and details. */
        thenRejectsWith: (expected: { readonly code: string; readonly message: string; readonly details: Readonly<Record<string, unknown>> }) => {
          if (!(outcome instanceof DomainError)) throw new Error(`Expected rejection ${expected.code} but got events: ${JSON.stringify(outcome)}`);
          expect({ code: outcome.code, message: outcome.message, details: outcome.details }).toStrictEqual(expected);
        },
        thenNothing: () => {
          expect(outcome).toEqual([]);
        },
      };
    },
  }),
});
