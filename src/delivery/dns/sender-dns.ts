// What a sender's domains should publish (SPF on the Return-Path domain, DKIM for each active
// key of the From domain, DMARC on the From domain) and, where DNS answers, whether it is in
// place and aligned with the From domain (DMARC's relaxed alignment: the same organisational
// domain). Pure but for the resolver it is given (node:dns in the service, a stub in tests).

/** TXT lookups: each record's strings (joined here), ENODATA/ENOTFOUND as an empty list. */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

export type RecordStatus =
  /** Published and as expected. */
  | 'ok'
  /** No such record. */
  | 'missing'
  /** Published, but not what Otklik needs (another key, no include, a policy error). */
  | 'mismatch'
  /** DNS did not answer (timeout, SERVFAIL): nothing can be said. */
  | 'unknown';

export interface DnsRecordCheck {
  kind: 'spf' | 'dkim' | 'dmarc';
  name: string;
  /** The TXT value to publish (for SPF: the mechanism to add to an existing record). */
  publish: string;
  found: string[];
  status: RecordStatus;
  detail: string;
}

export interface SenderDnsInput {
  fromDomain: string;
  /** The Return-Path (VERP) domain, which SPF checks. */
  bounceDomain: string;
  /** The relay's SPF include (SPF_INCLUDE), when known. */
  spfInclude: string | null;
  dkim: Array<{ name: string; value: string }>;
}

export interface SenderDnsReport {
  fromDomain: string;
  bounceDomain: string;
  records: DnsRecordCheck[];
  /** SPF passes for the bounce domain and it shares the From domain's organisational domain. */
  spfAligned: boolean;
  /** A published DKIM key signs as the From domain itself. */
  dkimAligned: boolean;
  /** DMARC can pass: a DMARC record and an aligned SPF or DKIM. */
  dmarcReady: boolean;
}

/** The last two labels (three for a two-letter second level under a country code, e.g. shop.co.uk). */
export function organisationalDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  const take = labels.length >= 3 && labels[labels.length - 1].length === 2 && labels[labels.length - 2].length <= 3 ? 3 : 2;
  return labels.slice(-take).join('.');
}

async function lookup(resolver: TxtResolver, name: string): Promise<{ records: string[] } | { error: string }> {
  try {
    return { records: (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENODATA' || code === 'ENOTFOUND') return { records: [] };
    return { error: `${code ?? 'error'}: ${(error as Error).message}` };
  }
}

function unknown(check: Omit<DnsRecordCheck, 'status' | 'detail' | 'found'>, error: string): DnsRecordCheck {
  return { ...check, found: [], status: 'unknown', detail: `DNS did not answer (${error})` };
}

/** One sender's DNS: what to publish and what is there. */
export async function checkSenderDns(input: SenderDnsInput, resolver: TxtResolver): Promise<SenderDnsReport> {
  const records: DnsRecordCheck[] = [];
  const mechanism = input.spfInclude ? `include:${input.spfInclude}` : null;

  // SPF, on the envelope (Return-Path) domain.
  const spfBase = {
    kind: 'spf' as const,
    name: input.bounceDomain,
    publish: mechanism ? `v=spf1 ${mechanism} ~all` : "v=spf1 include:<your relay's SPF domain> ~all",
  };
  const spf = await lookup(resolver, input.bounceDomain);
  if ('error' in spf) records.push(unknown(spfBase, spf.error));
  else {
    const found = spf.records.filter((r) => /^v=spf1(\s|$)/i.test(r));
    if (!found.length) records.push({ ...spfBase, found, status: 'missing', detail: 'no SPF record (v=spf1) on the Return-Path domain' });
    else if (found.length > 1)
      records.push({ ...spfBase, found, status: 'mismatch', detail: 'more than one SPF record: receivers treat that as an error' });
    else if (mechanism && !found[0].toLowerCase().split(/\s+/).includes(mechanism.toLowerCase()))
      records.push({ ...spfBase, found, status: 'mismatch', detail: `the SPF record does not have ${mechanism}` });
    else
      records.push({
        ...spfBase,
        found,
        status: 'ok',
        detail: mechanism ? `the SPF record has ${mechanism}` : 'an SPF record is published (set SPF_INCLUDE to check the relay is in it)',
      });
  }

  // DKIM, one record per active key of the From domain.
  for (const key of input.dkim) {
    const base = { kind: 'dkim' as const, name: key.name, publish: key.value };
    const answer = await lookup(resolver, key.name);
    if ('error' in answer) {
      records.push(unknown(base, answer.error));
      continue;
    }
    const want = publicKeyOf(key.value);
    const found = answer.records.filter((r) => /(^|;)\s*p=/i.test(r));
    if (!found.length) records.push({ ...base, found, status: 'missing', detail: 'no DKIM key record at this name' });
    else if (found.some((r) => publicKeyOf(r) === want))
      records.push({ ...base, found, status: 'ok', detail: 'the published key is this key' });
    else records.push({ ...base, found, status: 'mismatch', detail: 'a key is published here, but not this one' });
  }
  if (!input.dkim.length)
    records.push({
      kind: 'dkim',
      name: `<selector>._domainkey.${input.fromDomain}`,
      publish: 'add a key for the domain: POST /settings/dkim-keys',
      found: [],
      status: 'missing',
      detail: `no active DKIM key for ${input.fromDomain}: its mail is unsigned or signed by another domain`,
    });

  // DMARC, on the From domain (or its organisational domain, where receivers look next).
  const dmarcName = `_dmarc.${input.fromDomain}`;
  const dmarcBase = { kind: 'dmarc' as const, name: dmarcName, publish: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${input.fromDomain}` };
  let dmarc = await lookup(resolver, dmarcName);
  const org = organisationalDomain(input.fromDomain);
  if (!('error' in dmarc) && !dmarc.records.some(isDmarc) && org !== input.fromDomain) dmarc = await lookup(resolver, `_dmarc.${org}`);
  if ('error' in dmarc) records.push(unknown(dmarcBase, dmarc.error));
  else {
    const found = dmarc.records.filter(isDmarc);
    if (!found.length) records.push({ ...dmarcBase, found, status: 'missing', detail: 'no DMARC record (v=DMARC1)' });
    else if (found.length > 1) records.push({ ...dmarcBase, found, status: 'mismatch', detail: 'more than one DMARC record' });
    else records.push({ ...dmarcBase, found, status: 'ok', detail: `policy ${/p=\s*(\w+)/i.exec(found[0])?.[1] ?? 'none'}` });
  }

  const spfAligned =
    records.some((r) => r.kind === 'spf' && r.status === 'ok') &&
    organisationalDomain(input.bounceDomain) === organisationalDomain(input.fromDomain);
  const dkimAligned = records.some((r) => r.kind === 'dkim' && r.status === 'ok');
  const dmarcReady = records.some((r) => r.kind === 'dmarc' && r.status === 'ok') && (spfAligned || dkimAligned);
  return { fromDomain: input.fromDomain, bounceDomain: input.bounceDomain, records, spfAligned, dkimAligned, dmarcReady };
}

function isDmarc(record: string): boolean {
  return /^v=DMARC1\s*(;|$)/i.test(record);
}

function publicKeyOf(record: string): string {
  return (/(?:^|;)\s*p=([^;]*)/i.exec(record)?.[1] ?? '').replace(/\s+/g, '');
}
