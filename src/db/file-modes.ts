import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** What a database may leave beside itself: SQLite's WAL, shared-memory index and rollback journal. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/** Where modes were changed or could not be: roles, never paths (a path may name the organisation or a person). */
export interface ModeReport {
  tightened: string[];
  /** The folder is open to others but holds other files too, so it was left as it is. */
  sharedFolder: boolean;
}

const openToOthers = (mode: number) => (mode & 0o077) !== 0;
const owned = (uid: number) => typeof process.getuid !== 'function' || uid === process.getuid();

/**
 * Makes the database owner-only before SQLite opens it: the folder 0700 (created so, or tightened if
 * it holds only the database), the file 0600 (created empty so: SQLite gives its -wal and -shm the
 * mode of the database file), and any existing side file 0600.
 */
export function secureDatabaseFiles(path: string): ModeReport {
  const report: ModeReport = { tightened: [], sharedFolder: false };
  const folder = dirname(path);
  if (!existsSync(folder)) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } else {
    const stat = statSync(folder);
    if (openToOthers(stat.mode) && owned(stat.uid)) {
      // Only a folder of its own: chmod on a shared one (a home, /tmp, /var/lib) would break other things.
      const own = new Set([basename(path), ...SIDE_FILES.map((s) => basename(path) + s)]);
      if (readdirSync(folder).every((name) => own.has(name))) {
        chmodSync(folder, 0o700);
        report.tightened.push('folder');
      } else {
        report.sharedFolder = true;
      }
    }
  }
  createOwnerOnlyFile(path); // an empty file is an empty database; an existing one is kept
  for (const [role, file] of [['database', path], ...SIDE_FILES.map((s) => [s.slice(1), path + s])] as const) {
    if (!existsSync(file)) continue;
    const stat = statSync(file);
    if (openToOthers(stat.mode) && owned(stat.uid)) {
      chmodSync(file, 0o600);
      report.tightened.push(role);
    }
  }
  return report;
}

/** Creates a new file (never an existing one) readable by the owner only; false if it exists. */
export function createOwnerOnlyFile(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
