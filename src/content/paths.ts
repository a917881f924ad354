import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Paths named by content files. Whoever can write into the content folder must not be able to make
 * the bot read (and post) anything outside it: not with "../", an absolute path, a symlink to
 * /proc/self/environ, .env or the database, nor with a link swapped in after the folder was checked.
 */

export type Resolved = { ok: true; path: string } | { ok: false; reason: string };

/** True when `path` is `root` itself or below it (both already resolved). */
function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The content folder with its own links followed (it may itself be a symlink, e.g. a deploy checkout). */
export function realRoot(root: string): string {
  return realpathSync(resolve(root));
}

/**
 * Resolves `name` (as written in a content file, relative to `fromDir`) to a regular file whose real
 * path is inside `root`; otherwise says why not, in words for an editor.
 */
export function resolveContentPath(root: string, fromDir: string, name: string): Resolved {
  if (name.includes('\0')) return { ok: false, reason: `"${name}" is not a file name` };
  if (isAbsolute(name)) return { ok: false, reason: `"${name}" is an absolute path; name a file inside the content folder, relative to the post` };
  const lexical = resolve(fromDir, name);
  if (!within(resolve(root), lexical)) return { ok: false, reason: `"${name}" points outside the content folder` };
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    return { ok: false, reason: `file "${name}" not found next to the post (${relative(root, lexical)})` };
  }
  if (!within(realRoot(root), real)) return { ok: false, reason: `"${name}" is a link to a place outside the content folder` };
  if (!lstatSync(real).isFile()) return { ok: false, reason: `"${name}" is not a regular file` };
  return { ok: true, path: lexical };
}

/** Where an open descriptor really points, where the system can tell (Linux: /proc/self/fd). */
function openedPath(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/**
 * Opens a file named by content for reading, checking again at this moment: the real path must still
 * be inside `root`, the last component is opened without following a link (O_NOFOLLOW), and the
 * opened descriptor is checked to be that very file, so a link swapped in between is refused.
 * Throws an Error whose message says which file and why. The caller closes the descriptor.
 */
export function openContentFile(root: string, path: string, maxBytes: number): { fd: number; size: number } {
  const refuse = (reason: string) => new Error(`refused to read ${relative(resolve(root), resolve(path)) || path}: ${reason}`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw refuse('it no longer exists');
  }
  const base = realRoot(root);
  if (!within(base, real)) throw refuse('it resolves outside the content folder (a link?)');
  // A FIFO (or a device) would block a plain open() until someone writes to it, and with it the whole
  // bot: refuse anything but a regular file first, and open without blocking in case one is swapped in.
  if (!lstatSync(real).isFile()) throw refuse('it is not a regular file (a FIFO, a device or a folder)');
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(`cannot be opened without following a link (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const opened = openedPath(fd);
    if (opened !== undefined && !within(base, opened)) throw refuse('it was swapped for a link outside the content folder');
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse('it is not a regular file');
    if (opened === undefined) {
      // No /proc: the descriptor must still be the file the checked path names.
      const now = lstatSync(real);
      if (now.ino !== stat.ino || now.dev !== stat.dev) throw refuse('it changed while being opened');
    }
    if (stat.size > maxBytes) throw refuse(`it is ${stat.size} bytes, more than ${maxBytes}`);
    return { fd, size: stat.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads a whole (small) file named by content, with the checks of openContentFile. */
export function readContentFile(root: string, path: string, maxBytes: number): Buffer {
  const { fd, size } = openContentFile(root, path, maxBytes);
  try {
    const buffer = Buffer.alloc(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, buffer, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}
