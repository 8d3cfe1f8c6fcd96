// The launcher and the panel: building the DOM, open and close (non-modal on
// desktop, a full-screen modal on phones), the keyboard, the layout that
// follows the visual viewport, scrolling, the unread badge, the notice, the
// crisis banner and the composer. It shows what the widget tells it to.
import { h, icon, ICONS } from './dom.js';

export const MAX_MESSAGE_CHARS = 2000; // = channels/web.py MAX_MESSAGE_CHARS (the server's limit)
const COUNTER_FROM = Math.floor(MAX_MESSAGE_CHARS * 0.8);
const PHONE_QUERY = '(max-width: 480px)';
const SLIM_BANNER_BELOW_PX = 600; // a panel shorter than this gets the slim crisis bar

export class Panel {
  /**
   * @param config the normalized widget config
   * @param handlers {onOpen(), onSend(text), onChoose(button), onStartOver(), onDownload()}
   */
  constructor(config, handlers) {
    this.config = config;
    this.handlers = handlers;
    this.labels = []; // [element, key, attribute|null, values()] re-applied on a language change
    this.t = null;
    this.isOpen = false;
    this.unread = 0;
    this.pageTitle = document.title;
    this.anchorId = null; // first bubble of the reply being shown
    this.reading = false; // the visitor scrolled up to read history
    this.ownScrollTop = null; // where the widget last scrolled to itself
    this.crisis = null;
    this.crisisSlimmed = false; // the visitor moved on or asked for the slim bar
    this.crisisExpanded = null; // null: automatic by panel height
    this.noticeRead = false;
    this.phone = window.matchMedia(PHONE_QUERY);
  }

  text(el, key, attribute = null, values = null) {
    this.labels.push([el, key, attribute, values]);
    return el;
  }

  applyLanguage(t, language) {
    this.t = t;
    this.root.setAttribute('lang', language);
    for (const [el, key, attribute, values] of this.labels) {
      const value = typeof key === 'function' ? key(t) : t(key, values ? values() : undefined);
      if (attribute) el.setAttribute(attribute, value);
      else el.textContent = value;
    }
    this.renderCrisis();
    this.updateCounter();
    this.setUnread(this.unread);
  }

  // ---- building ---------------------------------------------------------

