import { badRequest, TG } from '../errors.js';
import { formatText, MESSAGE_TEXT, CAPTION } from '../formatted-text.js';
import type { MessageEntity } from '../types.js';
import type { CallContext, Handler } from './context.js';
import { deliver, prepareTarget } from './target.js';

/** sendMessage, sendPoll, sendLocation, sendVenue, sendContact, sendDice. Media: see media.ts. */

const sendMessage: Handler = (ctx) => {
  const { params } = ctx;
  const target = prepareTarget(ctx);
  const text = formatText(String(params.text ?? ''), params.parse_mode, params.entities as MessageEntity[] | undefined,
    MESSAGE_TEXT, { strictEntities: ctx.behaviour.strictEntities });
  const extra = params.link_preview_options ? { link_preview_options: params.link_preview_options } : {};
  return deliver(ctx, target, { ...text, ...extra });
};

interface InputPollOption {
  text: string;
  text_parse_mode?: string;
  text_entities?: MessageEntity[];
}

const sendPoll: Handler = (ctx) => {
  const { params, world } = ctx;
  const strict = { strictEntities: ctx.behaviour.strictEntities };
  const target = prepareTarget(ctx);
  const question = formatText(String(params.question), params.question_parse_mode, params.question_entities as MessageEntity[] | undefined,
    { max: 300, allowEmpty: false, tooLong: 'poll question is too long (1-300 characters)', empty: 'poll question must be non-empty' }, strict);
  const inputs = params.options as InputPollOption[];
  if (inputs.length < 1 || inputs.length > 12) throw badRequest(`poll must have 1-12 options, got ${inputs.length}`);
  const options = inputs.map((option, index) => {
    const text = formatText(option.text, option.text_parse_mode, option.text_entities,
      { max: 100, allowEmpty: false, tooLong: 'poll option is too long (1-100 characters)', empty: 'poll option must be non-empty' }, strict);
    return { persistent_id: String(index), text: text.text, ...(text.entities ? { text_entities: text.entities } : {}), voter_count: 0 };
  });
  const isAnonymous = params.is_anonymous !== false;
  if (!isAnonymous && target.record.chat.type === 'channel') throw badRequest("non-anonymous polls can't be sent to channel chats");
  const type = (params.type as string | undefined) ?? 'regular';
  if (type !== 'regular' && type !== 'quiz') throw badRequest(`poll type must be "regular" or "quiz", got "${type}"`);
  if (type === 'quiz' && !Array.isArray(params.correct_option_ids)) throw badRequest('quiz poll must have correct_option_ids');
  const explanation = params.explanation === undefined ? undefined : formatText(String(params.explanation), params.explanation_parse_mode,
    params.explanation_entities as MessageEntity[] | undefined, { ...CAPTION, max: 200, tooLong: 'poll explanation is too long' }, strict);
  const poll = {
    id: String(5_000_000_000_000_000n + BigInt(world.unique())),
    question: question.text,
    ...(question.entities ? { question_entities: question.entities } : {}),
    options,
    total_voter_count: 0,
    is_closed: params.is_closed === true,
    is_anonymous: isAnonymous,
    type,
    allows_multiple_answers: params.allows_multiple_answers === true,
    allows_revoting: params.allows_revoting === true,
    members_only: params.members_only === true,
    ...(params.correct_option_ids ? { correct_option_ids: params.correct_option_ids } : {}),
    ...(explanation?.text ? { explanation: explanation.text, ...(explanation.entities ? { explanation_entities: explanation.entities } : {}) } : {}),
    ...(params.open_period !== undefined ? { open_period: params.open_period } : {}),
    ...(params.close_date !== undefined ? { close_date: params.close_date } : {}),
  };
  return deliver(ctx, target, { poll });
};

const location = (params: CallContext['params']) => ({
  latitude: params.latitude,
  longitude: params.longitude,
  ...(params.horizontal_accuracy !== undefined ? { horizontal_accuracy: params.horizontal_accuracy } : {}),
  ...(params.live_period !== undefined ? { live_period: params.live_period } : {}),
});

const sendLocation: Handler = (ctx) => deliver(ctx, prepareTarget(ctx), { location: location(ctx.params) });

const sendVenue: Handler = (ctx) => {
  const { params } = ctx;
  const venue = { location: location(params), title: params.title, address: params.address };
  return deliver(ctx, prepareTarget(ctx), { venue, location: location(params) });
};

const sendContact: Handler = (ctx) => {
  const { params } = ctx;
  const contact = { phone_number: params.phone_number, first_name: params.first_name,
    ...(params.last_name !== undefined ? { last_name: params.last_name } : {}),
    ...(params.vcard !== undefined ? { vcard: params.vcard } : {}) };
  return deliver(ctx, prepareTarget(ctx), { contact });
};

const DICE: Record<string, number> = { '🎲': 6, '🎯': 6, '🎳': 6, '🏀': 5, '⚽': 5, '🎰': 64 };

const sendDice: Handler = (ctx) => {
  const emoji = (ctx.params.emoji as string | undefined) ?? '🎲';
  const faces = DICE[emoji];
  if (!faces) throw badRequest('DICE_EMOJI_INVALID'); // unverified wording
  const target = prepareTarget(ctx);
  return deliver(ctx, target, { dice: { emoji, value: (target.record.nextMessageId % faces) + 1 } });
};

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

const sendChatAction: Handler = (ctx) => {
  if (!CHAT_ACTIONS.has(String(ctx.params.action))) throw badRequest(TG.wrongAction);
  prepareTarget(ctx);
  return true;
};

export const sendHandlers: Record<string, Handler> = {
  sendMessage, sendPoll, sendLocation, sendVenue, sendContact, sendDice, sendChatAction,
};
