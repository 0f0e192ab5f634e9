// English messages of the template editor's preview and SMS counter, spread into the one catalogue (en.ts).
import type { Message } from './ru';
import type { ruTemplatePreview } from './ru-template-preview';

export const enTemplatePreview: Record<keyof typeof ruTemplatePreview, Message> = {
  'tpv.title': 'Preview',
  'tpv.customer': 'Customer',
  'tpv.search': 'Find a customer: name, email or phone',
  'tpv.searchButton': 'Find',
  'tpv.noResults': 'Nobody found',
  'tpv.sample': 'Sample',
  'tpv.sampleTitle': 'The made-up customer and order of the sample',
  'tpv.previewFor': 'Preview for: {name}',
  'tpv.previewForSample': 'Preview for: the sample customer',
  'tpv.variant': 'This customer gets the «{variant}» variant; «{locale}» is shown here.',
  'tpv.width': 'Width',
  'tpv.desktop': 'Desktop',
  'tpv.phone': 'Phone 390 px',
  'tpv.dark': 'Dark mode (approximate)',
  'tpv.darkNote':
    'Mail programs differ in dark mode: Apple Mail and iOS apply the email’s own dark styles (prefers-color-scheme), Gmail and Outlook recolour light backgrounds and dark text themselves. The frame is shown with color-scheme: dark: a hint, not the exact look in every program.',
  'tpv.frameTitle': 'Email preview',
  'tpv.smsFrameTitle': 'SMS preview',
  'tpv.subject': 'Subject',
  'tpv.preheader': 'Preheader',
  'tpv.textPart': 'Plain-text part',
  'tpv.warnings': 'Warnings',
  'tpv.updating': 'Updating…',
  'tpv.failed': 'The preview failed: {error}',
  'tpv.testTitle': 'Send a test',
  'tpv.testToEmail': 'To address',
  'tpv.testToPhone': 'To phone',
  'tpv.testSend': 'Send test',
  'tpv.testSending': 'Sending…',
  'tpv.testSent': 'Test sent to {to}',
  'tpv.testFailed': 'Test not sent: {error}',
  'tpv.smsTyped': 'Typed: {encoding}, {length} chars, {segments} SMS (up to {perSegment} chars each)',
  'tpv.smsRendered': 'For the chosen customer: {encoding}, {length} chars, {segments} SMS (up to {perSegment} chars each)',
  'tpv.smsEmpty': 'Typed: empty',
  'tpv.smsWhyUcs2': 'UCS-2 because of: {chars}',
  'tpv.smsApprox':
    'The count of the typed text is approximate: {{…}} expressions count as written, and the length changes once they are filled in. The exact count is for the chosen customer below.',
  'tpv.smsLimit': 'More than {max} SMS: over the template’s limit',
};
