// The `wenming` command: start | migrate | seed | user … | apikey …  (`npm start` is `wenming start`).
// Heavy modules load only for the command that needs them, so `--help` and the short commands start fast.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.js';
import { ROLES, type Role } from '../core/roles.js';
import { Problem } from './errors.js';

const HELP: Record<string, string> = {
  main: `Usage: wenming <command> [options]

Commands:
  start                      migrate, load the demo street when the database is empty (WENMING_DEMO=true), serve
  migrate                    apply database migrations and exit
  seed [--demo]              load baseline data; with --demo, the demo street into an empty database
  user create …              create a user (see wenming user create --help)
  user reset-password <name> set a new temporary password and print it
  apikey create <name>       issue an API key for an outside system (printed once)
  apikey revoke <id>         revoke an API key

Configuration comes from environment variables (see docs/configuration.md): DATABASE_URL, PORT, HOST, WENMING_DEMO, …
Run any command with --help for its options.`,
  start: `Usage: wenming start\n\nStarts the server (PORT, default 3000). WENMING_ROLE=api|worker|all splits API and job worker.`,
  migrate: `Usage: wenming migrate\n\nApplies pending migrations to DATABASE_URL and exits.`,
  seed: `Usage: wenming seed [--demo]\n\nLoads baseline data (point types). --demo loads the demo street if the database has no org nodes yet.`,
  'user create': `Usage: wenming user create --username <u> --name <display name> --role <role> --org <org code or id> [--phone <p>] [--password <p>]

Roles: ${ROLES.join(', ')}. Without --password a temporary password is printed and must be changed at first sign-in.`,
  'user reset-password': `Usage: wenming user reset-password <username>\n\nPrints a new temporary password; the user's sessions are ended.`,
  'apikey create': `Usage: wenming apikey create <name> [--source <source>] [--rate <requests per minute>]\n\nThe key is printed once; only its hash is stored.`,
  'apikey revoke': `Usage: wenming apikey revoke <id>`,
};

function fail(message: string): never {
  process.stderr.write(`wenming: ${message}\n`);
  process.exit(2);
}

type PreparedDeps = Awaited<ReturnType<typeof import('./db/prepare.js')['prepareDatabase']>>['deps'];

