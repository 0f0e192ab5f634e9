// Where the preview gets the brand from. The brand settings (src/brand) sit above templates in
// the layering (they validate with the customers' contact rules), so templates only names what it
// needs here and the brand module provides it (BrandModule is global).
import type { RenderBrand } from './render';

export const BRAND_SOURCE = Symbol('BRAND_SOURCE');

export interface BrandSource {
  /** The brand as messages show it; `fallbackName` stands in for an unset brand name. */
  renderBrand(fallbackName?: string | null): Promise<RenderBrand>;
}
