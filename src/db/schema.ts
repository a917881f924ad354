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
    /** The last message either way (client or consultant): a time, never what was said; /team, /mine and /handover show it. */
    lastActivityAt: integer('last_activity_at'),
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
 * Outreach (content/sources.yml): how many new clients came through each source's start link, and how
 * many consultations and redeemed codes followed, per day (local) and source. Counts only: no row says
 * who. `metric` is start | consultation | redeemed.
 */
export const sourceCounts = sqliteTable(
  'source_counts',
  {
    /** YYYY-MM-DD in TIMEZONE. */
    day: text('day').notNull(),
    source: text('source').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.source, t.metric] })],
);

/**
 * The one link from a client to the source they came through, so a later consultation or redeemed code
 * can be counted for it: kept under a keyed hash of its own (Privacy.sourceMarkerKey, not the client
 * key), holding only the source's code, and gone at the end of the month after the start, on /forget,
 * or when the source is no longer needed. Not a foreign key to clients: it exists before a client row does.
 */
export const sourceMarkers = sqliteTable(
  'source_markers',
  {
    markerKey: text('marker_key').primaryKey(),
    source: text('source').notNull(),
    /** End of the month after the start (ms), in TIMEZONE. */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('source_markers_expiry').on(t.expiresAt)],
);

/**
 * Reminders a client asked for before an event of an invitation post: the sealed chat id (bound to this
 * holder), the language and when to remind; nothing else. Deleted when sent, on cancel, on /forget, and
 * when the event is over. `holder_key` is Privacy.rsvpKey(client key): it matches no client row.
 */
export const eventReminders = sqliteTable(
  'event_reminders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: text('event_id').notNull(),
    holderKey: text('holder_key').notNull(),
    /** The client's chat id, sealed for `event_reminders:<holder_key>`. */
    chatRef: text('chat_ref').notNull(),
    lang: text('lang').notNull(),
    remindAt: integer('remind_at').notNull(),
    eventAt: integer('event_at').notNull(),
    /** Claimed for sending (set before the request goes): never sent again, even after a crash. */
    sendingAt: integer('sending_at'),
  },
  (t) => [uniqueIndex('event_reminders_once').on(t.holderKey, t.eventId, t.remindAt), index('event_reminders_due').on(t.remindAt)],
);

/** How many asked for a reminder of an event, and how many cancelled: counts for the editors, never who. */
export const eventCounts = sqliteTable('event_counts', {
  eventId: text('event_id').primaryKey(),
  confirmed: integer('confirmed').notNull().default(0),
  cancelled: integer('cancelled').notNull().default(0),
});

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
  /**
   * A proposed change (`/alert update`), held until as many people agree as for the alert itself: the
   * changed fields (JSON), a new expiry if any, and the keyed hashes of those who agreed (JSON array,
   * the proposer first). Cleared when applied or replaced.
   */
  pendingFields: text('pending_fields'),
  pendingExpiresAt: integer('pending_expires_at'),
  pendingApprovals: text('pending_approvals'),
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
  /** The chat `channel_message_id` is in (as Telegram answered the post): an edit or a withdrawal goes there even if CHANNELS is re-pointed meanwhile. */
  channelChatId: integer('channel_chat_id'),
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

/**
 * Consultants' internal notes on a case (a message starting with "!" or /note in its topic), for /history
 * when the client comes back. Sealed (Privacy.notes, bound to the case), never the client's words; they go
 * with the case (retention, /forget) through the foreign key.
 */
export const caseNotes = sqliteTable(
  'case_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** Telegram id of the consultant who wrote it (staff are not anonymous to the system). */
    consultantId: integer('consultant_id').notNull(),
    /** The note's text, sealed ("gcm1:…"), bound to `case_notes:<case id>`. */
    sealedText: text('sealed_text').notNull(),
  },
  (t) => [index('case_notes_case').on(t.caseId)],
);

/**
 * A check-in owed to a consultant after an urgent case closed ("how are you after this one?"), until they
 * answer it or it expires (CHECKIN_DAYS). No case, no client: only who is asked and since when.
 */
export const careCheckins = sqliteTable(
  'care_checkins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    consultantId: integer('consultant_id').notNull(),
    createdAt: integer('created_at').notNull(),
    /** When it reached their private chat; null while they have not started the bot (the topic says so). */
    sentAt: integer('sent_at'),
  },
  (t) => [index('care_checkins_consultant').on(t.consultantId)],
);

