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
