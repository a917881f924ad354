import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * A client as the system knows them: a keyed hash of the Telegram user id, a random pseudonym for staff,
 * the chat id needed to reply (encrypted), and their language choice. Nothing else about the person.
 * Every other table that refers to a client does so through `clients.key` with ON DELETE CASCADE,
 * so /forget is one DELETE.
 */
export const clients = sqliteTable('clients', {
  /** HMAC-SHA256(key derived from BOT_SECRET, telegram user id), hex. */
  key: text('key').primaryKey(),
  /** Shown to staff, e.g. "4F7K"; random, so it does not survive /forget. */
  pseudonym: text('pseudonym').notNull().unique(),
  /** AES-256-GCM encrypted chat id: "c2." + base64url(iv | tag | 8-byte id), bound to this row (`clients:<key>`). */
  chatRef: text('chat_ref').notNull(),
  /** ru | kk | en once the client chose one with /language; null = follow Telegram's language. */
  language: text('language'),
  /** Day of the last contact, YYYY-MM-DD (UTC): day precision so timestamps cannot be matched to messages. */
  lastSeenOn: text('last_seen_on').notNull(),
});

export type ClientRow = typeof clients.$inferSelect;

/**
 * The publication ledger: one row per (post, occurrence, channel), written before the post is sent,
 * so a restart never sends it twice. No client data here.
 */
export const publications = sqliteTable(
  'publications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postSlug: text('post_slug').notNull(),
    /** The scheduled moment (ms since epoch); for /publish, the moment it was asked for. */
    occurrence: integer('occurrence').notNull(),
    channel: text('channel').notNull(),
    /** sending | sent | failed | skipped | unknown | abandoned */
    status: text('status').notNull(),
    /** Telegram chat the messages went to (@username or id), for /sync. */
    chatId: text('chat_id'),
    /** JSON array of message ids sent so far, in order. */
    messageIds: text('message_ids').notNull().default('[]'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    error: text('error'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('publications_occurrence_unique').on(t.postSlug, t.occurrence, t.channel)],
);

export type PublicationRow = typeof publications.$inferSelect;

/** Small persistent key/value state of background jobs (e.g. the scheduler's last tick). */
export const jobState = sqliteTable('job_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Anonymous figures of one case for /stats and /export. Deliberately not linked to a client: it
 * survives /forget and the retention purge, so reports stay true without keeping anyone.
 */
export const caseStats = sqliteTable('case_stats', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  topic: text('topic').notNull(),
  urgent: integer('urgent', { mode: 'boolean' }).notNull(),
  openedAt: integer('opened_at').notNull(),
  takenAt: integer('taken_at'),
  firstResponseAt: integer('first_response_at'),
  closedAt: integer('closed_at'),
  /** JSON array of referral types. */
  referrals: text('referrals').notNull().default('[]'),
  rating: integer('rating'),
  /** The inbox the case opened in (null: from before it was recorded), for response times per inbox. */
  inbox: text('inbox'),
  /** JSON array of milliseconds: how long the client waited for each answer after the first. Durations only, no times. */
  nextResponses: text('next_responses').notNull().default('[]'),
});

/** A consultation: one forum topic in the staff chat. At most one open case per client. */
export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientKey: text('client_key')
      .notNull()
      .references(() => clients.key, { onDelete: 'cascade' }),
    statsId: integer('stats_id').references(() => caseStats.id, { onDelete: 'set null' }),
    /** substances | mental | hiv | legal | social | other */
    topic: text('topic').notNull(),
    /**
     * The inbox (a name from INBOXES) whose team's chat holds the case's topic. Rows from before INBOXES
     * say "main", the name a lone STAFF_CHAT_ID gets; a name no longer configured falls back to the default.
     */
    inbox: text('inbox').notNull().default('main'),
    /** A coarse region id (settings.yml `regions`) the client chose at intake, if any; goes with the case. */
    region: text('region'),
    urgent: integer('urgent', { mode: 'boolean' }).notNull().default(false),
    /** Why the case is urgent, if not the emergency button: a risk category (content/risk/) or a consultant's short reason (/urgent). Never the client's words. */
    urgentReason: text('urgent_reason'),
    /** A consultant lowered the case (/normal): risk words of this category do not raise it again until `calm_until`. */
    calmCategory: text('calm_category'),
    calmUntil: integer('calm_until'),
    /** waiting | active | closed */
    status: text('status').notNull(),
    /**
     * The team chat (the supergroup's numeric id: not client data) that `thread_id`, `card_message_id`
     * and `reminder_message_id` belong to: Telegram numbers topics and messages per chat, so these ids
     * mean nothing without it. Null while the case has none of them (a new or moved case).
     */
    teamChatId: integer('team_chat_id'),
    /** The forum topic (message_thread_id) in `team_chat_id`, once created: unique per chat, not overall. */
    threadId: integer('thread_id'),
    /** The case's topic in the client's own chat, where the bot has topic mode in private chats. */
    clientThreadId: integer('client_thread_id'),
    /** The waiting reminder posted in the General topic (it names the pseudonym), deleted with the case. */
    reminderMessageId: integer('reminder_message_id'),
    cardMessageId: integer('card_message_id'),
    /** Telegram id of the consultant who has the case (staff are not anonymous to the system). */
    consultantId: integer('consultant_id'),
    /** A specialty asked for by /transfer, e.g. lawyer. */
    specialty: text('specialty'),
    openedAt: integer('opened_at').notNull(),
    /** When it (re-)entered the queue; the queue is ordered by urgency, then this. */
    queuedAt: integer('queued_at').notNull(),
    closedAt: integer('closed_at'),
    remindedAt: integer('reminded_at'),
    /**
     * A taken case: when the client's oldest unanswered message arrived (null once a consultant answered).
     * A time, never the message: it decides the nudge and the offer back (src/inbox/answer-due.ts).
     */
    clientWroteAt: integer('client_wrote_at'),
    /** When the holder was nudged for that unanswered spell; kept on a case offered back, so its card says so. */
    nudgedAt: integer('nudged_at'),
    /** After closing: until when the client's next message is taken as a comment for the team. */
    feedbackUntil: integer('feedback_until'),
    /** The row's MAC (src/db/row-integrity.ts): a row whose routing was changed without BOT_SECRET fails it and is refused. */
    mac: text('mac'),
  },
  (t) => [
    index('cases_status').on(t.status, t.queuedAt),
    index('cases_client').on(t.clientKey),
    uniqueIndex('cases_chat_thread').on(t.teamChatId, t.threadId),
    uniqueIndex('cases_one_open_per_client').on(t.clientKey).where(sql`status <> 'closed'`),
  ],
);

