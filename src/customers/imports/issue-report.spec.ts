import { ISSUE_REPORT_HEADER, issueReportLine } from './issue-report';

describe('issue report CSV', () => {
  it('starts with a BOM and a header', () => {
    expect(ISSUE_REPORT_HEADER).toBe('\uFEFFline,severity,field,code,reason,other_line\r\n');
  });

  it.each([
    [
      { line: 3, severity: 'error', field: 'email', code: 'email.no_at', reason: 'invalid email: no @ sign' },
      '3,error,email,email.no_at,invalid email: no @ sign,\r\n',
    ],
    [
      { line: 9, severity: 'warning', field: 'email', code: 'duplicate', reason: 'duplicate of line 7, "same email"', otherLine: 7 },
      '9,warning,email,duplicate,"duplicate of line 7, ""same email""",7\r\n',
    ],
    [{ line: 4, severity: 'error', field: '=HYPERLINK("x")', code: 'c', reason: 'r' }, `4,error,"'=HYPERLINK(""x"")",c,r,\r\n`],
    [
      {
        line: 5,
        severity: 'warning',
        field: 'email',
        code: 'duplicate',
        reason: 'duplicate of line 2 (same email); the first one is kept',
        otherLine: 2,
      },
      '5,warning,email,duplicate,"duplicate of line 2 (same email); the first one is kept",2\r\n',
    ],
    [
      { line: 6, severity: 'error', field: '@SUM(A1);x', code: 'c', reason: '-1 is not a quantity' },
      `6,error,"'@SUM(A1);x",c,'-1 is not a quantity,\r\n`,
    ],
    [{ line: 7, severity: 'error', field: '\tx', code: 'c', reason: 'two\nlines' }, `7,error,'\tx,c,"two\nlines",\r\n`],
  ] as const)('writes %p', (issue, expected) => {
    expect(issueReportLine(issue)).toBe(expected);
  });
});
