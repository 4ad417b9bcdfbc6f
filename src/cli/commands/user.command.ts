import type { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '#server/config.ts';
import { AppError } from '#server/errors.ts';
import { findAgencyBySlug } from '#server/features/agencies/agencies.repository.ts';
import { createUser } from '#server/features/users/users.service.ts';
import { agencySlugSchema } from '#shared/contracts/agencies.ts';
import { createUserSchema } from '#shared/contracts/users.ts';
import { CliError } from '../cli-error.ts';
import { withDatabase } from './database.command.ts';

const optionsSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: z.string(),
  agency: agencySlugSchema,
  passwordStdin: z.literal(true, {
    error: 'pass the password on standard input with --password-stdin',
  }),
});

export function registerUserCommands(program: Command, getConfig: () => Config): void {
  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user; the password is read from standard input')
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .requiredOption('--name <name>', 'display name')
    .requiredOption(
      '--role <role>',
      'officer, supervisor, analyst, agency_admin, coordinator or admin',
    )
    .requiredOption('--agency <slug>', 'the agency’s slug, such as demo')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (raw: unknown) => {
      const options = parseOrExplain(optionsSchema, raw, {
        email: '--email',
        name: '--name',
        role: '--role',
        agency: '--agency',
        passwordStdin: '--password-stdin',
      });
      const password = (await readStdin()).replace(/\r?\n$/, '');
      const input = parseOrExplain(
        createUserSchema,
        { email: options.email, displayName: options.name, role: options.role, password },
        { email: '--email', displayName: '--name', role: '--role', password: 'password' },
      );
      const created = await withDatabase(getConfig(), 'milepost user create', async ({ db }) => {
        const agency = await findAgencyBySlug(db, options.agency);
        if (!agency) throw new CliError(`--agency: no agency with the slug ${options.agency}`);
        try {
          return await createUser(
            db,
            null,
            { ...input, agencyId: agency.id },
            {
              ip: null,
              userAgent: 'milepost user create',
              requestId: null,
            },
          );
        } catch (error) {
          if (error instanceof AppError) {
            const fields = error.fieldErrors?.map((e) => `${e.field}: ${e.message}`).join('; ');
            throw new CliError(fields || error.message);
          }
          throw error;
        }
      });
      process.stdout.write(`Created ${created.role} ${created.email} (${created.id}).\n`);
    });
}

function parseOrExplain<T extends z.ZodType>(
  schema: T,
  value: unknown,
  names: Record<string, string>,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `${names[key] ?? key}: ${issue.message}`;
  });
  throw new CliError(problems.join('; '));
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliError(
      '--password-stdin: pipe the password in, e.g. `printf %s "$PW" | milepost ...`',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
