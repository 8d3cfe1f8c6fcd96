import { io } from 'socket.io-client';
import { h, icon, ICONS } from './dom.js';
import { renderRichText, safeHref, telHref } from './richtext.js';
import { Store, newSessionId, SESSION_ID } from './store.js';
import { STYLES } from './styles.js';

// Offered in every crisis banner, whatever the payload lists.
const EMERGENCY_LINES = [
  { label: 'Call 911', href: 'tel:911' },
  { label: 'Call or text 988', href: 'tel:988' },
];

const STATUS_TEXT = {
  idle: 'Ready',
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline, reconnecting…',
};

const MAX_MESSAGE_LENGTH = 1000;

let entryCounter = 0;
function entryId() {
  entryCounter += 1;
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${entryCounter}`;
}

const text = (value) => (typeof value === 'string' ? value.trim() : '');

// Rasa sends buttons as socketio `quick_replies` ({content_type, title, payload});
// `buttons` is accepted too for connectors that pass them through unchanged.
function normalizeButtons(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((b) => b && text(b.title) && text(b.payload))
    .slice(0, 12)
    .map((b) => ({ title: text(b.title), payload: text(b.payload) }));
}

function normalizeCrisis(custom) {
  const lines = (Array.isArray(custom.lines) ? custom.lines : [])
    .map((line) => (line && text(line.label) ? { label: text(line.label), href: safeHref(line.href) } : null))
    .filter((line) => line && line.href);
  for (const required of [...EMERGENCY_LINES].reverse()) {
    if (!lines.some((line) => line.href === required.href)) lines.unshift(required);
  }
  return { kind: text(custom.kind) || 'crisis', lines: lines.slice(0, 6) };
}

function normalizeCard(custom) {
  const phone = text(custom.phone_display) || text(custom.phone);
  const href = safeHref(custom.href) || (phone ? telHref(text(custom.phone) || phone) : null);
  return {
    center: text(custom.center),
    phone,
    hours: text(custom.hours),
    address: text(custom.address),
    href: href && href.startsWith('tel:') ? href : null,
  };
}

// Rasa's socketio channel emits a custom payload as the event data itself;
// other connectors nest it under `custom`.
function customPayload(message) {
  if (message.type === 'crisis' || message.type === 'contact_card') return message;
  if (message.custom && typeof message.custom === 'object') return message.custom;
  return null;
}

export class ChatWidget {
  constructor(config) {
    this.config = config;
    this.store = new Store(config.storageKey, config.maxStoredMessages);
    this.sessionId = this.store.loadSession() || this.freshSession();
    // Messages that were on their way when the page was left may not have arrived.
    this.entries = this.store
      .loadTranscript()
      .map((e) => (e.from === 'user' && (e.status === 'pending' || e.status === 'sending') ? { ...e, status: 'unsent' } : e));
    this.outbox = [];
    this.inFlight = null;
    this.connection = 'idle';
    this.socket = null;
    this.isOpen = false;
    this.nodes = new Map();
    this.pendingTimer = null;
  }

  freshSession() {
    const id = newSessionId();
    this.store.saveSession(id);
    return id;
  }

  // ---- mounting -------------------------------------------------------

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
    this.shadow.appendChild(this.build());
    parent.appendChild(this.host);
    this.renderAll();
    window.addEventListener('storage', (event) => this.onStorage(event));
    window.addEventListener('online', () => {
      if (this.socket && !this.socket.connected) this.socket.connect();
    });
  }

  build() {
    const cfg = this.config;
    this.launcher = h(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'aria-haspopup': 'dialog',
        'aria-expanded': 'false',
        'aria-controls': 'cc-panel',
        onclick: () => this.open(),
      },
      [icon(ICONS.chat, 22), h('span', { class: 'label', text: cfg.launcherLabel })],
    );

    this.statusEl = h('p', { class: 'status', id: 'cc-status', text: STATUS_TEXT.idle });
    this.restartButton = h('button', { type: 'button', class: 'header-btn', onclick: () => this.askStartOver() }, [
      'Start over',
    ]);
    this.closeButton = h(
      'button',
      { type: 'button', class: 'header-btn', 'aria-label': 'Close chat', onclick: () => this.close() },
      [icon(ICONS.close, 22)],
    );
    const header = h('div', { class: 'header' }, [
      h('div', { class: 'titles' }, [h('h2', { class: 'title', id: 'cc-title', text: cfg.title }), this.statusEl]),
      this.restartButton,
      this.closeButton,
    ]);

    this.confirmYes = h('button', { type: 'button', class: 'btn primary', onclick: () => this.startOver() }, [
      'Yes, start over',
    ]);
    this.confirmNo = h('button', { type: 'button', class: 'btn', onclick: () => this.cancelStartOver() }, ['Cancel']);
    this.confirmBar = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'cc-confirm-text', hidden: true }, [
      h('p', { id: 'cc-confirm-text', text: 'Start a new conversation? This one will be cleared from this device.' }),
      h('div', { class: 'actions' }, [this.confirmYes, this.confirmNo]),
    ]);

    this.crisisList = h('ul', { class: 'crisis-lines' });
    this.crisisBanner = h('section', { class: 'crisis', 'aria-labelledby': 'cc-crisis-title', hidden: true }, [
      h('h3', { class: 'crisis-title', id: 'cc-crisis-title', text: 'Emergency help, any time' }),
      this.crisisList,
    ]);

    const notice = h('p', { class: 'notice', id: 'cc-notice', text: cfg.notice });

    this.offlineBar = h('div', { class: 'offline', hidden: true }, [
      h('p', {}, [
        'Offline, reconnecting. What you send now goes out when we are back. Emergency: call ',
        h('a', { href: 'tel:911', text: '911' }),
        ' or ',
        h('a', { href: 'tel:988', text: '988' }),
        '.',
      ]),
    ]);

    this.list = h('ol', { class: 'messages' });
    this.quickReplies = h('div', { class: 'quick-replies', role: 'group', 'aria-label': 'Suggested replies' });
    this.typing = h('div', { class: 'typing', hidden: true }, [
      h('span', { class: 'sr-only', text: 'The assistant is typing' }),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'still', 'aria-hidden': 'true', text: 'Typing…' }),
    ]);
    // Focusable so keyboard users can scroll back through the conversation.
    this.scroller = h('div', { class: 'scroll', role: 'region', 'aria-label': 'Conversation', tabindex: '0' }, [
      this.list,
      this.quickReplies,
      this.typing,
    ]);

    this.input = h('input', {
      type: 'text',
      class: 'input',
      id: 'cc-input',
      autocomplete: 'off',
      maxlength: String(MAX_MESSAGE_LENGTH),
      placeholder: 'Type your question…',
    });
    const form = h('form', { class: 'composer', onsubmit: (event) => this.onSubmit(event) }, [
      h('label', { class: 'sr-only', for: 'cc-input', text: 'Your message' }),
      this.input,
      h('button', { type: 'submit', class: 'send', text: 'Send' }),
    ]);

    this.panel = h(
      'div',
      {
        class: 'panel',
        id: 'cc-panel',
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'cc-title',
        'aria-describedby': 'cc-notice',
        hidden: true,
        onkeydown: (event) => this.onPanelKeydown(event),
      },
      [header, this.confirmBar, this.crisisBanner, notice, this.offlineBar, this.scroller, form],
    );

    // Live regions stay rendered while the panel is closed so they keep working.
    this.live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-live': 'polite' });
    this.alertRegion = h('div', { class: 'sr-only', 'aria-live': 'assertive', 'data-live': 'assertive' });
    return h('div', { class: `root ${cfg.position}` }, [this.launcher, this.panel, this.live, this.alertRegion]);
  }

  // ---- open / close / keyboard ---------------------------------------

  open() {
    if (this.isOpen) return;
    this.isOpen = true;
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.connect();
    this.scrollToEnd();
    this.input.focus();
  }

  close() {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.confirmBar.hidden = true;
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  focusables() {
    const selector = 'a[href], button:not([disabled]), input:not([disabled]), [tabindex="0"]';
    return [...this.panel.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0);
  }

  onPanelKeydown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (!this.confirmBar.hidden) this.cancelStartOver();
      else this.close();
      return;
    }
    if (event.key !== 'Tab') return;
    // Focus trap: Tab and Shift+Tab cycle inside the open panel.
    const items = this.focusables();
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = this.shadow.activeElement;
    if (event.shiftKey && (active === first || !items.includes(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !items.includes(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  askStartOver() {
    this.confirmBar.hidden = false;
    this.confirmYes.focus();
  }

  cancelStartOver() {
    this.confirmBar.hidden = true;
    this.restartButton.focus();
  }

  startOver() {
    this.confirmBar.hidden = true;
    this.store.clear();
    this.sessionId = this.freshSession();
    this.resetConversation([]);
    this.announce('Started a new conversation.');
    this.input.focus();
  }

  resetConversation(entries) {
    this.entries = entries;
    this.outbox = [];
    this.inFlight = null;
    this.showTyping(false);
    this.renderAll();
    if (this.socket) {
      // A new socket id joins only the new session's room.
      this.socket.disconnect();
      this.setConnection('connecting');
      this.socket.connect();
    }
  }

  // Keeps tabs of the same visitor in step: same session, same transcript.
  onStorage(event) {
    if (event.key === this.store.sessionKey) {
      const id = this.store.loadSession();
      if (id && id !== this.sessionId) {
        this.sessionId = id;
        this.resetConversation(this.store.loadTranscript());
      }
    } else if (event.key === this.store.transcriptKey) {
      this.entries = this.store.parseTranscript(event.newValue);
      this.renderAll();
    }
  }

  // ---- sending ---------------------------------------------------------

  onSubmit(event) {
    event.preventDefault();
    const value = this.input.value.trim();
    if (!value) return;
    this.input.value = '';
    this.send(value, value);
  }

  /** Shows `label` as the visitor's message and sends `message` (text or a /payload). */
  send(label, message) {
    const entry = {
      id: entryId(),
      from: 'user',
      text: label.slice(0, MAX_MESSAGE_LENGTH),
      message: message.slice(0, MAX_MESSAGE_LENGTH),
      status: 'pending',
      queuedAt: Date.now(),
    };
    this.addEntry(entry);
    this.outbox.push(entry.id);
    this.connect();
    this.pump();
  }

  retry(id) {
    this.patchEntry(id, { status: 'pending', queuedAt: Date.now() });
    this.outbox.push(id);
    this.input.focus();
    this.connect();
    this.pump();
  }

  // Sends queued messages one at a time, in order. Rasa acknowledges the
  // event once it has handled the whole turn, so the typing indicator shows
  // until then and a missing acknowledgement marks the message unsent.
  pump() {
    if (this.inFlight) return;
    if (this.connection !== 'online') {
      this.watchPending();
      return;
    }
    const id = this.outbox.shift();
    if (!id) return;
    const entry = this.entries.find((e) => e.id === id);
    if (!entry || entry.status !== 'pending') {
      this.pump();
      return;
    }
    this.inFlight = id;
    this.patchEntry(id, { status: 'sending' });
    this.showTyping(true);
    const payload = { message: entry.message, session_id: this.sessionId };
    this.socket.timeout(this.config.replyTimeoutMs).emit(this.config.userMessageEvent, payload, (error) => {
      if (this.inFlight !== id) return; // the conversation was reset meanwhile
      this.inFlight = null;
      this.showTyping(false);
      this.patchEntry(id, { status: error ? 'unsent' : 'sent' });
      if (error) this.announce('A message could not be sent. Use Retry to send it again.');
      this.pump();
    });
  }

  // While offline, queued messages wait; past unsentAfterMs they are marked
  // unsent (with Retry) rather than sent much later out of context.
  watchPending() {
    if (this.pendingTimer) return;
    this.pendingTimer = setInterval(() => {
      const pending = this.entries.filter((e) => e.from === 'user' && e.status === 'pending');
      if (!pending.length || this.connection === 'online') {
        clearInterval(this.pendingTimer);
        this.pendingTimer = null;
        return;
      }
      const now = Date.now();
      for (const entry of pending) {
        if (now - (entry.queuedAt || 0) < this.config.unsentAfterMs) continue;
        this.outbox = this.outbox.filter((id) => id !== entry.id);
        this.patchEntry(entry.id, { status: 'unsent' });
        this.announce('A message could not be sent. Use Retry to send it again.');
      }
    }, 1000);
  }

  // ---- connection ------------------------------------------------------

  connect() {
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
      return;
    }
    const { serverUrl, socketPath, namespace } = this.config;
    let origin;
    try {
      origin = new URL(serverUrl, window.location.href).origin;
    } catch (e) {
      this.setConnection('offline');
      return;
    }
    this.setConnection('connecting');
    const socket = io(origin + namespace, {
      path: socketPath,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    socket.on('connect', () => {
      // Joins the session's room; Rasa answers with session_confirm.
      socket.emit('session_request', { session_id: this.sessionId });
    });
    socket.on('session_confirm', (confirmed) => this.onSessionConfirm(confirmed));
    socket.on(this.config.botMessageEvent, (message) => this.onBotMessage(message));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return; // our own reset
      this.setConnection('offline');
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
    });
    socket.on('connect_error', () => this.setConnection('offline'));
    this.socket = socket;
  }

  onSessionConfirm(confirmed) {
    const id = confirmed && typeof confirmed === 'object' ? confirmed.session_id : confirmed;
    if (typeof id === 'string' && SESSION_ID.test(id) && id !== this.sessionId) {
      this.sessionId = id;
      this.store.saveSession(id);
    }
    this.setConnection('online');
    this.pump();
  }

  setConnection(state) {
    const previous = this.connection;
    if (previous === state) return;
    this.connection = state;
    this.statusEl.textContent = STATUS_TEXT[state];
    this.statusEl.classList.toggle('online', state === 'online');
    this.offlineBar.hidden = state !== 'offline';
    this.panel.setAttribute('data-connection', state);
    if (state === 'offline' && previous === 'online') this.announce('Connection lost. Trying to reconnect.');
    if (state === 'online' && previous === 'offline') this.announce('Connected again.');
    if (state === 'offline') this.watchPending();
  }

  // ---- receiving -------------------------------------------------------

  onBotMessage(message) {
    if (!message || typeof message !== 'object') return;
    const body = typeof message.text === 'string' ? message.text : '';
    const buttons = normalizeButtons(message.quick_replies || message.buttons);
    if (body.trim() || buttons.length) {
      this.addEntry({ id: entryId(), from: 'bot', text: body, buttons });
      if (body.trim()) this.announce(`Assistant: ${body}`);
    }
    const custom = customPayload(message);
    if (custom && custom.type === 'crisis') {
      this.addEntry({ id: entryId(), from: 'bot', crisis: normalizeCrisis(custom) });
      this.alert('Emergency help: call 911, or call or text 988. The numbers are at the top of the chat.');
    } else if (custom && custom.type === 'contact_card') {
      const card = normalizeCard(custom);
      this.addEntry({ id: entryId(), from: 'bot', card });
      this.announce(`Contact card: ${[card.center, card.phone, card.hours].filter(Boolean).join(', ')}`);
    }
  }

  announce(message) {
    this.live.appendChild(h('p', { text: message }));
    while (this.live.childNodes.length > 4) this.live.firstChild.remove();
  }

  alert(message) {
    this.alertRegion.textContent = '';
    this.alertRegion.appendChild(h('p', { text: message }));
  }

  // ---- rendering -------------------------------------------------------

  addEntry(entry) {
    this.entries.push(entry);
    this.store.saveTranscript(this.entries);
    const node = this.renderEntry(entry);
    if (node) {
      this.nodes.set(entry.id, node);
      this.list.appendChild(node);
    }
    this.renderQuickReplies();
    if (entry.crisis) this.renderCrisis();
    this.scrollToEnd();
  }

  patchEntry(id, changes) {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    Object.assign(entry, changes);
    this.store.saveTranscript(this.entries);
    const old = this.nodes.get(id);
    const node = this.renderEntry(entry);
    if (old && node) {
      const hadFocus = old.contains(this.shadow.activeElement);
      old.replaceWith(node);
      this.nodes.set(id, node);
      if (hadFocus) this.input.focus();
    }
  }

  renderAll() {
    this.list.textContent = '';
    this.nodes.clear();
    // The greeting is local: it is not part of the stored conversation.
    if (this.config.initialMessage) this.list.appendChild(this.renderEntry({ from: 'bot', text: this.config.initialMessage }));
    for (const entry of this.entries) {
      const node = this.renderEntry(entry);
      if (!node) continue;
      this.nodes.set(entry.id, node);
      this.list.appendChild(node);
    }
    this.renderQuickReplies();
    this.renderCrisis();
    this.scrollToEnd();
  }

  renderEntry(entry) {
    if (entry.crisis) return null; // shown in the banner at the top of the panel
    const who = h('span', { class: 'sr-only', text: entry.from === 'user' ? 'You: ' : 'Assistant: ' });
    if (entry.card) {
      return h('li', { class: 'msg bot', 'data-kind': 'contact-card' }, [who, this.renderCard(normalizeCard(entry.card))]);
    }
    if (entry.from === 'bot') {
      return h('li', { class: 'msg bot' }, [who, h('div', { class: 'bubble' }, [renderRichText(entry.text)])]);
    }
    return h('li', { class: 'msg user', 'data-status': entry.status || 'sent' }, [
      who,
      h('div', { class: 'bubble', text: entry.text }),
      this.renderStatus(entry),
    ]);
  }

  renderStatus(entry) {
    if (entry.status === 'sending') return h('p', { class: 'meta', text: 'Sending…' });
    if (entry.status === 'pending') return h('p', { class: 'meta', text: 'Waiting for the connection…' });
    if (entry.status === 'unsent') {
      return h('p', { class: 'meta unsent' }, [
        'Not sent.',
        h(
          'button',
          { type: 'button', class: 'retry', 'aria-label': `Retry sending: ${entry.text}`, onclick: () => this.retry(entry.id) },
          ['Retry'],
        ),
      ]);
    }
    return null;
  }

  renderCard(card) {
    return h('div', { class: 'card' }, [
      card.center && h('p', { class: 'card-title', text: card.center }),
      card.address && h('p', { text: card.address }),
      card.hours && h('p', { text: `Hours: ${card.hours}` }),
      card.href && h('a', { class: 'call', href: card.href }, [icon(ICONS.phone, 18), `Call ${card.phone || 'us'}`]),
    ]);
  }

  // Quick replies belong to the bot's latest turn only.
  renderQuickReplies() {
    this.quickReplies.textContent = '';
    let lastUser = -1;
    this.entries.forEach((e, i) => {
      if (e.from === 'user') lastUser = i;
    });
    const offers = this.entries.slice(lastUser + 1).filter((e) => e.from === 'bot' && Array.isArray(e.buttons));
    const latest = offers.map((e) => normalizeButtons(e.buttons)).filter((b) => b.length).pop();
    for (const button of latest || []) {
      const element = h('button', { type: 'button', class: 'quick-reply' }, [button.title]);
      element.addEventListener('click', () => {
        this.send(button.title, button.payload);
        this.input.focus();
      });
      this.quickReplies.appendChild(element);
    }
  }

  renderCrisis() {
    const latest = [...this.entries].reverse().find((e) => e.crisis);
    this.crisisList.textContent = '';
    this.crisisBanner.hidden = !latest;
    if (!latest) return;
    for (const line of normalizeCrisis(latest.crisis).lines) {
      this.crisisList.appendChild(h('li', {}, [h('a', { class: 'call', href: line.href }, [icon(ICONS.phone, 16), line.label])]));
    }
  }

  showTyping(visible) {
    this.typing.hidden = !visible;
    if (visible) this.scrollToEnd();
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
