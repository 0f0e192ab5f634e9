// English messages of the admin UI's customers pages, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruCustomers } from './ru-customers';

export const enCustomers: Record<keyof typeof ruCustomers, Message> = {};
