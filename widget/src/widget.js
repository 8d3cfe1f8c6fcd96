// Wires the parts together: the transport (socket), the outbox, the shared
// transcript, the conversation view and the panel.
import { h } from './dom.js';
import { Store, newSessionId, SESSION_ID } from './store.js';
import { STYLES } from './styles.js';
import { Transport } from './transport.js';
import { Outbox } from './outbox.js';
import { Transcript, newEntry, tabId } from './transcript.js';
import { ConversationView, transcriptText } from './render.js';
import { Panel, MAX_MESSAGE_CHARS } from './panel.js';
import { parseBotMessage, normalizeButtons } from './messages.js';
import { initialLanguage, localized, starters, supported, translator } from './i18n.js';

const FEEDBACK_TEXT_CHARS = 600;
const FEEDBACK_TIMEOUT_MS = 10000;

// Multi-part replies are shown one bubble at a time, with the typing
// indicator in between, so each can be read (the first one at once).
function readingPause(previousText) {
  return Math.min(1800, 500 + 12 * (previousText || '').length);
}

export class ChatWidget {
  constructor(config) {
    this.config = config;
    this.tab = tabId();
    this.store = new Store(config.storageKey, config.maxStoredMessages);
    this.sessionId = this.store.loadSession() || this.freshSession();
    this.language = supported(this.store.get('lang')) || initialLanguage(config.language);
    this.t = translator(this.language);
    this.hidden = new Set(); // bot entries received here and not yet revealed
    this.revealQueue = [];
    this.revealTimer = null;
    this.shownIds = null;
    this.renderQueued = false;
    this.justSent = false;

    config.titleText = (t) => localized(config.title, this.language, t('title'));
    config.assistantText = (t) => localized(config.assistantName, this.language, t('assistant'));
    config.launcherLabelText = (t) => localized(config.launcherLabel, this.language, t('launcher'));
    config.noticeText = (t) => localized(config.notice, this.language, t('notice'));

    this.transcript = new Transcript(this.store, () => this.scheduleRender());
    this.transport = new Transport(config, {
      onState: (state) => this.onConnection(state),
      onSession: (id) => this.onSessionConfirm(id),
      onBotMessage: (message) => this.onBotMessage(message),
    });
    this.outbox = new Outbox(this.transcript, this.transport, {
      tab: this.tab,
      replyTimeoutMs: config.replyTimeoutMs,
      unsentAfterMs: config.unsentAfterMs,
      onTurn: () => this.updateTyping(),
      onUnsent: () => this.panel.announce(this.t('unsentAnnounce')),
    });
    this.panel = new Panel(config, {
      onOpen: () => this.transport.connect(this.sessionId),
      onSend: (text) => this.send(text, text),
      onChoose: (button) => {
        this.send(button.title, button.payload);
        this.panel.input.focus();
      },
      onStartOver: () => this.startOver(),
      onDownload: () => this.download(),
    });
  }

  freshSession() {
    const id = newSessionId();
    this.store.saveSession(id);
    return id;
  }

  mount(parent = document.body) {
    const c = this.config.colors;
    this.host = h('div', { 'data-center-chat': '' });
    const vars = {
      '--cc-primary': c.primary,
      '--cc-primary-text': c.primaryText,
      '--cc-primary-on-white': c.primaryOnWhite,
      '--cc-bg': c.background,
      '--cc-text': c.text,
      '--cc-bot-bg': c.botBubble,
      '--cc-bot-text': c.botText,
      '--cc-link': c.link,
    };
    for (const [name, value] of Object.entries(vars)) this.host.style.setProperty(name, value);
    this.shadow = this.host.attachShadow({ mode: 'open' });
    if ('adoptedStyleSheets' in this.shadow && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
      // Constructed sheets also work under a strict style-src CSP.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      this.shadow.adoptedStyleSheets = [sheet];
    } else {
      this.shadow.appendChild(h('style', { text: STYLES }));
    }
    this.shadow.appendChild(this.panel.build());
    this.view = new ConversationView(this.panel.list, {
      onRetry: (id) => {
        this.outbox.retry(id);
        this.panel.input.focus();
        this.transport.connect(this.sessionId);
      },
      onRate: (id, rating) => this.rate(id, rating),
    });
    parent.appendChild(this.host);
    this.panel.applyLanguage(this.t, this.language);
    this.panel.setStatus('idle');
    this.panel.noticeRead = this.store.get('notice') === 'read';
    this.panel.setNoticeCollapsed(this.panel.noticeRead);
    this.outbox.recover();
    this.render();
    window.addEventListener('storage', (event) => this.onStorage(event));
    // Queued messages from before a reload go out without waiting for the panel to open.
    if (this.outbox.queue.length) this.transport.connect(this.sessionId);
  }

