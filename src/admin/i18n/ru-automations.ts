// Russian messages of the admin UI's automations pages, spread into the one catalogue (ru.ts).
import type { Message } from './ru';

export const ruAutomations = {} satisfies Record<string, Message>;
