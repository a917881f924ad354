/**
 * The sandbox page: draws the view the server sends (server-sent events, the whole view after every
 * change) into the three panes, and turns the simulated people's actions into requests. Message bodies
 * arrive as escaped HTML (rendered on the server, see ../render.ts); every other string is put into
 * the page with textContent, never as HTML.
 */
import type { View, ViewButton, ViewMessage } from '../view.js';

type ChatKind = 'client' | 'team' | 'editors' | 'private';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let view: View | undefined;
let clientId: number | undefined;
/** A client just added, shown once the server's view includes them. */
let addedClientId: number | undefined;
let consultantId: number | undefined;
/** The topic shown in the Team pane; undefined is General. */
let topicId: number | undefined;
/** What each list last drew, so that unchanged lists are not redrawn (keeps focus and scrolling). */
const drawn = new Map<string, string>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'tg:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

async function post(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(answer.error ?? res.statusText));
  return answer;
}

function actingUser(kind: ChatKind): number | undefined {
  return kind === 'client' ? clientId : consultantId; // 'private': the consultant's own chat with the bot
}

function setStatus(kind: ChatKind, text: string): void {
  $(`${kind}-status`).textContent = text;
}

async function press(kind: ChatKind, message: number, button: ViewButton): Promise<void> {
  try {
    const { answer } = await post('press', { chat: kind, user: actingUser(kind), message, data: button.data });
    setStatus(kind, typeof answer === 'string' && answer ? `Bot: ${answer}` : '');
  } catch (error) {
    setStatus(kind, `Could not press “${button.text}”: ${(error as Error).message}`);
  }
}

function messageItem(kind: ChatKind | 'channel', m: ViewMessage): HTMLLIElement {
  if (m.service) return el('li', 'msg service', m.service);
  const item = el('li', `msg ${m.fromBot || kind === 'channel' ? 'bot' : 'person'}${m.protected ? ' protected' : ''}`);
  item.dataset.id = String(m.id);
  if (kind !== 'client' || !m.fromBot) item.append(el('div', 'author', kind === 'client' && !m.fromBot ? 'You' : m.author));
  if (m.replyTo !== undefined) item.append(el('div', 'reply', `↩ ${m.replyTo}`));
  if (m.media) item.append(el('div', 'media', m.album ? `${m.media} (album)` : m.media));
  if (m.html) {
    const body = el('div', 'text');
    body.innerHTML = m.html; // escaped on the server (render.ts)
    item.append(body);
  }
  const meta = [m.edited ? 'edited' : '', m.protected ? '🔒 protected: no forwarding or saving' : '',
    new Date(m.date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })].filter(Boolean).join(' · ');
  item.append(el('div', 'meta', meta));
  if (m.buttons.length > 0 && kind !== 'channel') {
    const keyboard = el('div', 'inline-keyboard');
    keyboard.setAttribute('role', 'group');
    keyboard.setAttribute('aria-label', 'Buttons');
    for (const row of m.buttons) {
      const line = el('div', 'row');
      for (const button of row) {
        const href = button.url ? safeHref(button.url) : undefined;
        if (href) {
          const a = el('a', 'button', `${button.text} ↗`);
          a.href = href;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
          line.append(a);
        } else {
          const b = el('button', '', button.text);
          b.type = 'button';
          b.disabled = button.data === undefined;
          b.addEventListener('click', () => void press(kind as ChatKind, m.id, button));
          line.append(b);
        }
      }
      keyboard.append(line);
    }
    item.append(keyboard);
  } else if (m.buttons.length > 0) {
    const keyboard = el('div', 'inline-keyboard');
    for (const row of m.buttons) for (const button of row) keyboard.append(el('span', 'button', button.text));
    item.append(keyboard);
  }
  return item;
}

/** Redraws a list if its messages changed, keeping it scrolled to the end when it was there. */
function drawList(list: HTMLElement, kind: ChatKind | 'channel', messages: ViewMessage[], key = ''): void {
  const signature = key + JSON.stringify(messages);
  if (drawn.get(list.id) === signature) return;
  drawn.set(list.id, signature);
  const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 24;
  list.replaceChildren(...messages.map((m) => messageItem(kind, m)));
  if (messages.length === 0) list.append(el('li', 'msg service', kind === 'client' ? 'No messages yet. Send /start.' : 'No messages yet.'));
  if (atEnd) list.scrollTop = list.scrollHeight;
}

function fillSelect(select: HTMLSelectElement, options: { id: number; label: string }[], chosen: number | undefined): number | undefined {
  const signature = JSON.stringify(options);
  if (select.dataset.signature !== signature) {
    select.dataset.signature = signature;
    select.replaceChildren(...options.map((o) => {
      const option = el('option', '', o.label);
      option.value = String(o.id);
      return option;
    }));
  }
  const current = options.some((o) => o.id === chosen) ? chosen : options[0]?.id;
  if (current !== undefined) select.value = String(current);
  return current;
}

