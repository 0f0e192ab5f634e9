import { decideRunDocuments, type RunDocumentState } from './unchanged-documents';

const doc = (over: Partial<RunDocumentState>): RunDocumentState => ({
  documentId: 7,
  name: 'Прайс-лист',
  ifUnchanged: 'send',
  latest: { versionId: 70, number: 2 },
  previous: { number: 1, runId: 3 },
  ...over,
});

describe('decideRunDocuments', () => {
  it.each<[string, RunDocumentState, { wait: boolean; warning: boolean }]>([
    ['a first run never waits, whatever the policy', doc({ ifUnchanged: 'wait', previous: null }), { wait: false, warning: false }],
    ['a newer version sends under wait', doc({ ifUnchanged: 'wait' }), { wait: false, warning: false }],
    ['the same version waits under wait', doc({ ifUnchanged: 'wait', previous: { number: 2, runId: 3 } }), { wait: true, warning: false }],
    ['the same version warns under warn', doc({ ifUnchanged: 'warn', previous: { number: 2, runId: 3 } }), { wait: false, warning: true }],
    ['a newer version does not warn under warn', doc({ ifUnchanged: 'warn' }), { wait: false, warning: false }],
    [
      'the same version just sends under send',
      doc({ ifUnchanged: 'send', previous: { number: 2, runId: 3 } }),
      { wait: false, warning: false },
    ],
  ])('%s', (_why, state, expected) => {
    const decision = decideRunDocuments([state]);
    expect(decision.waitFor !== null).toBe(expected.wait);
    if (expected.wait) {
      expect(decision.waitFor).toBe('waiting for a new version of «Прайс-лист» (document 7): version 2 was sent by run 3');
      expect(decision.record).toEqual([]);
    } else {
      expect(decision.record).toEqual([
        { documentId: 7, versionId: 70, warning: expected.warning ? expect.stringContaining('no new version') : null },
      ]);
    }
  });

  it('waits when any one document waits, naming that one', () => {
    const decision = decideRunDocuments([
      doc({ documentId: 1, name: 'Каталог' }),
      doc({ documentId: 2, name: 'Прайс-лист', ifUnchanged: 'wait', previous: { number: 2, runId: 9 } }),
    ]);
    expect(decision.waitFor).toContain('«Прайс-лист» (document 2)');
  });
});
