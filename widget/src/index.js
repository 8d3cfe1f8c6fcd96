import { normalizeConfig } from './config.js';
import { ChatWidget } from './widget.js';

// Must be read while the script runs: the config may be the tag's own body,
//   <script src=".../center-chat.js">{"serverUrl": "...", "title": "..."}</script>
// (never executed by the browser, only parsed here as JSON).
const currentScript = document.currentScript;

function scriptConfig() {
  const body = currentScript && currentScript.textContent ? currentScript.textContent.trim() : '';
  if (!body) return {};
  try {
    return JSON.parse(body);
  } catch (e) {
    console.error('[center-chat] the config inside the <script> tag is not valid JSON');
    return {};
  }
}

function boot() {
  if (window.CenterChat && window.CenterChat.widget) return; // embedded twice
  const config = normalizeConfig({ ...(window.CenterChatConfig || {}), ...scriptConfig() });
  const widget = new ChatWidget(config);
  widget.mount(document.body);
  window.CenterChat = {
    widget,
    open: () => widget.open(),
    close: () => widget.close(),
  };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