export type CaseRow = typeof cases.$inferSelect;

/**
 * Message-id pairs (client chat ↔ inbox copy) for threading replies and carrying edits. Ids only,
 * never text; they go with the case. The client's side is the case's client's chat; the team's side
 * records its chat, since a case can move to another group (/transfer) and ids repeat between groups.
 */
export const relayMessages = sqliteTable(
  'relay_messages',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    clientMessageId: integer('client_message_id').notNull(),
    inboxMessageId: integer('inbox_message_id').notNull(),
    /** The team chat `inbox_message_id` is in. Null for pairs from before it was recorded: they match nothing. */
    teamChatId: integer('team_chat_id'),
    /** True when the client wrote it (copied to the inbox), false for a consultant's reply. */
    fromClient: integer('from_client', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.clientMessageId, t.inboxMessageId] }), index('relay_chat_message').on(t.teamChatId, t.inboxMessageId)],
);

/**
 * Everything the bot still has to put into a chat: messages accepted into a case but not yet copied
 * across (`kind` 'copy'), and the bot's own messages (notices to a client, notes, cards, topic changes,
 * the queue board in the team's chat). Written when the update is handled, in the same transaction as
 * the change of state it follows from, and removed in the same transaction that records the result, so a
 * restart or a 429 delays, never loses, and a replayed update finds its effects already queued.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The case it belongs to (and goes with); null for the team chat's own posts (queue board, notices). */
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    /** True: into the client's chat; false: into the team's chat (the case's inbox, or `inbox`). */
    toClient: integer('to_client', { mode: 'boolean' }).notNull(),
    /** 'copy', or what the bot posts (see src/relay/posts.ts). */
    kind: text('kind').notNull().default('copy'),
    /** Copies: the message to copy, in the other chat. */
    sourceMessageId: integer('source_message_id'),
    /** Copies to a client: the team chat `source_message_id` (and `reply_to_source_id`) are in. */
    sourceChatId: integer('source_chat_id'),
    mediaGroupId: text('media_group_id'),
    /** The source-side message this one replies to, to thread the copy. */
    replyToSourceId: integer('reply_to_source_id'),
    /** A client's words the bot needs later (texts to join, an edit to carry over): sealed, gone with the row. */
    sealedText: text('sealed_text'),
    /** Posts: what to post (JSON, never a client's words or identity). */
    payload: text('payload'),
    /** The inbox of a caseless post into a team chat. */
    inbox: text('inbox'),
    /** Lower goes first within the team chat's budget (see src/relay/posts.ts). */
    priority: integer('priority').notNull().default(2),
    /** Posts that only bring something up to date (a card, the board): one waiting per key. */
    coalesceKey: text('coalesce_key'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: integer('not_before').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Set just before the request goes out: still set after a crash means it may have arrived. */
    sendingAt: integer('sending_at'),
    /** It may have arrived before (a crash while it was on its way): the repeat is marked for the reader. */
    maybeRepeat: integer('maybe_repeat', { mode: 'boolean' }).notNull().default(false),
    /** The row's MAC (src/db/row-integrity.ts): a row whose routing was changed without BOT_SECRET fails it and is refused. */
    mac: text('mac'),
  },
  (t) => [
    // A message is queued once: a client's by its id in their chat, a consultant's by its chat and id.
    uniqueIndex('outbox_source_client').on(t.caseId, t.sourceMessageId).where(sql`to_client = 0`),
    uniqueIndex('outbox_source_team').on(t.caseId, t.sourceChatId, t.sourceMessageId).where(sql`to_client = 1`),
    uniqueIndex('outbox_coalesce').on(t.coalesceKey),
    index('outbox_lane').on(t.toClient, t.caseId, t.id),
  ],
);

