// Session id and transcript in localStorage, so a conversation survives
// reloads and is shared by the visitor's tabs. Falls back to memory when
// storage is blocked (private mode, disabled cookies).
// The server issues `web:` + 43 base64url characters (connectors/web_ids.py); a
// locally made id stands in only until the server confirms one.
const SESSION_ID = /^(?:web:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{8,64})$/;

function storage() {
  try {
    const probe = '__center_chat_probe__';
    window.localStorage.setItem(probe, '1');
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch (e) {
    const memory = new Map();
    return {
      getItem: (k) => (memory.has(k) ? memory.get(k) : null),
      setItem: (k, v) => memory.set(k, String(v)),
      removeItem: (k) => memory.delete(k),
    };
  }
}

export function newSessionId() {
  // Same shape as Rasa's own ids (uuid4().hex): 32 lowercase hex characters.
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function isEntry(entry) {
  return (
    entry && typeof entry === 'object' && typeof entry.id === 'string' && (entry.from === 'user' || entry.from === 'bot')
  );
}

export class Store {
  constructor(prefix, maxEntries) {
    this.storage = storage();
    this.prefix = prefix;
    this.sessionKey = `${prefix}:session`;
    this.transcriptKey = `${prefix}:transcript`;
    this.maxEntries = maxEntries;
  }

  key(name) {
    return `${this.prefix}:${name}`;
  }

  /** Small per-visitor settings (language, notice read). */
  get(name) {
    return this.storage.getItem(this.key(name));
  }

  set(name, value) {
    this.trySet(this.key(name), value);
  }

  loadSession() {
    const id = this.storage.getItem(this.sessionKey);
    return id && SESSION_ID.test(id) ? id : null;
  }

  saveSession(id) {
    this.trySet(this.sessionKey, id);
  }

  parseTranscript(raw) {
    try {
      const entries = JSON.parse(raw || '[]');
      return Array.isArray(entries) ? entries.filter(isEntry) : [];
    } catch (e) {
      return [];
    }
  }

  loadTranscript() {
    return this.parseTranscript(this.storage.getItem(this.transcriptKey));
  }

  saveTranscript(entries) {
    this.trySet(this.transcriptKey, JSON.stringify(entries.slice(-this.maxEntries)));
  }

  clear() {
    this.storage.removeItem(this.sessionKey);
    this.storage.removeItem(this.transcriptKey);
  }

  trySet(key, value) {
    try {
      this.storage.setItem(key, value);
    } catch (e) {
      // Quota exceeded: the conversation still works, it just won't survive a reload.
    }
  }
}

export { SESSION_ID };