function drawClient(v: View): void {
  if (addedClientId !== undefined && v.clients.some((c) => c.id === addedClientId)) {
    clientId = addedClientId;
    addedClientId = undefined;
  }
  clientId = fillSelect($('client-select'), v.clients.map((c) => ({ id: c.id, label: `${c.name} (${c.language})` })), clientId);
  const client = v.clients.find((c) => c.id === clientId);
  drawList($('client-messages'), 'client', client?.messages ?? [], String(clientId));
  const keyboard = $('client-keyboard');
  const signature = JSON.stringify([clientId, client?.keyboard]);
  if (keyboard.dataset.signature === signature) return;
  keyboard.dataset.signature = signature;
  keyboard.replaceChildren(...(client?.keyboard ?? []).map((row) => {
    const line = el('div', 'row');
    for (const text of row) {
      const b = el('button', '', text);
      b.type = 'button';
      b.addEventListener('click', () => void send('client', text));
      line.append(b);
    }
    return line;
  }));
}

function drawTeam(v: View): void {
  consultantId = fillSelect($('consultant-select'), v.team.consultants.map((c) => ({ id: c.id, label: c.name })), consultantId);
  if (topicId !== undefined && !v.team.topics.some((t) => t.id === topicId)) topicId = undefined; // deleted
  const topics = $('topics');
  const signature = JSON.stringify([topicId, v.team.topics]);
  if (topics.dataset.signature !== signature) {
    topics.dataset.signature = signature;
    const general = { id: undefined as number | undefined, name: 'General', color: '#8e8e93', closed: false };
    topics.replaceChildren(...[general, ...v.team.topics].map((t) => {
      const item = el('li');
      const b = el('button', `topic${t.closed ? ' closed' : ''}`);
      b.type = 'button';
      b.setAttribute('aria-pressed', String(t.id === topicId));
      const icon = el('span', 'topic-icon');
      icon.style.backgroundColor = t.color;
      icon.setAttribute('aria-hidden', 'true');
      b.append(icon, el('span', '', t.name));
      if (t.closed) b.append(el('span', 'badge', 'closed'));
      b.addEventListener('click', () => {
        topicId = t.id;
        if (view) drawTeam(view);
        $('team-text').focus();
      });
      item.append(b);
      return item;
    }));
  }
  const shown = v.team.messages.filter((m) => m.threadId === topicId);
  drawList($('team-messages'), 'team', shown, String(topicId));
  // The acting consultant's private chat with the bot: shown only when the bot wrote there (a check-in).
  const own = v.team.consultants.find((c) => c.id === consultantId)?.private ?? [];
  $('private-box').hidden = own.length === 0;
  drawList($('private-messages'), 'private', own, String(consultantId));
}

function drawChannel(v: View): void {
  const box = $('channels');
  if (box.childElementCount !== v.channels.length) {
    box.replaceChildren(...v.channels.map((c) => {
      const wrap = el('div', 'channel');
      const title = el('h3', '', `${c.title} · @${c.username}`);
      title.id = `channel-title-${c.id}`;
      const list = el('ol', 'chat');
      list.id = `channel-${c.id}`;
      list.setAttribute('role', 'log');
      list.setAttribute('aria-labelledby', title.id);
      wrap.append(title, list);
      return wrap;
    }));
  }
  for (const c of v.channels) drawList($(`channel-${c.id}`), 'channel', c.messages);
  drawList($('editors-messages'), 'editors', v.editors.messages);
}

/** Start needs a scenario ticked (and no run going on); the server would start the first one otherwise. */
function updateTrainingStart(): void {
  const ticked = document.querySelector('#training-scenarios input:checked') !== null;
  const start = $<HTMLButtonElement>('training-start');
  start.disabled = (view?.training?.running ?? false) || !ticked;
  start.title = ticked ? '' : 'Tick a scenario first';
}

