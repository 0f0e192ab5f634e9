// `npm run -s users:create -- --email anna@shop.example --role admin [--name "Anna"]`: creates a
// user of the admin web UI and prints a generated password once (only its scrypt hash is stored).
import { PrismaPg } from '@prisma/adapter-pg';
import { AdminAuthService } from '../admin/admin-auth.service';
import { AdminUsersRepository } from '../admin/admin-users.repository';
import { DomainError } from '../common/domain-error';
import { loadEnvFor } from '../config/env';
import type { PrismaService } from '../database/prisma.service';
import { PrismaClient } from '../generated/prisma/client';
import { CliError, flag, runCli } from './run-cli';

const ROLES = ['admin', 'marketer', 'viewer'] as const;

runCli(async () => {
  const argv = process.argv.slice(2);
  const email = flag(argv, 'email');
  const role = flag(argv, 'role') ?? 'admin';
  if (!email) throw new CliError('--email is required: npm run -s users:create -- --email anna@shop.example --role admin');
  if (!(ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, not "${role}"`);
  const { DATABASE_URL } = loadEnvFor('DATABASE_URL');
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL }) });
  try {
    const auth = new AdminAuthService(new AdminUsersRepository(prisma as unknown as PrismaService));
    const { user, password } = await auth.createUser({ email, role: role as (typeof ROLES)[number], name: flag(argv, 'name') ?? null });
    console.log(`User ${user.email} (${user.role}) created. Password (shown once, store it now): ${password}`);
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  } finally {
    await prisma.$disconnect();
  }
});
