// The socket.io connection to Rasa: connect, join the session's room, pass
// bot messages on, reconnect. Nothing here knows about the DOM.
import { io } from 'socket.io-client';

// WebSocket only: a websocket stays on the server it reached, so it works
// behind a load balancer without sticky sessions (long-polling would not).
const TRANSPORTS = ['websocket'];

export class Transport {
  /**
   * @param config the widget config (serverUrl, socketPath, namespace, event names)
   * @param handlers {onState(state), onSession(id), onBotMessage(message)}
   */
  constructor(config, handlers) {
    this.config = config;
    this.handlers = handlers;
    this.socket = null;
    this.state = 'idle';
    this.sessionId = null;
  }

  get online() {
    return this.state === 'online';
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.handlers.onState(state);
  }

  /** Connects (once) and keeps the socket in `sessionId`'s room. */
  connect(sessionId) {
    this.sessionId = sessionId;
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
      return;
    }
    const { serverUrl, socketPath, namespace } = this.config;
    let origin;
    try {
      origin = new URL(serverUrl, window.location.href).origin;
    } catch (e) {
      this.setState('offline');
      return;
    }
    this.setState('connecting');
    const socket = io(origin + namespace, {
      path: socketPath,
      transports: TRANSPORTS,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    socket.on('connect', () => {
      // Joins the session's room; Rasa answers with session_confirm.
      socket.emit('session_request', { session_id: this.sessionId });
    });
    socket.on('session_confirm', (confirmed) => {
      const id = confirmed && typeof confirmed === 'object' ? confirmed.session_id : confirmed;
      this.setState('online');
      this.handlers.onSession(id);
    });
    socket.on(this.config.botMessageEvent, (message) => this.handlers.onBotMessage(message));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return; // our own reset
      this.setState('offline');
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
    });
    socket.on('connect_error', () => this.setState('offline'));
    window.addEventListener('online', () => {
      if (!socket.connected) socket.connect();
    });
    this.socket = socket;
  }

  /** Leaves the old session's room by reconnecting as a new socket. */
  rejoin(sessionId) {
    this.sessionId = sessionId;
    if (!this.socket) return;
    this.socket.disconnect();
    this.setState('connecting');
    this.socket.connect();
  }

  /** Emits `event` with `payload`; `done(error, answer)` gets the acknowledgement or a timeout. */
  emit(event, payload, timeoutMs, done) {
    if (!this.socket || !this.online) {
      done(new Error('offline'));
      return;
    }
    this.socket.timeout(timeoutMs).emit(event, payload, done);
  }

  sendUserMessage(message, timeoutMs, done) {
    this.emit(this.config.userMessageEvent, { message, session_id: this.sessionId }, timeoutMs, done);
  }
}
