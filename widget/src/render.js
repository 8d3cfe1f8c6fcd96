// The conversation as DOM: day separators, bubbles grouped by sender with
// the name and time, statuses, contact cards and thumbs on answers.
// Nodes are kept by a key and reused, so a re-render keeps focus and scroll.
import { h, icon, ICONS } from './dom.js';
import { renderRichText, phoneNumbersIn } from './richtext.js';
import { normalizeCard } from './messages.js';

const GROUP_GAP_MS = 5 * 60 * 1000;

function dayKey(at) {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function dayLabel(at, t, locale) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (dayKey(at) === dayKey(today.getTime())) return t('today');
  if (dayKey(at) === dayKey(yesterday.getTime())) return t('yesterday');
  return new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(at));
}

export function timeLabel(at, locale) {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(at));
}

/** Entries shown in the list (a crisis payload lives in the banner), with their place in a group. */
export function layout(entries) {
  const shown = entries.filter((e) => !e.crisis && (e.from === 'user' || e.text || e.card));
  return shown.map((entry, index) => {
    const previous = shown[index - 1];
    const next = shown[index + 1];
    const sameAs = (other) =>
      other && other.from === entry.from && Math.abs((other.at || 0) - (entry.at || 0)) < GROUP_GAP_MS && dayKey(other.at) === dayKey(entry.at);
    return {
      entry,
      newDay: !previous || dayKey(previous.at) !== dayKey(entry.at),
      groupStart: !sameAs(previous),
      groupEnd: !sameAs(next),
    };
  });
}

export class ConversationView {
  /**
   * @param list the <ol> of messages
   * @param handlers {onRetry(id), onRate(id, rating)}
   */
  constructor(list, handlers) {
    this.list = list;
    this.handlers = handlers;
    this.cache = new Map();
    this.ui = null;
  }

  /** ui: {t, locale, assistantName, hidden: Set of ids not yet revealed} */
  render(entries, ui) {
    this.ui = ui;
    const plainNumbers = entries.filter((e) => e.from === 'user').flatMap((e) => phoneNumbersIn(e.text));
    const items = layout(entries.filter((e) => !ui.hidden.has(e.id)));
    const nodes = [];
    const keep = new Map();
    for (const item of items) {
      if (item.newDay) {
        const label = dayLabel(item.entry.at, ui.t, ui.locale);
        const key = `day:${dayKey(item.entry.at)}:${label}`;
        nodes.push(this.reuse(keep, key, () => h('li', { class: 'day' }, [h('span', { text: label })])));
      }
      const e = item.entry;
      const key = [e.id, e.rev, item.groupStart, item.groupEnd, ui.locale, e.from === 'bot' ? plainNumbers.join(',') : ''].join('|');
      nodes.push(this.reuse(keep, key, () => this.renderEntry(item, plainNumbers)));
    }
    // Replace the children only where they differ: focused nodes stay in place.
    nodes.forEach((node, index) => {
      if (this.list.children[index] !== node) this.list.insertBefore(node, this.list.children[index] || null);
    });
    while (this.list.children.length > nodes.length) this.list.lastElementChild.remove();
    this.cache = keep;
  }

  reuse(keep, key, make) {
    const node = this.cache.get(key) || make();
    node.dataset.key = key;
    keep.set(key, node);
    return node;
  }

  renderEntry(item, plainNumbers) {
    const { t, locale, assistantName } = this.ui;
    const e = item.entry;
    const bot = e.from === 'bot';
    const name = bot ? assistantName : t('you');
    const classes = ['msg', bot ? 'bot' : 'user', item.groupStart ? 'first' : '', item.groupEnd ? 'last' : ''].filter(Boolean).join(' ');
    const children = [];
    if (item.groupStart) {
      children.push(
        h('p', { class: 'group-meta' }, [
          h('span', { class: 'who', text: name }),
          ' ',
          h('time', { datetime: new Date(e.at).toISOString(), text: timeLabel(e.at, locale) }),
        ]),
      );
    }
    const props = { class: classes, 'data-id': e.id };
    if (e.card) {
      props['data-kind'] = 'contact-card';
      children.push(h('span', { class: 'sr-only', text: `${name}: ` }), this.renderCard(normalizeCard(e.card)));
      return h('li', props, children);
    }
    children.push(h('span', { class: 'sr-only', text: `${name}: ` }));
    if (bot) {
      children.push(h('div', { class: 'bubble', dir: 'auto' }, [renderRichText(e.text, { plainNumbers, newTab: t('newTab') })]));
      if (item.groupEnd) children.push(this.renderThumbs(e));
      return h('li', props, children);
    }
    props['data-status'] = e.status || 'sent';
    children.push(h('div', { class: 'bubble', dir: 'auto', text: e.text }), this.renderStatus(e));
    return h('li', props, children);
  }

  renderThumbs(entry) {
    const { t } = this.ui;
    const button = (rating, label, path) =>
      h(
        'button',
        {
          type: 'button',
          class: `thumb ${rating}`,
          'aria-label': label,
          title: label,
          'aria-pressed': entry.rating === rating ? 'true' : 'false',
          onclick: () => this.handlers.onRate(entry.id, rating),
        },
        [icon(path, 18)],
      );
    return h('div', { class: 'thumbs', role: 'group', 'aria-label': t('helpful') + ' / ' + t('notHelpful') }, [
      button('up', t('helpful'), ICONS.thumbUp),
      button('down', t('notHelpful'), ICONS.thumbDown),
    ]);
  }

  renderStatus(entry) {
    const { t } = this.ui;
    if (entry.status === 'sending') return h('p', { class: 'meta', text: t('sending') });
    if (entry.status === 'pending') return h('p', { class: 'meta', text: t('waiting') });
    if (entry.status === 'unsent') {
      return h('p', { class: 'meta unsent' }, [
        t('notSent'),
        h(
          'button',
          { type: 'button', class: 'retry', 'aria-label': t('retryLabel', { text: entry.text }), onclick: () => this.handlers.onRetry(entry.id) },
          [t('retry')],
        ),
      ]);
    }
    return null;
  }

  renderCard(card) {
    const { t } = this.ui;
    return h('div', { class: 'card' }, [
      card.center && h('p', { class: 'card-title', dir: 'auto', text: card.center }),
      card.address && h('p', { dir: 'auto', text: card.address }),
      card.hours && h('p', { dir: 'auto', text: t('hours', { hours: card.hours }) }),
      card.href &&
        h('a', { class: 'call', href: card.href }, [icon(ICONS.phone, 18), card.phone ? t('call', { phone: card.phone }) : t('callUs')]),
    ]);
  }
}

/** The conversation as plain text, for "Download transcript". */
export function transcriptText(entries, ui, title) {
  const lines = [ui.t('transcriptTitle', { title }), ''];
  let day = null;
  for (const e of entries) {
    if (!e.at) continue;
    if (dayKey(e.at) !== day) {
      day = dayKey(e.at);
      lines.push(`--- ${new Intl.DateTimeFormat(ui.locale, { dateStyle: 'full' }).format(new Date(e.at))} ---`);
    }
    const who = e.from === 'bot' ? ui.assistantName : ui.t('you');
    let body = e.text || '';
    if (e.card) body = [e.card.center, e.card.phone, e.card.hours, e.card.address].filter(Boolean).join(', ');
    if (e.crisis) body = [ui.t('call911'), ui.t('call988'), ...e.crisis.lines.map((l) => l.label)].join(' | ');
    if (body) lines.push(`[${timeLabel(e.at, ui.locale)}] ${who}: ${body}`);
  }
  return `${lines.join('\n')}\n`;
}
