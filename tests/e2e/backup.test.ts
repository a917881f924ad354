import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { ensureClient } from '../../src/db/clients.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { PROJECT_ROOT } from '../support/bot-process.js';

describe('npm run backup', () => {
  it('copies the live database consistently and never overwrites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-'));
    const live = openDatabase(join(dir, 'bot.db'));
    const privacy = createPrivacy('backup-secret-backup-secret-backup-secret');
    const { pseudonym } = ensureClient(live, privacy, privacy.clientKey(77), 77); // still open: WAL not checkpointed
    const run = () =>
      spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src', 'cli', 'backup.ts'), 'copy.db'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'bot.db') },
        encoding: 'utf8',
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Backed up .* to .*copy\.db/);
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    expect(copy.prepare('SELECT pseudonym FROM clients').all()).toEqual([{ pseudonym }]);
    copy.close();
    const second = run();
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already exists/);
    expect(existsSync(join(dir, 'copy.db'))).toBe(true);
    live.$client.close();
  });
});

describe('npm run purge', () => {
  it('removes closed cases past the retention period and keeps the figures', async () => {
    const { openCase, closeCase } = await import('../../src/inbox/cases.js');
    const { caseStats, cases } = await import('../../src/db/schema.js');
    const dir = mkdtempSync(join(tmpdir(), 'purge-'));
    const db = openDatabase(join(dir, 'bot.db'));
    const privacy = createPrivacy('purge-secret-purge-secret-purge-secret-1');
    const key = privacy.clientKey(5);
    ensureClient(db, privacy, key, 5);
    const row = openCase(db, { clientKey: key, topic: 'other', urgent: false, now: 0 }).case;
    closeCase(db, row.id, Date.now() - 40 * 86_400_000);
    db.$client.close();
    const run = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src', 'cli', 'purge.ts')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'bot.db'), RETENTION_DAYS: '30' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Purged 1 closed case(s) older than 30 days');
    const after = openDatabase(join(dir, 'bot.db'));
    expect(after.select().from(cases).all()).toEqual([]);
    expect(after.select().from(caseStats).all()).toHaveLength(1);
    after.$client.close();
  });
});
