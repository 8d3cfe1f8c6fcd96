// Styles live inside the shadow root: the host page's CSS cannot reach in and
// ours cannot leak out. Colours come from custom properties set on the host.
export const STYLES = `
:host {
  all: initial;
  --cc-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --cc-radius: 14px;
  --cc-muted: #4b5563;
  --cc-border: #c9ced6;
  --cc-focus: #1a56db;
  --cc-danger: #a61b1b;
  --cc-danger-bg: #fdecec;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  font-family: var(--cc-font);
  font-size: 16px;
  line-height: 1.45;
  color: var(--cc-text);
}
.sr-only {
  position: absolute !important;
  width: 1px; height: 1px;
  padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; border: 0;
}
button, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--cc-focus); outline-offset: 2px; }
.launcher:focus-visible, .send:focus-visible { outline-color: var(--cc-focus); box-shadow: 0 0 0 2px #ffffff; }

.launcher {
  position: fixed; bottom: 20px; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 8px;
  min-height: 52px; padding: 0 20px 0 16px;
  border: 2px solid #ffffff; border-radius: 999px;
  background: var(--cc-primary); color: var(--cc-primary-text);
  font-weight: 600; font-size: 16px;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .28);
}
.launcher:hover { filter: brightness(1.08); }
.badge {
  position: absolute; top: -6px; right: -6px; min-width: 24px; height: 24px; padding: 0 6px;
  border-radius: 12px; border: 2px solid #ffffff; background: #b3261e; color: #ffffff;
  font-size: 13px; font-weight: 700; line-height: 20px; text-align: center;
}
.right .launcher, .right .panel { right: 20px; }
.left .launcher, .left .panel { left: 20px; }

.panel {
  position: fixed; bottom: 88px; z-index: 2147483001;
  width: 390px; max-width: calc(100vw - 40px);
  height: 660px; max-height: calc(100vh - 108px);
  display: flex; flex-direction: column;
  background: var(--cc-bg); color: var(--cc-text);
  border: 1px solid var(--cc-border); border-radius: var(--cc-radius);
  box-shadow: 0 12px 40px rgba(0, 0, 0, .3);
  overflow: hidden;
  animation: cc-rise .18s ease-out;
}
@keyframes cc-rise { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }

.header {
  display: flex; align-items: center; gap: 2px;
  padding: 6px 4px 6px 14px;
  background: var(--cc-primary); color: var(--cc-primary-text);
}
.titles { flex: 1; min-width: 0; }
.logo { width: 32px; height: 32px; border-radius: 50%; background: #ffffff; object-fit: contain; margin-right: 8px; flex: none; }
.title { margin: 0; font-size: 16px; font-weight: 700; line-height: 1.25; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { margin: 1px 0 0; font-size: 13px; line-height: 1.3; display: flex; align-items: center; gap: 6px; }
.status::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: currentColor; opacity: .6; }
.status.online::before { background: #3ddc84; opacity: 1; border: 1px solid #ffffff; }
.header-btn {
  display: inline-flex; align-items: center; justify-content: center; gap: 4px;
  min-width: 44px; min-height: 44px; padding: 0 8px; flex: none;
  background: transparent; color: inherit;
  border: 1px solid transparent; border-radius: 8px;
  font-size: 14px; font-weight: 600;
}
.header-btn:hover { border-color: currentColor; }
.header-btn:focus-visible { outline-color: currentColor; }

.confirm {
  padding: 10px 16px; background: #fff8e1; color: #3b2f00;
  border-bottom: 1px solid var(--cc-border); font-size: 14px;
}
.confirm p { margin: 0 0 8px; }
.confirm .actions { display: flex; gap: 8px; flex-wrap: wrap; }

.btn {
  min-height: 40px; padding: 6px 14px; border-radius: 8px;
  border: 1px solid var(--cc-primary); background: #ffffff; color: var(--cc-primary-on-white);
  font-size: 15px; font-weight: 600;
}
.btn.primary { background: var(--cc-primary); color: var(--cc-primary-text); }

.crisis {
  position: relative; padding: 8px 48px 8px 14px; background: var(--cc-danger-bg); color: #5c0d0d;
  border-bottom: 2px solid var(--cc-danger);
}
.crisis-title { margin: 0 0 6px; font-size: 15px; font-weight: 700; }
.crisis ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.crisis.slim { display: flex; align-items: center; gap: 8px; padding: 4px 48px 4px 12px; }
.crisis.slim .crisis-title { margin: 0; font-size: 14px; flex: none; }
.crisis.slim ul { flex-wrap: nowrap; }
.crisis.slim .call { min-height: 36px; padding: 4px 10px; font-size: 14px; }
.crisis-toggle, .notice-toggle {
  position: absolute; top: 50%; right: 4px; transform: translateY(-50%);
  width: 40px; height: 40px; border: 0; border-radius: 8px; background: transparent; color: inherit;
  display: inline-flex; align-items: center; justify-content: center;
}
.crisis-toggle { top: 4px; transform: none; }
.crisis.slim .crisis-toggle { top: 50%; transform: translateY(-50%); }
.crisis-toggle:hover, .notice-toggle:hover { background: rgba(0, 0, 0, .07); }
.chev { width: 10px; height: 10px; border-right: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(-135deg); margin-top: 4px; }
[aria-expanded="false"] > .chev { transform: rotate(45deg); margin-top: -4px; }
.phone { white-space: nowrap; }
.call {
  display: inline-flex; align-items: center; gap: 6px;
  min-height: 40px; padding: 6px 12px; border-radius: 8px;
  background: var(--cc-danger); color: #ffffff; font-weight: 700; font-size: 15px;
  text-decoration: none;
}
.call:hover { text-decoration: underline; }
.call:focus-visible { outline-color: #1f1f1f; }

.notice {
  position: relative; padding: 6px 44px 6px 14px; font-size: 13px; line-height: 1.35;
  background: #f3f4f6; color: #374151; border-bottom: 1px solid var(--cc-border);
}
.notice-text { margin: 0; }
.notice.collapsed .notice-text { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.notice-toggle { width: 36px; height: 36px; right: 2px; }
.offline {
  padding: 8px 16px; font-size: 14px; background: #fff4e5; color: #4a2a00;
  border-bottom: 1px solid #e3b36b;
}
.offline p { margin: 0; }
.offline a { color: #4a2a00; font-weight: 700; }

.conversation { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
.scroll {
  flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain;
  padding: 8px 12px 4px;
}
.new-messages {
  position: absolute; right: 14px; bottom: 6px;
  min-height: 36px; padding: 4px 12px; border-radius: 999px; border: 2px solid #ffffff;
  background: var(--cc-primary); color: var(--cc-primary-text); font-weight: 700; font-size: 13px; white-space: nowrap;
  box-shadow: 0 2px 8px rgba(0, 0, 0, .3);
}
.messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 3px; }
.day { align-self: center; margin: 8px 0 4px; font-size: 12px; font-weight: 600; color: var(--cc-muted); }
.msg { display: flex; flex-direction: column; max-width: 88%; }
.msg.first { margin-top: 8px; }
.group-meta { margin: 0 4px 2px; font-size: 12px; color: var(--cc-muted); }
.group-meta .who { font-weight: 700; }
.bot:not(.last) .bubble { border-bottom-left-radius: 16px; }
.bot.first:not(.last) .bubble, .bot:not(.first):not(.last) .bubble { border-bottom-left-radius: 6px; }
.bot:not(.first) .bubble { border-top-left-radius: 6px; }
.user:not(.first) .bubble { border-top-right-radius: 6px; }
.para { margin: 0; }
.para + .para, .para + .md-list, .md-list + .para { margin-top: 6px; }
.md-list { margin: 4px 0; padding-left: 1.3em; white-space: normal; }
.md-list li + li { margin-top: 2px; }
.thumbs { display: flex; gap: 2px; margin: 2px 0 0; }
.thumb {
  width: 36px; height: 32px; border-radius: 8px; border: 1px solid transparent;
  background: transparent; color: var(--cc-muted); display: inline-flex; align-items: center; justify-content: center;
}
.thumb:hover { border-color: var(--cc-border); }
.thumb[aria-pressed="true"] { color: var(--cc-primary-on-white); border-color: var(--cc-primary-on-white); background: #eef4fb; }
.msg.bot { align-self: flex-start; align-items: flex-start; }
.msg.user { align-self: flex-end; align-items: flex-end; }
.bubble {
  padding: 9px 13px; border-radius: 16px;
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word;
}
.bot .bubble { background: var(--cc-bot-bg); color: var(--cc-bot-text); border-bottom-left-radius: 4px; }
.user .bubble { background: var(--cc-primary); color: var(--cc-primary-text); border-bottom-right-radius: 4px; }
.bot .link { color: var(--cc-link); font-weight: 600; text-decoration: underline; }
.user .link { color: inherit; text-decoration: underline; }
.meta { margin: 3px 4px 0; font-size: 13px; color: var(--cc-muted); display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.meta.unsent { color: var(--cc-danger); font-weight: 600; }
.retry {
  min-height: 32px; padding: 2px 10px; border-radius: 6px;
  border: 1px solid var(--cc-danger); background: #ffffff; color: var(--cc-danger); font-weight: 600; font-size: 13px;
}

.card {
  width: 100%; padding: 12px 14px; border-radius: 12px;
  background: #ffffff; color: var(--cc-text); border: 1px solid var(--cc-border);
  box-shadow: 0 1px 3px rgba(0, 0, 0, .08);
}
.card-title { margin: 0 0 4px; font-size: 16px; font-weight: 700; }
.card p { margin: 2px 0; font-size: 14px; }
.card .call { margin-top: 8px; background: var(--cc-primary); color: var(--cc-primary-text); }
.card .call:focus-visible { outline-color: var(--cc-focus); }

.quick-replies { display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 0 4px; }
.quick-replies:empty { display: none; }
/* Choices, not answers: an outline that stays an outline on hover (no fill that looks chosen). */
.choice {
  min-height: 40px; padding: 6px 14px; border-radius: 999px;
  border: 1px solid var(--cc-primary-on-white); background: #ffffff; color: var(--cc-primary-on-white);
  font-size: 15px; font-weight: 600; text-align: left;
}
.choice:hover { text-decoration: underline; box-shadow: inset 0 0 0 1px var(--cc-primary-on-white); }
.empty { padding: 8px 2px; }
.empty-intro { margin: 0 0 12px; padding: 10px 13px; border-radius: 16px; background: var(--cc-bot-bg); color: var(--cc-bot-text); }
.empty-title { margin: 0 0 6px; font-size: 14px; font-weight: 700; color: var(--cc-muted); }
.starters { display: flex; flex-wrap: wrap; gap: 6px; }

.typing { display: flex; align-items: center; gap: 4px; padding: 10px 14px; margin: 6px 0 4px;
  width: max-content; border-radius: 16px; background: var(--cc-bot-bg); color: var(--cc-bot-text); }
.typing .dot { width: 7px; height: 7px; border-radius: 50%; background: currentColor; opacity: .5;
  animation: cc-blink 1.2s infinite ease-in-out; }
.typing .dot:nth-child(2) { animation-delay: .2s; }
.typing .dot:nth-child(3) { animation-delay: .4s; }
.typing .still { display: none; font-size: 14px; }
@keyframes cc-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }

.composer {
  display: flex; align-items: flex-end; gap: 8px; padding: 8px 10px;
  border-top: 1px solid var(--cc-border); background: var(--cc-bg);
}
.field { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.input {
  display: block; width: 100%; min-height: 44px; height: 44px; padding: 10px 12px; resize: none;
  border: 1px solid #6b7280; border-radius: 10px; background: #ffffff; color: #1f2328;
  font-size: 16px; line-height: 1.35;
}
.input[aria-invalid="true"] { border: 2px solid var(--cc-danger); }
.counter { margin: 3px 2px 0; font-size: 12px; color: var(--cc-muted); }
.counter.over { color: var(--cc-danger); font-weight: 700; }
.input::placeholder { color: #5b6370; }
.input:focus-visible { outline-offset: 0; }
.send {
  min-width: 64px; min-height: 44px; padding: 0 14px; border-radius: 10px;
  border: 0; background: var(--cc-primary); color: var(--cc-primary-text); font-weight: 700;
}

/* Phones: the open panel takes the whole screen (its top and height follow the visual viewport). */
@media (max-width: 480px) {
  .panel {
    top: 0; bottom: auto; width: 100%; max-width: none; height: 100%; max-height: none;
    border-radius: 0; border: 0;
  }
  .right .panel, .left .panel { left: 0; right: 0; bottom: 0; }
  .launcher { bottom: 16px; }
  .right .launcher { right: 16px; }
  .left .launcher { left: 16px; }
  .msg { max-width: 94%; }
  .crisis { padding: 6px 44px 6px 10px; }
  .crisis-title { font-size: 14px; margin-bottom: 4px; }
  .crisis .call { padding: 6px 10px; font-size: 14px; gap: 4px; }
  .crisis.slim { padding: 4px 44px 4px 8px; gap: 6px; }
  .crisis.slim .call { padding: 4px 8px; }
  .offline { padding: 6px 12px; }
  .notice { padding: 4px 40px 4px 12px; }
}
@media (max-width: 360px) {
  .crisis.slim .crisis-title { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .header { padding-left: 10px; }
}
/* Short screens (a phone with its keyboard open): every bar as thin as it goes. */
@media (max-height: 420px) {
  .header { padding-top: 0; padding-bottom: 0; }
  .status { display: none; }
  .notice.collapsed { display: none; }
  .group-meta { display: none; }
  .msg.first { margin-top: 4px; }
  .composer { padding: 4px 8px; }
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
  .typing .dot { display: none; }
  .typing .still { display: inline; }
}

@media (forced-colors: active) {
  .bubble, .card, .launcher, .send, .quick-reply, .call { border: 1px solid CanvasText; }
}
`;
