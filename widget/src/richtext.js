import { h } from './dom.js';

// Only these URL schemes ever become links; everything else stays plain text.
export const ALLOWED_SCHEMES = ['https:', 'tel:', 'mailto:'];

/** Returns a normalised href when `raw` uses an allowed scheme, else null. */
export function safeHref(raw) {
  if (typeof raw !== 'string') return null;
  const value = raw.trim();
  if (/^tel:/i.test(value)) {
    const number = e164(value.slice(4));
    return /^\+?\d{3,15}$/.test(number) ? `tel:${number}` : null;
  }
  let url;
  try {
    url = new URL(value);
  } catch (e) {
    return null;
  }
  if (!ALLOWED_SCHEMES.includes(url.protocol)) return null;
  if (url.protocol === 'mailto:' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(decodeURIComponent(url.pathname))) return null;
  return url.href;
}

/** The number in E.164 (+1 for a US number of 10 or 11 digits); short numbers (911, 988) as they are. */
export function e164(text) {
  const raw = String(text).replace(/[^\d+]/g, '');
  const digits = raw.replace(/\D/g, '');
  if (raw.startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits;
}

/** tel: href for a phone number written in text, e.g. "1-800-662-4357" -> tel:+18006624357, "988" -> tel:988. */
export function telHref(text) {
  return safeHref(`tel:${e164(text)}`);
}

/** Phone numbers the visitor wrote (E.164): shown back to them as text, never as a link. */
export function phoneNumbersIn(text) {
  const found = [];
  for (const match of String(text || '').matchAll(new RegExp(PHONE, 'g'))) found.push(e164(match[0]));
  for (const match of String(text || '').matchAll(/\+?\d[\d\s().-]{8,}\d/g)) found.push(e164(match[0]));
  return found.filter((number) => number.replace(/\D/g, '').length >= 7);
}

const PHONE = String.raw`(?:\+?1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}`;

const TOKEN = new RegExp(
  [
    String.raw`\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)`, // 1,2: markdown link
    String.raw`((?:https?|mailto|tel|javascript|data|ftp):[^\s<>"']+)`, // 3: URL with scheme
    String.raw`([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})`, // 4: e-mail
    String.raw`((?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:org|gov|com|net|edu|us)\b(?:/[^\s<>"']*)?)`, // 5: bare domain
    `(${PHONE})`, // 6: phone number
    String.raw`\b(911|988)\b`, // 7: emergency short numbers
    String.raw`\b(1-8\d\d-[A-Z0-9]{3}-[A-Z]{4})\b`, // 8: number in letters, e.g. 1-800-662-HELP (kept on one line)
  ].join('|'),
  'gi',
);

// "Call 988lifeline.org." keeps the full stop outside the link; a closing
// bracket stays only when the URL opened one.
function trimTrailingPunctuation(text) {
  let end = text.length;
  while (end > 0) {
    const ch = text[end - 1];
    const head = text.slice(0, end);
    if (ch === ')' && head.split('(').length >= head.split(')').length) break;
    if (!/[.,;:!?'")\]]/.test(ch)) break;
    end -= 1;
  }
  return [text.slice(0, end), text.slice(end)];
}

function link(label, href, options) {
  const props = { href, class: href.startsWith('tel:') ? 'link phone' : 'link' };
  const children = [label];
  if (href.startsWith('https:')) {
    props.target = '_blank';
    props.rel = 'noopener noreferrer';
    children.push(h('span', { class: 'sr-only', text: options.newTab || ' (opens in a new tab)' }));
  }
  return h('a', props, children);
}

/**
 * Turns a run of bot text into DOM nodes: plain text nodes plus links whose
 * scheme is on the allow-list. Markup in the text is shown as the characters it is.
 */
function renderLinks(text, options) {
  const fragment = document.createDocumentFragment();
  const source = String(text || '');
  let last = 0;
  TOKEN.lastIndex = 0;
  let match;
  while ((match = TOKEN.exec(source)) !== null) {
    const [whole, mdLabel, mdHref, url, email, domain, phone, shortNumber, lettered] = match;
    let node = null;
    let consumed = whole;
    let trailing = '';
    if (mdLabel !== undefined) {
      const href = safeHref(mdHref);
      node = href ? link(mdLabel, href, options) : document.createTextNode(mdLabel);
    } else if (url !== undefined) {
      [consumed, trailing] = trimTrailingPunctuation(url);
      const href = safeHref(consumed);
      node = href ? link(consumed, href, options) : null;
    } else if (email !== undefined) {
      node = link(email, `mailto:${email}`, options);
    } else if (domain !== undefined) {
      [consumed, trailing] = trimTrailingPunctuation(domain);
      const href = safeHref(`https://${consumed}`);
      node = href ? link(consumed, href, options) : null;
    } else if (phone !== undefined || shortNumber !== undefined) {
      const number = phone || shortNumber;
      const href = telHref(number);
      const visitors = href && (options.plainNumbers || []).includes(href.slice(4));
      // The visitor's own number is not a link; it still never wraps mid-number.
      node = href && !visitors ? link(number, href, options) : h('span', { class: 'phone', text: number });
    }
    if (lettered !== undefined) node = h('span', { class: 'phone', text: lettered });
    if (!node) continue; // leave it in the plain text run
    if (match.index > last) fragment.appendChild(document.createTextNode(source.slice(last, match.index)));
    fragment.appendChild(node);
    if (trailing) fragment.appendChild(document.createTextNode(trailing));
    last = match.index + whole.length;
  }
  if (last < source.length) fragment.appendChild(document.createTextNode(source.slice(last)));
  return fragment;
}

// Inline **bold**; the rest goes through the link finder.
function renderInline(text, options) {
  const fragment = document.createDocumentFragment();
  const parts = String(text).split(/\*\*([^*\n]+)\*\*/);
  parts.forEach((part, index) => {
    if (!part) return;
    if (index % 2) fragment.appendChild(h('strong', {}, [renderLinks(part, options)]));
    else fragment.appendChild(renderLinks(part, options));
  });
  return fragment;
}

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;

/**
 * Bot text as DOM, never as HTML: a small Markdown subset (**bold**, "- " and
 * "1. " lists) and safe links. `options.plainNumbers`: phone numbers (E.164)
 * that stay text; `options.newTab`: the screen-reader hint on new-tab links.
 */
export function renderRichText(text, options = {}) {
  const fragment = document.createDocumentFragment();
  const lines = String(text || '').split('\n');
  let paragraph = [];
  let list = null;
  const flushParagraph = () => {
    if (!paragraph.length) return;
    fragment.appendChild(h('p', { class: 'para' }, [renderInline(paragraph.join('\n'), options)]));
    paragraph = [];
  };
  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = !bullet && NUMBERED.exec(line);
    const item = bullet || numbered;
    if (item) {
      flushParagraph();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = h(tag, { class: 'md-list' });
        fragment.appendChild(list);
      }
      list.appendChild(h('li', {}, [renderInline(item[1], options)]));
    } else {
      list = null;
      paragraph.push(line);
    }
  }
  flushParagraph();
  return fragment;
}
