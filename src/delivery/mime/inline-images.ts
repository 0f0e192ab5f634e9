// "Embed images" (a template's embedImages): every `src` naming one of Otklik's own images,
// `<PUBLIC_URL>/images/<sha256>.<ext>`, points at an inline part of the message instead,
// `cid:<sha256>@otklik`, and each such image is attached once however often it appears. Other
// images (a CDN's, a tracking pixel, another host's /images/) keep their URLs. Pure.

export interface EmbeddedImage {
  sha256: string;
  extension: string;
  /** Without angle brackets: `<sha256>@otklik`. */
  contentId: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for `src="<base><sha256>.<ext>"` (either quote), built once per base URL. */
const matchers = new Map<string, RegExp>();
function srcPattern(baseUrl: string): RegExp {
  let pattern = matchers.get(baseUrl);
  if (!pattern) {
    pattern = new RegExp(`(\\ssrc\\s*=\\s*)(["'])${escapeRegExp(baseUrl)}([0-9a-f]{64})\\.(png|jpg|gif|webp)\\2`, 'gi');
    if (matchers.size > 16) matchers.clear();
    matchers.set(baseUrl, pattern);
  }
  return pattern;
}

/**
 * The HTML with Otklik's own images as `cid:` references, and the images to attach (each once,
 * in order of first use). `embeds` picks which to embed (those that exist); the rest keep their URL.
 */
export function embedOwnImages(
  html: string,
  baseUrl: string,
  embeds: (image: { sha256: string; extension: string }) => boolean = () => true,
): { html: string; images: EmbeddedImage[] } {
  const images = new Map<string, EmbeddedImage>();
  const rewritten = html.replace(srcPattern(baseUrl), (all: string, lead: string, quote: string, hash: string, extension: string) => {
    const sha256 = hash.toLowerCase();
    if (!embeds({ sha256, extension: extension.toLowerCase() })) return all;
    if (!images.has(sha256)) images.set(sha256, { sha256, extension: extension.toLowerCase(), contentId: `${sha256}@otklik` });
    return `${lead}${quote}cid:${sha256}@otklik${quote}`;
  });
  return { html: rewritten, images: [...images.values()] };
}
