// Russian messages of the admin UI's customers pages, spread into the one catalogue (ru.ts).
import type { Message } from './ru';

export const ruCustomers = {} satisfies Record<string, Message>;
