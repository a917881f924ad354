/**
 * The reference for `npm run bench`: a bare grammY relay, the least a relay bot can do. Client
 * messages are copied into their topic, replies in a topic are copied back; topics come from a
 * Map (read from TOPICS_FILE). No database, no pacing, no journal, no privacy: only what the
 * throughput of the real bot is compared with. Runs updates concurrently (runner), in order per chat.
 */
import { readFileSync } from 'node:fs';
import { Bot } from 'grammy';
import { run, sequentialize } from '@grammyjs/runner';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const staffChatId = Number(env('STAFF_CHAT_ID'));
const topicOf = new Map<number, number>(JSON.parse(readFileSync(env('TOPICS_FILE'), 'utf8')) as [number, number][]);
const clientOf = new Map([...topicOf].map(([client, thread]) => [thread, client]));

const bot = new Bot(env('BOT_TOKEN'), { client: { apiRoot: env('TELEGRAM_API_ROOT') } });
bot.use(sequentialize((ctx) => ctx.chat && String(ctx.chat.id)));
bot.chatType('private').on('message', async (ctx) => {
  const thread = topicOf.get(ctx.chat.id);
  if (thread !== undefined) await ctx.copyMessage(staffChatId, { message_thread_id: thread });
});
bot.on('message', async (ctx) => {
  const client = ctx.chat.id === staffChatId && ctx.msg.message_thread_id !== undefined ? clientOf.get(ctx.msg.message_thread_id) : undefined;
  if (client !== undefined && !ctx.from?.is_bot) await ctx.copyMessage(client);
});
bot.catch((error) => console.error('bare relay:', error.message));

const runner = run(bot);
await bot.init();
console.log('bare relay started');
const stop = () => void runner.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
