// What a bot message (Rasa's socket.io bot_uttered) holds, checked and trimmed:
// text, buttons, a crisis payload or a contact card, and its language.
import { safeHref, telHref } from './richtext.js';
import { supported } from './i18n.js';

export const EMERGENCY_HREFS = ['tel:911', 'tel:988'];

const text = (value) => (typeof value === 'string' ? value.trim() : '');
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,48}$/;

// Rasa sends buttons as socketio `quick_replies` ({content_type, title, payload});
// `buttons` is accepted too for connectors that pass them through unchanged.
export function normalizeButtons(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((b) => b && text(b.title) && text(b.payload))
    .slice(0, 12)
    .map((b) => ({ title: text(b.title), payload: text(b.payload) }));
}

/** The payload's help lines; 911 and 988 always come first (labels from the widget's language). */
export function normalizeCrisis(custom) {
  const lines = (Array.isArray(custom.lines) ? custom.lines : [])
    .map((line) => (line && text(line.label) ? { label: text(line.label), href: safeHref(line.href) } : null))
    .filter((line) => line && line.href && !EMERGENCY_HREFS.includes(line.href));
  return { kind: text(custom.kind) || 'crisis', lines: lines.slice(0, 4) };
}

export function normalizeCard(custom) {
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

/** The parts of one bot_uttered event, or null when it holds nothing to show. */
export function parseBotMessage(message) {
  if (!message || typeof message !== 'object') return null;
  const body = typeof message.text === 'string' ? message.text : '';
  const custom = customPayload(message);
  const parts = {
    text: body.trim() ? body : '',
    buttons: normalizeButtons(message.quick_replies || message.buttons),
    crisis: custom && custom.type === 'crisis' ? normalizeCrisis(custom) : null,
    card: custom && custom.type === 'contact_card' ? normalizeCard(custom) : null,
    lang: supported(message.lang) || (custom && supported(custom.lang)) || null,
    // The server's id for this message (connectors/web.py): the same in every tab.
    id: typeof message.id === 'string' && MESSAGE_ID.test(message.id) ? message.id : null,
  };
  if (!parts.text && !parts.buttons.length && !parts.crisis && !parts.card) return null;
  return parts;
}
