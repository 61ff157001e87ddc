import { defineLifecycle, type Plan } from './lifecycle';

// A second, tiny lifecycle to show the engine knows nothing of dossiers: a portal article goes
// draft → review → published, with authors of the owning agency and an editor who publishes.
type ArticleStatus = 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED' | 'WITHDRAWN';
type ArticleAction = 'SUBMIT_FOR_REVIEW' | 'SEND_BACK' | 'PUBLISH' | 'WITHDRAW';
type ArticleActor = 'AUTHOR' | 'EDITOR';
type ArticleEffect = { stamp: 'publishedAt' | 'withdrawnAt' } | { notify: 'AUTHOR' };
interface Article {
  status: ArticleStatus;
  action: ArticleAction;
  actor: ArticleActor;
  field: 'note' | 'reason';
  effect: ArticleEffect;
}

const articles = defineLifecycle<Article>({
  statuses: ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'WITHDRAWN'],
  transitions: [
    { action: 'SUBMIT_FOR_REVIEW', from: ['DRAFT'], to: 'IN_REVIEW', actors: ['AUTHOR'], effects: [] },
    { action: 'SEND_BACK', from: ['IN_REVIEW'], to: 'DRAFT', actors: ['EDITOR'], requires: ['note'], effects: [{ notify: 'AUTHOR' }] },
    { action: 'PUBLISH', from: ['IN_REVIEW'], to: 'PUBLISHED', actors: ['EDITOR'], effects: [{ stamp: 'publishedAt' }] },
    { action: 'WITHDRAW', from: ['IN_REVIEW', 'PUBLISHED'], to: 'WITHDRAWN', actors: ['EDITOR', 'AUTHOR'], requires: ['note', 'reason'], effects: [{ stamp: 'withdrawnAt' }] },
  ],
  // a rule on the status left: withdrawing what the public could read tells the author
  effectsFrom: (row, from) => (row.action === 'WITHDRAW' && from === 'PUBLISHED' ? [...row.effects, { notify: 'AUTHOR' }] : row.effects),
});

describe('plan', () => {
  const cases: [string, ArticleStatus, ArticleAction, ArticleActor[], Article['field'][], Plan<Article>][] = [
    ['an author submits a draft', 'DRAFT', 'SUBMIT_FOR_REVIEW', ['AUTHOR'], [], { ok: true, to: 'IN_REVIEW', effects: [], actor: 'AUTHOR' }],
    ['an editor publishes', 'IN_REVIEW', 'PUBLISH', ['EDITOR'], [], { ok: true, to: 'PUBLISHED', effects: [{ stamp: 'publishedAt' }], actor: 'EDITOR' }],
    ['an editor sends back with a note', 'IN_REVIEW', 'SEND_BACK', ['EDITOR'], ['note'], { ok: true, to: 'DRAFT', effects: [{ notify: 'AUTHOR' }], actor: 'EDITOR' }],
    ['the first capacity the row allows is the one acted in', 'IN_REVIEW', 'PUBLISH', ['AUTHOR', 'EDITOR'], [], { ok: true, to: 'PUBLISHED', effects: [{ stamp: 'publishedAt' }], actor: 'EDITOR' }],
    ['the row is chosen by action, the effects by the status left', 'PUBLISHED', 'WITHDRAW', ['AUTHOR'], ['note', 'reason'], { ok: true, to: 'WITHDRAWN', effects: [{ stamp: 'withdrawnAt' }, { notify: 'AUTHOR' }], actor: 'AUTHOR' }],
    ['from review the same row has its own effects only', 'IN_REVIEW', 'WITHDRAW', ['EDITOR'], ['note', 'reason'], { ok: true, to: 'WITHDRAWN', effects: [{ stamp: 'withdrawnAt' }], actor: 'EDITOR' }],
    ['publishing a draft skips review', 'DRAFT', 'PUBLISH', ['EDITOR'], [], { ok: false, reason: 'NOT_FROM_THIS_STATUS', allowed: [] }],
    ['an author may not publish', 'IN_REVIEW', 'PUBLISH', ['AUTHOR'], [], { ok: false, reason: 'ROLE_NOT_ALLOWED', allowed: ['WITHDRAW'] }],
    ['no capacity, no move', 'DRAFT', 'SUBMIT_FOR_REVIEW', [], [], { ok: false, reason: 'ROLE_NOT_ALLOWED', allowed: [] }],
    ['sending back needs a note', 'IN_REVIEW', 'SEND_BACK', ['EDITOR'], [], { ok: false, reason: 'MISSING_FIELD', missing: ['note'], allowed: ['SEND_BACK', 'PUBLISH', 'WITHDRAW'] }],
    ['every missing field is named', 'PUBLISHED', 'WITHDRAW', ['EDITOR'], ['reason'], { ok: false, reason: 'MISSING_FIELD', missing: ['note'], allowed: ['WITHDRAW'] }],
    ['the wrong status is reported before the wrong role', 'WITHDRAWN', 'PUBLISH', ['AUTHOR'], [], { ok: false, reason: 'NOT_FROM_THIS_STATUS', allowed: [] }],
    ['the wrong role is reported before a missing field', 'IN_REVIEW', 'SEND_BACK', ['AUTHOR'], [], { ok: false, reason: 'ROLE_NOT_ALLOWED', allowed: ['WITHDRAW'] }],
  ];

  test.each(cases)('%s', (_case, from, action, actors, filled, expected) => {
    expect(articles.plan(from, action, actors, filled)).toEqual(expected);
  });

  test('nothing filled in is the default', () => {
    expect(articles.plan('IN_REVIEW', 'SEND_BACK', ['EDITOR'])).toMatchObject({ ok: false, reason: 'MISSING_FIELD', missing: ['note'] });
  });
});