export type OutboxRow = typeof outbox.$inferSelect;

/** Consultants' chosen names (what clients see). */
export const consultants = sqliteTable('consultants', {
  telegramId: integer('telegram_id').primaryKey(),
  alias: text('alias').notNull(),
});

/**
 * People the team has banned. Deliberately not linked to `clients`: the key is a second keyed hash
 * (HMAC of the client key under its own subkey), so a ban survives /forget, yet a database copy without
 * BOT_SECRET cannot match it to a client row. Kept for BAN_DAYS, then purged.
 */
export const bans = sqliteTable('ban_keys', {
  /** Privacy.banKey(client key), hex. */
  banKey: text('ban_key').primaryKey(),
  /** Day of the ban, YYYY-MM-DD (UTC): day precision, so it cannot be matched to a case's closing time. */
  bannedOn: text('banned_on').notNull(),
});

/**
 * Pick-up codes asked for, counted per day under a keyed hash of their own (HMAC of the client key under
 * the pick-up subkey), so the PICKUP_LIMIT holds through /forget for its period, yet a database copy
 * without BOT_SECRET matches it to no client row. Purged after PICKUP_PERIOD_DAYS.
 */
export const pickupCounts = sqliteTable(
  'pickup_counts',
  {
    /** Privacy.pickupKey(client key), hex. */
    pickupKey: text('pickup_key').notNull(),
    /** Day of issue, YYYY-MM-DD (UTC). */
    issuedOn: text('issued_on').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.pickupKey, t.issuedOn] }), index('pickup_counts_day').on(t.issuedOn)],
);

/** State of the conversations plugin (intake, feedback), keyed by client key; deleted when one ends. */
export const conversationState = sqliteTable('conversation_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  /** Last write (ms); an abandoned intake is deleted after a while, since it holds the updates it replays. */
  updatedAt: integer('updated_at').notNull().default(0),
});

