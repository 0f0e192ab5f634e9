// DKIM keys per sender domain as settings: generated or imported through the API, the private
// key sealed with the SECRET_KEY ring before it is stored and never answered, the DNS record to
// publish shown instead. Transports ask `keyFor(from domain)` for every message; the active keys
// are read once per 30 s per process (at once in the process that changed them).
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../../common/domain-error';
import { openSecret, sealedWithOlderKey, sealSecret } from '../../common/secret-box';
import { secretKeys, type AppConfig } from '../../config/config.module';
import type { DkimKey } from '../../generated/prisma/client';
import { isDuplicateName } from '../providers/providers.repository';
import type { CreateDkimKeyBody, DkimKeyListQuery } from '../dto/dkim-key.dto';
import {
  dnsRecord,
  generateDkimKey,
  pickSigningKey,
  readDkimKey,
  type DkimKeySource,
  type DkimSigningKey,
  type StoredKey,
} from './dkim-keys';
import { DkimKeysRepository } from './dkim-keys.repository';

const KEYS_TTL_MS = 30_000;

@Injectable()
export class DkimKeysService implements DkimKeySource {
  private readonly logger = new Logger(DkimKeysService.name);
  private cache: { keys: Promise<StoredKey[]>; expires: number } | null = null;
  private readonly fallback: DkimSigningKey | null;

  constructor(
    private readonly repository: DkimKeysRepository,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    const privateKey = config.get('DKIM_PRIVATE_KEY', { infer: true });
    const domainName = config.get('DKIM_DOMAIN', { infer: true });
    const keySelector = config.get('DKIM_SELECTOR', { infer: true });
    this.fallback =
      privateKey && domainName && keySelector
        ? { domainName: domainName.toLowerCase(), keySelector, privateKey: privateKey.replace(/\\n/g, '\n') }
        : null;
  }

  async keyFor(fromDomain: string): Promise<DkimSigningKey | null> {
    return pickSigningKey(await this.activeKeys(), fromDomain, this.fallback);
  }

  async list(query: DkimKeyListQuery) {
    const rows = await this.repository.list(query.domain);
    return rows.map((row) => view(row, rows));
  }

  async get(id: number) {
    const row = await this.row(id);
    return view(row, await this.repository.list(row.domain));
  }

  async create(body: CreateDkimKeyBody) {
    let material;
    if (body.privateKey === undefined) material = generateDkimKey();
    else {
      const read = readDkimKey(body.privateKey);
      if (!read.ok) throw DomainError.validation([{ path: 'privateKey', message: read.reason }]);
      material = read.key;
    }
    let row: DkimKey;
    try {
      row = await this.repository.create({
        domain: body.domain,
        selector: body.selector,
        privateKeyEncrypted: sealSecret(secretKeys(this.config), material.privateKeyPem, sealContext(body.domain, body.selector)),
        publicKey: material.publicKey,
        bits: material.bits,
      });
    } catch (error) {
      if (isDuplicateName(error))
        throw new DomainError('conflict', 'selector: this domain already has a key with this selector; choose a new one to rotate', [
          { path: 'selector', message: 'this domain already has a key with this selector' },
        ]);
      throw error;
    }
    this.forget();
    return this.get(row.id);
  }

  async setActive(id: number, active: boolean) {
    await this.row(id);
    await this.repository.setActive(id, active);
    this.forget();
    return this.get(id);
  }

  async delete(id: number): Promise<void> {
    await this.row(id);
    await this.repository.delete(id);
    this.forget();
  }

  /** Reads the keys again on the next message (this process; others within KEYS_TTL_MS). */
  forget(): void {
    this.cache = null;
  }

  private activeKeys(): Promise<StoredKey[]> {
    if (this.cache && this.cache.expires > Date.now()) return this.cache.keys;
    const keys = this.load();
    this.cache = { keys, expires: Date.now() + KEYS_TTL_MS };
    keys.catch(() => (this.cache = null));
    return keys;
  }

  private async load(): Promise<StoredKey[]> {
    const ring = secretKeys(this.config);
    const keys: StoredKey[] = [];
    for (const row of await this.repository.listActive()) {
      try {
        const privateKey = openSecret(ring, row.privateKeyEncrypted, sealContext(row.domain, row.selector));
        keys.push({
          id: row.id,
          domainName: row.domain,
          keySelector: row.selector,
          privateKey,
          active: row.active,
          createdAt: row.createdAt,
        });
        // Sealed under a key now in SECRET_KEY_PREVIOUS: sealed again under SECRET_KEY, so dropping
        // the old key after a rotation leaves every DKIM key usable.
        if (sealedWithOlderKey(ring, row.privateKeyEncrypted))
          await this.repository
            .reseal(row.id, row.privateKeyEncrypted, sealSecret(ring, privateKey, sealContext(row.domain, row.selector)))
            .catch((error: Error) => this.logger.warn(`DKIM key ${row.id}: not sealed again under SECRET_KEY: ${error.message}`));
      } catch (error) {
        // The next key of the domain (or none) signs; mail keeps flowing, the log says why.
        this.logger.warn(`DKIM key ${row.id} (${row.selector}._domainkey.${row.domain}) cannot sign: ${(error as Error).message}`);
      }
    }
    return keys;
  }

  private async row(id: number): Promise<DkimKey> {
    const row = await this.repository.find(id);
    if (!row) throw DomainError.notFound('DKIM key', id);
    return row;
  }
}

/** A sealed key opens only for its own domain and selector: a box copied to another row does not sign. */
function sealContext(domain: string, selector: string): string {
  return `dkim:${domain}:${selector}`;
}

function view(row: DkimKey, sameDomain: readonly DkimKey[]) {
  const signing = sameDomain
    .filter((other) => other.domain === row.domain && other.active)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
  return {
    id: row.id,
    domain: row.domain,
    selector: row.selector,
    bits: row.bits,
    active: row.active,
    signing: signing?.id === row.id,
    dnsRecord: dnsRecord(row.domain, row.selector, row.publicKey),
    createdAt: row.createdAt,
  };
}
