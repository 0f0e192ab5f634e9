import { parseSesNotification } from './ses-notification';

describe('parseSesNotification', () => {
  it('reads a bounce wrapped in the SNS envelope', () => {
    const inner = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Transient',
        bounceSubType: 'MailboxFull',
        bouncedRecipients: [{ emailAddress: 'A@x.example', status: '4.2.2', diagnosticCode: 'smtp; 452 4.2.2 full' }],
      },
      mail: { commonHeaders: { messageId: '<m@x>' } },
    };
    const n = parseSesNotification(`Intro\n${JSON.stringify({ Type: 'Notification', Message: JSON.stringify(inner) })}\n--\nfooter`);
    expect(n).toEqual(
      expect.objectContaining({ type: 'bounce', bounceType: 'Transient', bounceSubType: 'MailboxFull', messageId: '<m@x>' }),
    );
    expect(n?.recipients).toEqual([{ address: 'a@x.example', status: '4.2.2', diagnostic: 'smtp; 452 4.2.2 full', action: null }]);
  });

  it('reads a complaint and a delivery', () => {
    const complaint = parseSesNotification(
      JSON.stringify({
        notificationType: 'Complaint',
        complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: 'c@x.example' }] },
        mail: {},
      }),
    );
    expect(complaint).toEqual(
      expect.objectContaining({
        type: 'complaint',
        feedbackType: 'abuse',
        recipients: [expect.objectContaining({ address: 'c@x.example' })],
      }),
    );
    const delivery = parseSesNotification(
      JSON.stringify({ notificationType: 'Delivery', delivery: { recipients: ['d@x.example'], smtpResponse: '250 2.6.0 Ok' }, mail: {} }),
    );
    expect(delivery?.recipients).toEqual([expect.objectContaining({ address: 'd@x.example', status: '2.6.0', action: 'delivered' })]);
  });

  it('repairs JSON folded by a mail system ("!" + new line)', () => {
    const json = JSON.stringify({ notificationType: 'Bounce', bounce: { bouncedRecipients: [{ emailAddress: 'z@x.example' }] }, mail: {} });
    const folded = json.slice(0, 30) + '!\n ' + json.slice(30);
    expect(parseSesNotification(folded)?.recipients[0]?.address).toBe('z@x.example');
  });

  it.each([['plain text'], ['{"notificationType": "Bounce", broken'], ['{"other": 1}']])('returns null for %s', (body) => {
    expect(parseSesNotification(body)).toBeNull();
  });
});