/**
 * Updates fetched from Telegram but not yet handled. Written before the offset that confirms them is
 * sent, deleted as soon as each is handled (secure_delete zeroes the rows), so a crash loses nothing.
 * This is the only place raw updates (which carry user ids and texts) touch the disk, for seconds.
 */
export const updateJournal = sqliteTable('update_journal', {
  updateId: integer('update_id').primaryKey(),
  payload: text('payload').notNull(),
});

/**
 * Ids of recent messages in a client's private chat with the bot (theirs and the bot's), so that
 * "Clear this chat" and /forget can delete them: Telegram lets a bot delete messages only for 48 hours,
 * so rows older than that are useless and are dropped. Ids and the hour only, never content. Keyed by
 * the client key without a foreign key: a visitor who never got a client row can clear their chat too.
 */
export const chatTraces = sqliteTable(
  'chat_traces',
  {
    clientKey: text('client_key').notNull(),
    messageId: integer('message_id').notNull(),
    /** When the message was sent, rounded down to the hour (ms). */
    sentHour: integer('sent_hour').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientKey, t.messageId] }), index('chat_traces_hour').on(t.sentHour)],
);

/**
 * Topics and messages in Telegram that must be deleted but could not be yet (the bot lacked a right,
 * Telegram was unreachable). Retried by the purge until done; the database rows they belonged to are gone.
 */
export const pendingDeletions = sqliteTable('pending_deletions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Encrypted chat id (a client's private chat id identifies them), fixed width; the row's MAC binds it to this row. */
  chatRef: text('chat_ref').notNull(),
  /** A whole forum topic, or… */
  threadId: integer('thread_id'),
  /** …one message. */
  messageId: integer('message_id'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  /** The row's MAC over its chat, topic and message (src/db/row-integrity.ts). */
  mac: text('mac'),
});

/**
 * One-time referral and pick-up codes (e.g. K7Q-4MX) that partners redeem. The row itself is anonymous
 * (type, place, hours): the link to the client lives only in `client_key`, which goes to NULL the moment
 * the client row is deleted (/forget, retention), so the cascade's counts stay and link to nobody.
 */
export const referralCodes = sqliteTable(
  'referral_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Six characters without the dash, from an alphabet without look-alikes. */
    code: text('code').notNull().unique(),
    /** A referral or pick-up type, e.g. hiv-test, naloxone. */
    type: text('type').notNull(),
    /** A services directory entry (its slug), or null for "any place". */
    place: text('place'),
    /** staff (/code in a case) | pickup (asked for by the client). */
    source: text('source').notNull(),
    clientKey: text('client_key').references(() => clients.key, { onDelete: 'set null' }),
    /** The case it was issued in, for its card; gone with the case. */
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'set null' }),
    /** Issue time rounded down to the hour (ms), so it cannot be matched to a message on a seized phone. */
    issuedHour: integer('issued_hour').notNull(),
    /** The end of the (local) day the code is valid until, computed from the rounded issue hour: no exact moment. */
    expiresAt: integer('expires_at').notNull(),
    /** Redemption time rounded down to the hour (ms); set once, atomically. */
    redeemedHour: integer('redeemed_hour'),
    /** From a fixed list (tested, treatment-started…), never free text. */
    outcome: text('outcome'),
    /** The client opted in to one reminder and one question; the language to send them in. */
    followUpLang: text('follow_up_lang'),
    /** When the reminder / the question is due (ms, at a sensible local hour); null once sent or not wanted. */
    remindAt: integer('remind_at'),
    askAt: integer('ask_at'),
    /** The client's answer from a fixed list (ok | not-ok | not-yet): a count, never text. */
    followUpAnswer: text('follow_up_answer'),
  },
  (t) => [index('referral_codes_client').on(t.clientKey), index('referral_codes_case').on(t.caseId), index('referral_codes_issued').on(t.issuedHour)],
);

export type ReferralCodeRow = typeof referralCodes.$inferSelect;

