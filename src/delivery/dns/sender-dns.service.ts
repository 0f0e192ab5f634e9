// GET /senders/:id/dns-check: the records a sender's domains should publish, checked against
// DNS through the injected resolver (DNS_RESOLVER: node:dns with a short timeout).
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Resolver } from 'node:dns/promises';
import { defaultSender } from '../../common/mail-ids';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/config.module';
import { DkimKeysService } from '../dkim/dkim-keys.service';
import { domainOf } from '../dkim/dkim-keys';
import { ProvidersService } from '../providers/providers.service';
import { checkSenderDns, type SenderDnsReport, type TxtResolver } from './sender-dns';

export const DNS_RESOLVER = Symbol('DNS_RESOLVER');

/** node:dns, 3 s per try, two tries: a check answers within seconds even when DNS does not. */
export function systemResolver(): TxtResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}

@Injectable()
export class SenderDnsService {
  constructor(
    private readonly providers: ProvidersService,
    private readonly dkim: DkimKeysService,
    @Inject(DNS_RESOLVER) private readonly resolver: TxtResolver,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async check(senderId: number): Promise<SenderDnsReport> {
    const sender = await this.providers.getSender(senderId);
    if (sender.channel !== 'email')
      throw DomainError.validation([{ path: 'id', message: `sender ${senderId} sends SMS: it has no mail domain to check` }]);
    const fromDomain = domainOf(sender.fromAddress);
    const defaults = defaultSender({
      publicUrl: this.config.get('PUBLIC_URL', { infer: true }),
      mailFrom: this.config.get('MAIL_FROM', { infer: true }),
      bounceDomain: this.config.get('BOUNCE_DOMAIN', { infer: true }),
    });
    const keys = (await this.dkim.list({ domain: fromDomain })).filter((key) => key.active);
    return checkSenderDns(
      {
        fromDomain,
        bounceDomain: sender.bounceDomain ?? defaults.bounceDomain,
        spfInclude: this.config.get('SPF_INCLUDE', { infer: true }) ?? null,
        dkim: keys.map((key) => ({ name: key.dnsRecord.name, value: key.dnsRecord.value })),
      },
      this.resolver,
    );
  }
}
