// English messages of the admin UI's automations pages, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruAutomations } from './ru-automations';

export const enAutomations: Record<keyof typeof ruAutomations, Message> = {};
