// Providers (how messages leave: an SMTP relay, an SMS gateway, the capture outbox) and senders
// (who they come from) as settings. Configs are validated per kind before they are stored and
// answered with their secrets masked; every write makes this process's sender profiles read
// the rows again (other processes within their 30 s cache).
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/config.module';
import type { Provider, Sender } from '../../generated/prisma/client';
import type { CreateProviderBody, ProviderListQuery, UpdateProviderBody } from '../dto/provider.dto';
import type { CreateSenderBody, SenderListQuery, UpdateSenderBody } from '../dto/sender.dto';
import { SenderProfiles } from '../sender-profiles';
import { checkHttpGateway } from '../sms/gateway-check';
import { checkSmtp, type ConnectionCheck } from '../smtp/smtp-check';
import { configuredEhloName } from '../transports/email-transport';
import {
  keepStoredSecrets,
  kindChannelIssue,
  maskProviderConfig,
  parseProviderConfig,
  smtpTlsPolicy,
  type ProviderChannel,
  type ProviderKind,
} from './provider-config';
import { isDuplicateName, ProvidersRepository } from './providers.repository';
import { checkSender } from './sender-input';
import { storedCustomHeaders } from '../mime/custom-headers';

const TEST_TIMEOUT_MS = 10_000;

@Injectable()
export class ProvidersService {
  constructor(
    private readonly repository: ProvidersRepository,
    private readonly profiles: SenderProfiles,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  // ── providers ──

  async listProviders(query: ProviderListQuery) {
    const rows = await this.repository.listProviders(filterOf(query));
    return rows.map(providerView);
  }

  async getProvider(id: number) {
    return providerView(await this.provider(id));
  }

  async createProvider(body: CreateProviderBody) {
    const channel = body.channel ?? defaultChannel(body.kind);
    if (!channel) throw DomainError.validation([{ path: 'channel', message: 'a capture provider needs its channel: email or sms' }]);
    const issue = kindChannelIssue(body.kind, channel);
    if (issue) throw DomainError.validation([{ path: 'kind', message: issue }]);
    const config = parseProviderConfig(body.kind, body.config);
    const row = await this.named(() => this.repository.createProvider({ ...body, channel, config }));
    this.profiles.forget();
    return providerView(row);
  }

  async updateProvider(id: number, body: UpdateProviderBody) {
    const stored = await this.provider(id);
    const { config: input, ...rest } = body;
    const config = input === undefined ? undefined : parseProviderConfig(stored.kind, keepStoredSecrets(stored.kind, input, stored.config));
    const row = await this.named(() => this.repository.updateProvider(id, { ...rest, ...(config ? { config } : {}) }));
    this.profiles.forget();
    return providerView(row);
  }

  /** Connects as a send would, and sends nothing: what was checked, step by step. */
  async testProvider(id: number): Promise<ConnectionCheck & { kind: ProviderKind }> {
    const provider = await this.provider(id);
    const kind = provider.kind;
    // A stored config that no longer validates (written by SQL) is reported, not thrown.
    let config: Record<string, unknown>;
    try {
      config = parseProviderConfig(kind, provider.config);
    } catch (error) {
      const message = (error as Error).message;
      return { kind, ok: false, steps: [{ step: 'config', ok: false, detail: message }], error: `config: ${message}` };
    }
    switch (kind) {
      case 'smtp':
        return {
          kind,
          ...(await checkSmtp(config.url as string, {
            timeoutMs: TEST_TIMEOUT_MS,
            clientName: this.clientName(),
            tls: smtpTlsPolicy(config),
          })),
        };
      case 'sms_http':
        return {
          kind,
          ...(await checkHttpGateway(
            config.url as string,
            config.timeoutMs as number,
            'the gateway config is valid; credentials are checked by the first real send',
          )),
        };
      case 'sms_smsru':
        return {
          kind,
          ...(await checkHttpGateway(
            config.baseUrl as string,
            config.timeoutMs as number,
            'the SMS.ru config is valid; the api id is checked by the first real send',
          )),
        };
      case 'capture':
        return {
          kind,
          ok: true,
          steps: [{ step: 'config', ok: true, detail: 'the capture outbox keeps messages in the database; nothing to connect to' }],
        };
    }
  }

  // ── senders ──

  async listSenders(query: SenderListQuery) {
    return (await this.repository.listSenders(filterOf(query))).map(senderView);
  }

  async getSender(id: number) {
    return senderView(await this.sender(id));
  }

  async createSender(body: CreateSenderBody) {
    const checked = checkSender(body);
    if (!checked.ok) throw DomainError.validation(checked.issues);
    await this.checkProviderFor(body.channel, body.providerId);
    const row = await this.named(() => this.repository.createSender(checked.value));
    this.profiles.forget();
    return senderView(row);
  }

  async updateSender(id: number, body: UpdateSenderBody) {
    const stored = await this.sender(id);
    const merged = { ...senderView(stored), ...body };
    const checked = checkSender(merged);
    // Only the fields this edit gives are judged: a row written by SQL before stays editable.
    const issues = checked.ok ? [] : checked.issues.filter((issue) => issue.path in body);
    if (issues.length) throw DomainError.validation(issues);
    if (body.providerId !== undefined) await this.checkProviderFor(stored.channel, body.providerId);
    const { channel: _channel, id: _id, createdAt: _createdAt, ...row } = checked.ok ? checked.value : merged;
    const saved = await this.named(() => this.repository.updateSender(id, pick(row, Object.keys(body) as Array<keyof typeof row>)));
    this.profiles.forget();
    return senderView(saved);
  }

  // ── helpers ──

  private async provider(id: number): Promise<Provider> {
    const provider = await this.repository.findProvider(id);
    if (!provider) throw DomainError.notFound('Provider', id);
    return provider;
  }

  private async sender(id: number): Promise<Sender> {
    const sender = await this.repository.findSender(id);
    if (!sender) throw DomainError.notFound('Sender', id);
    return sender;
  }

  private async checkProviderFor(channel: ProviderChannel, providerId: number | null): Promise<void> {
    if (providerId === null) return;
    const provider = await this.repository.findProvider(providerId);
    if (!provider) throw DomainError.validation([{ path: 'providerId', message: `provider ${providerId} not found` }]);
    if (provider.channel !== channel)
      throw DomainError.validation([
        { path: 'providerId', message: `provider ${providerId} sends ${provider.channel}, this sender ${channel}` },
      ]);
  }

  private async named<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateName(error))
        throw new DomainError('conflict', 'name: another one has this name', [{ path: 'name', message: 'another one has this name' }]);
      throw error;
    }
  }

  private clientName(): string {
    return configuredEhloName(this.config);
  }
}

