import { Inject, Injectable } from '@nestjs/common';
import { escapeLike } from '../common/like-pattern';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { TemplateChannel } from '../generated/prisma/enums';
import type { CompiledVersion, VersionSource } from './template-source';

type Db = PrismaService | Prisma.TransactionClient;

/** Advisory-lock namespace of template writes (the second key is a template id, or 0 for the default set). */
const LOCK_NAMESPACE = 5105;
/** The lock of the template set as a whole: start-up loading and creating templates. */
export const DEFAULT_SET_LOCK = 0;
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 };

export interface TemplateListFilter {
  channel?: TemplateChannel;
  key?: string;
  search?: string;
}

export interface NewVersion {
  templateId: number;
  source: VersionSource;
  compiled: CompiledVersion;
  fromFile: boolean;
  createdBy: string | null;
}

export interface CurrentVersionRow {
  id: number;
  templateId: number;
  locale: string;
  version: number;
  fromFile: boolean;
  createdAt: Date;
}

/** Columns of a version without the compiled output (lists and views). */
const VERSION_VIEW = {
  id: true,
  templateId: true,
  locale: true,
  version: true,
  subject: true,
  preheader: true,
  body: true,
  textOverride: true,
  dataFields: true,
  dataSchema: true,
  maxSegments: true,
  fromFile: true,
  createdBy: true,
  warnings: true,
  createdAt: true,
} satisfies Prisma.TemplateVersionSelect;

export type VersionViewRow = Prisma.TemplateVersionGetPayload<{ select: typeof VERSION_VIEW }>;

@Injectable()
export class TemplatesRepository {
  constructor(@Inject(PrismaService) private readonly db: Db) {}

  /**
   * Runs `work` in one transaction holding the advisory lock `lockKey` (a template id, or 0
   * for the default set), so concurrent saves never race for a version number and two
   * processes starting together load the default set once.
   */
  async locked<T>(lockKey: number, work: (repository: TemplatesRepository) => Promise<T>): Promise<T> {
    const prisma = this.db as PrismaService;
    return prisma.$transaction(async (tx) => {
      const repository = new TemplatesRepository(tx);
      await repository.lock(lockKey);
      return work(repository);
    }, TRANSACTION_OPTIONS);
  }

