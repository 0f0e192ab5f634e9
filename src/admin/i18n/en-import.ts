// English messages of the admin UI's import pages, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruImport } from './ru-import';

export const enImport: Record<keyof typeof ruImport, Message> = {};
