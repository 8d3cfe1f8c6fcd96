// The widget's own wording, in English and Spanish. The bot's messages come
// from the server in the conversation's language; these are only the
// widget's labels, status lines and announcements.
export const LANGUAGES = ['en', 'es'];

const STRINGS = {
  en: {
    launcher: 'Chat with us',
    unreadOne: '1 new message',
    unreadMany: '{n} new messages',
    title: 'Chat with us',
    assistant: 'Assistant',
    you: 'You',
    intro: 'Hi! I can answer questions about heroin addiction and our treatment programs. What would you like to know?',
    notice: 'General information only, not medical advice. In an emergency call 911.',
    noticeMore: 'Show the full notice',
    noticeLess: 'Shorten the notice',
    starters: 'Popular topics',
    status: { idle: 'Ready', connecting: 'Connecting…', online: 'Online', offline: 'Offline, reconnecting…' },
    startOver: 'Start over',
    startOverQuestion: 'Start a new conversation? This one will be cleared from this device.',
    startOverYes: 'Yes, start over',
    cancel: 'Cancel',
    startedOver: 'Started a new conversation.',
    close: 'Close chat',
    download: 'Download transcript',
    transcriptTitle: 'Conversation with {title}',
    conversation: 'Conversation',
    suggested: 'Suggested replies',
    typing: 'The assistant is typing',
    typingStill: 'Typing…',
    messageLabel: 'Your message',
    placeholder: 'Type your question…',
    send: 'Send',
    counter: '{count} of {max} characters',
    overLimit: '{over} characters over the limit of {max}. Please shorten your message.',
    newMessages: 'New messages',
    crisisTitle: 'Emergency help, any time',
    crisisSlim: 'Emergency:',
    crisisMore: 'Show all help lines',
    crisisLess: 'Show fewer help lines',
    call911: 'Call 911',
    call988: 'Call or text 988',
    crisisAlert: 'Emergency help: call 911, or call or text 988. The numbers are at the top of the chat.',
    offline: 'Offline, reconnecting. What you send now goes out when we are back. Emergency: call ',
    or: ' or ',
    lost: 'Connection lost. Trying to reconnect.',
    back: 'Connected again.',
    sending: 'Sending…',
    waiting: 'Waiting for the connection…',
    notSent: 'Not sent.',
    retry: 'Retry',
    retryLabel: 'Retry sending: {text}',
    unsentAnnounce: 'A message could not be sent. Use Retry to send it again.',
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    thanks: 'Thanks for your feedback.',
    feedbackFailed: 'Your feedback could not be saved. Please try again.',
    cardTitle: 'Contact card',
    hours: 'Hours: {hours}',
    call: 'Call {phone}',
    callUs: 'Call us',
    newTab: ' (opens in a new tab)',
    today: 'Today',
    yesterday: 'Yesterday',
  },
  es: {
    launcher: 'Chatee con nosotros',
    unreadOne: '1 mensaje nuevo',
    unreadMany: '{n} mensajes nuevos',
    title: 'Chatee con nosotros',
    assistant: 'Asistente',
    you: 'Usted',
    intro: '¡Hola! Puedo responder preguntas sobre la adicción a la heroína y nuestros programas de tratamiento. ¿Qué le gustaría saber?',
    notice: 'Solo información general, no es consejo médico. En una emergencia llame al 911.',
    noticeMore: 'Ver el aviso completo',
    noticeLess: 'Acortar el aviso',
    starters: 'Temas frecuentes',
    status: { idle: 'Listo', connecting: 'Conectando…', online: 'En línea', offline: 'Sin conexión, reconectando…' },
    startOver: 'Empezar de nuevo',
    startOverQuestion: '¿Empezar una conversación nueva? Esta se borrará de este dispositivo.',
    startOverYes: 'Sí, empezar de nuevo',
    cancel: 'Cancelar',
    startedOver: 'Empezó una conversación nueva.',
    close: 'Cerrar el chat',
    download: 'Descargar la conversación',
    transcriptTitle: 'Conversación con {title}',
    conversation: 'Conversación',
    suggested: 'Respuestas sugeridas',
    typing: 'El asistente está escribiendo',
    typingStill: 'Escribiendo…',
    messageLabel: 'Su mensaje',
    placeholder: 'Escriba su pregunta…',
    send: 'Enviar',
    counter: '{count} de {max} caracteres',
    overLimit: '{over} caracteres más del límite de {max}. Por favor, acorte su mensaje.',
    newMessages: 'Mensajes nuevos',
    crisisTitle: 'Ayuda de emergencia, a toda hora',
    crisisSlim: 'Emergencia:',
    crisisMore: 'Ver todas las líneas de ayuda',
    crisisLess: 'Ver menos líneas de ayuda',
    call911: 'Llamar al 911',
    call988: 'Llamar o textear al 988',
    crisisAlert: 'Ayuda de emergencia: llame al 911, o llame o envíe un texto al 988. Los números están arriba en el chat.',
    offline: 'Sin conexión, reconectando. Lo que envíe ahora saldrá cuando volvamos. Emergencia: llame al ',
    or: ' o al ',
    lost: 'Se perdió la conexión. Intentando reconectar.',
    back: 'Conectado de nuevo.',
    sending: 'Enviando…',
    waiting: 'Esperando la conexión…',
    notSent: 'No enviado.',
    retry: 'Reintentar',
    retryLabel: 'Reintentar el envío: {text}',
    unsentAnnounce: 'Un mensaje no se pudo enviar. Use Reintentar para enviarlo otra vez.',
    helpful: 'Útil',
    notHelpful: 'No fue útil',
    thanks: 'Gracias por su opinión.',
    feedbackFailed: 'No se pudo guardar su opinión. Inténtelo de nuevo.',
    cardTitle: 'Tarjeta de contacto',
    hours: 'Horario: {hours}',
    call: 'Llamar al {phone}',
    callUs: 'Llámenos',
    newTab: ' (se abre en una pestaña nueva)',
    today: 'Hoy',
    yesterday: 'Ayer',
  },
};

