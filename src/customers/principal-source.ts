import type { Principal } from '../auth/auth.decorators';

/** Who made a change, as recorded in `source` columns: "api_key:3". */
export const sourceOf = (principal?: Principal): string => (principal ? `api_key:${principal.id}` : 'api');
