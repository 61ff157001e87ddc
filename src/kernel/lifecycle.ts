// A lifecycle as data: a thing's statuses and, per action, the statuses it may be made from, where it
// leads, in which capacities (actors) it may be made, what the caller must fill in and what it does
// besides changing the status (effects, in the module's own terms). Pure: a module declares its table
// here and its service applies the effects. Dossiers use it; official documents, articles and field
// reports declare theirs the same way.

/** The vocabulary of one lifecycle. */
export interface LifecycleTypes {
  status: string;
  action: string;
  actor: string;
  /** What a move may require the caller to fill in: a note, a letter's number. */
  field: string;
  effect: unknown;
}

export interface Transition<T extends LifecycleTypes> {
  action: T['action'];
  from: readonly T['status'][];
  to: T['status'];
  /** Any one of these capacities may make the move. */
  actors: readonly T['actor'][];
  requires?: readonly T['field'][];
  effects: readonly T['effect'][];
}

export interface LifecycleDefinition<T extends LifecycleTypes> {
  statuses: readonly T['status'][];
  /** One row per action, so that an action names its move on its own; allowedActions keeps this order. */
  transitions: readonly Transition<T>[];
  /** A row's effects as made from `from`, for a rule that depends on the status left (default: the row's). */
  effectsFrom?: (transition: Transition<T>, from: T['status']) => readonly T['effect'][];
}

export type Plan<T extends LifecycleTypes> =
  | { ok: true; to: T['status']; effects: readonly T['effect'][]; actor: T['actor'] }
  | { ok: false; reason: 'NOT_FROM_THIS_STATUS' | 'ROLE_NOT_ALLOWED'; allowed: T['action'][] }
  | { ok: false; reason: 'MISSING_FIELD'; missing: T['field'][]; allowed: T['action'][] };

export interface Lifecycle<T extends LifecycleTypes> {
  readonly statuses: readonly T['status'][];
  readonly transitions: readonly Transition<T>[];
  transition(action: T['action']): Transition<T> | undefined;
  /**
   * The move `action` from `from` by a caller holding `actors`, who filled in `filled`. Refusals are
   * checked in this order: the wrong status, then the wrong role, then what is missing, so nobody is
   * asked for a note on a move they may not make.
   */
  plan(from: T['status'], action: T['action'], actors: readonly T['actor'][], filled?: readonly T['field'][]): Plan<T>;
  /** The moves these actors may make from this status, in table order. */
  allowedActions(from: T['status'], actors: readonly T['actor'][]): T['action'][];
  /** The capacity the move is made in: the first of the caller's that the row allows, or null. */
  actorFor(action: T['action'], actors: readonly T['actor'][]): T['actor'] | null;
}

/** Checks the table once (a mistake in it is a programming error, thrown at start-up) and returns its functions. */
export function defineLifecycle<T extends LifecycleTypes>(definition: LifecycleDefinition<T>): Lifecycle<T> {
  const { statuses, transitions } = definition;
  const byAction = new Map<T['action'], Transition<T>>();
  for (const row of transitions) {
    if (byAction.has(row.action)) throw new Error(`lifecycle: two rows for action ${row.action}`);
    for (const status of [...row.from, row.to]) {
      if (!statuses.includes(status)) throw new Error(`lifecycle: ${row.action} names unknown status ${status}`);
    }
    byAction.set(row.action, row);
  }
  const effectsFrom = definition.effectsFrom ?? ((row: Transition<T>) => row.effects);

  const mayMake = (row: Transition<T>, actors: readonly T['actor'][]) => row.actors.some((actor) => actors.includes(actor));

  const allowedActions = (from: T['status'], actors: readonly T['actor'][]): T['action'][] =>
    transitions.filter((row) => row.from.includes(from) && mayMake(row, actors)).map((row) => row.action);

  const actorFor = (action: T['action'], actors: readonly T['actor'][]): T['actor'] | null => {
    const row = byAction.get(action);
    return actors.find((actor) => row?.actors.includes(actor)) ?? null;
  };

  const plan = (from: T['status'], action: T['action'], actors: readonly T['actor'][], filled: readonly T['field'][] = []): Plan<T> => {
    const row = byAction.get(action);
    if (!row || !row.from.includes(from)) return { ok: false, reason: 'NOT_FROM_THIS_STATUS', allowed: allowedActions(from, actors) };
    const actor = actorFor(action, actors);
    if (actor === null) return { ok: false, reason: 'ROLE_NOT_ALLOWED', allowed: allowedActions(from, actors) };
    const missing = (row.requires ?? []).filter((field) => !filled.includes(field));
    if (missing.length) return { ok: false, reason: 'MISSING_FIELD', missing, allowed: allowedActions(from, actors) };
    return { ok: true, to: row.to, effects: effectsFrom(row, from), actor };
  };

  return { statuses, transitions, transition: (action) => byAction.get(action), plan, allowedActions, actorFor };
}
