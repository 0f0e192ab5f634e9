// Russian messages of the admin UI's import pages, spread into the one catalogue (ru.ts).
import type { Message } from './ru';

export const ruImport = {} satisfies Record<string, Message>;
