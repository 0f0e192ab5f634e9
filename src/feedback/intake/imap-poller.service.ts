// The IMAP intake: every minute (a scheduled job, so one worker polls at a time) the unseen
// messages of IMAP_URL's mailbox are stored raw and queued like SMTP intake, then flagged
// \Seen. A message stored before a crash kept it from being flagged is recognised by its
// mailbox, UIDVALIDITY and UID and not stored twice.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/config.module';
import { JobName } from '../../queue/job-catalogue';
import { JobHandlerRegistry } from '../../queue/job-handlers';
import { InboundRepository } from '../inbound.repository';
import { ImapMailbox } from './imap-mailbox';
import { InboundIntakeService } from './inbound-intake.service';

/** Messages taken per poll; the rest wait for the next minute. */
const PER_POLL = 500;

@Injectable()
export class ImapPollerService implements OnModuleInit {
  constructor(
    private readonly mailbox: ImapMailbox,
    private readonly intake: InboundIntakeService,
    private readonly inbound: InboundRepository,
    private readonly registry: JobHandlerRegistry,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(JobName.PollImap, () => this.poll());
  }

  async poll(): Promise<{ polled: boolean; stored: number; seen: number }> {
    const url = this.config.get('IMAP_URL', { infer: true });
    if (!url) return { polled: false, stored: 0, seen: 0 };
    let stored = 0;
    const seen = await this.mailbox.forEachUnseen(url, PER_POLL, this.intake.maxBytes, async (message) => {
      if (await this.inbound.hasImapMessage(message.key)) return;
      await this.intake.receive({ source: 'imap', raw: message.raw, size: message.size, envelopeFrom: null, envelopeTo: [message.key] });
      stored++;
    });
    return { polled: true, stored, seen };
  }
}
