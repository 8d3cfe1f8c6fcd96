// Embedding options. Everything is optional except serverUrl.
export const DEFAULTS = {
  serverUrl: '', // Rasa server base URL, e.g. "https://chat.example.org"
  socketPath: '/socket.io/', // Rasa credentials: socketio_path
  namespace: '', // Rasa credentials: namespace (leave empty unless set there)
  userMessageEvent: 'user_uttered', // Rasa credentials: user_message_evt
  botMessageEvent: 'bot_uttered', // Rasa credentials: bot_message_evt
  language: 'auto', // "auto" (the page's lang, then the browser's) | "en" | "es"
  // Texts below: a string, or {"en": "...", "es": "..."}; unset means the widget's own wording.
  title: null, // panel heading
  assistantName: null, // shown above the assistant's messages
  launcherLabel: null,
  initialMessage: null, // the empty state's greeting (local, not sent to Rasa)
  notice: null, // not-medical-advice line under the header
  logoUrl: '', // the center's logo (same-origin or data: URL), shown in the header
  position: 'right', // "right" | "left"
  storageKey: 'center-chat', // prefix for localStorage keys
  unsentAfterMs: 60000, // offline messages older than this are marked "not sent"
  replyTimeoutMs: 45000, // no acknowledgement from the server within this: "not sent"
  maxStoredMessages: 200,
  colors: {},
};

export const DEFAULT_COLORS = {
  primary: '#0b5394', // header, launcher, send button, your bubbles
  primaryText: '#ffffff',
  background: '#ffffff',
  text: '#1f2328',
  botBubble: '#eef1f4',
  botText: '#1f2328',
};

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

function rgb(hex) {
  const m = HEX.exec(hex);
  let digits = m[1];
  if (digits.length === 3) digits = digits.replace(/./g, '$&$&');
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
}

function luminance(hex) {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// WCAG AA for normal text: a configured text colour that is too faint on
// its background is replaced by black or white, whichever reads better.
export function readableOn(background, preferred) {
  if (contrastRatio(preferred, background) >= 4.5) return preferred;
  return contrastRatio('#000000', background) >= contrastRatio('#ffffff', background) ? '#000000' : '#ffffff';
}

function pickColors(custom) {
  const colors = { ...DEFAULT_COLORS };
  for (const [name, value] of Object.entries(custom || {})) {
    if (!(name in DEFAULT_COLORS)) continue;
    if (typeof value === 'string' && HEX.test(value.trim())) colors[name] = value.trim();
    else console.warn(`[center-chat] colors.${name} must be a hex colour like #0b5394; using the default`);
  }
  colors.primaryText = readableOn(colors.primary, colors.primaryText);
  colors.text = readableOn(colors.background, colors.text);
  colors.botText = readableOn(colors.botBubble, colors.botText);
  // Links inside bot bubbles use the brand colour only when it is readable there.
  colors.primaryOnWhite = readableOn('#ffffff', colors.primary);
  colors.link = contrastRatio(colors.primary, colors.botBubble) >= 4.5 ? colors.primary : colors.botText;
  return colors;
}

function positiveNumber(value, fallback) {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

const TEXT_OPTIONS = ['title', 'assistantName', 'launcherLabel', 'initialMessage', 'notice'];

function textOption(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const picked = {};
    for (const [code, text] of Object.entries(value)) if (typeof text === 'string') picked[code] = text;
    return picked;
  }
  return null;
}

export function normalizeConfig(raw = {}) {
  const config = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    if (key === 'colors' || TEXT_OPTIONS.includes(key)) continue;
    if (typeof raw[key] === typeof DEFAULTS[key]) config[key] = raw[key];
  }
  for (const key of TEXT_OPTIONS) config[key] = textOption(raw[key]);
  config.colors = pickColors(raw.colors);
  config.position = config.position === 'left' ? 'left' : 'right';
  config.unsentAfterMs = positiveNumber(raw.unsentAfterMs, DEFAULTS.unsentAfterMs);
  config.replyTimeoutMs = positiveNumber(raw.replyTimeoutMs, DEFAULTS.replyTimeoutMs);
  config.maxStoredMessages = positiveNumber(raw.maxStoredMessages, DEFAULTS.maxStoredMessages);
  if (!config.storageKey) config.storageKey = DEFAULTS.storageKey;
  if (!config.serverUrl) console.error('[center-chat] serverUrl is missing from the widget config');
  return config;
}