/** Check-in answers, counted per week (its Monday, YYYY-MM-DD) and answer: numbers only, never who. */
export const careAnswers = sqliteTable(
  'care_answers',
  {
    week: text('week').notNull(),
    /** ok | so-so | not-ok */
    answer: text('answer').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.week, t.answer] })],
);

/**
 * A check-in buddy pairing (issue 22): first a one-time invitation (a keyed hash of the token in the start
 * link, and when it expires), then, once someone opened the link and agreed, the buddy: kept under a keyed
 * hash of their client key with its own subkey (Privacy.buddyKey), so the row matches no client row, and
 * their chat id sealed to this row. Neither side's Telegram account is ever shown to the other. One per
 * client; deleted when either side ends it, by /forget of either side (the client's by ON DELETE CASCADE).
 */
export const buddies = sqliteTable(
  'buddies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientKey: text('client_key')
      .notNull()
      .unique()
      .references(() => clients.key, { onDelete: 'cascade' }),
    /** SHA-256 of the invitation token (base64url), until it is used; the token itself is only in the link. */
    tokenHash: text('token_hash').unique(),
    /** When the invitation stops working (ms). */
    tokenExpiresAt: integer('token_expires_at'),
    /** Privacy.buddyKey(the buddy's client key), hex, once paired. */
    buddyKey: text('buddy_key'),
    /** The buddy's private chat id, sealed and bound to this row (CHAT_REF_BINDING.buddy(id)). */
    buddyChatRef: text('buddy_chat_ref'),
    /** The language the buddy read the invitation in (ru | kk | en), for their alerts. */
    buddyLanguage: text('buddy_language'),
    /** Day of pairing, YYYY-MM-DD (UTC). */
    pairedOn: text('paired_on'),
  },
  (t) => [index('buddies_buddy').on(t.buddyKey)],
);

export type BuddyRow = typeof buddies.$inferSelect;

/**
 * A running "check on me" (issue 22): durable due time and state, so a restart neither misses nor repeats a
 * step. The plan is sealed (Privacy.checkinPlan, bound to this row) and goes with the row when the
 * check-in ends. `step` counts transitions; `delivered_step` is the last one whose messages all went
 * (`sent_parts` of the current one went already), so a crash resends only what may not have arrived.
 */
export const checkins = sqliteTable(
  'checkins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    clientKey: text('client_key')
      .notNull()
      .unique()
      .references(() => clients.key, { onDelete: 'cascade' }),
    /** setup | plan (waiting for the plan's text) | running | asked | asked-again | escalated | ended */
    state: text('state').notNull(),
    /** The time the client chose, in minutes. */
    minutes: integer('minutes').notNull(),
    /** When the next step is due (ms); null when nothing is due. */
    dueAt: integer('due_at'),
    /** The client consented to alerting their buddy / the on-duty team. */
    withBuddy: integer('with_buddy', { mode: 'boolean' }).notNull().default(false),
    withTeam: integer('with_team', { mode: 'boolean' }).notNull().default(false),
    /** The client's plan, sealed; null if none. */
    sealedPlan: text('sealed_plan'),
    /** The language of the texts (ru | kk | en). */
    language: text('language').notNull(),
    /** Escalated: the buddy was alerted (so they are told when it ends). */
    buddyAlerted: integer('buddy_alerted', { mode: 'boolean' }).notNull().default(false),
    /** The alert in the buddy's chat (its id there): edited to drop the plan when the check-in ends. */
    buddyAlertMessageId: integer('buddy_alert_message_id'),
    /** Escalated to the team: the urgent case (its card shows the plan while the check-in lasts). */
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'set null' }),
    /** Why it ended: ok | ended | expired (what the alerted are told). */
    endReason: text('end_reason'),
    step: integer('step').notNull().default(0),
    deliveredStep: integer('delivered_step').notNull().default(0),
    sentParts: integer('sent_parts').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('checkins_due').on(t.dueAt)],
);

export type CheckinRow = typeof checkins.$inferSelect;

