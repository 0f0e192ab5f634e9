// Russian messages of the admin UI's senders pages, spread into the one catalogue (ru.ts).
import type { Message } from './ru';

export const ruSenders = {} satisfies Record<string, Message>;