/**
 * Opt-in drug alerts (issue 22): a client's subscription, and nothing else about them. Keyed by a hash of
 * the client key under a subkey of its own (`privacy.subscriptionKey`), so it matches no client row: a
 * subscription outlives the client row's retention (someone who only reads alerts keeps getting them) and
 * goes with /forget, "unsubscribe", or the first 403 (blocked the bot).
 */
export const alertSubscriptions = sqliteTable('alert_subscriptions', {
  key: text('key').primaryKey(),
  /** The chat id, sealed and bound to this row (`alert_subscriptions:<key>`). */
  chatRef: text('chat_ref').notNull(),
  /** Region ids of settings.yml (alert_regions), between commas: ",north,almaty,". */
  regions: text('regions').notNull(),
  /** The language alerts are sent in (the one the client used last with the bot). */
  language: text('language').notNull(),
});

export type AlertSubscriptionRow = typeof alertSubscriptions.$inferSelect;

/**
 * An alert drafted by staff: what it says (the template's fields: staff's words about a substance, never
 * about a client), where, until when, and its delivery figures. No client data; kept after it ends for
 * the figures.
 */
export const alerts = sqliteTable('alerts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** draft | sending | sent | expired | withdrawn | cancelled */
  status: text('status').notNull(),
  /** Region ids between commas, as in alert_subscriptions. */
  regions: text('regions').notNull(),
  /** high | medium | low */
  severity: text('severity').notNull(),
  /** JSON: { substance, sold_as, effects, action } (and per-language overrides "effects.kk"). */
  fields: text('fields').notNull(),
  /** A CHANNELS alias to post a copy to, or null. */
  channel: text('channel'),
  expiresAt: integer('expires_at').notNull(),
  /** The chat it was drafted in (staff or editors chat): answers and figures go there. */
  chatId: integer('chat_id').notNull(),
  /** Keyed hash of the drafter's Telegram id (privacy.staffKey): the approver must be someone else. */
  draftedBy: text('drafted_by').notNull(),
  /** People who must have agreed, the drafter counting as the first (ALERT_APPROVALS at drafting). */
  approvalsNeeded: integer('approvals_needed').notNull(),
  /** The client report it answers (the reports flow's number), if any. */
  reportNo: text('report_no'),
  /** Bumped by /alert update: delivered messages showing an older version are edited. */
  version: integer('version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  approvedAt: integer('approved_at'),
  /** When the last subscriber's delivery was settled. */
  finishedAt: integer('finished_at'),
  endedAt: integer('ended_at'),
  sent: integer('sent').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  blocked: integer('blocked').notNull().default(0),
  /** On its way when the process died: not sent again (no doubles), may not have arrived. */
  uncertain: integer('uncertain').notNull().default(0),
  /** Still waiting when the alert expired or was withdrawn. */
  unsent: integer('unsent').notNull().default(0),
  /** The channel copy: sending | sent | failed | unknown; its message id while the alert lives. */
  channelState: text('channel_state'),
  channelMessageId: integer('channel_message_id'),
});

export type AlertRow = typeof alerts.$inferSelect;

/** Who agreed to an alert (keyed hashes of staff ids), one row each. */
export const alertApprovals = sqliteTable(
  'alert_approvals',
  {
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    staffKey: text('staff_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.staffKey] })],
);

/**
 * One row per (alert, subscriber), written for every subscriber of its regions when it is approved:
 * "sending" is committed before the request, so a crash can never send it twice. The delivered message
 * id is kept only while the alert lives (for its update or withdrawal), then every row goes.
 */
export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    subscriptionKey: text('subscription_key')
      .notNull()
      .references(() => alertSubscriptions.key, { onDelete: 'cascade' }),
    /** queued | sending | sent | failed | uncertain */
    state: text('state').notNull(),
    messageId: integer('message_id'),
    /** The alert's version the delivered message shows. */
    version: integer('version').notNull().default(0),
    /** The withdrawal notice: queued | sending | done | uncertain; null when none is due. */
    notice: text('notice'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: integer('not_before').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.subscriptionKey] }), index('alert_deliveries_state').on(t.state, t.notBefore), index('alert_deliveries_subscription').on(t.subscriptionKey)],
);

export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;
