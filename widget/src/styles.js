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
button, input { font: inherit; color: inherit; }
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
.right .launcher, .right .panel { right: 20px; }
.left .launcher, .left .panel { left: 20px; }

.panel {
  position: fixed; bottom: 20px; z-index: 2147483001;
  width: 380px; max-width: calc(100vw - 40px);
  height: 620px; max-height: calc(100vh - 40px);
  display: flex; flex-direction: column;
  background: var(--cc-bg); color: var(--cc-text);
  border: 1px solid var(--cc-border); border-radius: var(--cc-radius);
  box-shadow: 0 12px 40px rgba(0, 0, 0, .3);
  overflow: hidden;
  animation: cc-rise .18s ease-out;
}
@keyframes cc-rise { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }

.header {
  display: flex; align-items: center; gap: 6px;
  padding: 10px 8px 10px 16px;
  background: var(--cc-primary); color: var(--cc-primary-text);
}
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 17px; font-weight: 700; line-height: 1.25; overflow-wrap: anywhere; }
.status { margin: 2px 0 0; font-size: 13px; display: flex; align-items: center; gap: 6px; }
.status::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: currentColor; opacity: .6; }
.status.online::before { background: #3ddc84; opacity: 1; border: 1px solid #ffffff; }
.header-btn {
  display: inline-flex; align-items: center; justify-content: center; gap: 4px;
  min-width: 44px; min-height: 44px; padding: 0 10px;
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
  padding: 10px 14px; background: var(--cc-danger-bg); color: #5c0d0d;
  border-bottom: 2px solid var(--cc-danger);
}
.crisis-title { margin: 0 0 6px; font-size: 15px; font-weight: 700; }
.crisis ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.call {
  display: inline-flex; align-items: center; gap: 6px;
  min-height: 40px; padding: 6px 12px; border-radius: 8px;
  background: var(--cc-danger); color: #ffffff; font-weight: 700; font-size: 15px;
  text-decoration: none;
}
.call:hover { text-decoration: underline; }
.call:focus-visible { outline-color: #1f1f1f; }

.notice {
  margin: 0; padding: 8px 16px; font-size: 13px; line-height: 1.35;
  background: #f3f4f6; color: #374151; border-bottom: 1px solid var(--cc-border);
}
.offline {
  padding: 8px 16px; font-size: 14px; background: #fff4e5; color: #4a2a00;
  border-bottom: 1px solid #e3b36b;
}
.offline p { margin: 0; }
.offline a { color: #4a2a00; font-weight: 700; }

.scroll {
  flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain;
  padding: 12px 12px 4px;
}
.messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.msg { display: flex; flex-direction: column; max-width: 88%; }
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
.quick-reply {
  min-height: 40px; padding: 6px 14px; border-radius: 999px;
  border: 2px solid var(--cc-primary-on-white); background: #ffffff; color: var(--cc-primary-on-white);
  font-size: 15px; font-weight: 600; text-align: left;
}
.quick-reply:hover { background: var(--cc-primary); color: var(--cc-primary-text); }

.typing { display: flex; align-items: center; gap: 4px; padding: 10px 14px; margin: 6px 0 4px;
  width: max-content; border-radius: 16px; background: var(--cc-bot-bg); color: var(--cc-bot-text); }
.typing .dot { width: 7px; height: 7px; border-radius: 50%; background: currentColor; opacity: .5;
  animation: cc-blink 1.2s infinite ease-in-out; }
.typing .dot:nth-child(2) { animation-delay: .2s; }
.typing .dot:nth-child(3) { animation-delay: .4s; }
.typing .still { display: none; font-size: 14px; }
@keyframes cc-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }

.composer {
  display: flex; gap: 8px; padding: 10px 12px;
  border-top: 1px solid var(--cc-border); background: var(--cc-bg);
}
.input {
  flex: 1; min-width: 0; min-height: 44px; padding: 8px 12px;
  border: 1px solid #6b7280; border-radius: 10px; background: #ffffff; color: #1f2328;
  font-size: 16px;
}
.input::placeholder { color: #5b6370; }
.input:focus-visible { outline-offset: 0; }
.send {
  min-width: 64px; min-height: 44px; padding: 0 14px; border-radius: 10px;
  border: 0; background: var(--cc-primary); color: var(--cc-primary-text); font-weight: 700;
}

/* Phones: the open panel takes the whole screen. */
@media (max-width: 480px) {
  .panel {
    inset: 0; width: 100%; max-width: none; height: 100%; max-height: none;
    border-radius: 0; border: 0;
  }
  .right .panel, .left .panel { left: 0; right: 0; bottom: 0; }
  .launcher { bottom: 16px; }
  .right .launcher { right: 16px; }
  .left .launcher { left: 16px; }
  .msg { max-width: 94%; }
  .crisis { padding: 8px 10px; }
  .crisis-title { font-size: 14px; margin-bottom: 4px; }
  .crisis .call { padding: 6px 10px; font-size: 14px; gap: 4px; }
  .offline, .notice { padding: 6px 12px; }
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
