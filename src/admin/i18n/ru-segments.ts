// Russian messages of the admin UI's segments pages, spread into the one catalogue (ru.ts).
import type { Message } from './ru';

export const ruSegments = {} satisfies Record<string, Message>;
