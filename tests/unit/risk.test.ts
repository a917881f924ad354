import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadRiskLists, matchRisk, RISK_CATEGORIES, type RiskCategory } from '../../src/content/risk.js';
import { ensureClient } from '../../src/db/clients.js';
import { caseStats } from '../../src/db/schema.js';
import { closeCase, openCase, waitingQueue } from '../../src/inbox/cases.js';
import { orderQueue } from '../../src/inbox/queue.js';
import { CALM_MS, markNormal, markUrgent, raiseForRisk } from '../../src/inbox/urgency.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';
import { memoryDb } from '../support/db.js';

const ROOT = join(PROJECT_ROOT, 'content');

describe('the shipped risk word lists (content/risk)', () => {
  const { lists, problems, signOffProblems } = loadRiskLists(ROOT, ['ru', 'kk', 'en']);
  const only = (lang: string) => loadRiskLists(ROOT, [lang]).lists;

  it('load without problems, with phrases for every category in every language', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(signOffProblems).toEqual([]);
    for (const lang of ['ru', 'kk', 'en']) {
      const categories = new Set(only(lang).phrases.map((p) => p.category));
      expect([...categories].sort(), lang).toEqual([...RISK_CATEGORIES].sort());
    }
  });

  // One message per category and language, as people write in chats (case, punctuation, no diacritics, ё).
  const SAMPLES: Record<string, Record<RiskCategory, string[]>> = {
    ru: {
      overdose: ['кажется у него передоз', 'Она НЕ ПРОСЫПАЕТСЯ!!', 'губы синие и пена изо рта'],
      'not-breathing': ['он не дышит', 'Он не дышет, что делать?', 'друг перестал дышать'],
      suicide: ['я не хочу жить', 'хочу покончить с собой', 'думаю о суициде'],
      violence: ['меня избили вчера', 'он бьёт меня каждый день'],
      arrest: ['меня задержали на улице', 'менты забрали и подкинули'],
      child: ['ребёнок проглотил таблетку', 'Ребенок нашел мои таблетки'],
    },
    kk: {
      overdose: ['ол оянбайды', 'аузынан көбік шығып жатыр', 'ерні көгерді'],
      'not-breathing': ['ол дем алмайды', 'ол дем алмаиды', 'досым тыныс алмайды'],
      suicide: ['өлгім келеді', 'олгим келеди', 'өзімді өлтіремін'],
      violence: ['ол мені ұрады', 'мени урады'],
      arrest: ['полиция ұстады', 'мені ұстады, не істеймін'],
      child: ['балам ішіп қойды', 'бала жұтып қойды таблетканы'],
    },
    en: {
      overdose: ['I think he overdosed', "she won't wake up", 'his lips are blue'],
      'not-breathing': ['he is not breathing', "He isn't breathing!", 'I cant breathe'],
      suicide: ['I want to kill myself', "I don't want to live anymore", 'thinking about suicide'],
      violence: ['he beat me again', 'I was raped'],
      arrest: ['I got arrested', 'they detained my friend'],
      child: ['my kid swallowed a pill', 'the child found my stash'],
    },
  };

  for (const [lang, byCategory] of Object.entries(SAMPLES)) {
    it(`${lang}: a phrase of each category raises that category, from that language's list alone`, () => {
      for (const [category, texts] of Object.entries(byCategory)) {
        for (const text of texts) expect(matchRisk(only(lang), text), `${lang}: ${text}`).toContain(category);
      }
    });
  }

  const ORDINARY: Record<string, string[]> = {
    ru: ['Привет, как дела?', 'Я нормально дышу, просто тревожно', 'задержался на работе, напишу позже', 'хочу жить лучше', 'ребенок в школе, можно поговорить', 'Что такое налоксон?', 'как снизить вред от мефедрона'],
    kk: ['Сәлеметсіз бе', 'дем алып жатырмын, жақсымын', 'балам мектепте', 'налоксон қайдан аламын?', 'жұмыста ұсталып қалдым'],
    en: ['Hello, how are you?', 'I am breathing fine now, thanks', 'hit me up later', 'my kid is at school', 'where can I get naloxone?', 'I was delayed at work', 'Is it odd to ask this?'],
  };
  for (const [lang, texts] of Object.entries(ORDINARY)) {
    it(`${lang}: ordinary sentences raise nothing, in any language's list`, () => {
      for (const text of texts) expect(matchRisk(lists, text), text).toEqual([]);
    });
  }

  it('matches whole words only: a phrase inside a longer word is not a match', () => {
    expect(matchRisk(lists, 'detainedness')).toEqual([]);
    expect(matchRisk(lists, 'unarrested')).toEqual([]);
    expect(matchRisk(lists, 'he was arrested.')).toEqual(['arrest']);
  });
});

