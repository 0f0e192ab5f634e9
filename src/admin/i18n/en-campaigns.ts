// English messages of the admin UI's campaigns pages, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruCampaigns } from './ru-campaigns';

export const enCampaigns: Record<keyof typeof ruCampaigns, Message> = {};