  // ---- language ------------------------------------------------------------

  setLanguage(language) {
    if (!language || language === this.language) return;
    this.language = language;
    this.t = translator(language);
    this.store.set('lang', language);
    this.panel.applyLanguage(this.t, language);
    this.panel.setStatus(this.transport.state);
    this.render();
  }

  get ui() {
    return { t: this.t, locale: this.language === 'es' ? 'es-US' : 'en-US', assistantName: this.config.assistantText(this.t), hidden: this.hidden };
  }

  // ---- sending ---------------------------------------------------------------

  /** Shows `label` as the visitor's message and sends `message` (text or a /payload). */
  send(label, message) {
    const entry = newEntry({
      from: 'user',
      text: label.slice(0, MAX_MESSAGE_CHARS),
      message: message.slice(0, MAX_MESSAGE_CHARS),
      status: 'pending',
      queuedAt: Date.now(),
      tab: this.tab,
    });
    this.justSent = true;
    this.showAllReceived();
    this.transcript.add(entry);
    if (!this.panel.noticeRead) {
      this.panel.noticeRead = true;
      this.store.set('notice', 'read');
      this.panel.setNoticeCollapsed(true);
    }
    this.panel.slimCrisis();
    this.transport.connect(this.sessionId);
    this.outbox.enqueue(entry.id);
  }

  startOver() {
    this.panel.confirmBar.hidden = true;
    this.store.clear();
    this.sessionId = this.freshSession();
    this.resetConversation([]);
    this.panel.announce(this.t('startedOver'));
    this.panel.input.focus();
  }

  resetConversation(entries) {
    this.outbox.clear();
    this.showAllReceived();
    this.transcript.reset(entries);
    this.updateTyping();
    this.transport.rejoin(this.sessionId);
  }

  rate(id, rating) {
    const entry = this.transcript.find(id);
    if (!entry || entry.rating === rating) return;
    const previous = entry.rating || null;
    this.transcript.patch(id, { rating });
    const payload = { message_id: id, rating, text: entry.text.slice(0, FEEDBACK_TEXT_CHARS) };
    this.transport.emit('feedback', payload, FEEDBACK_TIMEOUT_MS, (error, answer) => {
      if (error || !answer || answer.error) {
        this.transcript.patch(id, { rating: previous });
        this.panel.announce(this.t('feedbackFailed'));
      } else {
        this.panel.announce(this.t('thanks'));
      }
    });
  }

