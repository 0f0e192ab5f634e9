// A provider's "test connection" for SMTP: connect, EHLO, STARTTLS when offered, AUTH when the
// URL has a user, QUIT; no message is sent. Answers what was checked, step by step, and on a
// failure the step and the server's or the network's words (never the password).
import { SmtpClientConnection, SmtpError } from './smtp-client';
import { parseSmtpUrl, type TlsPolicy } from './smtp-pool';

export interface CheckStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface ConnectionCheck {
  ok: boolean;
  steps: CheckStep[];
  /** The failure in one line, when ok is false. */
  error?: string;
}

const STEP_OF_COMMAND: Record<string, string> = {
  CONN: 'connect',
  EHLO: 'ehlo',
  HELO: 'ehlo',
  STARTTLS: 'starttls',
  'AUTH PLAIN': 'auth',
  'AUTH LOGIN': 'auth',
};

export async function checkSmtp(
  url: string,
  options: { timeoutMs: number; clientName?: string; tls?: TlsPolicy },
): Promise<ConnectionCheck> {
  const target = parseSmtpUrl(url, options.tls);
  const where = `${target.host}:${target.port}`;
  const connection = new SmtpClientConnection({
    ...target,
    clientName: options.clientName ?? 'localhost',
    connectTimeoutMs: options.timeoutMs,
    socketTimeoutMs: options.timeoutMs,
  });
  try {
    await connection.connect();
  } catch (error) {
    connection.destroy();
    return failed(error, where, target.secure);
  }
  const session = connection.describe();
  const starttls = session.extensions.includes('STARTTLS');
  const steps: CheckStep[] = [
    { step: 'connect', ok: true, detail: `connected to ${where}${target.secure ? ' over TLS' : ''}` },
    { step: 'ehlo', ok: true, detail: `the server offers ${session.extensions.join(', ') || 'no extensions'}` },
    {
      step: 'starttls',
      ok: true,
      detail: target.secure
        ? 'TLS from the first byte (smtps)'
        : starttls
          ? 'upgraded to TLS'
          : 'not offered: the session is not encrypted',
    },
    {
      step: 'auth',
      ok: true,
      detail: target.auth ? `logged in as ${target.auth.user}` : 'no user in the URL: not logged in',
    },
  ];
  connection.quit();
  steps.push({ step: 'quit', ok: true, detail: 'closed without sending' });
  return { ok: true, steps };
}

function failed(error: unknown, where: string, secure: boolean): ConnectionCheck {
  const smtp = error instanceof SmtpError ? error : null;
  const step = (smtp?.command && STEP_OF_COMMAND[smtp.command]) ?? (smtp?.code === 'EAUTH' ? 'auth' : 'connect');
  const message = (error as Error)?.message ?? String(error);
  const order = ['connect', 'ehlo', 'starttls', 'auth'];
  const steps: CheckStep[] = order.slice(0, order.indexOf(step)).map((done) => ({ step: done, ok: true, detail: 'passed' }));
  if (step === 'starttls' || (secure && step === 'connect' && smtp?.code === 'ETLS'))
    steps.push({ step, ok: false, detail: `TLS failed: ${message}` });
  else steps.push({ step, ok: false, detail: message });
  return { ok: false, steps, error: `${step} (${where}): ${message}` };
}