function defaultChannel(kind: ProviderKind): ProviderChannel | null {
  return kind === 'smtp' ? 'email' : kind === 'capture' ? null : 'sms';
}

function filterOf(query: { channel?: ProviderChannel; active?: 'true' | 'false' }) {
  return { ...(query.channel ? { channel: query.channel } : {}), ...(query.active ? { active: query.active === 'true' } : {}) };
}

/** A provider as the API shows it: the config with its secrets masked. */
function providerView(row: Provider) {
  const { config, maskedFields } = maskProviderConfig(row.kind, row.config);
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    kind: row.kind,
    config,
    hasSecret: maskedFields.length > 0,
    maskedFields,
    perSecond: row.perSecond,
    perHour: row.perHour,
    concurrency: row.concurrency,
    active: row.active,
    createdAt: row.createdAt,
  };
}

function senderView(row: Sender) {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    fromAddress: row.fromAddress,
    fromName: row.fromName,
    replyTo: row.replyTo,
    bounceDomain: row.bounceDomain,
    feedbackId: row.feedbackId,
    providerId: row.providerId,
    active: row.active,
    headers: storedCustomHeaders(row.headers),
    createdAt: row.createdAt,
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((key) => key in value).map((key) => [key, value[key]])) as Pick<T, K>;
}
