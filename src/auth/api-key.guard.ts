import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import type { Role } from '../generated/prisma/enums';
import { Principal, PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';
import { AuthService } from './auth.service';
import { defaultRoleFor, roleAllows } from './roles';

/** Global guard: every route needs an API key (Authorization: Bearer … or X-Api-Key) unless @Public. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const key = extractKey(request);
    if (!key) throw new DomainError('unauthenticated', 'An API key is required: send "Authorization: Bearer <key>"');
    const principal = await this.auth.authenticate(key);
    if (!principal) throw new DomainError('unauthenticated', 'The API key is unknown or revoked');

    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? defaultRoleFor(request.method);
    if (!roleAllows(principal.role, required)) {
      throw new DomainError('forbidden', `This needs the ${required} role; the key has ${principal.role}`);
    }
    request.principal = principal;
    return true;
  }
}

function extractKey(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const alt = request.headers['x-api-key'];
  return typeof alt === 'string' ? alt.trim() : undefined;
}
