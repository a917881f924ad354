import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** One form a secret may take on disk. */
export interface Needle {
  label: string;
  bytes: Buffer;
}

export interface Finding {
  file: string;
  needle: string;
  offset: number;
}

/** What a test client is: everything that must never be found on disk in clear. */
export interface Identity {
  id: number;
  strings: string[];
}

/**
 * SQLite stores an integer in the fewest big-endian bytes of 1, 2, 3, 4, 6 or 8 that hold it
 * (two's complement), as serial types 1–6.
 */
export function sqliteIntegerBytes(value: number): Buffer {
  const full = Buffer.alloc(8);
  full.writeBigInt64BE(BigInt(value));
  for (const size of [1, 2, 3, 4, 6, 8]) {
    const min = -(2n ** BigInt(size * 8 - 1));
    if (BigInt(value) >= min && BigInt(value) < -min) return full.subarray(8 - size);
  }
  return full;
}

/** JSON's \uXXXX escapes of the non-ASCII characters, as some serializers write them. */
function jsonEscaped(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every form the scan looks for: the id as decimal text and as integers, the strings as UTF-8, UTF-16LE and JSON escapes. */
export function needlesFor(identity: Identity): Needle[] {
  const id = BigInt(identity.id);
  const be = Buffer.alloc(8);
  be.writeBigInt64BE(id);
  const le = Buffer.alloc(8);
  le.writeBigInt64LE(id);
  const needles: Needle[] = [
    { label: `id ${identity.id} as 8-byte big-endian`, bytes: be },
    { label: `id ${identity.id} as 8-byte little-endian`, bytes: le },
    { label: `id ${identity.id} as SQLite's minimal big-endian integer`, bytes: sqliteIntegerBytes(identity.id) },
  ];
  for (const text of [String(identity.id), ...identity.strings]) {
    needles.push({ label: `"${text}" (UTF-8)`, bytes: Buffer.from(text, 'utf8') });
    needles.push({ label: `"${text}" (UTF-16LE)`, bytes: Buffer.from(text, 'utf16le') });
    if (jsonEscaped(text) !== text) needles.push({ label: `"${text}" (JSON-escaped)`, bytes: Buffer.from(jsonEscaped(text), 'utf8') });
  }
  return needles;
}

/** Every place one of the needles occurs in the files that exist (a missing -wal or -shm is simply not there). */
export function scanFiles(paths: string[], needles: Needle[]): Finding[] {
  const findings: Finding[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const data = readFileSync(path);
    for (const needle of needles) {
      for (let at = data.indexOf(needle.bytes); at !== -1; at = data.indexOf(needle.bytes, at + 1)) {
        findings.push({ file: basename(path), needle: needle.label, offset: at });
      }
    }
  }
  return findings;
}

/** The database and what SQLite keeps beside it. */
export function databaseFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
}
