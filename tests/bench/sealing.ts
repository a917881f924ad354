/**
 * npx tsx tests/bench/sealing.ts: what sealing the update journal costs per update, in-process and
 * without the noise of a shared machine's HTTP and SQLite (the throughput scenario measures the whole).
 * A typical client text update (about 450 bytes of JSON) is sealed and opened, as journal and replay do.
 */
import { createPrivacy } from '../../src/privacy/keys.js';

const { journal } = createPrivacy('bench-secret-bench-secret-bench-secret-00');
const update = JSON.stringify({
  update_id: 912345678,
  message: {
    message_id: 4242,
    date: 1_764_000_000,
    chat: { id: 7412598306, type: 'private', first_name: 'Зарина', last_name: 'Квондикова', username: 'some_user_name' },
    from: { id: 7412598306, is_bot: false, first_name: 'Зарина', last_name: 'Квондикова', username: 'some_user_name', language_code: 'ru' },
    text: 'Здравствуйте, мне нужна консультация, у друга после соли третий день нет сна и паника, что делать?',
  },
});
const rounds = 200_000;
for (let i = 0; i < 20_000; i++) journal.open(journal.seal(update, 'update_journal:1'), 'update_journal:1'); // warm-up
/** Microseconds per call of `work`, over `rounds` calls. */
function time(work: (i: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) work(i);
  return Number(process.hrtime.bigint() - start) / rounds / 1000;
}
const sealed = journal.seal(update, 'update_journal:1');
const seal = time((i) => journal.seal(update, `update_journal:${i}`)); // every fetched update
const open = time(() => journal.open(sealed, 'update_journal:1')); // only on replay after a crash
const plain = time(() => JSON.stringify(JSON.parse(update))); // for scale: what the journal already did
process.stdout.write(
  `seal ${seal.toFixed(1)} µs, open ${open.toFixed(1)} µs per update; JSON parse + stringify ${plain.toFixed(1)} µs; ` +
    `${Buffer.byteLength(update)} bytes of JSON → ${sealed.length} characters stored\n`,
);
