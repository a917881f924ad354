import { InlineKeyboard, type Api } from 'grammy';
import type { Db } from '../db/connection.js';
import { clientChatId } from '../db/clients.js';
import { hasAnswered, markInvited, notYetInvited, progressOf } from '../db/surveys.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { backlog } from '../relay/outbox-store.js';
import { classifyError } from '../telegram/errors.js';
import { Every } from '../time/every.js';
import { surveyLanguage, textIn, type Survey } from '../content/surveys.js';
import { escapeHtml } from '../content/markdown.js';
import { availability } from './surveys.js';

/** Invitations per pass: the lowest priority of anything the bot sends. */
export const INVITATIONS_PER_PASS = 20;

export interface SurveyInvitationDeps {
  db: Db;
  api: Api;
  privacy: Privacy;
  logger: Logger;
  /** A UI text in a language (HTML). */
  t: (lang: string, key: string, vars?: Record<string, string | number>) => string;
  surveys: () => readonly Survey[];
  timeZone: string;
  offerDrafts: boolean;
  clock: () => number;
}

/**
 * Invites opted-in clients to each open survey, once per survey. Never ahead of consultations: a pass
 * sends nothing while any message to a client waits in the outbox, and at most INVITATIONS_PER_PASS,
 * through the bot's paced API. A client who has answered or started the survey is not invited.
 */
export async function inviteToSurveys(deps: SurveyInvitationDeps, limit = INVITATIONS_PER_PASS): Promise<number> {
  const { db, api, privacy, logger, t } = deps;
  let sent = 0;
  for (const survey of deps.surveys()) {
    if (availability(survey, deps.clock(), deps.timeZone, deps.offerDrafts) !== 'open') continue;
    while (sent < limit) {
      if (backlog(db).toClients > 0) return sent; // consultations first
      const batch = notYetInvited(db, survey.id, limit - sent);
      if (batch.length === 0) break;
      for (const row of batch) {
        markInvited(db, row.clientKey, [...row.invited, survey.id]);
        const now = deps.clock();
        if (hasAnswered(db, privacy, row.clientKey, survey.id, now) || progressOf(db, row.clientKey, now).includes(survey.id)) continue;
        const lang = surveyLanguage(survey, row.language);
        try {
          const chatId = clientChatId(privacy, { key: row.clientKey, chatRef: row.chatRef });
          await api.sendMessage(chatId, t(row.language, 'survey-invitation', { title: escapeHtml(textIn(survey.title, lang, survey)) }), {
            parse_mode: 'HTML',
            reply_markup: new InlineKeyboard().text(t(row.language, 'survey-invitation-start'), `sv:go:${survey.id}`),
          });
          sent++;
        } catch (error) {
          if (classifyError(error).kind !== 'blocked') logger.warn({ err: error }, 'a survey invitation could not be sent');
        }
      }
    }
  }
  return sent;
}

/** The invitations' rhythm: a pass a minute; started and stopped with the bot's background work. */
export class SurveyInvitations {
  private readonly every: Every;

  constructor(private readonly deps: SurveyInvitationDeps) {
    this.every = new Every(60_000, async () => void (await inviteToSurveys(this.deps)), (error: unknown) => deps.logger.error({ err: error }, 'survey invitations failed'));
  }

  start(): void {
    this.every.start();
  }

  run(): Promise<void> {
    return this.every.runNow();
  }

  stop(): Promise<void> {
    return this.every.stop();
  }
}
