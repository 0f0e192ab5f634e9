// Puts the open pixel into a rendered email: a 1×1 image just before </body>, where it loads
// last and shows nothing. Pure; the sender calls it with the message's signed pixel URL.

export function withOpenPixel(html: string, pixelUrl: string): string {
  const src = pixelUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const img = `<img src="${src}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />`;
  // Rendered templates write </body>; lower-casing a whole email to find it costs more than the rest.
  let close = html.lastIndexOf('</body>');
  if (close < 0) close = html.toLowerCase().lastIndexOf('</body>');
  return close >= 0 ? `${html.slice(0, close)}${img}${html.slice(close)}` : `${html}${img}`;
}
