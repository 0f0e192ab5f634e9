// Brand settings: read and replaced through the API, read by every render. The send path asks
// for the brand once per message, so it is kept for BRAND_TTL_MS: a change is seen at once by
// the process that made it and within that time by the others (workers).
import { Injectable } from '@nestjs/common';
import type { RenderBrand } from '../templates/render';
import type { BrandSource } from '../templates/brand-source';
import { EMPTY_BRAND, renderBrand, type BrandSettings } from './brand';
import { BrandRepository } from './brand.repository';
import type { BrandInput } from './dto/brand.dto';

export const BRAND_TTL_MS = 30_000;

export interface BrandView extends BrandSettings {
  updatedAt: Date | null;
}

@Injectable()
export class BrandService implements BrandSource {
  private cached: { settings: Promise<BrandSettings>; expires: number } | null = null;

  constructor(private readonly repository: BrandRepository) {}

  async get(): Promise<BrandView> {
    const row = await this.repository.find();
    return row ? viewOf(row) : { ...EMPTY_BRAND, updatedAt: null };
  }

  async replace(input: BrandInput): Promise<BrandView> {
    const row = await this.repository.save(input);
    this.cached = null;
    return viewOf(row);
  }

  async renderBrand(fallbackName?: string | null): Promise<RenderBrand> {
    return renderBrand(await this.settings(), fallbackName);
  }

  private settings(): Promise<BrandSettings> {
    if (this.cached && this.cached.expires > Date.now()) return this.cached.settings;
    const settings = this.repository.find().then((row) => (row ? viewOf(row) : EMPTY_BRAND));
    const entry = { settings, expires: Date.now() + BRAND_TTL_MS };
    this.cached = entry;
    settings.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return settings;
  }
}

function viewOf(row: BrandSettings & { updatedAt: Date }): BrandView {
  return {
    name: row.name,
    address: row.address,
    website: row.website,
    logoUrl: row.logoUrl,
    supportEmail: row.supportEmail,
    supportPhone: row.supportPhone,
    updatedAt: row.updatedAt,
  };
}