/**
 * Bad batch and bad reaction reports from clients (issue 22.2), reviewed by the team before any alert.
 * The row holds no words of the client: what was sold and what happened are only in the card the bot
 * posted in the moderation chat (the editors chat). Status, read by the alerts feature:
 *  - `open`: waiting for the team; `client_key` links it to the reporter (for /forget) until decided.
 *  - `dismissed`: not used; its photo was deleted from the chat.
 *  - `reviewed`: read and noted, not (yet) for an alert; photo deleted.
 *  - `used`: the team means to use it for an alert; photo deleted.
 *  - `expired`: nobody decided within REPORT_EXPIRY_DAYS: its card and photo were deleted.
 * A decision or expiry empties `client_key` and `photo_message_id` at once (the link to the reporter goes
 * with the decision). /forget deletes the reporter's open reports, their card and photo too.
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Shown on the card, e.g. "R-7KQ4F": random, derived from nothing about the client. */
    number: text('number').notNull().unique(),
    /** batch (a bad batch) | reaction (a bad reaction) */
    kind: text('kind').notNull(),
    /** A coarse region id (settings.yml `regions`), or null: not said. */
    region: text('region'),
    hasPhoto: integer('has_photo', { mode: 'boolean' }).notNull().default(false),
    /** When it was sent, rounded down to the hour (ms): no exact moment to match to a phone. */
    receivedHour: integer('received_hour').notNull(),
    /** open | dismissed | reviewed | used | expired (see above) */
    status: text('status').notNull().default('open'),
    /** When it was decided or expired, rounded down to the hour (ms). */
    decidedHour: integer('decided_hour'),
    /** The reporter while the report is open; null once decided (the link goes with the decision). */
    clientKey: text('client_key').references(() => clients.key, { onDelete: 'cascade' }),
    /** The moderation chat (a staff group's id: not client data) the card and the photo are in. */
    chatId: integer('chat_id').notNull(),
    cardMessageId: integer('card_message_id'),
    /** The photo under the card, until it is deleted (at the decision or expiry). The file id is never kept. */
    photoMessageId: integer('photo_message_id'),
  },
  (t) => [index('reports_status').on(t.status, t.receivedHour), index('reports_client').on(t.clientKey), index('reports_card').on(t.chatId, t.cardMessageId)],
);

export type ReportRow = typeof reports.$inferSelect;

/**
 * Reports sent, counted per day under a keyed hash of their own (Privacy.reportLimitKey), for the daily
 * limit; like pick-up counts they match no client row without BOT_SECRET and outlive /forget for their
 * day only (so erasing does not reset the limit). Purged after two days.
 */
export const reportCounts = sqliteTable(
  'report_counts',
  {
    limitKey: text('limit_key').notNull(),
    /** YYYY-MM-DD (UTC). */
    day: text('day').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.limitKey, t.day] })],
);

/**
 * Readers' stories (trip reports, experiences with services) on their way to a channel. The number is
 * random, never derived from the client; editors see only it. The text is sealed (Privacy.stories, bound
 * to the number) until the story is decided; then the texts, the chat ref and the client key are
 * cleared, so a decided story links to nobody and keeps no words (a published one is in the channel).
 * A draft (being written) or a pending story goes with the client row (/forget, ON DELETE CASCADE).
 */
export const stories = sqliteTable(
  'stories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** e.g. "S-7K3Q", random (src/stories/store.ts); null while a draft. */
    number: text('number').unique(),
    /** The author while the story is a draft or pending; null once decided. */
    clientKey: text('client_key').references(() => clients.key, { onDelete: 'cascade' }),
    /** The author's chat id, sealed and bound to the story's number (`stories:<number>`); null once the author is told of the decision. */
    chatRef: text('chat_ref'),
    /** draft | pending | approved | published | rejected | withdrawn */
    status: text('status').notNull(),
    /** ru | kk | en: the language it was written in (its channel by default). */
    lang: text('lang').notNull(),
    /** trip | services | other; null until chosen. */
    kind: text('kind'),
    /** JSON array of substance ids from content/stories/<lang>.md. */
    substances: text('substances').notNull().default('[]'),
    /** The author's words as they sent them (scrubbed), sealed; gone once decided. */
    sealedOriginal: text('sealed_original'),
    /** The text as an editor changed it, sealed; null while unedited; gone once decided. */
    sealedEdited: text('sealed_edited'),
    /**
     * The bot's messages in the editors' chat that show the story's words (its cards, the author's answers), as
     * JSON [[chatId, messageId], …]: deleted there when the author withdraws it or uses /forget.
     */
    editorMessages: text('editor_messages').notNull().default('[]'),
    /** Channel alias from CHANNELS chosen by an editor (null: the language's channel from content). */
    channel: text('channel'),
    /** JSON array of the Telegram ids of the editors who approved the text as it is now (staff are not anonymous to the system). */
    approvals: text('approvals').notNull().default('[]'),
    /** An editor asked a question; the author's next message (after pressing Answer) goes back under the number. */
    questionOpen: integer('question_open', { mode: 'boolean' }).notNull().default(false),
    answering: integer('answering', { mode: 'boolean' }).notNull().default(false),
    /** Why it was rejected, to tell the author (an editor's words, not the client's); gone once told. */
    reason: text('reason'),
    /** Last change, rounded down to the hour (ms): drafts left alone are purged. */
    updatedHour: integer('updated_hour').notNull(),
  },
  (t) => [index('stories_client').on(t.clientKey), index('stories_status').on(t.status)],
);