// Topic buttons of the empty state; payloads are the assistant's intents.
const STARTERS = {
  en: [
    { title: 'What is heroin addiction?', payload: '/ask_what_is_addiction' },
    { title: 'Withdrawal', payload: '/ask_withdrawal' },
    { title: 'Treatment options', payload: '/ask_treatment' },
    { title: 'Talk to a specialist', payload: '/request_specialist' },
  ],
  es: [
    { title: '¿Qué es la adicción a la heroína?', payload: '/ask_what_is_addiction' },
    { title: 'Abstinencia', payload: '/ask_withdrawal' },
    { title: 'Opciones de tratamiento', payload: '/ask_treatment' },
    { title: 'Hablar con un especialista', payload: '/request_specialist' },
  ],
};

export function supported(code) {
  const base = typeof code === 'string' ? code.trim().toLowerCase().split(/[-_]/)[0] : '';
  return LANGUAGES.includes(base) ? base : null;
}

/** "auto" reads the page's lang attribute, then the browser's languages; English otherwise. */
export function initialLanguage(setting, doc = document, nav = navigator) {
  const fixed = supported(setting);
  if (fixed) return fixed;
  const page = supported(doc.documentElement.getAttribute('lang'));
  if (page) return page;
  for (const code of nav.languages || [nav.language]) {
    const found = supported(code);
    if (found) return found;
  }
  return 'en';
}

export function starters(language) {
  return STARTERS[language] || STARTERS.en;
}

/** A translator for one language: t('counter', {count: 5, max: 10}). */
export function translator(language) {
  const table = STRINGS[language] || STRINGS.en;
  return (key, values) => {
    const template = key.split('.').reduce((node, part) => (node ? node[part] : undefined), table);
    const text = typeof template === 'string' ? template : key;
    return values ? text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : '')) : text;
  };
}

/** Config text that may be one string or {en: ..., es: ...}. */
export function localized(value, language, fallback) {
  if (typeof value === 'string' && value.trim()) return value;
  if (value && typeof value === 'object') {
    const text = value[language] || value.en;
    if (typeof text === 'string' && text.trim()) return text;
  }
  return fallback;
}
