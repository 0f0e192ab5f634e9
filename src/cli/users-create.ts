// `npm run -s users:create -- --email anna@shop.example --role admin [--name "Anna"]`: creates a
// user of the admin web UI and prints a generated password once (only its scrypt hash is stored).
// `--reset-password`: a new generated password for an existing user (their sessions end).
// `--first-run` (npm run quickstart): creates the user only while the UI has no user at all and
// prints where and how to sign in; on a re-run it creates nobody and says how to reset instead.
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
  const { DATABASE_URL, PUBLIC_URL } = loadEnvFor('DATABASE_URL', 'PUBLIC_URL');
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL }) });
  const resetHint = (who: string) => `npm run -s users:create -- --email ${who} --reset-password`;
  try {
    const auth = new AdminAuthService(new AdminUsersRepository(prisma as unknown as PrismaService));
    if (argv.includes('--reset-password')) {
      const { user, password } = await auth.resetPassword(email);
      console.log(
        `Password of ${user.email} (${user.role}) reset; their sessions ended. New password (shown once, store it now): ${password}`,
      );
      return;
    }
    const signIn = `${PUBLIC_URL.replace(/\/+$/, '')}/admin`;
    if (argv.includes('--first-run')) {
      const existing = await auth.listUsers();
      if (existing.length) {
        const first = existing.find((u) => u.role === 'admin') ?? existing[0];
        console.log(`Admin UI: ${signIn}`);
        console.log(`  it has users already (e.g. ${first.email}); no new one was created.`);
        console.log(`  Forgot the password? ${resetHint(first.email)}`);
        return;
      }
    }
    const { user, password } = await auth.createUser({ email, role: role as (typeof ROLES)[number], name: flag(argv, 'name') ?? null });
    if (argv.includes('--first-run')) {
      console.log(`Admin UI: ${signIn}`);
      console.log(`  email:    ${user.email}`);
      console.log(`  password: ${password} (shown once, store it now; to reset: ${resetHint(user.email)})`);
      return;
    }
    console.log(`User ${user.email} (${user.role}) created. Password (shown once, store it now): ${password}`);
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  } finally {
    await prisma.$disconnect();
  }
});
