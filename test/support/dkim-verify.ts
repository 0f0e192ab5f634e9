// Runs the independent DKIM verifier (test/support/dkim-verify.py, Debian's dkimpy) on a raw
// message with the TXT records a test publishes.
import { execFile } from 'node:child_process';
import path from 'node:path';

export interface DkimVerdict {
  ok: boolean;
  /** The signature's d= and s=, and its h= in lower case. */
  d: string;
  s: string;
  h: string[];
  error: string | null;
}

/** `records`: TXT records as the API shows them (`name`, `value`). */
export function verifyDkim(raw: Buffer, records: Array<{ name: string; value: string }>): Promise<DkimVerdict> {
  const script = path.join(__dirname, 'dkim-verify.py');
  return new Promise((resolve, reject) => {
    const child = execFile(
      '/usr/bin/python3',
      [script, ...records.map((r) => `${r.name}=${r.value}`)],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`dkim-verify.py failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout) as DkimVerdict);
      },
    );
    child.stdin!.end(raw);
  });
}

/** The TXT record of a PEM's public key, as DKIM publishes it. */
export function txtRecordOf(selector: string, domain: string, publicKeyBase64: string): { name: string; value: string } {
  return { name: `${selector}._domainkey.${domain}`, value: `v=DKIM1; k=rsa; p=${publicKeyBase64}` };
}
