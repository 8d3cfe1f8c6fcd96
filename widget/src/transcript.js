// The conversation as entries with ids, shared by the visitor's tabs through
// localStorage. Every change is read-merge-write by id, so two tabs never
// overwrite each other's messages and nothing appears twice.
let counter = 0;

/** A tab's id survives its reloads (sessionStorage is per tab). */
export function tabId() {
  try {
    const key = 'center-chat:tab';
    let id = window.sessionStorage.getItem(key);
    if (!id) {
      id = Math.random().toString(36).slice(2, 10);
      window.sessionStorage.setItem(key, id);
    }
    return id;
  } catch (e) {
    return Math.random().toString(36).slice(2, 10);
  }
}

export function newEntry(fields) {
  counter += 1;
  const at = Date.now();
  return {
    id: `${at.toString(36)}-${Math.random().toString(36).slice(2, 8)}-${counter}`,
    at,
    seq: counter,
    rev: at,
    ...fields,
  };
}

function byTime(a, b) {
  return (a.at || 0) - (b.at || 0) || (a.seq || 0) - (b.seq || 0) || (a.id < b.id ? -1 : 1);
}

/** Union by id; for the same id the later revision wins. */
export function merge(...lists) {
  const byId = new Map();
  for (const list of lists) {
    for (const entry of list) {
      const known = byId.get(entry.id);
      if (!known || (entry.rev || 0) >= (known.rev || 0)) byId.set(entry.id, entry);
    }
  }
  return [...byId.values()].sort(byTime);
}

export class Transcript {
  constructor(store, onChange = () => {}) {
    this.store = store;
    this.onChange = onChange;
    this.entries = store.loadTranscript().sort(byTime);
  }

  find(id) {
    return this.entries.find((e) => e.id === id);
  }

  write(changed) {
    this.entries = merge(this.store.loadTranscript(), this.entries, changed);
    this.store.saveTranscript(this.entries);
    this.onChange(changed);
  }

  add(entry) {
    this.write([entry]);
    return entry;
  }

  patch(id, changes) {
    const entry = this.find(id);
    if (!entry) return null;
    // A revision later than any before, even within one millisecond.
    const updated = { ...entry, ...changes, rev: Math.max(Date.now(), (entry.rev || 0) + 1) };
    this.write([updated]);
    return updated;
  }

  /** Another tab wrote the transcript: take its entries and keep ours that it lacks. */
  adopt(raw) {
    this.entries = merge(this.entries, this.store.parseTranscript(raw));
    this.onChange([]);
  }

  reset(entries = []) {
    this.entries = entries;
    this.onChange([]);
  }

  /** A user message of another tab whose turn is still open (that tab records the replies);
   * a turn older than `timeoutMs` belonged to a tab that was closed mid-turn. */
  foreignTurnOpen(tab, timeoutMs) {
    const now = Date.now();
    return this.entries.some((e) => e.from === 'user' && e.awaiting && e.tab !== tab && now - (e.rev || 0) < timeoutMs);
  }
}