  build() {
    const cfg = this.config;
    this.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    this.unreadText = h('span', { class: 'sr-only' });
    this.launcherLabel = h('span', { class: 'label' });
    this.text(this.launcherLabel, (t) => cfg.launcherLabelText(t));
    this.launcher = h(
      'button',
      { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'cc-panel', onclick: () => this.toggle() },
      [icon(ICONS.chat, 22), this.launcherLabel, this.unreadText, this.badge],
    );

    this.statusEl = h('p', { class: 'status', id: 'cc-status' });
    const headerButton = (key, path, onclick) =>
      this.text(this.text(h('button', { type: 'button', class: 'header-btn', onclick }, [icon(path, 20)]), key, 'aria-label'), key, 'title');
    this.downloadButton = headerButton('download', ICONS.download, () => this.handlers.onDownload());
    this.restartButton = headerButton('startOver', ICONS.restart, () => this.askStartOver());
    this.closeButton = headerButton('close', ICONS.close, () => this.close());
    const logo = cfg.logoUrl ? h('img', { class: 'logo', src: cfg.logoUrl, alt: '', width: '32', height: '32' }) : null;
    this.titleEl = this.text(h('h2', { class: 'title', id: 'cc-title' }), (t) => cfg.titleText(t));
    const header = h('div', { class: 'header' }, [
      logo,
      h('div', { class: 'titles' }, [this.titleEl, this.statusEl]),
      this.downloadButton,
      this.restartButton,
      this.closeButton,
    ]);

    this.confirmYes = this.text(h('button', { type: 'button', class: 'btn primary', onclick: () => this.handlers.onStartOver() }), 'startOverYes');
    this.confirmNo = this.text(h('button', { type: 'button', class: 'btn', onclick: () => this.cancelStartOver() }), 'cancel');
    this.confirmBar = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'cc-confirm-text', hidden: true }, [
      this.text(h('p', { id: 'cc-confirm-text' }), 'startOverQuestion'),
      h('div', { class: 'actions' }, [this.confirmYes, this.confirmNo]),
    ]);

    this.crisisBanner = h('section', { class: 'crisis', 'aria-labelledby': 'cc-crisis-title', hidden: true });

    this.noticeText = this.text(h('p', { class: 'notice-text', id: 'cc-notice' }), (t) => cfg.noticeText(t));
    this.noticeToggle = h('button', { type: 'button', class: 'notice-toggle', 'aria-expanded': 'true', 'aria-controls': 'cc-notice', onclick: () => this.setNoticeCollapsed(!this.notice.classList.contains('collapsed')) }, [
      h('span', { class: 'chev', 'aria-hidden': 'true' }),
    ]);
    this.text(this.noticeToggle, (t) => (this.notice.classList.contains('collapsed') ? t('noticeMore') : t('noticeLess')), 'aria-label');
    this.notice = h('div', { class: 'notice' }, [this.noticeText, this.noticeToggle]);

    this.offlineBar = h('div', { class: 'offline', hidden: true }, [
      h('p', {}, [
        this.text(h('span'), 'offline'),
        h('a', { href: 'tel:911', class: 'phone', text: '911' }),
        this.text(h('span'), 'or'),
        h('a', { href: 'tel:988', class: 'phone', text: '988' }),
        '.',
      ]),
    ]);

    this.list = h('ol', { class: 'messages' });
    this.emptyState = h('div', { class: 'empty', hidden: true });
    this.quickReplies = h('div', { class: 'quick-replies', role: 'group' });
    this.text(this.quickReplies, 'suggested', 'aria-label');
    this.typing = h('div', { class: 'typing', hidden: true }, [
      this.text(h('span', { class: 'sr-only' }), 'typing'),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      this.text(h('span', { class: 'still', 'aria-hidden': 'true' }), 'typingStill'),
    ]);
    // Focusable so keyboard users can scroll back through the conversation.
    this.scroller = h('div', { class: 'scroll', role: 'region', tabindex: '0', onscroll: () => this.onScroll() }, [
      this.emptyState,
      this.list,
      this.quickReplies,
      this.typing,
    ]);
    this.text(this.scroller, 'conversation', 'aria-label');
    this.newMessagesButton = h('button', { type: 'button', class: 'new-messages', hidden: true, onclick: () => this.showNewMessages() }, [
      this.text(h('span'), 'newMessages'),
      h('span', { 'aria-hidden': 'true', text: ' ↓' }),
    ]);
    const conversation = h('div', { class: 'conversation' }, [this.scroller, this.newMessagesButton]);

    this.input = h('textarea', { class: 'input', id: 'cc-input', rows: '1', autocomplete: 'off', 'aria-describedby': 'cc-counter' });
    this.text(this.input, 'placeholder', 'placeholder');
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.counter = h('p', { class: 'counter', id: 'cc-counter', 'aria-live': 'polite', hidden: true });
    this.sendButton = this.text(h('button', { type: 'submit', class: 'send' }), 'send');
    const form = h('form', { class: 'composer', onsubmit: (event) => { event.preventDefault(); this.submit(); } }, [
      this.text(h('label', { class: 'sr-only', for: 'cc-input' }), 'messageLabel'),
      h('div', { class: 'field' }, [this.input, this.counter]),
      this.sendButton,
    ]);

    this.panel = h(
      'div',
      { class: 'panel', id: 'cc-panel', role: 'dialog', 'aria-labelledby': 'cc-title', 'aria-describedby': 'cc-notice', hidden: true },
      [header, this.confirmBar, this.crisisBanner, this.notice, this.offlineBar, conversation, form],
    );

    // Live regions stay rendered while the panel is closed so they keep working.
    this.live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-live': 'polite' });
    this.alertRegion = h('div', { class: 'sr-only', 'aria-live': 'assertive', 'data-live': 'assertive' });
    this.root = h('div', { class: `root ${cfg.position}`, onkeydown: (event) => this.onKeydown(event) }, [
      this.launcher,
      this.panel,
      this.live,
      this.alertRegion,
    ]);
    this.followViewport();
    this.phone.addEventListener('change', () => this.applyMode());
    return this.root;
  }

  // ---- open / close / keyboard ---------------------------------------

  get modal() {
    return this.phone.matches;
  }

  applyMode() {
    if (this.modal) this.panel.setAttribute('aria-modal', 'true');
    else this.panel.removeAttribute('aria-modal');
    // On a phone the panel covers the launcher; on a desktop the launcher toggles it.
    this.launcher.hidden = this.isOpen && this.modal;
    this.layoutToViewport();
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  open() {
    if (this.isOpen) return;
    this.isOpen = true;
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.applyMode();
    this.setUnread(0);
    this.handlers.onOpen();
    this.scrollToLatest();
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
    const selector = 'a[href], button:not([disabled]), textarea:not([disabled]), [tabindex="0"]';
    return [...this.panel.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0);
  }

  onKeydown(event) {
    if (event.key === 'Escape' && this.isOpen) {
      event.preventDefault();
      event.stopPropagation();
      if (!this.confirmBar.hidden) this.cancelStartOver();
      else this.close();
      return;
    }
    if (event.key !== 'Tab' || !this.isOpen || !this.modal) return;
    // Phones only: the full-screen panel keeps focus inside (Tab and Shift+Tab cycle).
    const items = this.focusables();
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = this.root.getRootNode().activeElement;
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

  // ---- layout ------------------------------------------------------------

  // The on-screen keyboard shrinks the visual viewport, not the layout one:
  // the full-screen panel follows it so the header and the last message stay visible.
  followViewport() {
    const viewport = window.visualViewport;
    const update = () => this.layoutToViewport();
    if (viewport) {
      viewport.addEventListener('resize', update);
      viewport.addEventListener('scroll', update);
    }
    window.addEventListener('resize', update);
  }

  layoutToViewport() {
    const viewport = window.visualViewport;
    if (this.modal && viewport) {
      this.panel.style.top = `${Math.round(viewport.offsetTop)}px`;
      this.panel.style.height = `${Math.round(viewport.height)}px`;
    } else {
      this.panel.style.top = '';
      this.panel.style.height = '';
    }
    if (!this.isOpen) return;
    this.renderCrisis();
    this.growInput();
    this.keepInView();
  }

  // ---- scrolling -----------------------------------------------------------

  maxScroll() {
    return this.scroller.scrollHeight - this.scroller.clientHeight;
  }

  atBottom() {
    return this.maxScroll() - this.scroller.scrollTop < 40;
  }

  scrollTo(top) {
    const target = Math.max(0, Math.min(top, this.maxScroll()));
    if (Math.abs(this.scroller.scrollTop - target) < 1) return;
    this.scroller.scrollTop = target;
    this.ownScrollTop = this.scroller.scrollTop;
  }

  onScroll() {
    // Scroll events of one frame arrive as one: the widget's own scroll and a
    // visitor's that follows it are told apart by where the view ended up.
    const own = this.ownScrollTop !== null && Math.abs(this.scroller.scrollTop - this.ownScrollTop) < 2;
    this.ownScrollTop = null;
    if (own) return;
    this.reading = !this.atBottom();
    if (!this.reading) this.newMessagesButton.hidden = true;
  }

  /** Where the view rests: the first bubble of the latest reply, or the end. */
  keepInView() {
    if (this.reading) return;
    const anchor = this.anchorId && this.nodeFor(this.anchorId);
    if (anchor) {
      this.scrollTo(anchor.offsetTop - 8);
      const hiddenBelow = this.maxScroll() - this.scroller.scrollTop > 40;
      this.newMessagesButton.hidden = !hiddenBelow;
    } else {
      this.scrollTo(this.maxScroll());
    }
  }

  scrollToLatest() {
    this.reading = false;
    this.keepInView();
  }

  /**
   * New entries are on screen. `fromVisitor`: the visitor sent one here (the
   * view goes to it). A reply's first bubble becomes the anchor; a visitor
   * reading history is not moved, a "New messages" button appears instead.
   */
  contentAdded(newEntries, fromVisitor) {
    const lastUser = newEntries.map((e) => e.from).lastIndexOf('user');
    if (fromVisitor) this.reading = false;
    if (lastUser >= 0) this.anchorId = null;
    const replies = newEntries.slice(lastUser + 1).filter((e) => e.from === 'bot' && !e.crisis);
    if (!this.anchorId && replies.length) this.anchorId = replies[0].id;
    if (this.reading) {
      if (newEntries.length) this.newMessagesButton.hidden = false;
      return;
    }
    this.keepInView();
  }

  showNewMessages() {
    this.newMessagesButton.hidden = true;
    this.reading = false;
    this.anchorId = null;
    this.scrollTo(this.maxScroll());
    this.input.focus();
  }

  // ---- parts the widget updates ------------------------------------------

  setStatus(state) {
    this.statusKey = state;
    this.statusEl.textContent = this.t(`status.${state}`);
    this.statusEl.classList.toggle('online', state === 'online');
    this.offlineBar.hidden = state !== 'offline';
    this.panel.setAttribute('data-connection', state);
  }

  setUnread(count) {
    this.unread = count;
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 9 ? '9+' : String(count);
    const unread = count === 1 ? this.t('unreadOne') : this.t('unreadMany', { n: count });
    this.badge.textContent = count ? this.badge.textContent : '';
    this.unreadText.textContent = count ? `, ${unread}` : '';
    document.title = count ? `(${count}) ${this.pageTitle}` : this.pageTitle;
  }

  setTyping(visible) {
    this.typing.hidden = !visible;
    if (visible) this.keepInView();
  }

  setNoticeCollapsed(collapsed) {
    this.notice.classList.toggle('collapsed', collapsed);
    this.noticeToggle.setAttribute('aria-expanded', String(!collapsed));
    this.noticeToggle.setAttribute('aria-label', collapsed ? this.t('noticeMore') : this.t('noticeLess'));
  }

  /** The empty state (greeting and topic buttons) while there is no conversation yet. */
  setEmpty(empty, intro, topics) {
    this.emptyState.hidden = !empty;
    this.emptyState.textContent = '';
    if (!empty) return;
    const buttons = topics.map((topic) => h('button', { type: 'button', class: 'choice starter', onclick: () => this.handlers.onChoose(topic) }, [topic.title]));
    this.emptyState.append(
      h('p', { class: 'empty-intro', dir: 'auto', text: intro }),
      h('h3', { class: 'empty-title', id: 'cc-starters', text: this.t('starters') }),
      h('div', { class: 'starters', role: 'group', 'aria-labelledby': 'cc-starters' }, buttons),
    );
  }

  setQuickReplies(buttons) {
    this.quickReplies.textContent = '';
    for (const button of buttons) {
      this.quickReplies.appendChild(
        h('button', { type: 'button', class: 'choice quick-reply', onclick: () => this.handlers.onChoose(button) }, [button.title]),
      );
    }
  }

  /** The crisis banner: 911 and 988 always, full or as a slim bar. */
  setCrisis(crisis) {
    if (crisis !== this.crisis) {
      this.crisisSlimmed = false;
      this.crisisExpanded = null;
    }
    this.crisis = crisis;
    this.renderCrisis();
  }

  /** The visitor moved on from the crisis reply: the banner shrinks to the slim bar. */
  slimCrisis() {
    if (this.crisis) this.crisisSlimmed = true;
    this.renderCrisis();
  }

  renderCrisis() {
    const banner = this.crisisBanner;
    banner.hidden = !this.crisis;
    if (!this.crisis || !this.t) return;
    const t = this.t;
    const automatic = !this.crisisSlimmed && (this.panel.clientHeight || window.innerHeight) >= SLIM_BANNER_BELOW_PX;
    const expanded = this.crisisExpanded === null ? automatic : this.crisisExpanded;
    // The slim bar shows just the numbers; the links' names stay whole ("Call 911").
    const call = (label, href, short = null) =>
      h('li', {}, [
        h('a', { class: 'call', href, 'aria-label': short && !expanded ? label : null }, [
          icon(ICONS.phone, 16),
          h('span', { class: 'phone', text: short && !expanded ? short : label }),
        ]),
      ]);
    const lines = [call(t('call911'), 'tel:911', '911'), call(t('call988'), 'tel:988', '988')];
    if (expanded) for (const line of this.crisis.lines) lines.push(call(line.label, line.href));
    const toggle = h('button', {
      type: 'button',
      class: 'crisis-toggle',
      'aria-expanded': String(expanded),
      'aria-label': expanded ? t('crisisLess') : t('crisisMore'),
      title: expanded ? t('crisisLess') : t('crisisMore'),
      onclick: () => {
        this.crisisExpanded = !expanded;
        this.renderCrisis();
        this.crisisBanner.querySelector('.crisis-toggle').focus();
      },
    }, [h('span', { class: 'chev', 'aria-hidden': 'true' })]);
    banner.classList.toggle('slim', !expanded);
    banner.textContent = '';
    banner.append(
      h('h3', { class: expanded ? 'crisis-title' : 'crisis-title sr-only-slim', id: 'cc-crisis-title', text: expanded ? t('crisisTitle') : t('crisisSlim') }),
      h('ul', { class: 'crisis-lines' }, lines),
      toggle,
    );
  }

  // ---- composer --------------------------------------------------------------

  onInput() {
    this.growInput();
    this.updateCounter();
  }

  growInput() {
    const input = this.input;
    input.style.height = 'auto';
    const limit = Math.max(44, Math.min(140, Math.round((this.panel.clientHeight || 400) * 0.3)));
    input.style.height = `${Math.min(input.scrollHeight + 2, limit)}px`;
    input.style.overflowY = input.scrollHeight + 2 > limit ? 'auto' : 'hidden';
  }

  updateCounter() {
    if (!this.t) return;
    const count = this.input.value.length;
    const over = count - MAX_MESSAGE_CHARS;
    this.counter.hidden = count < COUNTER_FROM;
    this.counter.classList.toggle('over', over > 0);
    this.counter.textContent =
      over > 0 ? this.t('overLimit', { over: over.toLocaleString(), max: MAX_MESSAGE_CHARS.toLocaleString() }) : this.t('counter', { count: count.toLocaleString(), max: MAX_MESSAGE_CHARS.toLocaleString() });
    this.input.setAttribute('aria-invalid', over > 0 ? 'true' : 'false');
  }

  submit() {
    const value = this.input.value.trim();
    if (!value) return;
    if (value.length > MAX_MESSAGE_CHARS) {
      // Never cut silently: the counter says by how much it is over.
      this.updateCounter();
      this.input.focus();
      return;
    }
    this.input.value = '';
    this.onInput();
    this.handlers.onSend(value);
  }

  // ---- announcements ---------------------------------------------------------

  announce(message) {
    this.live.appendChild(h('p', { text: message }));
    while (this.live.childNodes.length > 4) this.live.firstChild.remove();
  }

  alert(message) {
    this.alertRegion.textContent = '';
    this.alertRegion.appendChild(h('p', { text: message }));
  }

  nodeFor(id) {
    return this.list.querySelector(`[data-id="${CSS.escape(id)}"]`);
  }
}
