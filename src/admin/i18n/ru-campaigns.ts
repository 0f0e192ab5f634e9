// Russian messages of the admin UI's campaigns pages, spread into the one catalogue (ru.ts).
import type { Message } from './ru';

export const ruCampaigns = {} satisfies Record<string, Message>;
