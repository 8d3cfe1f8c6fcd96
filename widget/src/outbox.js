// The visitor's messages on their way: one at a time, in order; queued while
// offline; marked "not sent" (with Retry) rather than lost or sent much later.
export class Outbox {
  /**
   * @param transcript the shared Transcript
   * @param transport the socket Transport
   * @param options {tab, replyTimeoutMs, unsentAfterMs, onTurn(open), onUnsent()}
   */
  constructor(transcript, transport, options) {
    this.transcript = transcript;
    this.transport = transport;
    this.options = options;
    this.queue = [];
    this.inFlight = null;
    this.timer = null;
  }

  /** Ours that a reload interrupted: never sent are queued again, sent ones wait for no reply. */
  recover() {
    const { tab, unsentAfterMs } = this.options;
    const now = Date.now();
    for (const entry of this.transcript.entries) {
      if (entry.from !== 'user' || entry.tab !== tab) continue;
      if (entry.status === 'pending' && now - (entry.queuedAt || 0) < unsentAfterMs) this.queue.push(entry.id);
      else if (entry.status === 'pending' || entry.status === 'sending') this.transcript.patch(entry.id, { status: 'unsent', awaiting: false });
      else if (entry.awaiting) this.transcript.patch(entry.id, { awaiting: false });
    }
  }

  enqueue(id) {
    this.queue.push(id);
    this.pump();
  }

  retry(id) {
    this.transcript.patch(id, { status: 'pending', queuedAt: Date.now(), tab: this.options.tab });
    this.enqueue(id);
  }

  clear() {
    this.queue = [];
    this.inFlight = null;
  }

  get turnOpen() {
    return this.inFlight !== null;
  }

  /** The first reply shows the server has the message. */
  replied() {
    const entry = this.inFlight && this.transcript.find(this.inFlight);
    if (entry && entry.status === 'sending') this.transcript.patch(entry.id, { status: 'sent' });
  }

  // Rasa acknowledges the event once it has handled the whole turn: until
  // then the turn is open (typing indicator); no acknowledgement marks it unsent.
  pump() {
    if (this.inFlight) return;
    if (!this.transport.online) {
      this.watchPending();
      return;
    }
    const id = this.queue.shift();
    if (!id) return;
    const entry = this.transcript.find(id);
    if (!entry || entry.status !== 'pending') {
      this.pump();
      return;
    }
    this.inFlight = id;
    this.transcript.patch(id, { status: 'sending', awaiting: true });
    this.options.onTurn(true);
    this.transport.sendUserMessage(entry.message, this.options.replyTimeoutMs, (error) => {
      if (this.inFlight !== id) return; // the conversation was reset meanwhile
      this.inFlight = null;
      const now = this.transcript.find(id);
      const answered = now && now.status === 'sent';
      this.transcript.patch(id, { status: error && !answered ? 'unsent' : 'sent', awaiting: false });
      this.options.onTurn(false);
      if (error && !answered) this.options.onUnsent();
      this.pump();
    });
  }

  // While offline, queued messages wait; past unsentAfterMs they are marked unsent.
  watchPending() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const pending = this.queue.map((id) => this.transcript.find(id)).filter((e) => e && e.status === 'pending');
      if (!pending.length || this.transport.online) {
        clearInterval(this.timer);
        this.timer = null;
        return;
      }
      const now = Date.now();
      for (const entry of pending) {
        if (now - (entry.queuedAt || 0) < this.options.unsentAfterMs) continue;
        this.queue = this.queue.filter((id) => id !== entry.id);
        this.transcript.patch(entry.id, { status: 'unsent' });
        this.options.onUnsent();
      }
    }, 1000);
  }
}
