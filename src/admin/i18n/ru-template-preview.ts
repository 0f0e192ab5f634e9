// Russian messages of the template editor's preview and SMS counter, spread into the one
// catalogue (ru.ts). The browser module (client/template-preview.ts) bundles this file and its
// English twin and picks by the page's language, so every key is a plain string with {name}
// placeholders (no plural forms).
import type { Message } from './ru';

export const ruTemplatePreview = {
  'tpv.title': 'Предпросмотр',
  'tpv.customer': 'Клиент',
  'tpv.search': 'Найти клиента: имя, email или телефон',
  'tpv.searchButton': 'Найти',
  'tpv.noResults': 'Никого не нашли',
  'tpv.sample': 'Пример',
  'tpv.sampleTitle': 'Вымышленный клиент и заказ из примера',
  'tpv.previewFor': 'Предпросмотр для: {name}',
  'tpv.previewForSample': 'Предпросмотр для: пример клиента',
  'tpv.variant': 'Этот клиент получит вариант «{variant}»; здесь показан «{locale}».',
  'tpv.width': 'Ширина',
  'tpv.desktop': 'Компьютер',
  'tpv.phone': 'Телефон 390 px',
  'tpv.dark': 'Тёмная тема (примерно)',
  'tpv.darkNote':
    'Почтовые программы в тёмной теме ведут себя по-разному: Apple Mail и iOS применяют стили письма для тёмной темы (prefers-color-scheme), Gmail и Outlook сами перекрашивают светлые фоны и тёмный текст. Здесь рамка показана с color-scheme: dark — это подсказка, а не точный вид в каждой программе.',
  'tpv.frameTitle': 'Предпросмотр письма',
  'tpv.smsFrameTitle': 'Предпросмотр SMS',
  'tpv.subject': 'Тема',
  'tpv.preheader': 'Прехедер',
  'tpv.textPart': 'Текстовая версия письма',
  'tpv.warnings': 'Предупреждения',
  'tpv.updating': 'Обновляется…',
  'tpv.failed': 'Предпросмотр не получился: {error}',
  'tpv.testTitle': 'Отправить тест',
  'tpv.testToEmail': 'На адрес',
  'tpv.testToPhone': 'На телефон',
  'tpv.testSend': 'Отправить тест',
  'tpv.testSending': 'Отправляется…',
  'tpv.testSent': 'Тест отправлен на {to}',
  'tpv.testFailed': 'Тест не отправлен: {error}',
  'tpv.smsTyped': 'Набрано: {encoding}, {length} симв., {segments} SMS (до {perSegment} симв. в каждой)',
  'tpv.smsRendered': 'Для выбранного клиента: {encoding}, {length} симв., {segments} SMS (до {perSegment} симв. в каждой)',
  'tpv.smsEmpty': 'Набрано: пусто',
  'tpv.smsWhyUcs2': 'UCS-2 из-за: {chars}',
  'tpv.smsApprox':
    'Счёт по набранному тексту приблизительный: выражения {{…}} считаются как написаны, после подстановки длина другая. Точный счёт — для выбранного клиента ниже.',
  'tpv.smsLimit': 'Больше {max} SMS — выше лимита шаблона',
} satisfies Record<string, Message>;
