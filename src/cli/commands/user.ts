import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { addStaffUser } from '../../billing/add-staff-user.ts';
import { readId } from '../../billing/read-text.ts';
import { AppError } from '../../core/errors/index.ts';
import { setUserPassword, type UserKind } from '../../ui/access/set-user-password.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface PasswordOptions {
  staff?: string;
  client?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

/** Where `--password-stdin` reads from (tests replace `read`). */
export const passwordInput = {
  async read(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** `certbill user add-staff|password`: staff users and panel logins. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Staff users and panel logins (passwords)');

  user
    .command('add-staff')
    .description('Add a staff user (role admin); give it a login with `user password --staff`')
    .requiredOption('--email <email>', 'the e-mail address (the login name)')
    .requiredOption('--name <name>', 'the name shown in the panel')
    .option('--department <id>', 'the department the user belongs to')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { email: string; name: string; department?: string; json?: boolean }) => {
          const departmentId =
            opts.department === undefined ? null : readId(opts.department, 'department id');
          return withAppContext((ctx) =>
            addStaffUser(ctx, { email: opts.email, name: opts.name, departmentId }),
          );
        },
        (s) =>
          `Staff user ${s.id} ${s.email} added; set a panel password with: certbill user password --staff ${s.email}`,
      ),
    );

  user
    .command('password')
    .description(
      'Set the panel password of a staff or client user (ends their sessions); without --password-stdin a random one is made and printed once',
    )
    .option('--staff <email>', 'a staff user')
    .option('--client <email>', 'a client user')
    .option('--password-stdin', 'read the password from standard input (one line)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: PasswordOptions) => {
          if ((opts.staff === undefined) === (opts.client === undefined)) {
            throw new AppError('CORE_VALIDATION', 'Give exactly one of --staff <email> or --client <email>.');
          }
          const kind: UserKind = opts.staff !== undefined ? 'staff' : 'client';
          const email = (opts.staff ?? opts.client) as string;
          const generated = opts.passwordStdin ? null : randomBytes(18).toString('base64url');
          const password = generated ?? (await passwordInput.read()).replace(/\r?\n$/, '');
          const set = await withAppContext((ctx) => setUserPassword(ctx, { kind, email, password }));
          return { ...set, ...(generated ? { password: generated } : {}) };
        },
        (r) =>
          r.password
            ? `Password of ${r.kind} user ${r.email} set — shown once, keep it safe:\n${r.password}`
            : `Password of ${r.kind} user ${r.email} set.`,
      ),
    );
}
