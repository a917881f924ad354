import { ApiError, badRequest, TG } from '../errors.js';
import type { World } from '../state.js';
import type { BotCommand } from '../types.js';
import type { GetUpdatesParams } from '../updates.js';
import { complete, type CallContext, type Handler } from './context.js';

/** getMe, getUpdates, webhooks, commands, name/descriptions, answerCallbackQuery. */

const getMe: Handler = (ctx) => ({
  ...complete(ctx.spec, 'User', {}),
  ...ctx.world.bot,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  ...(ctx.world.privateTopics ? { has_topics_enabled: true, allows_users_to_create_topics: false } : {}),
});

const getUpdates: Handler = (ctx) => {
  if (ctx.world.webhook.url !== '') throw new ApiError(409, TG.conflictWebhook);
  return ctx.updates.getUpdates(ctx.params as GetUpdatesParams, ctx.gone);
};

const setWebhook: Handler = (ctx) => {
  const { url, ...rest } = ctx.params;
  if (typeof url === 'string' && url !== '' && !/^https:\/\//i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  ctx.world.webhook = { url: String(url ?? ''), params: rest };
  if (rest.drop_pending_updates === true) ctx.updates.confirmAll();
  return true;
};

const deleteWebhook: Handler = (ctx) => {
  ctx.world.webhook = { url: '', params: {} };
  if (ctx.params.drop_pending_updates === true) ctx.updates.confirmAll();
  return true;
};

const getWebhookInfo: Handler = (ctx) => {
  const { url, params } = ctx.world.webhook;
  return {
    url,
    has_custom_certificate: false,
    pending_update_count: ctx.updates.unconfirmed().length,
    ...(url && params.max_connections !== undefined ? { max_connections: params.max_connections } : {}),
    ...(url && params.allowed_updates !== undefined ? { allowed_updates: params.allowed_updates } : {}),
  };
};

interface Scope {
  type: string;
  chat_id?: number | string;
  user_id?: number;
}

/** Where commands are stored: the scope (with chat ids resolved) and the language. */
export function commandsKey(world: World, scope: Scope | undefined, language: string | undefined): string {
  const type = scope?.type ?? 'default';
  const parts = [type];
  if (scope?.chat_id !== undefined) parts.push(String(world.requireChat(scope.chat_id).chat.id));
  if (scope?.user_id !== undefined) {
    if (!world.users.has(scope.user_id)) throw badRequest(TG.userNotFound);
    parts.push(String(scope.user_id));
  }
  return `${parts.join(':')}|${language ?? ''}`;
}

function checkLanguage(language: unknown): void {
  if (language !== undefined && language !== '' && !/^[a-z]{2}$/.test(String(language))) {
    throw badRequest(`fake-telegram: language_code must be a two-letter ISO 639-1 code or empty, got "${String(language)}"`);
  }
}

function key(ctx: CallContext): string {
  checkLanguage(ctx.params.language_code);
  return commandsKey(ctx.world, ctx.params.scope as Scope | undefined, ctx.params.language_code as string | undefined);
}

const setMyCommands: Handler = (ctx) => {
  const commands = ctx.params.commands as BotCommand[];
  if (commands.length > 100) throw badRequest(TG.commandsTooMuch);
  for (const { command, description } of commands) {
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest(TG.commandInvalid);
    if (description.trim().length < 1 || description.length > 256) throw badRequest(TG.commandDescriptionInvalid);
  }
  const where = key(ctx);
  if (commands.length === 0) ctx.world.commands.delete(where);
  else ctx.world.commands.set(where, commands.map(({ command, description }) => ({ command, description })));
  return true;
};

const getMyCommands: Handler = (ctx) => structuredClone(ctx.world.commands.get(key(ctx)) ?? []);

const deleteMyCommands: Handler = (ctx) => {
  ctx.world.commands.delete(key(ctx));
  return true;
};

/** setMyName / setMyDescription / setMyShortDescription and their getters. */
function botText(kind: 'name' | 'description' | 'short_description', max: number): [Handler, Handler] {
  const set: Handler = (ctx) => {
    checkLanguage(ctx.params.language_code);
    const value = String(ctx.params[kind] ?? '');
    if (value.length > max) throw badRequest(`fake-telegram: ${kind} must be at most ${max} characters, got ${value.length}`);
    const where = `${kind}|${String(ctx.params.language_code ?? '')}`;
    if (value === '') ctx.world.botTexts.delete(where);
    else ctx.world.botTexts.set(where, value);
    return true;
  };
  const get: Handler = (ctx) => {
    checkLanguage(ctx.params.language_code);
    const stored = ctx.world.botTexts.get(`${kind}|${String(ctx.params.language_code ?? '')}`) ?? ctx.world.botTexts.get(`${kind}|`);
    return { [kind]: stored ?? (kind === 'name' ? ctx.world.bot.first_name : '') };
  };
  return [set, get];
}

const [setMyName, getMyName] = botText('name', 64);
const [setMyDescription, getMyDescription] = botText('description', 512);
const [setMyShortDescription, getMyShortDescription] = botText('short_description', 120);

const answerCallbackQuery: Handler = (ctx) => {
  const record = ctx.world.callbackQueries.get(String(ctx.params.callback_query_id));
  if (!record || record.answered) throw badRequest(TG.queryTooOld);
  if (typeof ctx.params.text === 'string' && ctx.params.text.length > 200) throw badRequest(TG.callbackAnswerTooLong);
  record.answered = true;
  record.answer = structuredClone(ctx.params);
  return true;
};

export const botHandlers: Record<string, Handler> = {
  getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands, getMyCommands, deleteMyCommands,
  setMyName, getMyName, setMyDescription, getMyDescription, setMyShortDescription, getMyShortDescription,
  answerCallbackQuery, logOut: () => true, close: () => true,
};
