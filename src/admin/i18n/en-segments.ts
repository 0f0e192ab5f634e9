// English messages of the admin UI's segments pages, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruSegments } from './ru-segments';

export const enSegments: Record<keyof typeof ruSegments, Message> = {};
