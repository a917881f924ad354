import { randomBytes } from 'node:crypto';
import type { Chat, FakeTelegram, User } from './telegram-sim/index.js';

export const SANDBOX_LANGUAGES = ['ru', 'kk', 'en'] as const;
export type SandboxLanguage = (typeof SANDBOX_LANGUAGES)[number];

export interface SandboxClient {
  user: User;
  language: SandboxLanguage;
}

/**
 * The simulated Telegram the sandbox's bot lives in: a team of consultants in a forum supergroup
 * (the inbox), an editors' chat, a channel, and clients in private chats with the bot. Every person
 * is invented; nothing here is ever a real account.
 */
export interface Scene {
  fake: FakeTelegram;
  staff: Chat;
  editors: Chat;
  channels: { alias: string; chat: Chat }[];
  consultants: User[];
  clients: SandboxClient[];
}

const CONSULTANTS = [
  { first_name: 'Aigerim', username: 'aigerim_consultant' },
  { first_name: 'Dmitry', username: 'dmitry_consultant' },
  { first_name: 'Sam', username: 'sam_consultant' },
];

const CLIENT_NAMES: Record<SandboxLanguage, string[]> = {
  ru: ['Саша', 'Женя', 'Никита', 'Валя'],
  kk: ['Айдос', 'Жанар', 'Ерлан', 'Дана'],
  en: ['Alex', 'Robin', 'Kim', 'Jo'],
};

export function createScene(fake: FakeTelegram): Scene {
  const consultants = CONSULTANTS.map((c) => fake.createUser({ ...c, language_code: 'en' }));
  const staff = fake.createSupergroup({ title: 'Team inbox', isForum: true, admins: consultants });
  const editors = fake.createSupergroup({ title: 'Editors', members: consultants });
  // The aliases the sample posts in content/posts use.
  const channels = [
    { alias: 'news', chat: fake.createChannel({ title: 'Safety news', username: 'sandbox_news' }) },
    { alias: 'news_en', chat: fake.createChannel({ title: 'Safety news (English)', username: 'sandbox_news_en' }) },
    { alias: 'news_kk', chat: fake.createChannel({ title: 'Safety news (Kazakh)', username: 'sandbox_news_kk' }) },
  ];
  const scene: Scene = { fake, staff, editors, channels, consultants, clients: [] };
  addClient(scene, 'en');
  addClient(scene, 'en'); // a second person at hand, e.g. to be the first one's check-in buddy
  return scene;
}

/** A new simulated client (who has not written yet); the name is invented, in the language's style. */
export function addClient(scene: Scene, language: SandboxLanguage, name?: string): SandboxClient {
  const names = CLIENT_NAMES[language];
  const same = scene.clients.filter((c) => c.language === language).length;
  const first = name?.trim().slice(0, 64) || `${names[same % names.length]}${same >= names.length ? ` ${Math.floor(same / names.length) + 1}` : ''}`;
  const user = scene.fake.createUser({ first_name: first, language_code: language, started: false });
  const client = { user, language };
  scene.clients.push(client);
  return client;
}

/**
 * A bot token of the sandbox run's own: the simulator accepts only it, so a web page (which cannot know
 * it) cannot call the simulator as the bot. The id part is fixed; the scene's chats do not depend on it.
 */
export function sandboxToken(): string {
  return `1234567890:${randomBytes(24).toString('base64url')}`;
}

/** The bot's environment for this scene (the rest comes from the sandbox: paths, secret). */
export function sceneEnv(scene: Scene): Record<string, string> {
  return {
    BOT_TOKEN: scene.fake.token,
    TELEGRAM_API_ROOT: scene.fake.apiRoot,
    STAFF_CHAT_ID: String(scene.staff.id),
    EDITORS_CHAT_ID: String(scene.editors.id),
    CHANNELS: scene.channels.map((c) => `${c.alias}=@${c.chat.username}`).join(','),
    // A check-in "minute" is a second here: a 15-minute check-in asks after 15 s and escalates 10 s later.
    CHECKIN_MINUTE_MS: '1000',
  };
}

/**
 * The consultants set their aliases (their first names) in the team's chat, as a real team would on its
 * first day: clients see them, and the sample roster (content/roster.yml) knows people by them.
 */
export function introduceConsultants(scene: Scene): void {
  for (const consultant of scene.consultants) scene.fake.sendText(consultant, `/alias ${consultant.first_name}`, { chatId: scene.staff.id });
}
