import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loader.js';
import { splitMessage } from '../../src/content/split.js';
import { loadScenarios } from '../../src/sandbox/training/scenario.js';

// Guards the shipped content against the medical and language errors fixed in issue #13 coming back.
// Reads the files directly so it does not depend on how the bot loads them.
const ROOT = join(import.meta.dirname, '..', '..', 'content');
const SHIPPED = ['info', 'emergency', 'snippets', 'posts'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const shipped = SHIPPED.flatMap((folder) => files(join(ROOT, folder))).map((path) => ({
  file: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const languageOf = (file: string) => /(?:^|\/)(ru|kk|en)(?:\/|\.md$)|-(ru|kk|en)\.md$/.exec(file)?.slice(1).find(Boolean);
const inLanguage = (lang: string) => shipped.filter((f) => languageOf(f.file) === lang);

/** Files whose text matches `pattern`, for a readable failure. */
const matching = (list: typeof shipped, pattern: RegExp) => list.filter((f) => pattern.test(f.text)).map((f) => f.file);

describe('shipped safety content', () => {
  it('has the same info cards in every language, each with sources and a topic, and no bare review date', () => {
    const slugs = (lang: string) => readdirSync(join(ROOT, 'info', lang)).filter((n) => n.endsWith('.md')).sort();
    expect(slugs('kk')).toEqual(slugs('en'));
    expect(slugs('ru')).toEqual(slugs('en'));
    const info = shipped.filter((f) => f.file.startsWith('info/'));
    expect(info.length).toBeGreaterThan(90);
    const frontMatter = (text: string) => text.split('\n---\n')[0] ?? '';
    expect(info.filter((f) => !/\nsources:\n {2}- "[^"]{10,}"/.test(frontMatter(f.text))).map((f) => f.file)).toEqual([]);
    // Who must sign comes from the topic; a bare date claimed a review nobody signed (issue 20).
    expect(info.filter((f) => !/\ntopic: (medical|mental|legal|social|digital)\n/.test(frontMatter(f.text) + '\n')).map((f) => f.file)).toEqual([]);
    expect(info.filter((f) => /\nreviewed:/.test(frontMatter(f.text))).map((f) => f.file)).toEqual([]);
  });

  it('gives CPR for abnormal breathing with a hands-only fallback, and the crisis lines, on every emergency screen', () => {
    for (const lang of ['ru', 'kk', 'en']) {
      const page = readFileSync(join(ROOT, 'emergency', `${lang}.md`), 'utf8');
      expect(page, lang).toMatch(/100–120/);
      expect(page, lang).toMatch(/5–6/);
      expect(page, lang).toMatch(/\b30\b/);
      expect(page, lang).toContain('{{contact_centre}}');
      expect(page, lang).toContain('{{trust_line}}');
    }
    expect(readFileSync(join(ROOT, 'emergency', 'en.md'), 'utf8')).toMatch(/not breathing normally/i);
  });

  // Issue #20 (review S1-1, S1-2, S2-3): the order a bystander follows, and an ambulance in every step
  // that names a life-threatening sign, since people act on the step they are reading.
  it('orders the emergency steps call → CPR → naloxone → recovery position, and calls the ambulance in each danger step', () => {
    const words = {
      ru: { cpr: /Сразу начинай сердечно-лёгочную/, naloxone: /введи его как можно раньше/, recovery: /^5\. \*\*Дышит нормально/m, danger: /Судороги|Перегрев|Боль в груди|G \(GHB\/GBL\)|Не реагирует/ },
      kk: { cpr: /реанимациясын \(ЖӨР\) бірден баста/, naloxone: /мүмкіндігінше ерте енгіз/, recovery: /^5\. \*\*Қалыпты дем алады/m, danger: /Құрысу|қызып кетсе|Кеуде ауырса|G \(GHB\/GBL\)|Жауап бермейді/ },
      en: { cpr: /Start CPR straight away/, naloxone: /give it as early as you can/, recovery: /^5\. \*\*Breathing normally/m, danger: /Seizure|Overheating|Chest pain|G \(GHB\/GBL\)|Not responding/ },
    };
    for (const [lang, w] of Object.entries(words)) {
      const page = readFileSync(join(ROOT, 'emergency', `${lang}.md`), 'utf8');
      const call = page.indexOf('{{ambulance}}', page.indexOf('\n2. '));
      const at = (pattern: RegExp) => page.search(pattern);
      expect(call, lang).toBeGreaterThan(0);
      expect(at(w.cpr), lang).toBeGreaterThan(call);
      expect(at(w.naloxone), lang).toBeGreaterThan(at(w.cpr));
      expect(at(w.recovery), lang).toBeGreaterThan(at(w.naloxone));
      const dangerSteps = page.split('\n').filter((line) => /^\d+\. \*\*/.test(line) && w.danger.test(line.slice(0, 60)));
      expect(dangerSteps.length, lang).toBeGreaterThanOrEqual(5);
      expect(dangerSteps.filter((line) => !line.includes('{{ambulance}}')), lang).toEqual([]);
      // "Over 5 minutes → ambulance" is epilepsy first aid; after drugs, any seizure needs one at once.
      expect(page, lang).not.toMatch(/(Дольше|Over|ұзақ болса) 5 (минут|minutes)[^\n]*→ \{\{ambulance\}\}/);
    }
  });

  it('shows each emergency screen as one Telegram message', () => {
    const content = loadContent(ROOT);
    for (const lang of ['ru', 'kk', 'en']) {
      const page = content.languages[lang]!.emergency!;
      expect(splitMessage([`🆘 <b>${page.title}</b>`, ...page.blocks]), lang).toHaveLength(1);
      expect(page.blocks.join('\n'), lang).not.toMatch(/\{\{|\}\}/);
    }
  });

  // Issue #20 (review S3-16): a number written into a text does not follow settings.yml.
  it('takes the emergency numbers from settings.yml ({{ambulance}}…) in the emergency screen, the medical cards and the snippets', () => {
    const medical = ['overdose-signs', 'naloxone', 'rescue-breaths', 'nitazenes', 'mixing-depressants', 'ghb-gbl', 'tramadol', 'pregabalin', 'benzodiazepines', 'alpha-pvp', 'cathinones', 'synthetic-cannabinoids', 'overheating', 'safer-injecting', 'safer-smoking', 'safer-snorting', 'wound-care', 'sleep-comedown', 'mental-health-after-binges', 'pharmacy-drugs', 'drug-checking', 'help-a-friend'];
    const checked = shipped.filter((f) => /^(emergency|snippets)\//.test(f.file) || medical.some((slug) => f.file.endsWith(`/${slug}.md`)));
    expect(checked.length).toBe(3 + 3 * 14 + 3 * medical.length);
    const body = (text: string) => text.split('\n---\n').slice(1).join('\n---\n');
    expect(checked.filter((f) => /(^|[^\d+])(102|103|112|111|150)(?!\d)/.test(body(f.text))).map((f) => f.file)).toEqual([]);
    expect(checked.filter((f) => /справочник|анықтамалы|services directory/i.test(body(f.text))).map((f) => f.file)).toEqual([]);
  });

  // Issue #20 (review S2-19): the practice overdose must teach CPR and naloxone, and not end while the friend is unresponsive.
  it('trains consultants to prompt CPR and naloxone, and to close the overdose case only once the medics have taken over', () => {
    const { scenarios, problems } = loadScenarios(ROOT);
    expect(problems).toEqual([]);
    const script = scenarios.find((s) => s.id === 'overdose-at-night')!.script;
    const hints = script.map((step) => step.hint ?? '').join('\n');
    expect(hints).toMatch(/CPR/);
    expect(hints).toMatch(/naloxone/);
    const closing = script.findIndex((step) => step.expect === 'close');
    const medics = script.findIndex((step) => /medics (are here|took over)/.test(step.client ?? ''));
    expect(medics).toBeGreaterThan(0);
    expect(closing).toBeGreaterThan(medics);
    // Hints are shown as written: no emergency number that would not follow settings.yml.
    for (const scenario of scenarios) expect(scenario.script.filter((step) => /\b(103|112)\b/.test(`${step.hint ?? ''} ${step.client ?? ''}`))).toEqual([]);
  });

  it('never limits naloxone to known opioids, sends PEP to an unverified night route, or dry-skin-only heat stroke', () => {
    expect(matching(shipped, /Tramadol, methadone or heroin may be involved|Могли быть трамадол, метадон или героин|Трамадол, метадон не героин болуы мүмкін/i)).toEqual([]);
    expect(matching(shipped, /emergency department of a hospital|hospital emergency department|приёмное отделение больницы|приёмном отделении больницы|аурухананың қабылдау бөлім/i)).toEqual([]);
    expect(matching(shipped, /Sweating stops|Пот перестаёт|пот прекращается|Тер шықпай/i)).toEqual([]);
    expect(matching(shipped, /protects very well against HIV from sex and from injecting/i)).toEqual([]);
  });

  it('never asks clients to send photos of their documents', () => {
    const lawyer = shipped.filter((f) => f.file.includes('lawyer-referral'));
    expect(lawyer).toHaveLength(3);
    expect(matching(lawyer, /photos of any papers|фото бумаг|қағаздардың суреті/i)).toEqual([]);
  });

  it('keeps the Russian wording gender-neutral and the Kazakh terms consistent', () => {
    expect(matching(inLanguage('ru'), /[а-яё]\((?:а|на|-на|ла)\)|один ?\(одна\)|\(не одна\)/i)).toEqual([]);
    expect(matching(inLanguage('kk'), /рахмет|нашақор|ОЗТ/i)).toEqual([]);
  });
});