  download() {
    const text = transcriptText(this.transcript.entries, this.ui, this.config.titleText(this.t));
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const day = new Date().toISOString().slice(0, 10);
    const link = h('a', { href: url, download: `conversation-${day}.txt`, hidden: true });
    this.shadow.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---- connection and receiving -------------------------------------------

  onConnection(state) {
    const previous = this.panel.statusKey;
    this.panel.setStatus(state);
    if (state === 'offline' && previous === 'online') this.panel.announce(this.t('lost'));
    if (state === 'online' && previous === 'offline') this.panel.announce(this.t('back'));
    if (state === 'offline') this.outbox.watchPending();
    this.updateTyping();
  }

  onSessionConfirm(id) {
    if (typeof id === 'string' && SESSION_ID.test(id) && id !== this.sessionId) {
      this.sessionId = id;
      this.store.saveSession(id);
    }
    this.outbox.pump();
  }

  onBotMessage(message) {
    // Every tab of the visitor gets the room's messages: the tab that asked records them.
    if (!this.outbox.turnOpen && this.transcript.foreignTurnOpen(this.tab, this.config.replyTimeoutMs)) return;
    const parts = parseBotMessage(message);
    if (!parts) return;
    this.setLanguage(parts.lang);
    this.outbox.replied();
    if (parts.crisis) this.panel.alert(this.t('crisisAlert'));
    // Entries are named after the server's id: when two tabs both record a reply
    // (their localStorage news crossed), it merges into one entry.
    if (parts.id && this.transcript.find(`bot-${parts.id}`)) return; // another tab recorded it
    const base = { from: 'bot', tab: this.tab, lang: parts.lang || this.language };
    const named = (suffix) => (parts.id ? { id: `bot-${parts.id}${suffix}` } : {});
    if (parts.text || parts.buttons.length) this.receive(newEntry({ ...base, ...named(''), text: parts.text, buttons: parts.buttons }));
    if (parts.crisis) this.transcript.add(newEntry({ ...base, ...named('-crisis'), crisis: parts.crisis }));
    if (parts.card) this.receive(newEntry({ ...base, ...named('-card'), card: parts.card }));
  }

  /** Stored at once (a reload loses nothing), shown at a reading pace. */
  receive(entry) {
    const shown = entry.text || entry.card;
    if (shown) this.hidden.add(entry.id);
    this.transcript.add(entry);
    if (shown) {
      this.revealQueue.push(entry.id);
      this.revealNext();
    }
  }

  revealNext(afterPause = false) {
    if (this.revealTimer && !afterPause) return;
    this.revealTimer = null;
    const id = this.revealQueue.shift();
    if (!id) {
      this.updateTyping();
      return;
    }
    this.hidden.delete(id);
    const entry = this.transcript.find(id);
    if (entry && entry.text) this.panel.announce(`${this.config.assistantText(this.t)}: ${entry.text}`);
    if (entry && entry.card) this.panel.announce(`${this.t('cardTitle')}: ${[entry.card.center, entry.card.phone, entry.card.hours].filter(Boolean).join(', ')}`);
    this.render();
    this.revealTimer = setTimeout(() => this.revealNext(true), readingPause(entry && entry.text));
    this.updateTyping();
  }

  /** The visitor moved on: the rest of a paced reply shows at once, above their new message. */
  showAllReceived() {
    this.hidden.clear();
    this.revealQueue = [];
    clearTimeout(this.revealTimer);
    this.revealTimer = null;
  }

  updateTyping() {
    const waiting = this.outbox.turnOpen || this.hidden.size > 0;
    this.panel.setTyping(waiting);
  }

  // Keeps tabs of the same visitor in step: same session, same transcript, same language.
  onStorage(event) {
    if (event.key === this.store.sessionKey) {
      const id = this.store.loadSession();
      if (id && id !== this.sessionId) {
        this.sessionId = id;
        this.resetConversation(this.store.loadTranscript());
      }
    } else if (event.key === this.store.transcriptKey) {
      this.transcript.adopt(event.newValue);
    } else if (event.key === this.store.key('lang')) {
      this.setLanguage(supported(event.newValue));
    }
  }

  // ---- rendering -------------------------------------------------------------

  scheduleRender() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  render() {
    if (!this.view) return;
    const entries = this.transcript.entries;
    const visible = entries.filter((e) => !this.hidden.has(e.id));
    this.view.render(entries, this.ui);
    const intro = localized(this.config.initialMessage, this.language, this.t('intro'));
    this.panel.setEmpty(entries.length === 0, intro, starters(this.language));
    this.panel.setQuickReplies(this.latestButtons(visible));
    const crisis = [...entries].reverse().find((e) => e.crisis);
    this.panel.setCrisis(crisis ? crisis.crisis : null);
    // What is new on screen since the last render decides where the view goes.
    const fresh = this.shownIds ? visible.filter((e) => !this.shownIds.has(e.id)) : [];
    this.shownIds = new Set(visible.map((e) => e.id));
    const fromVisitor = this.justSent;
    this.justSent = false;
    if (fresh.length) {
      this.panel.contentAdded(fresh, fromVisitor);
      const bot = fresh.filter((e) => e.from === 'bot' && (e.text || e.card)).length;
      if (!this.panel.isOpen && bot) this.panel.setUnread(this.panel.unread + bot);
    }
    this.updateTyping();
  }

  // Quick replies belong to the bot's latest turn only.
  latestButtons(entries) {
    let lastUser = -1;
    entries.forEach((e, i) => {
      if (e.from === 'user') lastUser = i;
    });
    const offers = entries.slice(lastUser + 1).filter((e) => e.from === 'bot' && Array.isArray(e.buttons));
    return offers.map((e) => normalizeButtons(e.buttons)).filter((b) => b.length).pop() || [];
  }
}