/** The practice panel: scenarios to choose (redrawn only when the files change, so ticks stay), progress, debrief. */
function drawTraining(v: View): void {
  const training = v.training;
  $('training').hidden = !training;
  if (!training) return;
  const box = $('training-scenarios');
  const signature = JSON.stringify([training.scenarios, training.problems]);
  if (box.dataset.signature !== signature) {
    box.dataset.signature = signature;
    box.replaceChildren(...training.scenarios.map((s) => {
      const label = el('label', 'scenario');
      const tick = el('input');
      tick.type = 'checkbox';
      tick.value = s.id;
      label.append(tick, el('span', 'scenario-title', ` ${s.title} (${s.language}${s.entry === 'urgent' ? ', urgent' : ''})`), el('span', 'scenario-brief', s.brief));
      return label;
    }), ...training.problems.map((p) => el('p', 'status', `Skipped: ${p}`)));
    if (training.scenarios.length === 0) box.append(el('p', '', 'No scenarios in content/training.'));
  }
  updateTrainingStart();
  $<HTMLButtonElement>('training-stop').disabled = !training.running;
  $('training-clients').replaceChildren(...training.clients.map((c) => el('li', '', `${c.name} · ${c.title}: ${c.status}`)));
  const debrief = $('training-debrief');
  const lines = training.debrief ?? [];
  if (debrief.dataset.signature !== JSON.stringify(lines)) {
    debrief.dataset.signature = JSON.stringify(lines);
    debrief.replaceChildren(...(lines.length > 0 ? [el('h3', '', 'Debrief'), ...lines.map((line) => el('p', 'debrief-line', line))] : []));
  }
}

function draw(v: View): void {
  view = v;
  drawClient(v);
  drawTeam(v);
  drawTraining(v);
  drawChannel(v);
}

async function send(kind: ChatKind, text: string): Promise<boolean> {
  if (!text.trim()) return false;
  try {
    await post('send', { chat: kind, user: actingUser(kind), text, ...(kind === 'team' && topicId !== undefined ? { thread: topicId } : {}) });
    setStatus(kind, '');
    return true;
  } catch (error) {
    setStatus(kind, `Not sent: ${(error as Error).message}`);
    return false;
  }
}

function composer(kind: ChatKind): void {
  const form = $<HTMLFormElement>(`${kind}-form`);
  const input = $<HTMLInputElement>(`${kind}-text`);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    void send(kind, text).then((sent) => {
      if (sent) input.value = '';
    });
  });
}

function start(): void {
  composer('client');
  composer('team');
  composer('editors');
  $<HTMLSelectElement>('client-select').addEventListener('change', (event) => {
    clientId = Number((event.target as HTMLSelectElement).value);
    if (view) drawClient(view);
  });
  $<HTMLSelectElement>('consultant-select').addEventListener('change', (event) => {
    consultantId = Number((event.target as HTMLSelectElement).value);
  });
  $<HTMLFormElement>('add-client').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $<HTMLInputElement>('client-name');
    const language = $<HTMLSelectElement>('client-language').value;
    void post('clients', { language, name: name.value }).then(({ id }) => {
      addedClientId = Number(id);
      name.value = '';
      if (view) drawClient(view);
      $('client-text').focus();
    }, (error: Error) => setStatus('client', `Could not add a client: ${error.message}`));
  });
  $<HTMLFormElement>('client-media').addEventListener('submit', (event) => {
    event.preventDefault();
    const kind = $<HTMLSelectElement>('client-media-kind').value;
    void post('media', { chat: 'client', user: clientId, kind }).then(
      () => setStatus('client', ''),
      (error: Error) => setStatus('client', `Not sent: ${error.message}`),
    );
  });
  $('training-start').addEventListener('click', () => {
    const scenarios = [...document.querySelectorAll<HTMLInputElement>('#training-scenarios input:checked')].map((tick) => tick.value);
    void post('training/start', { scenarios }).then(
      () => setStatus('team', 'Practice started: the scripted clients are arriving in the Client pane and the queue.'),
      (error: Error) => setStatus('team', `Practice not started: ${error.message}`),
    );
  });
  $('training-stop').addEventListener('click', () => void post('training/stop', {}));
  $('training-scenarios').addEventListener('change', updateTrainingStart);
  // Spoilers open on a click or Enter/Space, as in Telegram.
  const reveal = (target: EventTarget | null) => (target as HTMLElement | null)?.closest?.('.spoiler')?.classList.add('revealed');
  document.addEventListener('click', (event) => reveal(event.target));
  // A start link (t.me/<bot>?start=…, say a check-in buddy's invitation) is opened the way Telegram opens it:
  // "/start …" goes into the client's message box; switch to the client who should open it, and send.
  document.addEventListener('click', (event) => {
    const anchor = (event.target as HTMLElement | null)?.closest?.('a');
    const match = anchor ? /^https:\/\/t\.me\/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64})$/.exec(anchor.href) : null;
    if (!match) return;
    event.preventDefault();
    $<HTMLInputElement>('client-text').value = `/start ${match[1]}`;
    setStatus('client', 'Start link: switch to the client who should open it (menu at the top), then send.');
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') reveal(event.target);
  });

  const connection = $('connection');
  const events = new EventSource('/events');
  events.onopen = () => (connection.textContent = 'Live: connected to the sandbox.');
  events.onerror = () => (connection.textContent = 'Disconnected: is the sandbox still running? Reconnecting…');
  events.onmessage = (event: MessageEvent<string>) => draw(JSON.parse(event.data) as View);
}

start();
