import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../generated/prisma/enums';

export const PUBLIC_ROUTE = 'otklik:public';
export const REQUIRED_ROLE = 'otklik:role';

/** No API key needed: health, and later tracking, unsubscribe and webhooks (verified by signature). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Overrides the default (viewer to read, marketer to write). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

export interface Principal {
  kind: 'api_key';
  id: number;
  role: Role;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined => {
  return context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
});