describe('risk lists: content:check names the file, field and what was expected', () => {
  it('reports an unknown category, a phrase without words, a too short stem, a duplicate, a missing category and a bad sign-off', () => {
    const root = contentFolder({
      'risk/en.yml': [
        'topic: medical',
        'review: { clinician: { by: "A.K." } }',
        'categories:',
        '  overdose: ["overdose", "!!!", "od*", "OVERDOSE"]',
        '  weather: ["rain"]',
      ].join('\n'),
      'risk/ru.yml': 'categories: "не дышит"',
    });
    const { problems, signOffProblems, lists } = loadRiskLists(root, ['en', 'ru']);
    const text = problems.map(formatProblem).join('\n');
    expect(text).toMatch(/risk\/en\.yml.*categories\.overdose\.1.*"!!!" has no words to match/);
    expect(text).toMatch(/risk\/en\.yml.*categories\.overdose\.2.*at least 4 letters/);
    expect(text).toMatch(/risk\/en\.yml.*categories\.overdose\.3.*in the list twice/);
    expect(text).toMatch(/risk\/en\.yml.*categories\.weather.*not a risk category; expected one of overdose, not-breathing/);
    expect(text).toMatch(/risk\/en\.yml.*categories.*lacks phrases for not-breathing, suicide, violence, arrest, child/);
    expect(text).toMatch(/risk\/ru\.yml.*categories must be fields overdose/);
    expect(signOffProblems.map(formatProblem).join('\n')).toMatch(/risk\/en\.yml.*review\.clinician/);
    // The good phrase still works.
    expect(matchRisk(lists, 'an overdose')).toEqual(['overdose']);
  });
});

describe('urgency of an open case', () => {
  const privacy = createPrivacy('risk-secret-risk-secret-risk-secret-0001');
  const open = (db: ReturnType<typeof memoryDb>, id: number, now: number) => {
    const key = privacy.clientKey(id);
    ensureClient(db, privacy, key, id);
    return openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: false, now }).case;
  };
  const isCategory = (r: string) => (RISK_CATEGORIES as readonly string[]).includes(r);

  it('risk words raise a waiting case to the head of the queue, once, and count it urgent in the figures', () => {
    const db = memoryDb(privacy);
    const first = open(db, 1, 1000);
    const second = open(db, 2, 2000);
    expect(orderQueue(waitingQueue(db)).map((e) => e.caseId)).toEqual([first.id, second.id]);
    expect(raiseForRisk(db, second.id, ['not-breathing', 'overdose'], 3000)).toMatchObject({ category: 'not-breathing', row: { urgent: true, urgentReason: 'not-breathing' } });
    expect(orderQueue(waitingQueue(db)).map((e) => e.caseId)).toEqual([second.id, first.id]);
    expect(raiseForRisk(db, second.id, ['overdose'], 3100)).toBeUndefined(); // already urgent: nothing twice
    expect(db.select().from(caseStats).all().map((s) => s.urgent)).toEqual([false, true]);
  });

  it('/normal quietens the category that raised it for CALM_MS; another category, or later, raises it again', () => {
    const db = memoryDb(privacy);
    const row = open(db, 3, 1000);
    raiseForRisk(db, row.id, ['suicide'], 2000);
    expect(markNormal(db, row.id, 3000, isCategory)).toMatchObject({ urgent: false, urgentReason: null, calmCategory: 'suicide', calmUntil: 3000 + CALM_MS });
    expect(raiseForRisk(db, row.id, ['suicide'], 4000)).toBeUndefined();
    expect(raiseForRisk(db, row.id, ['suicide'], 3000 + CALM_MS)).toMatchObject({ category: 'suicide' });
    markNormal(db, row.id, 5000 + CALM_MS, isCategory);
    expect(raiseForRisk(db, row.id, ['suicide', 'arrest'], 6000 + CALM_MS)).toMatchObject({ category: 'arrest' });
  });

  it('by hand: /urgent keeps a short reason and ends a quiet period; /normal of a case urgent by hand quietens every category', () => {
    const db = memoryDb(privacy);
    const row = open(db, 4, 1000);
    expect(markUrgent(db, row.id, '  client  alone,\n at night  ')).toMatchObject({ urgent: true, urgentReason: 'client alone, at night' });
    expect(markUrgent(db, row.id, 'x'.repeat(300))!.urgentReason).toHaveLength(100);
    markNormal(db, row.id, 2000, isCategory);
    expect(raiseForRisk(db, row.id, ['violence'], 3000)).toBeUndefined();
    expect(markUrgent(db, row.id, '')).toMatchObject({ urgent: true, urgentReason: null, calmUntil: null });
    expect(markNormal(db, row.id, 4000, isCategory)).toBeDefined();
    expect(markNormal(db, row.id, 4001, isCategory)).toBeUndefined(); // not urgent any more
    closeCase(db, row.id, 5000);
    expect(markUrgent(db, row.id, 'late')).toBeUndefined();
    expect(raiseForRisk(db, row.id, ['violence'], 6000 + CALM_MS)).toBeUndefined();
  });
});
