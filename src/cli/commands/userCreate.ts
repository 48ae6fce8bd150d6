import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { parseOptions } from '../args.ts';
import { cliContext } from '../context.ts';
import { openDatabase } from '../../node/openDatabase.ts';
import { createUser, MIN_PASSWORD_LENGTH } from '../../auth/createUser.ts';

export const userCreateCommand: Command = {
  name: 'user create',
  summary: 'create a user of the embedded login (prints a generated password when none is given)',
  usage: `
Usage: spacesync user create --email EMAIL [--admin] [--password PASSWORD]

  --email EMAIL        the user's email (unique, case-insensitive)
  --admin              make the user an admin (may edit the catalog, read logs)
  --password PASSWORD  at least ${MIN_PASSWORD_LENGTH} characters; omitted: a random one is generated and
                       printed once (it is stored hashed with PBKDF2-SHA256)

Never prompts: safe in scripts. Prefer leaving --password out over putting one in shell history.`,
  async run(args) {
    const { values } = parseOptions(args, {
      email: { type: 'string' },
      admin: { type: 'boolean', default: false },
      password: { type: 'string' },
    });
    if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) throw new UsageError('--email must be an email address (see --help)');
    if (values.password !== undefined && values.password.length < MIN_PASSWORD_LENGTH) {
      throw new UsageError(`--password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
    }
    const { config, log } = cliContext();
    const db = await openDatabase(config, log);
    try {
      const user = await createUser(db.pool, { email: values.email, password: values.password, admin: values.admin });
      console.log(`created ${user.role} ${user.email} (id ${user.id})`);
      if (user.password) console.log(`password: ${user.password}\n(shown once: keep it somewhere safe)`);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new UsageError(`a user with the email ${values.email} already exists`);
      throw error;
    } finally {
      await db.close();
    }
  },
};
