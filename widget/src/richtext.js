import { h } from './dom.js';

// Only these URL schemes ever become links; everything else stays plain text.
export const ALLOWED_SCHEMES = ['https:', 'tel:', 'mailto:'];

/** Returns a normalised href when `raw` uses an allowed scheme, else null. */
export function safeHref(raw) {
  if (typeof raw !== 'string') return null;
  const value = raw.trim();
  if (/^tel:/i.test(value)) {
    const digits = value.slice(4).replace(/[^\d+]/g, '');
    return /^\+?\d{3,15}$/.test(digits) ? `tel:${digits}` : null;
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

/** tel: href for a phone number written in text, e.g. "1-800-662-4357" or "988". */
export function telHref(text) {
  const digits = String(text).replace(/[^\d+]/g, '');
  return safeHref(`tel:${digits}`);
}

const TOKEN = new RegExp(
  [
    String.raw`\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)`, // 1,2: markdown link
    String.raw`((?:https?|mailto|tel|javascript|data|ftp):[^\s<>"']+)`, // 3: URL with scheme
    String.raw`([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})`, // 4: e-mail
    String.raw`((?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:org|gov|com|net|edu|us)\b(?:/[^\s<>"']*)?)`, // 5: bare domain
    String.raw`((?:\+?1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})`, // 6: phone number
    String.raw`\b(911|988)\b`, // 7: emergency short numbers
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

function link(label, href) {
  const props = { href, class: 'link' };
  const children = [label];
  if (href.startsWith('https:')) {
    props.target = '_blank';
    props.rel = 'noopener noreferrer';
    children.push(h('span', { class: 'sr-only', text: ' (opens in a new tab)' }));
  }
  return h('a', props, children);
}

/**
 * Turns bot text into DOM nodes: plain text nodes plus links whose scheme is
 * on the allow-list. Markup in the text is shown as the characters it is.
 */
export function renderRichText(text) {
  const fragment = document.createDocumentFragment();
  const source = String(text || '');
  let last = 0;
  TOKEN.lastIndex = 0;
  let match;
  while ((match = TOKEN.exec(source)) !== null) {
    const [whole, mdLabel, mdHref, url, email, domain, phone, shortNumber] = match;
    let node = null;
    let consumed = whole;
    let trailing = '';
    if (mdLabel !== undefined) {
      const href = safeHref(mdHref);
      node = href ? link(mdLabel, href) : document.createTextNode(mdLabel);
    } else if (url !== undefined) {
      [consumed, trailing] = trimTrailingPunctuation(url);
      const href = safeHref(consumed);
      node = href ? link(consumed, href) : null;
    } else if (email !== undefined) {
      node = link(email, `mailto:${email}`);
    } else if (domain !== undefined) {
      [consumed, trailing] = trimTrailingPunctuation(domain);
      const href = safeHref(`https://${consumed}`);
      node = href ? link(consumed, href) : null;
    } else if (phone !== undefined || shortNumber !== undefined) {
      const number = phone || shortNumber;
      const href = telHref(number);
      node = href ? link(number, href) : null;
    }
    if (!node) continue; // leave it in the plain text run
    if (match.index > last) fragment.appendChild(document.createTextNode(source.slice(last, match.index)));
    fragment.appendChild(node);
    if (trailing) fragment.appendChild(document.createTextNode(trailing));
    last = match.index + whole.length;
  }
  if (last < source.length) fragment.appendChild(document.createTextNode(source.slice(last)));
  return fragment;
}