export type StoryRow = typeof stories.$inferSelect;

/**
 * A survey a client has started and not finished: keyed by the client key (no foreign key: a visitor
 * without a client row can answer too), the answers so far sealed (bound to the key and survey). Deleted
 * when the survey is finished (in the same transaction that writes the unlinked response), on /forget,
 * and at `expires_at` (a week without an answer, or the survey's close).
 */
export const surveyProgress = sqliteTable(
  'survey_progress',
  {
    clientKey: text('client_key').notNull(),
    surveyId: text('survey_id').notNull(),
    /** Privacy.surveys.seal(JSON of the answers so far and where the client is), AAD `survey_progress:<key>:<survey>`. */
    sealedState: text('sealed_state').notNull(),
    /** ms; the row is deleted then. */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientKey, t.surveyId] }), index('survey_progress_expiry').on(t.expiresAt)],
);

/**
 * A finished survey's answers, linked to nobody: no client key, no marker, the day only. The id is random
 * (not a sequence), so the order rows were written in (which the markers' order would give away) is
 * not kept. The answers stay sealed; only /survey opens them, to count.
 */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    /** A random 48-bit number, not a sequence. */
    id: integer('id').primaryKey(),
    surveyId: text('survey_id').notNull(),
    /** YYYY-MM-DD (UTC). */
    answeredOn: text('answered_on').notNull(),
    /** Privacy.surveys.seal(JSON of the answers), AAD `survey_responses:<survey>`. */
    sealedAnswers: text('sealed_answers').notNull(),
  },
  (t) => [index('survey_responses_survey').on(t.surveyId)],
);

/**
 * "This client has answered this survey": a keyed hash of the client key and the survey id under its own
 * subkey, so it matches no client row, no response and no other survey's marker. Kept through /forget
 * (or forgetting would be a way to answer twice) until the survey closes (`expires_at`, ms).
 */
export const surveyMarkers = sqliteTable('survey_markers', {
  /** Privacy.surveyMarker(client key, survey id), hex. */
  marker: text('marker').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
});

/** Clients who asked to be invited to surveys for opted-in clients; goes with the client row (/forget, retention). */
export const surveyOptIns = sqliteTable('survey_opt_ins', {
  clientKey: text('client_key')
    .primaryKey()
    .references(() => clients.key, { onDelete: 'cascade' }),
  /** The language to invite them in (their language when they asked). */
  language: text('language').notNull(),
  /** The surveys they were already invited to (JSON list of ids), so nobody is invited twice. */
  invited: text('invited').notNull().default('[]'),
});

/**
 * Who is on duty (issue 21.3), per consultant and inbox: their Telegram id, as `cases.consultant_id`
 * (staff are not anonymous to the system), never a client. No row in an inbox: duty is not used there,
 * and WORKING_HOURS decides what clients are told.
 */
export const duty = sqliteTable(
  'duty',
  {
    consultantId: integer('consultant_id').notNull(),
    inbox: text('inbox').notNull(),
    /** on | break | off */
    state: text('state').notNull(),
    /** When this state began (ms). */
    since: integer('since').notNull(),
    /** On a break: when they are back on duty by themselves. */
    breakUntil: integer('break_until'),
    /**
     * The start (ms) of the roster's shift this consultant was in at its last look (0: none; null: never
     * looked). A change is a roster boundary, which overrides a /duty by hand.
     */
    rosterSlot: integer('roster_slot'),
  },
  (t) => [primaryKey({ columns: [t.consultantId, t.inbox] })],
);

export type DutyRow = typeof duty.$inferSelect;

/** Time on duty per consultant and week (Monday, in TIMEZONE), for WEEKLY_HOURS_LIMIT; staff only. */
export const dutyWeeks = sqliteTable(
  'duty_weeks',
  {
    consultantId: integer('consultant_id').notNull(),
    /** The week's Monday, YYYY-MM-DD (local). */
    week: text('week').notNull(),
    dutyMs: integer('duty_ms').notNull().default(0),
    /** When the consultant and the supervisors were warned that the limit was crossed (once a week). */
    warnedAt: integer('warned_at'),
  },
  (t) => [primaryKey({ columns: [t.consultantId, t.week] })],
);
