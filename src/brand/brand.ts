// The brand a message shows ({{brand.*}}): the stored settings, with the sender's name standing in
// for brand.name only while no brand name is set. Pure: the send path, the web copy and the
// preview all call it.
import type { RenderBrand } from '../templates/render';

/** The stored brand; null fields are not set. */
export interface BrandSettings {
  name: string | null;
  address: string | null;
  website: string | null;
  logoUrl: string | null;
  supportEmail: string | null;
  supportPhone: string | null;
}

export const BRAND_FIELDS = ['name', 'address', 'website', 'logoUrl', 'supportEmail', 'supportPhone'] as const satisfies ReadonlyArray<
  keyof BrandSettings
>;

export const EMPTY_BRAND: BrandSettings = Object.freeze({
  name: null,
  address: null,
  website: null,
  logoUrl: null,
  supportEmail: null,
  supportPhone: null,
});

/** The render context's brand: set fields only, and `fallbackName` (the sender's from name) when no name is set. */
export function renderBrand(settings: BrandSettings, fallbackName?: string | null): RenderBrand {
  const brand: RenderBrand = {};
  for (const field of BRAND_FIELDS) {
    const value = settings[field];
    if (value !== null && value !== '') brand[field] = value;
  }
  if (brand.name === undefined && fallbackName) brand.name = fallbackName;
  return brand;
}