describe('allowedActions and actorFor', () => {
  test.each([
    ['DRAFT', ['AUTHOR'], ['SUBMIT_FOR_REVIEW']],
    ['DRAFT', ['EDITOR'], []],
    ['IN_REVIEW', ['EDITOR'], ['SEND_BACK', 'PUBLISH', 'WITHDRAW']],
    ['IN_REVIEW', ['AUTHOR', 'EDITOR'], ['SEND_BACK', 'PUBLISH', 'WITHDRAW']],
    ['PUBLISHED', ['AUTHOR'], ['WITHDRAW']],
    ['WITHDRAWN', ['AUTHOR', 'EDITOR'], []],
  ] as [ArticleStatus, ArticleActor[], ArticleAction[]][])('%s as %j → %j', (from, actors, expected) => {
    expect(articles.allowedActions(from, actors)).toEqual(expected);
  });

  test.each([
    ['PUBLISH', ['AUTHOR', 'EDITOR'], 'EDITOR'],
    ['WITHDRAW', ['EDITOR', 'AUTHOR'], 'EDITOR'],
    ['WITHDRAW', ['AUTHOR', 'EDITOR'], 'AUTHOR'],
    ['SUBMIT_FOR_REVIEW', ['EDITOR'], null],
  ] as [ArticleAction, ArticleActor[], ArticleActor | null][])('%s by %j is made as %s', (action, actors, expected) => {
    expect(articles.actorFor(action, actors)).toBe(expected);
  });

  test('the table is there to read, row by action', () => {
    expect(articles.transitions.map((row) => row.action)).toEqual(['SUBMIT_FOR_REVIEW', 'SEND_BACK', 'PUBLISH', 'WITHDRAW']);
    expect(articles.transition('PUBLISH')?.to).toBe('PUBLISHED');
  });
});

describe('a table with a mistake is refused when it is defined', () => {
  test('two rows for one action', () => {
    expect(() =>
      defineLifecycle<Article>({
        statuses: ['DRAFT', 'IN_REVIEW'],
        transitions: [
          { action: 'SUBMIT_FOR_REVIEW', from: ['DRAFT'], to: 'IN_REVIEW', actors: ['AUTHOR'], effects: [] },
          { action: 'SUBMIT_FOR_REVIEW', from: ['IN_REVIEW'], to: 'IN_REVIEW', actors: ['AUTHOR'], effects: [] },
        ],
      }),
    ).toThrow('two rows for action SUBMIT_FOR_REVIEW');
  });

  test('a status that is not in the list', () => {
    expect(() =>
      defineLifecycle<Article>({
        statuses: ['DRAFT', 'IN_REVIEW'],
        transitions: [{ action: 'PUBLISH', from: ['IN_REVIEW'], to: 'PUBLISHED', actors: ['EDITOR'], effects: [] }],
      }),
    ).toThrow('PUBLISH names unknown status PUBLISHED');
  });
});
