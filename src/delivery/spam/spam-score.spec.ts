import { parseSpamStatus } from './spam-score';

describe('parseSpamStatus', () => {
  it('reads the score, the threshold and the rules folded over several lines', () => {
    const output = [
      'Received: from localhost',
      'X-Spam-Checker-Version: SpamAssassin 4.0.0',
      'X-Spam-Level: *',
      'X-Spam-Status: No, score=1.3 required=5.0 tests=HTML_MESSAGE,',
      '\tMIME_HTML_ONLY,MISSING_DATE autolearn=no autolearn_force=no',
      '\tversion=4.0.0',
      'Subject: hello',
    ].join('\n');
    expect(parseSpamStatus(output)).toEqual({ score: 1.3, required: 5, tests: ['HTML_MESSAGE', 'MIME_HTML_ONLY', 'MISSING_DATE'] });
  });

  it('reads a negative score with no rules, and nothing without the header', () => {
    expect(parseSpamStatus('X-Spam-Status: No, score=-0.1 required=5.0 tests=none autolearn=ham\n')).toEqual({
      score: -0.1,
      required: 5,
      tests: [],
    });
    expect(parseSpamStatus('Subject: hello\n')).toBeNull();
  });
});
