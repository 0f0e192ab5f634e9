import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Role } from '../generated/prisma/enums';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key';
import { ApiKeysRepository } from './api-keys.repository';
import type { Principal } from './auth.decorators';
import { SessionsRepository } from './sessions.repository';
import { JobName } from '../queue/job-catalogue';
import { JobHandlerRegistry } from '../queue/job-handlers';

// lastUsedAt is informative; writing it on every request would double the queries of a busy API.
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class AuthService implements OnModuleInit {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly sessions: SessionsRepository,
    private readonly jobs: JobHandlerRegistry,
  ) {}

  onModuleInit(): void {
    this.jobs.register(JobName.PruneSessions, async () => ({ deleted: await this.sessions.deleteExpired(new Date()) }));
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (!looksLikeApiKey(key)) return null;
    const found = await this.keys.findActiveByHash(hashApiKey(key));
    if (!found) return null;
    const now = new Date();
    if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await this.keys.touch(found.id, now);
    return { kind: 'api_key', id: found.id, role: found.role };
  }

  /** Creates a key; the clear key is in the result and nowhere else, ever. */
  async createKey(name: string, role: Role) {
    const generated = generateApiKey();
    const row = await this.keys.create({ name, role, prefix: generated.prefix, keyHash: generated.keyHash });
    return { ...row, key: generated.key };
  }

  listKeys() {
    return this.keys.list();
  }

  async revokeKey(id: number): Promise<void> {
    if (!(await this.keys.revoke(id))) throw DomainError.notFound('Active API key', id);
  }
}