  /** Inside `locked`: also takes the lock of another key (until the transaction ends). */
  async lock(lockKey: number): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, ${lockKey}::int)`;
  }

  list(filter: TemplateListFilter) {
    const where: Prisma.TemplateWhereInput = { channel: filter.channel, key: filter.key };
    if (filter.search) {
      const contains = { contains: escapeLike(filter.search), mode: 'insensitive' as const };
      where.OR = [{ key: contains }, { name: contains }];
    }
    return this.db.template.findMany({ where, orderBy: [{ key: 'asc' }, { channel: 'asc' }] });
  }

  /** Whether the template of a version embeds Otklik's images as CID parts. */
  async embedImagesOfVersion(versionId: number): Promise<boolean> {
    const row = await this.db.templateVersion.findUnique({
      where: { id: versionId },
      select: { template: { select: { embedImages: true } } },
    });
    return row?.template.embedImages ?? false;
  }

  findTemplate(id: number) {
    return this.db.template.findUnique({ where: { id } });
  }

  findTemplateByKey(channel: TemplateChannel, key: string) {
    return this.db.template.findUnique({ where: { channel_key: { channel, key } } });
  }

  allTemplates() {
    return this.db.template.findMany({ orderBy: { id: 'asc' } });
  }

  createTemplate(data: { key: string; name: string; channel: TemplateChannel; description?: string | null; builtIn: boolean }) {
    return this.db.template.create({ data });
  }

  updateTemplate(id: number, data: { name?: string; description?: string | null; embedImages?: boolean }) {
    return this.db.template.update({ where: { id }, data });
  }

  deleteTemplate(id: number) {
    return this.db.template.delete({ where: { id } });
  }

  /** What still points at a template: campaigns, triggers and sent messages. */
  async references(id: number): Promise<{ campaigns: number; triggers: number; messages: number }> {
    const [campaigns, triggers, messages] = await Promise.all([
      this.db.campaign.count({ where: { templateId: id } }),
      this.db.trigger.count({ where: { templateId: id } }),
      this.db.message.count({ where: { templateVersion: { templateId: id } } }),
    ]);
    return { campaigns, triggers, messages };
  }

  /** The newest version of each locale of the given templates. */
  currentVersions(templateIds: number[]): Promise<CurrentVersionRow[]> {
    return this.db.$queryRaw<CurrentVersionRow[]>`
      SELECT DISTINCT ON (template_id, locale) id, template_id AS "templateId", locale, version, from_file AS "fromFile", created_at AS "createdAt"
        FROM template_versions
       WHERE template_id = ANY(${templateIds}::int[])
       ORDER BY template_id, locale, version DESC`;
  }

  /** The declared data fields of versions (campaign data is checked against them). */
  declarations(versionIds: number[]) {
    return this.db.templateVersion.findMany({
      where: { id: { in: versionIds } },
      select: { id: true, locale: true, dataFields: true, dataSchema: true },
    });
  }

  /** The Handlebars sources of versions (the campaign pre-flight reads what they print). */
  sources(versionIds: number[]) {
    return this.db.templateVersion.findMany({
      where: { id: { in: versionIds } },
      select: {
        id: true,
        locale: true,
        subject: true,
        preheader: true,
        body: true,
        textOverride: true,
        dataFields: true,
        dataSchema: true,
      },
      orderBy: { id: 'asc' },
    });
  }

  /** The newest version of one locale of a template. */
  currentVersion(templateId: number, locale: string) {
    return this.db.templateVersion.findFirst({
      where: { templateId, locale },
      orderBy: { version: 'desc' },
      select: { contentHash: true, fromFile: true },
    });
  }

  versionCounts(templateId: number) {
    return this.db.templateVersion.groupBy({ by: ['locale'], where: { templateId }, _count: { _all: true } });
  }

  listVersions(templateId: number, locale?: string) {
    return this.db.templateVersion.findMany({
      where: { templateId, locale },
      select: { id: true, locale: true, version: true, fromFile: true, createdBy: true, createdAt: true },
      orderBy: [{ locale: 'asc' }, { version: 'desc' }],
    });
  }

  versionViews(ids: number[]): Promise<VersionViewRow[]> {
    return this.db.templateVersion.findMany({ where: { id: { in: ids } }, select: VERSION_VIEW, orderBy: { locale: 'asc' } });
  }

  versionView(id: number): Promise<VersionViewRow | null> {
    return this.db.templateVersion.findUnique({ where: { id }, select: VERSION_VIEW });
  }

  /** Everything a render needs, with the template's channel and key. */
  versionForRender(id: number) {
    return this.db.templateVersion.findUnique({ where: { id }, include: { template: { select: { id: true, key: true, channel: true } } } });
  }

  async insertVersion(input: NewVersion): Promise<VersionViewRow> {
    const { source, compiled } = input;
    const last = await this.db.templateVersion.aggregate({
      where: { templateId: input.templateId, locale: source.locale },
      _max: { version: true },
    });
    const version = await this.db.templateVersion.create({
      data: {
        templateId: input.templateId,
        locale: source.locale,
        version: (last._max.version ?? 0) + 1,
        subject: source.subject || null,
        preheader: source.preheader || null,
        body: source.body,
        textOverride: source.text || null,
        compiledHtml: compiled.compiledHtml,
        compiledText: compiled.compiledText,
        dataFields: source.dataFields ?? [],
        dataSchema: (source.dataSchema ?? []) as unknown as Prisma.InputJsonValue,
        maxSegments: source.maxSegments ?? null,
        contentHash: compiled.contentHash,
        fromFile: input.fromFile,
        createdBy: input.createdBy,
        warnings: compiled.warnings as unknown as Prisma.InputJsonValue,
      },
      select: VERSION_VIEW,
    });
    await this.db.template.update({ where: { id: input.templateId }, data: { updatedAt: new Date() } });
    return version;
  }

  /** A live (not erased) customer and the name of its company, for previews. */
  customerForPreview(id: number) {
    return this.db.customer.findFirst({ where: { id, erasedAt: null }, include: { company: { select: { companyName: true } } } });
  }

  /** One order of a customer with its items, or the customer's latest when no id is given. */
  orderForPreview(customerId: number, orderId?: number) {
    return this.db.order.findFirst({
      where: { customerId, id: orderId },
      include: { items: { orderBy: { id: 'asc' } } },
      orderBy: { orderedAt: 'desc' },
    });
  }
}
