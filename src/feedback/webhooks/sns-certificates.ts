// Fetches (and caches) the certificates SNS signs with. Only SNS's own HTTPS URLs are
// fetched; an operator (or a test) can pin a certificate for a URL instead.
import { Injectable } from '@nestjs/common';
import { isSnsCertificateUrl } from './sns-signature';

const MAX_CACHED = 50;
const TIMEOUT_MS = 5_000;

@Injectable()
export class SnsCertificates {
  private readonly cache = new Map<string, string>();

  pin(url: string, pem: string): void {
    this.cache.set(url, pem);
  }

  async get(url: string): Promise<string> {
    const cached = this.cache.get(url);
    if (cached) return cached;
    if (!isSnsCertificateUrl(url)) throw new Error(`SigningCertURL is not an SNS certificate URL: ${url.slice(0, 200)}`);
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`SNS certificate ${url}: HTTP ${response.status}`);
    const pem = await response.text();
    if (!pem.includes('BEGIN CERTIFICATE')) throw new Error(`SNS certificate ${url}: not a PEM certificate`);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(url, pem);
    return pem;
  }

  /** Confirms a subscription by visiting its SubscribeURL (an SNS URL only). */
  async confirmSubscription(subscribeUrl: string): Promise<void> {
    const url = new URL(subscribeUrl);
    if (url.protocol !== 'https:' || !/^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname))
      throw new Error('SubscribeURL is not an SNS URL');
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`SNS subscription confirmation: HTTP ${response.status}`);
  }
}
