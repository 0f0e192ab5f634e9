// Intake, whatever the channel (SMTP, webhooks, API): the raw message is stored first, then a
// processing job is queued with its id. A failed enqueue loses nothing: the row stays
// `received` and the sweep queues it again. SMTP hands its messages in as streams (from the
// spool file, see inbound-spool.ts), so they are stored without being held in memory.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { defaultSender } from '../../common/mail-ids';
import { secretKeys, type AppConfig } from '../../config/config.module';
import type { InboundSource } from '../../generated/prisma/enums';
import { FeedbackRepository } from '../feedback.repository';
import { FeedbackService } from '../feedback.service';
import { InboundRepository, type NewStreamedInbound } from '../inbound.repository';
import type { MailboxPolicy } from './mailbox-policy';

export interface IntakeInput {
  source: InboundSource;
  /** At most INBOUND_MAX_BYTES: the caller keeps only the first bytes of a bigger message. */
  raw: Buffer;
  /** Size as received. */
  size: number;
  envelopeFrom: string | null;
  envelopeTo: string[];
}

/** A message handed in as a stream of its (at most INBOUND_MAX_BYTES) first bytes. */
export interface StreamedIntakeInput extends Omit<IntakeInput, 'raw'> {
  bytes: AsyncIterable<Buffer>;
  /** How many bytes `bytes` yields. */
  stored: number;
}

const POLICY_TTL_MS = 60_000;

@Injectable()
export class InboundIntakeService {
  private readonly logger = new Logger(InboundIntakeService.name);
  readonly maxBytes: number;
  private policyCache: { policy: MailboxPolicy; at: number } | null = null;

  constructor(
    private readonly inbound: InboundRepository,
    private readonly feedback: FeedbackRepository,
    private readonly processing: FeedbackService,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    this.maxBytes = config.get('INBOUND_MAX_BYTES', { infer: true });
  }

  /** Stores the message and queues its processing; returns the inbound id. */
  async receive(input: IntakeInput): Promise<bigint> {
    const raw = input.raw.length > this.maxBytes ? input.raw.subarray(0, this.maxBytes) : input.raw;
    const row = this.row(input, Math.max(input.size, input.raw.length));
    const id = await this.inbound.insert({ ...row, raw });
    await this.queue(id, row);
    return id;
  }

  /** The same, for a message streamed in (SMTP): nothing of it is held in memory. */
  async receiveStreamed(input: StreamedIntakeInput): Promise<bigint> {
    if (input.stored > this.maxBytes)
      throw new Error(`a streamed message keeps at most INBOUND_MAX_BYTES (${this.maxBytes}), not ${input.stored}`);
    const row = this.row(input, input.size);
    const id = await this.inbound.insertStreamed(row, input.bytes, input.stored);
    await this.queue(id, row);
    return id;
  }

  private row(input: Omit<IntakeInput, 'raw'>, size: number): NewStreamedInbound {
    const truncated = size > this.maxBytes;
    return {
      source: input.source,
      rawSize: size,
      truncated,
      envelopeFrom: input.envelopeFrom?.slice(0, 500) ?? null,
      envelopeTo: input.envelopeTo.join(', ').slice(0, 2000) || null,
      // Too big to read whole: kept for review, never classified on a part (it could be misread).
      status: truncated ? 'unclassified' : 'received',
      error: truncated
        ? `message of ${size} bytes is over INBOUND_MAX_BYTES (${this.maxBytes}); the first ${this.maxBytes} bytes are stored`
        : null,
    };
  }

  private async queue(id: bigint, row: NewStreamedInbound): Promise<void> {
    if (row.status !== 'received') return;
    try {
      await this.processing.enqueue(id);
    } catch (error) {
      this.logger.warn(`inbound ${id} stored, its job not queued (the sweep will): ${(error as Error).message}`);
    }
  }

  /** Which recipients the inbound server accepts: bounce domains and reply addresses of the default sender and every sender. */
  async mailboxPolicy(): Promise<MailboxPolicy> {
    if (this.policyCache && Date.now() - this.policyCache.at < POLICY_TTL_MS) return this.policyCache.policy;
    // The default sender (common/mail-ids.ts): replies without Reply-To go to From.
    const { fromAddress, bounceDomain } = defaultSender({
      publicUrl: this.config.get('PUBLIC_URL', { infer: true }),
      mailFrom: this.config.get('MAIL_FROM', { infer: true }),
      bounceDomain: this.config.get('BOUNCE_DOMAIN', { infer: true }),
    });
    const domains = new Set<string>([bounceDomain.toLowerCase()]);
    const replyAddresses = new Set<string>([fromAddress.toLowerCase(), ...this.config.get('INBOUND_REPLY_ADDRESSES', { infer: true })]);
    for (const sender of await this.feedback.senders()) {
      domains.add((sender.bounceDomain ?? sender.fromAddress.split('@')[1] ?? '').toLowerCase());
      replyAddresses.add((sender.replyTo ?? sender.fromAddress).toLowerCase());
    }
    const policy = { domains, replyAddresses, keys: secretKeys(this.config) };
    this.policyCache = { policy, at: Date.now() };
    return policy;
  }
}