async function withDb<T>(fn: (deps: PreparedDeps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { prepareDatabase } = await import('./db/prepare.js');
  const { opened, deps } = await prepareDatabase(config);
  try {
    return await fn(deps);
  } finally {
    await opened.close();
  }
}

export async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      demo: { type: 'boolean' },
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      org: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      source: { type: 'string' },
      rate: { type: 'string' },
    },
  });
  const [cmd, sub, arg] = positionals;
  const key = cmd === 'user' || cmd === 'apikey' ? `${cmd} ${sub ?? ''}`.trim() : cmd;
  if (!cmd || (values.help && !HELP[key])) {
    process.stdout.write(`${HELP.main}\n`);
    return;
  }
  if (values.help) {
    process.stdout.write(`${HELP[key]}\n`);
    return;
  }
  switch (key) {
    case 'start': {
      const { startServer } = await import('./main.js');
      const running = await startServer(loadConfig());
      const shutdown = () => void running.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return;
    }
    case 'migrate':
      await withDb(async () => process.stdout.write('migrations applied\n'));
      return;
    case 'seed':
      await withDb(async (deps) => {
        const { loadDemoIfEmpty } = await import('./db/seed/demo-load.js');
        if (values.demo) {
          const loaded = await loadDemoIfEmpty(deps);
          process.stdout.write(loaded ? `demo street loaded: ${loaded.orgs} org nodes, ${loaded.points} points, ${loaded.users} people, ${loaded.cases} cases, ${loaded.caseEvents} case events\n` : 'the database already has org nodes; demo not loaded\n');
        } else process.stdout.write('baseline data loaded\n');
      });
      return;
    case 'user create': {
      const { username, name, role, org, phone, password } = values as Record<string, string | undefined>;
      if (!username || !name || !role || !org) fail(`missing options\n\n${HELP['user create']}`);
      if (!(ROLES as readonly string[]).includes(role!)) fail(`unknown role ${role}; one of ${ROLES.join(', ')}`);
      const { hashPassword, assertStrongPassword } = await import('./modules/auth/passwords.js');
      const { temporaryPassword } = await import('./modules/users/service.js');
      if (password) assertStrongPassword(password);
      const temp = password ? null : temporaryPassword();
      await withDb(async (deps) => {
        const { orgRepo } = await import('./modules/org/repo.js');
        const { userRepo } = await import('./modules/users/repo.js');
        const { audit } = await import('./lib/audit.js');
        const { nowIso } = await import('./db/database.js');
        const target = /^\d{1,9}$/.test(org!) ? await orgRepo.byId(deps.db, Number(org)) : await orgRepo.byCode(deps.db, org!);
        const orgRow = target ?? (await deps.db.selectFrom('orgs').selectAll().where('name', '=', org!).executeTakeFirst());
        if (!orgRow) fail(`org not found: ${org}`);
        if (await userRepo.byUsername(deps.db, username!)) fail(`username already exists: ${username}`);
        const hash = await hashPassword(password ?? temp!);
        await deps.db.transaction().execute(async (trx) => {
          const id = await userRepo.insert(trx, { username: username!, displayName: name!, phone: phone ?? null, role: role as Role, orgId: orgRow!.id, passwordHash: hash, mustChangePassword: !password, now: nowIso() });
          await audit(trx, null, { action: 'user.create', targetType: 'user', targetId: id, orgPath: orgRow!.path, detail: { username, role, via: 'cli' } });
        });
      });
      process.stdout.write(`created ${username}${temp ? `; temporary password: ${temp}` : ''}\n`);
      return;
    }
    case 'user reset-password': {
      if (!arg) fail(HELP['user reset-password']);
      const { hashPassword } = await import('./modules/auth/passwords.js');
      const { temporaryPassword } = await import('./modules/users/service.js');
      const temp = temporaryPassword();
      await withDb(async (deps) => {
        const { authRepo } = await import('./modules/auth/repo.js');
        const { audit } = await import('./lib/audit.js');
        const { nowIso } = await import('./db/database.js');
        const u = await authRepo.findUserByUsername(deps.db, arg);
        if (!u) fail(`no such user: ${arg}`);
        const hash = await hashPassword(temp);
        await deps.db.transaction().execute(async (trx) => {
          await authRepo.setPassword(trx, u!.id, hash, true, nowIso());
          await authRepo.deleteUserSessions(trx, u!.id);
          await audit(trx, null, { action: 'user.reset_password', targetType: 'user', targetId: u!.id, detail: { via: 'cli' } });
        });
      });
      process.stdout.write(`temporary password for ${arg}: ${temp}\n`);
      return;
    }
    case 'apikey create': {
      if (!arg) fail(HELP['apikey create']);
      const rate = values.rate ? Number(values.rate) : undefined;
      if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 100000)) fail('--rate must be an integer from 1 to 100000');
      const { createApiKey } = await import('./modules/admin/service.js');
      const created = await withDb((deps) => createApiKey(deps, null, { name: arg, source: (values.source as string) ?? arg, rateLimitPerMinute: rate }));
      process.stdout.write(`api key ${created.id} (${created.name}, source ${created.source}): ${created.key}\nStore it now: it is not shown again.\n`);
      return;
    }
    case 'apikey revoke': {
      if (!arg || !/^\d+$/.test(arg)) fail(HELP['apikey revoke']);
      const { revokeApiKey } = await import('./modules/admin/service.js');
      await withDb((deps) => revokeApiKey(deps, null, Number(arg)));
      process.stdout.write(`api key ${arg} revoked\n`);
      return;
    }
    default:
      fail(`unknown command "${positionals.join(' ')}"\n\n${HELP.main}`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError || (err as Error).name === 'DatabaseSetupError') fail(err.message);
  if (err instanceof Problem) fail(err.message);
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
