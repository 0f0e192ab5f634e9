// English messages of the admin UI's senders pages, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruSenders } from './ru-senders';

export const enSenders: Record<keyof typeof ruSenders, Message> = {};
